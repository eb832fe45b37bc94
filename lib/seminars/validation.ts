/**
 * Strict check of a submitted seminar form. Each rule throws its own translated
 * UserFacingError, so the form can say exactly what is wrong; nothing is returned (and so
 * nothing can be saved) unless every rule passes.
 *
 * Times arrive as the form sends them: local wall-clock times in the event's zone
 * (`2026-03-29T09:00`), or dates (`2026-03-29`) for all-day events. Strings with an explicit
 * offset and numbers (ms) are accepted too, for API callers.
 */
import { z } from 'zod';
import { DateTime, IANAZone } from 'luxon';

import { UserFacingError } from '../common/user-error';
import { isCountryCode, isCurrencyCode } from './codes';
import {
  SEMINAR_TYPES, ATTENDANCE_MODES, SEMINAR_STATUSES, ALL_SPECIALTIES,
  type SeminarFields, type SeminarType, type AttendanceMode, type SeminarStatus,
} from './model';

export const SEMINAR_LIMITS = {
  venue: 200,
  city: 100,
  organiser: 200,
  contact: 200,
  creditsBody: 100,
  creditsArea: 100,
  url: 2048,
  specialtySlug: 64,
  specialties: 30,
  creditsMax: 1000,
  feeMax: 1_000_000_000,
  capacityMax: 1_000_000,
  /** Longest event; also bounds how far back a calendar month has to look for events still running. */
  durationDays: 90,
} as const;

export type SeminarTextField = 'venue' | 'city' | 'organiser' | 'contact' | 'creditsBody' | 'creditsArea';
export type SeminarUrlField = 'onlineUrl' | 'registrationUrl';

export interface SeminarValidationOptions {
  /** Taxonomy check from the specialties capability; any well-formed slug passes without it. */
  isKnownSpecialty?: (slug: string) => boolean | Promise<boolean>;
}

function fieldLabel(field: string): string {
  return `[[physician-network:seminars.field.${field}]]`;
}

const numberLike = z.union([
  z.number(),
  z.string().trim().regex(/^-?\d+(\.\d+)?$/).transform(Number),
]).pipe(z.number());

const flag = z.union([
  z.boolean(),
  z.number().transform(n => n !== 0),
  z.string().trim().toLowerCase().transform(s => ['on', 'true', '1', 'yes'].includes(s)),
  z.undefined().transform(() => false),
  z.null().transform(() => false),
]);

const optionalString = z.union([z.string(), z.number().transform(String), z.undefined().transform(() => ''), z.null().transform(() => '')]);

function choice<T extends string>(choices: readonly T[], value: unknown): T | null {
  const parsed = z.string().trim().toLowerCase().safeParse(value);
  return parsed.success && (choices as readonly string[]).includes(parsed.data) ? parsed.data as T : null;
}

function textField(input: Record<string, unknown>, field: SeminarTextField): string {
  const parsed = optionalString.safeParse(input[field]);
  if (!parsed.success) {
    throw new UserFacingError('error.seminars-text-invalid', [fieldLabel(field)]);
  }
  const value = parsed.data.trim().replace(/\s+/g, ' ');
  // Single-line fields: control characters would only corrupt what is stored and shown.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new UserFacingError('error.seminars-text-invalid', [fieldLabel(field)]);
  }
  if (value.length > SEMINAR_LIMITS[field]) {
    throw new UserFacingError('error.seminars-text-too-long', [fieldLabel(field), SEMINAR_LIMITS[field]]);
  }
  return value;
}

function urlField(input: Record<string, unknown>, field: SeminarUrlField): string {
  const parsed = optionalString.safeParse(input[field]);
  if (!parsed.success) {
    throw new UserFacingError('error.seminars-url-invalid', [fieldLabel(field)]);
  }
  const value = parsed.data.trim();
  if (value === '') {
    return '';
  }
  if (value.length > SEMINAR_LIMITS.url) {
    throw new UserFacingError('error.seminars-text-too-long', [fieldLabel(field), SEMINAR_LIMITS.url]);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserFacingError('error.seminars-url-invalid', [fieldLabel(field)]);
  }
  // javascript:, data:, file: and the like would run or leak when someone clicks them.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserFacingError('error.seminars-url-not-http', [fieldLabel(field)]);
  }
  if (url.hostname === '' || url.username !== '' || url.password !== '') {
    throw new UserFacingError('error.seminars-url-invalid', [fieldLabel(field)]);
  }
  return url.toString();
}

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

function parseLocalDate(value: unknown, zone: string): DateTime | null {
  if (typeof value !== 'string' || !LOCAL_DATE.test(value.trim())) {
    return null;
  }
  const dt = DateTime.fromISO(value.trim(), { zone });
  return dt.isValid ? dt.startOf('day') : null;
}

function parseSpecialties(value: unknown): string[] {
  let list: unknown[];
  if (Array.isArray(value)) {
    list = value;
  } else if (typeof value === 'string') {
    list = value.split(',');
  } else if (value === undefined || value === null) {
    list = [];
  } else {
    throw new UserFacingError('error.seminars-specialties-required');
  }
  const slugs = [...new Set(list.map(item => (typeof item === 'string' ? item.trim().toLowerCase() : '')))].filter(Boolean);
  if (!slugs.length) {
    throw new UserFacingError('error.seminars-specialties-required');
  }
  if (slugs.includes(ALL_SPECIALTIES)) {
    return [ALL_SPECIALTIES];
  }
  if (slugs.length > SEMINAR_LIMITS.specialties) {
    throw new UserFacingError('error.seminars-too-many-specialties', [SEMINAR_LIMITS.specialties]);
  }
  for (const slug of slugs) {
    if (slug.length > SEMINAR_LIMITS.specialtySlug || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) {
      throw new UserFacingError('error.seminars-specialty-invalid', [slug.slice(0, SEMINAR_LIMITS.specialtySlug)]);
    }
  }
  return slugs;
}

function decimal(value: unknown, maxDecimals: number): number | 'invalid' | null {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return null;
  }
  const parsed = numberLike.safeParse(value);
  if (!parsed.success) {
    return 'invalid';
  }
  const factor = 10 ** maxDecimals;
  return Math.abs(Math.round(parsed.data * factor) - parsed.data * factor) < 1e-6 ? parsed.data : 'invalid';
}

interface ParsedTimes {
  timezone: string;
  allDay: boolean;
  start: number;
  end: number;
  startDate: string;
  endDate: string;
}

function parseTimes(input: Record<string, unknown>): ParsedTimes {
  const timezone = canonicalZone(input.timezone);
  if (!timezone) {
    throw new UserFacingError('error.seminars-timezone-unknown', [typeof input.timezone === 'string' ? input.timezone.slice(0, 64) : '']);
  }
  const allDay = flag.safeParse(input.allDay).data ?? false;
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
    if (end.diff(startDay, 'days').days > SEMINAR_LIMITS.durationDays) {
      throw new UserFacingError('error.seminars-duration-too-long', [SEMINAR_LIMITS.durationDays]);
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
  if (end - start > SEMINAR_LIMITS.durationDays * 86_400_000) {
    throw new UserFacingError('error.seminars-duration-too-long', [SEMINAR_LIMITS.durationDays]);
  }
  return { timezone, allDay, start, end, startDate: '', endDate: '' };
}

function parseLanguage(value: unknown): string {
  if (typeof value !== 'string' || !/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,2}$/.test(value.trim())) {
    throw new UserFacingError('error.seminars-language-invalid');
  }
  try {
    const [canonical] = Intl.getCanonicalLocales(value.trim());
    if (!canonical) {
      throw new Error('no locale');
    }
    return canonical;
  } catch {
    throw new UserFacingError('error.seminars-language-invalid');
  }
}

/** Validate and normalise a submitted seminar form; throws the first rule it breaks. */
export async function validateSeminarInput(submitted: unknown, options: SeminarValidationOptions = {}): Promise<SeminarFields> {
  const parsedInput = z.record(z.string(), z.unknown()).safeParse(submitted);
  if (!parsedInput.success) {
    throw new UserFacingError('error.seminars-invalid-input');
  }
  const input = parsedInput.data;

  const type = choice<SeminarType>(SEMINAR_TYPES, input.type);
  if (!type) {
    throw new UserFacingError('error.seminars-type-invalid');
  }
  const times = parseTimes(input);

  const attendance = choice<AttendanceMode>(ATTENDANCE_MODES, input.attendance);
  if (!attendance) {
    throw new UserFacingError('error.seminars-attendance-invalid');
  }
  const venue = textField(input, 'venue');
  const city = textField(input, 'city');
  const countryRaw = optionalString.safeParse(input.country).data?.trim().toUpperCase() ?? '';
  if (countryRaw !== '' && !isCountryCode(countryRaw)) {
    throw new UserFacingError('error.seminars-country-invalid');
  }
  const onlineUrl = urlField(input, 'onlineUrl');
  if (attendance !== 'online' && (city === '' || countryRaw === '')) {
    throw new UserFacingError('error.seminars-location-required');
  }
  if (attendance !== 'in-person' && onlineUrl === '') {
    throw new UserFacingError('error.seminars-online-url-required');
  }

  const organiser = textField(input, 'organiser');
  if (organiser === '') {
    throw new UserFacingError('error.seminars-organiser-required');
  }
  const contact = textField(input, 'contact');

  const specialties = parseSpecialties(input.specialties);
  if (options.isKnownSpecialty && specialties[0] !== ALL_SPECIALTIES) {
    for (const slug of specialties) {
      if (!await options.isKnownSpecialty(slug)) {
        throw new UserFacingError('error.seminars-specialty-invalid', [slug]);
      }
    }
  }

  const credits = decimal(input.creditsAmount, 2);
  if (credits === 'invalid') {
    throw new UserFacingError('error.seminars-credits-invalid');
  }
  if (credits !== null && credits < 0) {
    throw new UserFacingError('error.seminars-credits-negative');
  }
  if (credits !== null && credits > SEMINAR_LIMITS.creditsMax) {
    throw new UserFacingError('error.seminars-credits-too-large', [SEMINAR_LIMITS.creditsMax]);
  }
  const creditsBody = textField(input, 'creditsBody');
  const creditsArea = textField(input, 'creditsArea');

  // A fee is either "free" or a positive amount in a real currency.
  const feeAmount = decimal(input.feeAmount, 2);
  const free = flag.safeParse(input.free).data === true || feeAmount === null || feeAmount === 0;
  let feeCurrency = '';
  if (!free) {
    if (feeAmount === 'invalid' || feeAmount < 0 || feeAmount > SEMINAR_LIMITS.feeMax) {
      throw new UserFacingError('error.seminars-fee-invalid');
    }
    feeCurrency = optionalString.safeParse(input.feeCurrency).data?.trim().toUpperCase() ?? '';
    if (!/^[A-Z]{3}$/.test(feeCurrency) || !isCurrencyCode(feeCurrency)) {
      throw new UserFacingError('error.seminars-fee-currency-invalid');
    }
  }

  const registrationUrl = urlField(input, 'registrationUrl');
  let registrationDeadline: number | null = null;
  const deadlineRaw = input.registrationDeadline;
  if (deadlineRaw !== undefined && deadlineRaw !== null && deadlineRaw !== '') {
    // A date alone means "until the end of that day" in the event's zone.
    const asDate = parseLocalDate(deadlineRaw, times.timezone);
    const deadline = asDate ? asDate.endOf('day').toMillis() : parseInstant(deadlineRaw, times.timezone);
    if (deadline === null || deadline === 'gap') {
      throw new UserFacingError('error.seminars-deadline-invalid');
    }
    if (deadline >= times.start) {
      throw new UserFacingError('error.seminars-deadline-after-start');
    }
    registrationDeadline = deadline;
  }

  let capacity = 0;
  const capacityRaw = input.capacity;
  if (capacityRaw !== undefined && capacityRaw !== null && capacityRaw !== '') {
    const parsed = numberLike.pipe(z.number().int().min(0).max(SEMINAR_LIMITS.capacityMax)).safeParse(capacityRaw);
    if (!parsed.success) {
      throw new UserFacingError('error.seminars-capacity-invalid', [SEMINAR_LIMITS.capacityMax]);
    }
    capacity = parsed.data;
  }

  const language = parseLanguage(input.language);

  const status = input.status === undefined || input.status === '' ? 'scheduled' : choice<SeminarStatus>(SEMINAR_STATUSES, input.status);
  if (!status) {
    throw new UserFacingError('error.seminars-status-invalid');
  }

  return {
    type,
    ...times,
    attendance,
    venue: attendance === 'online' ? '' : venue,
    city: attendance === 'online' ? '' : city,
    country: attendance === 'online' ? '' : countryRaw,
    onlineUrl: attendance === 'in-person' ? '' : onlineUrl,
    organiser,
    contact,
    specialties,
    creditsAmount: credits,
    creditsBody,
    creditsArea,
    free,
    feeAmount: free ? 0 : feeAmount as number,
    feeCurrency,
    registrationUrl,
    registrationDeadline,
    capacity,
    language,
    status,
  };
}
