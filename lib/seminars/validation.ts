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

import { UserFacingError } from '../common/user-error';
import { isCountryCode, isCurrencyCode } from './codes';
import {
  SEMINAR_TYPES, ATTENDANCE_MODES, SEMINAR_STATUSES, ALL_SPECIALTIES,
  type SeminarFields, type SeminarType, type AttendanceMode, type SeminarStatus,
} from './model';
import { parseInstant, parseLocalDate, parseTimes } from './time-input';

export { canonicalZone, parseInstant } from './time-input';

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

type Place = Pick<SeminarFields, 'attendance' | 'venue' | 'city' | 'country' | 'onlineUrl'>;

/** Where: what each kind of attendance needs (a city and country in person, a link online). */
function parsePlace(input: Record<string, unknown>): Place {
  const attendance = choice<AttendanceMode>(ATTENDANCE_MODES, input.attendance);
  if (!attendance) {
    throw new UserFacingError('error.seminars-attendance-invalid');
  }
  const venue = textField(input, 'venue');
  const city = textField(input, 'city');
  const country = optionalString.safeParse(input.country).data?.trim().toUpperCase() ?? '';
  if (country !== '' && !isCountryCode(country)) {
    throw new UserFacingError('error.seminars-country-invalid');
  }
  const onlineUrl = urlField(input, 'onlineUrl');
  if (attendance !== 'online' && (city === '' || country === '')) {
    throw new UserFacingError('error.seminars-location-required');
  }
  if (attendance !== 'in-person' && onlineUrl === '') {
    throw new UserFacingError('error.seminars-online-url-required');
  }
  const inPerson = attendance !== 'online';
  return {
    attendance,
    venue: inPerson ? venue : '',
    city: inPerson ? city : '',
    country: inPerson ? country : '',
    onlineUrl: attendance === 'in-person' ? '' : onlineUrl,
  };
}

async function parseKnownSpecialties(value: unknown, options: SeminarValidationOptions): Promise<string[]> {
  const specialties = parseSpecialties(value);
  if (options.isKnownSpecialty && specialties[0] !== ALL_SPECIALTIES) {
    for (const slug of specialties) {
      if (!await options.isKnownSpecialty(slug)) {
        throw new UserFacingError('error.seminars-specialty-invalid', [slug]);
      }
    }
  }
  return specialties;
}

function parseCredits(input: Record<string, unknown>): Pick<SeminarFields, 'creditsAmount' | 'creditsBody' | 'creditsArea'> {
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
  return { creditsAmount: credits, creditsBody: textField(input, 'creditsBody'), creditsArea: textField(input, 'creditsArea') };
}

/** A fee is either "free" or a positive amount in a real currency. */
function parseFee(input: Record<string, unknown>): Pick<SeminarFields, 'free' | 'feeAmount' | 'feeCurrency'> {
  const feeAmount = decimal(input.feeAmount, 2);
  const free = flag.safeParse(input.free).data === true || feeAmount === null || feeAmount === 0;
  if (free) {
    return { free, feeAmount: 0, feeCurrency: '' };
  }
  if (feeAmount === 'invalid' || feeAmount < 0 || feeAmount > SEMINAR_LIMITS.feeMax) {
    throw new UserFacingError('error.seminars-fee-invalid');
  }
  const feeCurrency = optionalString.safeParse(input.feeCurrency).data?.trim().toUpperCase() ?? '';
  if (!/^[A-Z]{3}$/.test(feeCurrency) || !isCurrencyCode(feeCurrency)) {
    throw new UserFacingError('error.seminars-fee-currency-invalid');
  }
  return { free, feeAmount, feeCurrency };
}

/** The deadline: a date alone means "until the end of that day" in the event's zone; it must fall before the start. */
function parseDeadline(value: unknown, times: Pick<SeminarFields, 'timezone' | 'start'>): number | null {
  if (value === undefined || value === null || value === '') {
    return null;
  }
  const asDate = parseLocalDate(value, times.timezone);
  const deadline = asDate ? asDate.endOf('day').toMillis() : parseInstant(value, times.timezone);
  if (deadline === null || deadline === 'gap') {
    throw new UserFacingError('error.seminars-deadline-invalid');
  }
  if (deadline >= times.start) {
    throw new UserFacingError('error.seminars-deadline-after-start');
  }
  return deadline;
}

/** Seats: 0 (or nothing) for unlimited. */
function parseCapacity(value: unknown): number {
  if (value === undefined || value === null || value === '') {
    return 0;
  }
  const parsed = numberLike.pipe(z.number().int().min(0).max(SEMINAR_LIMITS.capacityMax)).safeParse(value);
  if (!parsed.success) {
    throw new UserFacingError('error.seminars-capacity-invalid', [SEMINAR_LIMITS.capacityMax]);
  }
  return parsed.data;
}

/** Validate and normalise a submitted seminar form; throws the first rule it breaks, in the form's order. */
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
  const times = parseTimes(input, flag.safeParse(input.allDay).data ?? false, SEMINAR_LIMITS.durationDays);
  const place = parsePlace(input);
  const organiser = textField(input, 'organiser');
  if (organiser === '') {
    throw new UserFacingError('error.seminars-organiser-required');
  }
  const contact = textField(input, 'contact');
  const specialties = await parseKnownSpecialties(input.specialties, options);
  const credits = parseCredits(input);
  const fee = parseFee(input);
  const registrationUrl = urlField(input, 'registrationUrl');
  const registrationDeadline = parseDeadline(input.registrationDeadline, times);
  const capacity = parseCapacity(input.capacity);
  const language = parseLanguage(input.language);
  const status = input.status === undefined || input.status === '' ? 'scheduled' : choice<SeminarStatus>(SEMINAR_STATUSES, input.status);
  if (!status) {
    throw new UserFacingError('error.seminars-status-invalid');
  }
  return {
    type, ...times, ...place, organiser, contact, specialties, ...credits, ...fee,
    registrationUrl, registrationDeadline, capacity, language, status,
  };
}
