/**
 * What a seminar is once validated, and how it is kept in a NodeBB hash (keys.ts `keys.seminar`).
 *
 * Times are instants (ms since epoch, UTC) plus the event's IANA zone. All-day events also
 * keep their local dates (YYYY-MM-DD, end inclusive): those dates are what is shown and
 * exported, so an all-day event can never slide to a neighbouring day in another zone.
 */
import type { StoredObject, WritableObject } from '../nodebb';

export const SEMINAR_TYPES = ['seminar', 'workshop', 'course', 'certification', 'conference', 'congress', 'webinar'] as const;
export type SeminarType = typeof SEMINAR_TYPES[number];

export const ATTENDANCE_MODES = ['in-person', 'online', 'hybrid'] as const;
export type AttendanceMode = typeof ATTENDANCE_MODES[number];

export const SEMINAR_STATUSES = ['scheduled', 'postponed', 'cancelled'] as const;
export type SeminarStatus = typeof SEMINAR_STATUSES[number];

/** Stored in place of a specialty list: the seminar is for every specialty. */
export const ALL_SPECIALTIES = 'all';

/** The structured fields of a seminar, as validated from the form. */
export interface SeminarFields {
  type: SeminarType;
  timezone: string;
  allDay: boolean;
  /** Instants (ms). For all-day events: start of startDate and end of endDate, in the event's zone. */
  start: number;
  end: number;
  /** All-day events only: local dates in the event's zone, end inclusive. Empty otherwise. */
  startDate: string;
  endDate: string;
  attendance: AttendanceMode;
  venue: string;
  city: string;
  /** ISO 3166-1 alpha-2, upper case; empty for online-only events. */
  country: string;
  onlineUrl: string;
  organiser: string;
  contact: string;
  /** Specialty slugs, or `['all']`. */
  specialties: string[];
  /** null when the seminar carries no CME/SKP credits information. */
  creditsAmount: number | null;
  creditsBody: string;
  creditsArea: string;
  free: boolean;
  /** Fee amount in major units and ISO 4217 currency; 0 and '' when free. */
  feeAmount: number;
  feeCurrency: string;
  registrationUrl: string;
  /** ms, or null when there is no deadline. */
  registrationDeadline: number | null;
  /** 0 means unlimited. */
  capacity: number;
  /** BCP 47 tag, e.g. `id`, `en`, `en-GB`. */
  language: string;
  status: SeminarStatus;
}

/** What the topic contributes: where it lives and what it is called. */
export interface SeminarTopic {
  tid: number;
  cid: number;
  /** The author (topic owner). */
  uid: number;
  title: string;
  /** NodeBB topic slug, e.g. `12/atls-course`. */
  slug: string;
}

export interface Seminar extends SeminarFields, SeminarTopic {
  created: number;
  updated: number;
  /** Bumped on each change, so calendar clients replace their copy (iCalendar SEQUENCE). */
  sequence: number;
  /** The topic is soft-deleted: kept, but out of every listing, feed and reminder. */
  hidden: boolean;
}

/** The fields stored, shown in the form and sent by it as they are: where it happens and who runs it. */
export function placeAndOrganiser(seminar: Seminar): Pick<Seminar, 'attendance' | 'venue' | 'city' | 'country' | 'onlineUrl' | 'organiser' | 'contact'> {
  const { attendance, venue, city, country, onlineUrl, organiser, contact } = seminar;
  return { attendance, venue, city, country, onlineUrl, organiser, contact };
}

export function seminarToStored(seminar: Seminar): WritableObject {
  return {
    tid: seminar.tid,
    cid: seminar.cid,
    uid: seminar.uid,
    title: seminar.title,
    slug: seminar.slug,
    type: seminar.type,
    timezone: seminar.timezone,
    allDay: seminar.allDay ? 1 : 0,
    start: seminar.start,
    end: seminar.end,
    startDate: seminar.startDate,
    endDate: seminar.endDate,
    ...placeAndOrganiser(seminar),
    specialties: seminar.specialties.join(','),
    creditsAmount: seminar.creditsAmount ?? '',
    creditsBody: seminar.creditsBody,
    creditsArea: seminar.creditsArea,
    free: seminar.free ? 1 : 0,
    feeAmount: seminar.feeAmount,
    feeCurrency: seminar.feeCurrency,
    registrationUrl: seminar.registrationUrl,
    registrationDeadline: seminar.registrationDeadline ?? '',
    capacity: seminar.capacity,
    language: seminar.language,
    status: seminar.status,
    created: seminar.created,
    updated: seminar.updated,
    sequence: seminar.sequence,
    hidden: seminar.hidden ? 1 : 0,
  };
}

function text(raw: StoredObject, field: string): string {
  const value = raw[field];
  return value === null || value === undefined ? '' : String(value);
}

function num(raw: StoredObject, field: string): number {
  const value = Number(raw[field]);
  return Number.isFinite(value) ? value : 0;
}

function optionalNum(raw: StoredObject, field: string): number | null {
  const value = text(raw, field);
  return value === '' ? null : num(raw, field);
}

function oneOf<T extends string>(choices: readonly T[], value: string, fallback: T): T {
  return (choices as readonly string[]).includes(value) ? value as T : fallback;
}

/** Parse a stored hash (strings on Redis, typed on Mongo); null when there is no seminar. */
export function seminarFromStored(raw: StoredObject | null): Seminar | null {
  if (!raw || text(raw, 'tid') === '') {
    return null;
  }
  return {
    tid: num(raw, 'tid'),
    cid: num(raw, 'cid'),
    uid: num(raw, 'uid'),
    title: text(raw, 'title'),
    slug: text(raw, 'slug'),
    type: oneOf(SEMINAR_TYPES, text(raw, 'type'), 'seminar'),
    timezone: text(raw, 'timezone') || 'UTC',
    allDay: ['1', 'true'].includes(text(raw, 'allDay')),
    start: num(raw, 'start'),
    end: num(raw, 'end'),
    startDate: text(raw, 'startDate'),
    endDate: text(raw, 'endDate'),
    attendance: oneOf(ATTENDANCE_MODES, text(raw, 'attendance'), 'in-person'),
    venue: text(raw, 'venue'),
    city: text(raw, 'city'),
    country: text(raw, 'country'),
    onlineUrl: text(raw, 'onlineUrl'),
    organiser: text(raw, 'organiser'),
    contact: text(raw, 'contact'),
    specialties: text(raw, 'specialties').split(',').filter(Boolean),
    creditsAmount: optionalNum(raw, 'creditsAmount'),
    creditsBody: text(raw, 'creditsBody'),
    creditsArea: text(raw, 'creditsArea'),
    free: ['1', 'true'].includes(text(raw, 'free')),
    feeAmount: num(raw, 'feeAmount'),
    feeCurrency: text(raw, 'feeCurrency'),
    registrationUrl: text(raw, 'registrationUrl'),
    registrationDeadline: optionalNum(raw, 'registrationDeadline'),
    capacity: num(raw, 'capacity'),
    language: text(raw, 'language'),
    status: oneOf(SEMINAR_STATUSES, text(raw, 'status'), 'scheduled'),
    created: num(raw, 'created'),
    updated: num(raw, 'updated'),
    sequence: num(raw, 'sequence'),
    hidden: ['1', 'true'].includes(text(raw, 'hidden')),
  };
}

export function isOnline(seminar: Pick<SeminarFields, 'attendance'>): boolean {
  return seminar.attendance !== 'in-person';
}

export function isInPerson(seminar: Pick<SeminarFields, 'attendance'>): boolean {
  return seminar.attendance !== 'online';
}

export function hasCredits(seminar: Pick<SeminarFields, 'creditsAmount'>): boolean {
  return seminar.creditsAmount !== null && seminar.creditsAmount > 0;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * NodeBB stores topic titles HTML-escaped; a seminar keeps plain text, because calendar
 * files and JSON-LD are not HTML (pages escape it again when they render it).
 */
export function plainTitle(stored: string): string {
  return stored.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}
