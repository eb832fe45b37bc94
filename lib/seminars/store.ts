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
import {
  seminarKey, seminarToStored, seminarFromStored, isOnline, hasCredits,
  type Seminar, type SeminarFields, type SeminarTopic,
} from './model';

export const SEMINAR_INDEX = {
  /** Every listed seminar (not hidden), by start: what listings read. */
  all: 'seminars:start',
  /** Every seminar record, hidden ones too, by creation: what start-up reconciliation walks. */
  every: 'seminars:every',
  specialty: (slug: string): string => `seminars:specialty:${slug}`,
  type: (type: string): string => `seminars:type:${type}`,
  country: (code: string): string => `seminars:country:${code}`,
  city: (city: string): string => `seminars:city:${cityKey(city)}`,
  online: 'seminars:online',
  credits: 'seminars:credits',
  free: 'seminars:free',
  category: (cid: number): string => `seminars:cid:${cid}`,
} as const;

/** Keys owned by one seminar besides its record, removed when it is purged. */
export function seminarOwnedKeys(tid: number): string[] {
  return [
    `seminar:${tid}:going`, `seminar:${tid}:waitlist`, `seminar:${tid}:interested`, `seminar:${tid}:notgoing`,
    `seminar:${tid}:rsvp`, `seminar:${tid}:rsvp-lock`, `seminar:${tid}:reminders`,
  ];
}

/** A member's RSVPed seminars, by start. */
export function rsvpMemberKey(uid: number): string {
  return `seminars:member:${uid}`;
}

/** Cities are matched loosely: case, accents and punctuation do not split "Yogyakarta" from "yogyakarta". */
export function cityKey(city: string): string {
  return city.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Every index a seminar belongs to (none while its topic is deleted). */
export function seminarIndexKeys(seminar: Seminar): string[] {
  if (seminar.hidden) {
    return [];
  }
  const keys = [SEMINAR_INDEX.all, SEMINAR_INDEX.type(seminar.type), SEMINAR_INDEX.category(seminar.cid)];
  keys.push(...seminar.specialties.map(slug => SEMINAR_INDEX.specialty(slug)));
  if (seminar.country) {
    keys.push(SEMINAR_INDEX.country(seminar.country));
  }
  if (seminar.city && cityKey(seminar.city)) {
    keys.push(SEMINAR_INDEX.city(seminar.city));
  }
  if (isOnline(seminar)) {
    keys.push(SEMINAR_INDEX.online);
  }
  if (hasCredits(seminar)) {
    keys.push(SEMINAR_INDEX.credits);
  }
  if (seminar.free) {
    keys.push(SEMINAR_INDEX.free);
  }
  return keys;
}

export async function getSeminar(tid: number): Promise<Seminar | null> {
  return seminarFromStored(await nodebb.db.getObject(seminarKey(tid)));
}

export async function getSeminars(tids: number[]): Promise<(Seminar | null)[]> {
  if (!tids.length) {
    return [];
  }
  const raw = await nodebb.db.getObjects(tids.map(seminarKey));
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
  await db.setObject(seminarKey(next.tid), seminarToStored(next));
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
  const lists = await Promise.all(['going', 'waitlist', 'interested', 'notgoing'].map(list => db.getSortedSetRange(`seminar:${tid}:${list}`, 0, -1)));
  const members = [...new Set(lists.flat())];
  if (members.length) {
    await db.sortedSetRemove(members.map(uid => rsvpMemberKey(Number(uid))), String(tid));
  }
  await db.deleteAll([seminarKey(tid), ...seminarOwnedKeys(tid)]);
  await db.sortedSetRemove(SEMINAR_INDEX.every, String(tid));
}
