/**
 * Reading a seminar form's times: the event's zone, and its start and end as the form sends
 * them (wall-clock times in that zone, or dates for all-day events; strings with an explicit
 * offset and ms are accepted too, for API callers). Each rule throws its own translated error.
 */
import { DateTime, IANAZone } from 'luxon';

import { UserFacingError } from '../common/user-error';
import type { SeminarFields } from './model';

/** The canonical IANA name of a zone, or null when the zone does not exist. */
export function canonicalZone(zone: unknown): string | null {
  if (typeof zone !== 'string' || zone.trim() === '' || zone.length > 64) {
    return null;
  }
  const name = zone.trim();
  // Fixed offsets ("+07:00", "UTC+7") are not places: DST rules and abbreviations need a real zone.
  if (!IANAZone.isValidZone(name) || /^(utc|gmt)?[+-]/i.test(name) || /^etc\//i.test(name)) {
    return null;
  }
  return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An instant from what the form sent: a wall-clock time in `zone`, an ISO string with an
 * offset, or ms. Returns 'gap' for a wall-clock time that does not exist in the zone
 * (skipped by a DST change); for a time that occurs twice (clocks going back), the later, standard-time instant is taken (luxon's choice), which the tests pin down.
 */
export function parseInstant(value: unknown, zone: string): number | 'gap' | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) && Number.isInteger(value) ? value : null;
  }
  if (typeof value !== 'string') {
    return null;
  }
  const textValue = value.trim();
  const local = LOCAL_DATE_TIME.exec(textValue);
  if (local) {
    const [, y, mo, d, h, mi, s] = local;
    const wanted = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s ?? '0') };
    const dt = DateTime.fromObject(wanted, { zone });
    if (!dt.isValid) {
      return null;
    }
    if (dt.hour !== wanted.hour || dt.minute !== wanted.minute || dt.day !== wanted.day) {
      return 'gap';
    }
    return dt.toMillis();
  }
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(textValue)) {
    const dt = DateTime.fromISO(textValue, { setZone: true });
    return dt.isValid ? dt.toMillis() : null;
  }
  return null;
}

export function parseLocalDate(value: unknown, zone: string): DateTime | null {
  if (typeof value !== 'string' || !LOCAL_DATE.test(value.trim())) {
    return null;
  }
  const dt = DateTime.fromISO(value.trim(), { zone });
  return dt.isValid ? dt.startOf('day') : null;
}

/** The time fields of a seminar, as the form's times give them. */
export type ParsedTimes = Pick<SeminarFields, 'timezone' | 'allDay' | 'start' | 'end' | 'startDate' | 'endDate'>;

export function parseTimes(input: Record<string, unknown>, allDay: boolean, durationDays: number): ParsedTimes {
  const timezone = canonicalZone(input.timezone);
  if (!timezone) {
    throw new UserFacingError('error.seminars-timezone-unknown', [typeof input.timezone === 'string' ? input.timezone.slice(0, 64) : '']);
  }
  if (allDay) {
    const startDay = parseLocalDate(input.start, timezone);
    if (!startDay) {
      throw new UserFacingError('error.seminars-start-invalid');
    }
    const endDay = input.end === undefined || input.end === '' ? startDay : parseLocalDate(input.end, timezone);
    if (!endDay) {
      throw new UserFacingError('error.seminars-end-invalid');
    }
    // End dates are inclusive for people ("12–14 March"); one-day events end on their start date.
    if (endDay < startDay) {
      throw new UserFacingError('error.seminars-end-before-start');
    }
    const end = endDay.plus({ days: 1 }).startOf('day');
    if (end.diff(startDay, 'days').days > durationDays) {
      throw new UserFacingError('error.seminars-duration-too-long', [durationDays]);
    }
    return {
      timezone, allDay, start: startDay.toMillis(), end: end.toMillis(),
      startDate: startDay.toISODate() ?? '', endDate: endDay.toISODate() ?? '',
    };
  }
  const start = parseInstant(input.start, timezone);
  if (start === null) {
    throw new UserFacingError('error.seminars-start-invalid');
  }
  if (start === 'gap') {
    throw new UserFacingError('error.seminars-time-not-in-zone', [String(input.start), timezone]);
  }
  const end = parseInstant(input.end, timezone);
  if (end === null) {
    throw new UserFacingError('error.seminars-end-invalid');
  }
  if (end === 'gap') {
    throw new UserFacingError('error.seminars-time-not-in-zone', [String(input.end), timezone]);
  }
  if (end <= start) {
    throw new UserFacingError('error.seminars-end-before-start');
  }
  if (end - start > durationDays * 86_400_000) {
    throw new UserFacingError('error.seminars-duration-too-long', [durationDays]);
  }
  return { timezone, allDay, start, end, startDate: '', endDate: '' };
}
