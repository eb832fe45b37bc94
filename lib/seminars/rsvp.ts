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
import { requireSeminar } from './store';
import { keys as dbKeys } from './keys';
import { withSeminarLock } from './lock';
import type { Seminar } from './model';
import type { RsvpCounts, RsvpState } from '../shared/seminar-shapes';

export type { RsvpCounts, RsvpState } from '../shared/seminar-shapes';

export const RSVP_CHOICES = ['going', 'interested', 'not-going'] as const;
export type RsvpChoice = typeof RSVP_CHOICES[number];

/** One seminar's RSVP keys (keys.ts). */
const rsvpKeys = (tid: number) => ({
  going: dbKeys.going(tid),
  waitlist: dbKeys.waitlist(tid),
  interested: dbKeys.interested(tid),
  notGoing: dbKeys.notGoing(tid),
  counters: dbKeys.rsvpCounters(tid),
});

async function stateOf(tid: number, uid: number): Promise<RsvpState> {
  const keys = rsvpKeys(tid);
  const [going, waitlisted, interested, notGoing] = await Promise.all([
    nodebb.db.isSortedSetMember(keys.going, String(uid)),
    nodebb.db.isSortedSetMember(keys.waitlist, String(uid)),
    nodebb.db.isSortedSetMember(keys.interested, String(uid)),
    nodebb.db.isSortedSetMember(keys.notGoing, String(uid)),
  ]);
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
  const { db } = nodebb;
  const keys = rsvpKeys(seminar.tid);
  const promoted: number[] = [];
  for (;;) {
    if (seminar.capacity !== 0 && await db.sortedSetCard(keys.going) >= seminar.capacity) {
      break;
    }
    const [first] = await db.getSortedSetRange(keys.waitlist, 0, 0);
    if (first === undefined) {
      break;
    }
    // Add before removing: a crash in between leaves the member going (and still listed as waiting), never lost.
    await db.sortedSetAdd(keys.going, now, first);
    await db.sortedSetRemove(keys.waitlist, first);
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
  const { db } = nodebb;
  const keys = rsvpKeys(seminar.tid);
  const member = String(uid);
  const before = await stateOf(seminar.tid, uid);

  if (choice === 'going') {
    if (before === 'going' || before === 'waitlisted') {
      return { state: before, promoted: [] };
    }
    const hasSeat = seminar.capacity === 0 || await db.sortedSetCard(keys.going) < seminar.capacity;
    if (hasSeat) {
      await db.sortedSetAdd(keys.going, now, member);
    } else {
      // A counter, not the clock, orders the waitlist: two RSVPs in the same millisecond keep their order.
      const position = await db.incrObjectField(keys.counters, 'waitlistSeq');
      await db.sortedSetAdd(keys.waitlist, position, member);
    }
    await db.sortedSetRemove([keys.interested, keys.notGoing], member);
    await db.sortedSetAdd(dbKeys.memberRsvps(uid), seminar.start, String(seminar.tid));
    return { state: hasSeat ? 'going' : 'waitlisted', promoted: [] };
  }

  if (choice === 'interested' || choice === 'not-going') {
    const target = choice === 'interested' ? keys.interested : keys.notGoing;
    await db.sortedSetAdd(target, now, member);
    await db.sortedSetAdd(dbKeys.memberRsvps(uid), seminar.start, String(seminar.tid));
  }
  const others = [keys.going, keys.waitlist, keys.interested, keys.notGoing]
    .filter(key => !(choice === 'interested' && key === keys.interested) && !(choice === 'not-going' && key === keys.notGoing));
  await db.sortedSetRemove(others, member);
  if (choice === 'none') {
    await db.sortedSetRemove(dbKeys.memberRsvps(uid), String(seminar.tid));
  }
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
  const keys = rsvpKeys(tid);
  const { db } = nodebb;
  const [seminar, going, waitlisted, interested, notGoing] = await Promise.all([
    requireSeminar(tid),
    db.sortedSetCard(keys.going), db.sortedSetCard(keys.waitlist), db.sortedSetCard(keys.interested), db.sortedSetCard(keys.notGoing),
  ]);
  return {
    going, waitlisted, interested, notGoing,
    capacity: seminar.capacity,
    seatsLeft: seminar.capacity === 0 ? null : Math.max(0, seminar.capacity - going),
  };
}

/** Going members, in the order they took their seats. */
export async function getGoingUids(tid: number): Promise<number[]> {
  return (await nodebb.db.getSortedSetRange(rsvpKeys(tid).going, 0, -1)).map(Number);
}

/** The waitlist, first in line first. */
export async function getWaitlistUids(tid: number): Promise<number[]> {
  return (await nodebb.db.getSortedSetRange(rsvpKeys(tid).waitlist, 0, -1)).map(Number);
}

/** A member's RSVPed seminars (any state), by start: for "my seminars" and for account deletion. */
export async function getMemberRsvpTids(uid: number, start = 0, stop = -1): Promise<number[]> {
  return (await nodebb.db.getSortedSetRange(dbKeys.memberRsvps(uid), start, stop)).map(Number);
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
  await nodebb.db.delete(dbKeys.memberRsvps(uid));
  return results;
}
