/**
 * Reminders before a seminar starts, and notices when its time changes or it is cancelled.
 *
 * The cron job (run only where nconf `runJobs` is set; that check is the caller's) calls
 * `sendDueReminders`. Each (seminar, member, start) reminder is claimed with an atomic
 * counter before it is sent: only the caller that raises it to 1 sends, so reminders are
 * not repeated across restarts, overlapping runs or several processes. A crash between
 * claim and send loses that one reminder rather than sending it twice. The start instant is
 * part of the claim, so a rescheduled seminar gets a fresh reminder for its new time.
 */
import { getSettings } from '../settings';
import { getSeminars, listedTidsStartingBetween, raiseReminderClaims, type SeminarChange } from './store';
import { getGoingUids } from './rsvp';
import { notifySeminarMembers, readersAmong, type SeminarNoticeKind } from './notify';
import type { Seminar } from './model';

const BATCH = 200;

export interface SentReminder {
  tid: number;
  uids: number[];
}

/** Claim each member's reminder; returns those this caller won. */
async function claimReminders(seminar: Seminar, uids: number[], now: number): Promise<number[]> {
  // Claims are only needed until the seminar is over (plus a margin for late runs).
  const counts = await raiseReminderClaims(seminar, uids, Math.max(3600, Math.ceil((seminar.end - now) / 1000) + 7 * 86_400));
  return uids.filter((_uid, index) => counts[index] === 1);
}

/**
 * Send the reminders now due: seminars starting within the configured hours
 * (seminarsReminderHours), to going members who may read them. Returns what was sent.
 */
export async function sendDueReminders(now = Date.now(), hours?: number): Promise<SentReminder[]> {
  const windowHours = hours ?? (await getSettings()).seminarsReminderHours;
  const until = now + windowHours * 3_600_000;
  const sent: SentReminder[] = [];
  for (let offset = 0; ; offset += BATCH) {
    const tids = await listedTidsStartingBetween(offset, BATCH, now, until);
    const seminars = await getSeminars(tids.map(Number));
    for (const seminar of seminars) {
      // Postponed seminars have no reliable time; cancelled ones have nothing to remind of.
      if (!seminar || seminar.hidden || seminar.status !== 'scheduled' || seminar.start < now || seminar.start > until) {
        continue;
      }
      const going = await readersAmong(seminar, await getGoingUids(seminar.tid));
      const claimed = going.length ? await claimReminders(seminar, going, now) : [];
      if (claimed.length) {
        await notifySeminarMembers('reminder', seminar, claimed, seminar.start);
        sent.push({ tid: seminar.tid, uids: claimed });
      }
    }
    if (tids.length < BATCH) {
      break;
    }
  }
  return sent;
}

/** What a save means for going members: which notice, if any. */
export function noticeForChange(change: SeminarChange): SeminarNoticeKind | null {
  if (change.cancelled) {
    return 'cancelled';
  }
  if (change.postponed) {
    return 'postponed';
  }
  return change.timeChanged ? 'rescheduled' : null;
}

/**
 * After a save: tell going members (who may still read it) that the seminar was cancelled,
 * postponed or moved. Returns who was notified and why.
 */
export async function notifyGoingOfChange(seminar: Seminar, change: SeminarChange): Promise<{ kind: SeminarNoticeKind; uids: number[] } | null> {
  const kind = noticeForChange(change);
  if (!kind || seminar.hidden) {
    return null;
  }
  const uids = await readersAmong(seminar, await getGoingUids(seminar.tid));
  await notifySeminarMembers(kind, seminar, uids, seminar.sequence);
  return { kind, uids };
}

/** Members given a seat from the waitlist hear about it. */
export async function notifyPromoted(seminar: Seminar, uids: number[]): Promise<void> {
  await notifySeminarMembers('promoted', seminar, await readersAmong(seminar, uids), `${Date.now()}`);
}
