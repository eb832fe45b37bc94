/**
 * Keeping seminars and their indexes in NodeBB's database.
 *
 * Every index is a sorted set of tids scored by start instant, so any filtered listing is a
 * range read on the most selective index (see listing.ts), never a scan. Writes first store
 * the record, then move the tid between indexes, under the seminar's lock; readers also
 * re-check each entry against the record, so an entry a crash left behind is never shown.
 */
import { nodebb } from '../nodebb';
import { UserFacingError } from '../common/user-error';
import { withSeminarLock } from './lock';
import { cityKey, keys, seminarOwnedKeys } from './keys';
import {
  seminarToStored, seminarFromStored, isOnline, hasCredits,
  type Seminar, type SeminarFields, type SeminarTopic,
} from './model';

/** The listing indexes (sorted sets of tids by start): keys.ts. */
export const SEMINAR_INDEX = keys.index;

export { cityKey, seminarOwnedKeys };

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

export async function getSeminar(tid: number): Promise<Seminar | null> {
  return seminarFromStored(await nodebb.db.getObject(keys.seminar(tid)));
}

export async function getSeminars(tids: number[]): Promise<(Seminar | null)[]> {
  if (!tids.length) {
    return [];
  }
  const raw = await nodebb.db.getObjects(tids.map(keys.seminar));
  return raw.map(seminarFromStored);
}

export async function requireSeminar(tid: number): Promise<Seminar> {
  const seminar = await getSeminar(tid);
  if (!seminar) {
    throw new UserFacingError('error.seminars-not-found', [], 404);
  }
  return seminar;
}

async function writeSeminar(previous: Seminar | null, next: Seminar): Promise<void> {
  const { db } = nodebb;
  await db.setObject(keys.seminar(next.tid), seminarToStored(next));
  const nextKeys = seminarIndexKeys(next);
  const stale = previous ? seminarIndexKeys(previous).filter(key => !nextKeys.includes(key)) : [];
  if (stale.length) {
    await db.sortedSetRemove(stale, String(next.tid));
  }
  if (nextKeys.length) {
    await db.sortedSetsAdd(nextKeys, next.start, String(next.tid));
  }
  if (!previous) {
    await db.sortedSetAdd(SEMINAR_INDEX.every, next.created, String(next.tid));
  }
}

/** What an update changed that going members must hear about. */
export interface SeminarChange {
  created: boolean;
  timeChanged: boolean;
  cancelled: boolean;
  postponed: boolean;
  capacityGrew: boolean;
}

export interface SavedSeminar {
  seminar: Seminar;
  previous: Seminar | null;
  change: SeminarChange;
}

/**
 * Create or replace the seminar of a topic with validated fields. The caller validates
 * (validateSeminarInput) first, so an invalid form never reaches this.
 */
export async function saveSeminar(topic: SeminarTopic, fields: SeminarFields, now = Date.now()): Promise<SavedSeminar> {
  return withSeminarLock(topic.tid, async () => saveUnlocked(topic, fields, now));
}

async function saveUnlocked(topic: SeminarTopic, fields: SeminarFields, now: number): Promise<SavedSeminar> {
  const previous = await getSeminar(topic.tid);
  const seminar: Seminar = {
    ...fields,
    ...topic,
    created: previous?.created ?? now,
    updated: now,
    sequence: previous ? previous.sequence + 1 : 0,
    hidden: previous?.hidden ?? false,
  };
  await writeSeminar(previous, seminar);
  const change: SeminarChange = {
    created: previous === null,
    timeChanged: previous !== null && (previous.start !== seminar.start || previous.end !== seminar.end ||
      previous.allDay !== seminar.allDay || previous.startDate !== seminar.startDate || previous.endDate !== seminar.endDate),
    cancelled: previous !== null && previous.status !== 'cancelled' && seminar.status === 'cancelled',
    postponed: previous !== null && previous.status !== 'postponed' && seminar.status === 'postponed',
    capacityGrew: previous !== null && previous.capacity !== 0 && (seminar.capacity === 0 || seminar.capacity > previous.capacity),
  };
  return { seminar, previous, change };
}

/** The topic moved, was renamed, changed owner, or was soft-deleted/restored: keep the record and indexes in step. */
export async function updateSeminarTopic(tid: number, topic: Partial<Pick<SeminarTopic, 'cid' | 'uid' | 'title' | 'slug'>> & { hidden?: boolean }): Promise<Seminar | null> {
  return withSeminarLock(tid, async () => {
    const previous = await getSeminar(tid);
    if (!previous) {
      return null;
    }
    const next: Seminar = { ...previous, ...topic, updated: Date.now(), sequence: previous.sequence + 1 };
    await writeSeminar(previous, next);
    return next;
  });
}

function topicOf(seminar: Seminar): SeminarTopic {
  return { tid: seminar.tid, cid: seminar.cid, uid: seminar.uid, title: seminar.title, slug: seminar.slug };
}

function fieldsOf(seminar: Seminar): SeminarFields {
  const fields: Partial<Seminar> = { ...seminar };
  for (const key of ['tid', 'cid', 'uid', 'title', 'slug', 'created', 'updated', 'sequence', 'hidden'] as const) {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
    delete fields[key];
  }
  return fields as SeminarFields;
}

/** Cancel without touching other fields (the author, category moderators and admins may). */
export async function cancelSeminar(tid: number, now = Date.now()): Promise<SavedSeminar> {
  return withSeminarLock(tid, async () => {
    const previous = await requireSeminar(tid);
    return saveUnlocked(topicOf(previous), { ...fieldsOf(previous), status: 'cancelled' }, now);
  });
}

/** Purging the topic purges the seminar: record, indexes, RSVPs and reminder claims. */
export async function deleteSeminar(tid: number): Promise<void> {
  await withSeminarLock(tid, async () => { await deleteUnlocked(tid); });
}

async function deleteUnlocked(tid: number): Promise<void> {
  const { db } = nodebb;
  const previous = await getSeminar(tid);
  if (previous) {
    // Remove from every index the record could be in, hidden or not.
    const keys = seminarIndexKeys({ ...previous, hidden: false });
    await db.sortedSetRemove(keys, String(tid));
  }
  // Take the seminar off the lists of everyone who RSVPed.
  const lists = await Promise.all([keys.going(tid), keys.waitlist(tid), keys.interested(tid), keys.notGoing(tid)].map(list => db.getSortedSetRange(list, 0, -1)));
  const members = [...new Set(lists.flat())];
  if (members.length) {
    await db.sortedSetRemove(members.map(uid => keys.memberRsvps(Number(uid))), String(tid));
  }
  await db.deleteAll([keys.seminar(tid), ...seminarOwnedKeys(tid)]);
  await db.sortedSetRemove(SEMINAR_INDEX.every, String(tid));
}
