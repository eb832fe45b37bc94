/**
 * Keeping RSVPs in NodeBB's database: one sorted set per answer per seminar, a counter hash
 * for the waitlist's order, and each member's list of answered seminars. Every function here
 * is one step of rsvp.ts; the caller holds the seminar's lock for anything that writes, and
 * the writes of each step run in the order written, so a crash between two of them leaves
 * the state rsvp.ts describes.
 */
import { nodebb } from '../nodebb';
import { keys } from './keys';
import type { Seminar } from './model';

/** One seminar's RSVP keys (keys.ts). */
const rsvpKeys = (tid: number) => ({
  going: keys.going(tid),
  waitlist: keys.waitlist(tid),
  interested: keys.interested(tid),
  notGoing: keys.notGoing(tid),
  counters: keys.rsvpCounters(tid),
});

/** Whether the member is going, waiting, interested, not going (in that order). */
export async function rsvpMembership(tid: number, uid: number): Promise<[boolean, boolean, boolean, boolean]> {
  const set = rsvpKeys(tid);
  const member = String(uid);
  const [going, waitlisted, interested, notGoing] = await Promise.all([
    nodebb.db.isSortedSetMember(set.going, member),
    nodebb.db.isSortedSetMember(set.waitlist, member),
    nodebb.db.isSortedSetMember(set.interested, member),
    nodebb.db.isSortedSetMember(set.notGoing, member),
  ]);
  return [going, waitlisted, interested, notGoing];
}

export async function goingCount(tid: number): Promise<number> {
  return nodebb.db.sortedSetCard(rsvpKeys(tid).going);
}

/** The first member on the waitlist, or undefined when nobody waits. */
export async function firstWaiting(tid: number): Promise<string | undefined> {
  const [first] = await nodebb.db.getSortedSetRange(rsvpKeys(tid).waitlist, 0, 0);
  return first;
}

/** Seat a waiting member. Add before removing: a crash in between leaves the member going (and still listed as waiting), never lost. */
export async function seatFromWaitlist(tid: number, member: string, now: number): Promise<void> {
  const set = rsvpKeys(tid);
  await nodebb.db.sortedSetAdd(set.going, now, member);
  await nodebb.db.sortedSetRemove(set.waitlist, member);
}

/** "Going": a seat when there is one, else the end of the waitlist; then off the other answers, onto the member's list. */
export async function recordGoing(seminar: Seminar, uid: number, hasSeat: boolean, now: number): Promise<void> {
  const { db } = nodebb;
  const set = rsvpKeys(seminar.tid);
  const member = String(uid);
  if (hasSeat) {
    await db.sortedSetAdd(set.going, now, member);
  } else {
    // A counter, not the clock, orders the waitlist: two RSVPs in the same millisecond keep their order.
    const position = await db.incrObjectField(set.counters, 'waitlistSeq');
    await db.sortedSetAdd(set.waitlist, position, member);
  }
  await db.sortedSetRemove([set.interested, set.notGoing], member);
  await db.sortedSetAdd(keys.memberRsvps(uid), seminar.start, String(seminar.tid));
}

/** "Interested", "not going" or no answer: record it, then take the member off every other answer. */
export async function recordOtherAnswer(seminar: Seminar, uid: number, choice: 'interested' | 'not-going' | 'none', now: number): Promise<void> {
  const { db } = nodebb;
  const set = rsvpKeys(seminar.tid);
  const member = String(uid);
  if (choice === 'interested' || choice === 'not-going') {
    const target = choice === 'interested' ? set.interested : set.notGoing;
    await db.sortedSetAdd(target, now, member);
    await db.sortedSetAdd(keys.memberRsvps(uid), seminar.start, String(seminar.tid));
  }
  const others = [set.going, set.waitlist, set.interested, set.notGoing]
    .filter(key => !(choice === 'interested' && key === set.interested) && !(choice === 'not-going' && key === set.notGoing));
  await db.sortedSetRemove(others, member);
  if (choice === 'none') {
    await db.sortedSetRemove(keys.memberRsvps(uid), String(seminar.tid));
  }
}

/** How many members gave each answer: going, waitlisted, interested, not going. */
export async function rsvpCardinalities(tid: number): Promise<[number, number, number, number]> {
  const set = rsvpKeys(tid);
  const { db } = nodebb;
  const [going, waitlisted, interested, notGoing] = await Promise.all([
    db.sortedSetCard(set.going), db.sortedSetCard(set.waitlist), db.sortedSetCard(set.interested), db.sortedSetCard(set.notGoing),
  ]);
  return [going, waitlisted, interested, notGoing];
}

/** Going members in seat order, or the waitlist in queue order. */
export async function rsvpUids(tid: number, list: 'going' | 'waitlist'): Promise<number[]> {
  return (await nodebb.db.getSortedSetRange(rsvpKeys(tid)[list], 0, -1)).map(Number);
}

export async function memberRsvpTids(uid: number, start: number, stop: number): Promise<number[]> {
  return (await nodebb.db.getSortedSetRange(keys.memberRsvps(uid), start, stop)).map(Number);
}

export async function deleteMemberRsvpList(uid: number): Promise<void> {
  await nodebb.db.delete(keys.memberRsvps(uid));
}
