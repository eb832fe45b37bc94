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
import { seminarToStored, seminarFromStored, type Seminar, type SeminarFields, type SeminarTopic } from './model';
import { SEMINAR_INDEX, seminarIndexKeys } from './index-store';

export { cityKey, seminarOwnedKeys };
export * from './index-store';
export * from './rsvp-store';
export * from './feed-store';
export * from './pending-store';
export * from './lock-store';

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

/** What provisioning recorded as the Seminars category (0 when none). */
export async function provisionedSeminarsCid(): Promise<number> {
  return Number(await nodebb.db.getObjectField(keys.provisioned, 'cid'));
}

export async function recordProvisionedSeminarsCid(cid: number): Promise<void> {
  await nodebb.db.setObjectField(keys.provisioned, 'cid', cid);
}

/**
 * Raise each member's reminder claim for the seminar's start (all at once), then let the
 * claims expire after `ttlSeconds`; returns each claim's count, in `uids` order (1: this caller won).
 */
export async function raiseReminderClaims(seminar: Seminar, uids: number[], ttlSeconds: number): Promise<number[]> {
  const { db } = nodebb;
  const key = keys.reminderClaims(seminar.tid);
  const counts = await Promise.all(uids.map(uid => db.incrObjectField(key, `${uid}:${seminar.start}`)));
  await db.expire(key, ttlSeconds);
  return counts;
}
