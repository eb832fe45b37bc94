/**
 * Checking what a member types into the verification form.
 *
 * Each rule has its own translation key, so the member learns exactly what is wrong.
 * Registration numbers are normalised (separators removed) before they are checked and stored;
 * their rules (and why each shape was chosen) live in lib/shared/registration-rules.ts, which
 * the browser's form runs too, so both sides always judge a number the same way.
 */
import { z } from 'zod';

import { UserFacingError } from '../common/user-error';
import { CONTROL_CHARACTERS as CONTROL, checkRegistrationNumber } from '../shared/registration-rules';
import { REGISTRATION_TYPES, REGISTRATION_COUNTRY, type RegistrationType, type SpecialtyLookup, type VerificationRequest } from './model';

export { OTHER_NUMBER_MAX, luhnValid, npiCheckDigitValid } from '../shared/registration-rules';

export const FULL_NAME_MAX = 200;
export const INSTITUTION_MAX = 200;
export const SPECIALTY_SLUG_MAX = 64;
export const TEXT_MAX = 2000;

/**
 * Normalises a registration number for its type, or throws the rule it breaks.
 * Returns the value to store.
 */
export function normaliseRegistrationNumber(type: RegistrationType, raw: string): string {
  const check = checkRegistrationNumber(type, raw);
  if (!check.ok) {
    throw new UserFacingError(check.key, check.args);
  }
  return check.value;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** ISO 3166-1 alpha-2, as far as the runtime's ICU data knows the region. */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) {
    return false;
  }
  // Unknown codes come back unchanged; the user-assigned and reserved ones are refused.
  const name = regionNames.of(code);
  return name !== undefined && name !== code && !['AA', 'QM', 'QZ', 'XA', 'XB', 'XK', 'ZZ', 'EU', 'UN', 'EZ'].includes(code);
}

const TRUE_WORDS = ['true', 'on', '1', 'yes'];
const FALSE_WORDS = ['false', 'off', '0', 'no', ''];

const formFlag = (key: string) => z.union([
  z.boolean(),
  z.string().trim().toLowerCase().refine(s => TRUE_WORDS.includes(s) || FALSE_WORDS.includes(s), { error: key }).transform(s => TRUE_WORDS.includes(s)),
], { error: key });

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD, as a UTC midnight timestamp; null if not. */
export function parseIsoDate(value: string): number | null {
  const match = ISO_DATE.exec(value);
  if (!match) {
    return null;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = Date.UTC(year, month - 1, day);
  const check = new Date(at);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return null;
  }
  return at;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** A licence valid "until" a date is valid through that whole day (UTC): it expires at the next midnight. */
export function licenceExpiresAt(licenceExpiry: string): number | null {
  const day = parseIsoDate(licenceExpiry);
  return day === null ? null : day + DAY_MS;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function formSchema(maxSpecialties: number) {
  return z.object({
    fullName: z.string({ error: 'error.verification-full-name-required' }).trim()
      .min(2, { error: 'error.verification-full-name-required' })
      .max(FULL_NAME_MAX, { error: 'error.verification-full-name-too-long' })
      .refine(s => !CONTROL.test(s) && /\p{L}/u.test(s), { error: 'error.verification-full-name-invalid' }),
    registrationType: z.enum(REGISTRATION_TYPES, { error: 'error.verification-type-invalid' }),
    registrationNumber: z.string({ error: 'error.verification-number-required' }),
    country: z.string({ error: 'error.verification-country-invalid' }).trim().toUpperCase().optional(),
    specialties: z.array(
      z.string({ error: 'error.verification-specialty-invalid' }).trim().max(SPECIALTY_SLUG_MAX, { error: 'error.verification-specialty-invalid' })
        .regex(SLUG, { error: 'error.verification-specialty-invalid' }),
      { error: 'error.verification-specialties-required' },
    ).min(1, { error: 'error.verification-specialties-required' })
      .max(maxSpecialties, { error: 'error.verification-specialties-too-many' })
      .refine(list => new Set(list).size === list.length, { error: 'error.verification-specialties-duplicate' }),
    inTraining: formFlag('error.verification-in-training-invalid').optional(),
    institution: z.string({ error: 'error.verification-institution-required' }).trim()
      .min(2, { error: 'error.verification-institution-required' })
      .max(INSTITUTION_MAX, { error: 'error.verification-institution-too-long' })
      .refine(s => !CONTROL.test(s), { error: 'error.verification-institution-invalid' }),
    licenceExpiry: z.string({ error: 'error.verification-expiry-invalid' }).trim()
      .refine(s => s === '' || parseIsoDate(s) !== null, { error: 'error.verification-expiry-invalid' }).optional(),
    consent: formFlag('error.verification-consent-required').refine(v => v, { error: 'error.verification-consent-required' }),
  }, { error: 'error.verification-form-invalid' });
}

/** A checked form: the fields of a request the member types. */
export type VerificationForm = Pick<VerificationRequest,
  'fullName' | 'registrationType' | 'registrationNumber' | 'country' | 'specialties' | 'inTraining' | 'institution' | 'licenceExpiry'>;

/** Keys whose message carries an argument. */
const ARGS_FOR: Record<string, (max: number) => (string | number)[]> = {
  'error.verification-specialties-too-many': max => [max],
};

export interface FormRules {
  /** specialtiesMaxPerMember. */
  maxSpecialties: number;
  isKnownSpecialty: SpecialtyLookup;
  now: number;
}

/**
 * Validates the whole form, or throws a UserFacingError for the first rule broken.
 * Fields are checked in form order so the message matches what the member sees first.
 */
export async function validateVerificationForm(input: unknown, rules: FormRules): Promise<VerificationForm> {
  const parsed = formSchema(rules.maxSpecialties).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.message.startsWith('error.verification-') ? issue.message : 'error.verification-form-invalid';
    throw new UserFacingError(key, ARGS_FOR[key]?.(rules.maxSpecialties) ?? []);
  }
  const form = parsed.data;
  const registrationNumber = normaliseRegistrationNumber(form.registrationType, form.registrationNumber);
  let country: string;
  if (form.registrationType === 'other') {
    country = form.country ?? '';
    if (!isCountryCode(country)) {
      throw new UserFacingError('error.verification-country-invalid');
    }
  } else {
    country = REGISTRATION_COUNTRY[form.registrationType];
  }
  for (const slug of form.specialties) {
    if (!await rules.isKnownSpecialty(slug)) {
      throw new UserFacingError('error.verification-specialty-unknown', [slug]);
    }
  }
  const licenceExpiry = form.licenceExpiry ?? '';
  if (licenceExpiry !== '') {
    const expiresAt = licenceExpiresAt(licenceExpiry);
    if (expiresAt === null || expiresAt <= rules.now) {
      throw new UserFacingError('error.verification-expiry-past');
    }
    if (expiresAt > rules.now + 100 * 366 * DAY_MS) {
      throw new UserFacingError('error.verification-expiry-invalid');
    }
  }
  return {
    fullName: form.fullName,
    registrationType: form.registrationType,
    registrationNumber,
    country,
    specialties: form.specialties,
    inTraining: form.inTraining ?? false,
    institution: form.institution,
    licenceExpiry,
  };
}

/** A reviewer confirming or correcting specialties: the form's rules, on their own. */
export async function validateSpecialties(input: unknown, rules: FormRules): Promise<string[]> {
  const parsed = formSchema(rules.maxSpecialties).shape.specialties.safeParse(input);
  if (!parsed.success) {
    const key = parsed.error.issues[0]?.message ?? 'error.verification-specialties-required';
    throw new UserFacingError(key.startsWith('error.verification-') ? key : 'error.verification-specialties-required', ARGS_FOR[key]?.(rules.maxSpecialties) ?? []);
  }
  for (const slug of parsed.data) {
    if (!await rules.isKnownSpecialty(slug)) {
      throw new UserFacingError('error.verification-specialty-unknown', [slug]);
    }
  }
  return parsed.data;
}

/** Bounded free text from a reviewer or member (reasons, questions, answers). */
export function boundedText(value: unknown, requiredKey: string, { required = true } = {}): string {
  if (value === undefined || value === null) {
    if (required) {
      throw new UserFacingError(requiredKey);
    }
    return '';
  }
  if (typeof value !== 'string') {
    throw new UserFacingError(requiredKey);
  }
  const text = value.trim();
  if (required && text === '') {
    throw new UserFacingError(requiredKey);
  }
  if (text.length > TEXT_MAX) {
    throw new UserFacingError('error.verification-text-too-long', [TEXT_MAX]);
  }
  // Line breaks are fine in free text; other control characters are not.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/.test(text)) {
    throw new UserFacingError('error.verification-text-invalid');
  }
  return text;
}
