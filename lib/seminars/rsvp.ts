/**
 * RSVP (going / interested / not going), capacity and the waitlist.
 *
 * NodeBB's database has no transactions on Redis or Mongo, so every change to one
 * seminar's RSVPs runs under the seminar's lock (lock.ts), as do saves. Under the lock the steps are plain reads and writes, which
 * is what keeps "never more going than capacity" and "the first waiting is the first
 * promoted" true with many processes RSVPing at once. RSVPs are rare per seminar, so a
 * short wait for the lock costs nothing that matters.
 */
import { nodebb } from '../nodebb';
import { UserFacingError } from '../common/user-error';
import {
  requireSeminar, rsvpMembership, goingCount, firstWaiting, seatFromWaitlist, recordGoing, recordOtherAnswer,
  rsvpCardinalities, rsvpUids, memberRsvpTids, deleteMemberRsvpList,
} from './store';
import { withSeminarLock } from './lock';
import type { Seminar } from './model';
import type { RsvpCounts, RsvpState } from '../shared/seminar-shapes';

export type { RsvpCounts, RsvpState } from '../shared/seminar-shapes';

export const RSVP_CHOICES = ['going', 'interested', 'not-going'] as const;
export type RsvpChoice = typeof RSVP_CHOICES[number];

async function stateOf(tid: number, uid: number): Promise<RsvpState> {
  const [going, waitlisted, interested, notGoing] = await rsvpMembership(tid, uid);
  if (going) {
    return 'going';
  }
  if (waitlisted) {
    return 'waitlisted';
  }
  if (interested) {
    return 'interested';
  }
  return notGoing ? 'not-going' : 'none';
}

export async function getRsvpState(tid: number, uid: number): Promise<RsvpState> {
  return uid > 0 ? stateOf(tid, uid) : 'none';
}

/** Seats free, waitlist first: who gets a seat, in waitlist order. Call under the lock. */
async function promoteWaiting(seminar: Seminar, now: number): Promise<number[]> {
  const promoted: number[] = [];
  for (;;) {
    if (seminar.capacity !== 0 && await goingCount(seminar.tid) >= seminar.capacity) {
      break;
    }
    const first = await firstWaiting(seminar.tid);
    if (first === undefined) {
      break;
    }
    await seatFromWaitlist(seminar.tid, first, now);
    promoted.push(Number(first));
  }
  return promoted;
}

export interface RsvpResult {
  state: RsvpState;
  /** Members moved from the waitlist to going by this change: the caller notifies them. */
  promoted: number[];
}

async function applyRsvp(seminar: Seminar, uid: number, choice: RsvpChoice | 'none', now: number): Promise<RsvpResult> {
  const before = await stateOf(seminar.tid, uid);

  if (choice === 'going') {
    if (before === 'going' || before === 'waitlisted') {
      return { state: before, promoted: [] };
    }
    const hasSeat = seminar.capacity === 0 || await goingCount(seminar.tid) < seminar.capacity;
    await recordGoing(seminar, uid, hasSeat, now);
    return { state: hasSeat ? 'going' : 'waitlisted', promoted: [] };
  }

  await recordOtherAnswer(seminar, uid, choice, now);
  const promoted = before === 'going' ? await promoteWaiting(seminar, now) : [];
  return { state: choice, promoted };
}

function requireMember(uid: number): void {
  if (!Number.isInteger(uid) || uid <= 0) {
    throw new UserFacingError('error.seminars-rsvp-members-only', [], 403);
  }
}

/** A ban takes nothing away (seats, RSVPs, feed token stay), but a banned member makes no new RSVP. */
async function refuseBanned(uid: number): Promise<void> {
  if (await nodebb.userBans.bans.isBanned(uid)) {
    throw new UserFacingError('error.seminars-rsvp-banned', [], 403);
  }
}

/**
 * Record a member's RSVP. "Going" takes a seat while there is one, else joins the end of
 * the waitlist. Leaving "going" hands the seat to the first waiting member. A banned
 * member is refused (withdrawing stays open to them: it only frees a seat).
 * The caller has checked the member may read the seminar's category.
 */
export async function setRsvp(tid: number, uid: number, choice: unknown, now = Date.now()): Promise<RsvpResult> {
  requireMember(uid);
  if (typeof choice !== 'string' || !(RSVP_CHOICES as readonly string[]).includes(choice)) {
    throw new UserFacingError('error.seminars-rsvp-invalid');
  }
  const rsvp = choice as RsvpChoice;
  await refuseBanned(uid);
  return withSeminarLock(tid, async () => {
    const seminar = await requireSeminar(tid);
    if (rsvp !== 'not-going' && (seminar.status === 'cancelled' || seminar.end <= now)) {
      throw new UserFacingError('error.seminars-rsvp-closed');
    }
    return applyRsvp(seminar, uid, rsvp, now);
  });
}

/** Withdraw any RSVP. */
export async function removeRsvp(tid: number, uid: number, now = Date.now()): Promise<RsvpResult> {
  requireMember(uid);
  return withSeminarLock(tid, async () => applyRsvp(await requireSeminar(tid), uid, 'none', now));
}

/** After capacity grew (or became unlimited): seat waiting members. Returns who was promoted. */
export async function fillSeatsFromWaitlist(tid: number, now = Date.now()): Promise<number[]> {
  return withSeminarLock(tid, async () => promoteWaiting(await requireSeminar(tid), now));
}

export async function getRsvpCounts(tid: number): Promise<RsvpCounts> {
  const [seminar, [going, waitlisted, interested, notGoing]] = await Promise.all([requireSeminar(tid), rsvpCardinalities(tid)]);
  return {
    going, waitlisted, interested, notGoing,
    capacity: seminar.capacity,
    seatsLeft: seminar.capacity === 0 ? null : Math.max(0, seminar.capacity - going),
  };
}

/** Going members, in the order they took their seats. */
export async function getGoingUids(tid: number): Promise<number[]> {
  return rsvpUids(tid, 'going');
}

/** The waitlist, first in line first. */
export async function getWaitlistUids(tid: number): Promise<number[]> {
  return rsvpUids(tid, 'waitlist');
}

/** A member's RSVPed seminars (any state), by start: for "my seminars" and for account deletion. */
export async function getMemberRsvpTids(uid: number, start = 0, stop = -1): Promise<number[]> {
  return memberRsvpTids(uid, start, stop);
}

/** The member's account is deleted: withdraw every RSVP (promoting others), then forget the list. */
export async function removeMemberRsvps(uid: number): Promise<{ tid: number; promoted: number[] }[]> {
  const results: { tid: number; promoted: number[] }[] = [];
  for (const tid of await getMemberRsvpTids(uid)) {
    try {
      const { promoted } = await removeRsvp(tid, uid);
      results.push({ tid, promoted });
    } catch {
      // The seminar is gone: nothing to withdraw from.
    }
  }
  await deleteMemberRsvpList(uid);
  return results;
}
