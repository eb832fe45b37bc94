/**
 * The seminar indexes in NodeBB's database: sorted sets of tids scored by start (what
 * listings, feeds and reminders range over), `every` by creation (what start-up walks), and
 * the out-of-step set of tids whose lifecycle hook failed (reconcile.ts).
 */
import { nodebb } from '../nodebb';
import { cityKey, keys } from './keys';
import { isOnline, hasCredits, type Seminar } from './model';

/** The listing indexes (sorted sets of tids by start): keys.ts. */
export const SEMINAR_INDEX = keys.index;

/** Every index a seminar belongs to (none while its topic is deleted). */
export function seminarIndexKeys(seminar: Seminar): string[] {
  if (seminar.hidden) {
    return [];
  }
  const indexes = [SEMINAR_INDEX.all, SEMINAR_INDEX.type(seminar.type), SEMINAR_INDEX.category(seminar.cid)];
  indexes.push(...seminar.specialties.map(slug => SEMINAR_INDEX.specialty(slug)));
  if (seminar.country) {
    indexes.push(SEMINAR_INDEX.country(seminar.country));
  }
  if (seminar.city && cityKey(seminar.city)) {
    indexes.push(SEMINAR_INDEX.city(seminar.city));
  }
  if (isOnline(seminar)) {
    indexes.push(SEMINAR_INDEX.online);
  }
  if (hasCredits(seminar)) {
    indexes.push(SEMINAR_INDEX.credits);
  }
  if (seminar.free) {
    indexes.push(SEMINAR_INDEX.free);
  }
  return indexes;
}

/** Entries a crash left out (or in): put the seminar in exactly the indexes its record calls for. */
export async function repairSeminarIndexes(seminar: Seminar): Promise<void> {
  const { db } = nodebb;
  const tid = String(seminar.tid);
  const wanted = seminarIndexKeys(seminar);
  const possible = seminarIndexKeys({ ...seminar, hidden: false });
  const unwanted = possible.filter(key => !wanted.includes(key));
  if (unwanted.length) {
    await db.sortedSetRemove(unwanted, tid);
  }
  if (wanted.length) {
    await db.sortedSetsAdd(wanted, seminar.start, tid);
  }
  await db.sortedSetAdd(SEMINAR_INDEX.every, seminar.created, tid);
}

/** One batch of an index within a score range, ascending (low, high) or descending (high, low), with scores. */
export async function readIndexBatch(
  key: string, order: 'asc' | 'desc', offset: number, count: number,
  first: number | '-inf' | '+inf', second: number | '-inf' | '+inf',
): Promise<{ value: string; score: number }[]> {
  return order === 'asc'
    ? nodebb.db.getSortedSetRangeByScoreWithScores(key, offset, count, first as number | '-inf', second as number | '+inf')
    : nodebb.db.getSortedSetRevRangeByScoreWithScores(key, offset, count, first as number | '+inf', second as number | '-inf');
}

/** How many entries of an index start within the range. */
export async function countIndexWithin(key: string, from: number | '-inf', to: number | '+inf'): Promise<number> {
  return nodebb.db.sortedSetCount(key, from, to);
}

/** Listed seminars starting between `from` and `until`, a batch from `offset` on. */
export async function listedTidsStartingBetween(offset: number, count: number, from: number, until: number): Promise<string[]> {
  return nodebb.db.getSortedSetRangeByScore(SEMINAR_INDEX.all, offset, count, from, until);
}

/** Every tid in `every` and in `all` (seminars stored before `every` existed are only in `all`). */
export async function everyIndexedTid(): Promise<[string[], string[]]> {
  const { db } = nodebb;
  return Promise.all([db.getSortedSetRange(SEMINAR_INDEX.every, 0, -1), db.getSortedSetRange(SEMINAR_INDEX.all, 0, -1)]);
}

/** An index entry with no record: take it off `every` and `all`. */
export async function dropIndexedTid(tid: number): Promise<void> {
  await nodebb.db.sortedSetRemove([SEMINAR_INDEX.every, SEMINAR_INDEX.all], String(tid));
}

export async function markOutOfStep(tid: number, now: number): Promise<void> {
  await nodebb.db.sortedSetAdd(keys.outOfStep, now, String(tid));
}

/** The oldest out-of-step tids, up to `limit`. */
export async function outOfStepTids(limit: number): Promise<string[]> {
  return nodebb.db.getSortedSetRange(keys.outOfStep, 0, limit - 1);
}

export async function clearOutOfStep(tid: number | string): Promise<void> {
  await nodebb.db.sortedSetRemove(keys.outOfStep, String(tid));
}
