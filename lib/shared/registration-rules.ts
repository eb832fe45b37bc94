/**
 * The registration-number rules, in one file for both sides: the server build compiles it to
 * CommonJS (lib/verification/registration.ts imports it by path), the client build to an AMD
 * module that plugin.json "modules" serves as `physician-network/registration-rules`. So it
 * imports nothing and touches neither Node nor the DOM. Messages are translation keys in the
 * physician-network namespace.
 *
 * Unlike the other client modules it carries no `amd-module` name: TypeScript writes that
 * name into every import of the file, the server's CommonJS `require` included, where Node
 * could not resolve it. Anonymous, the AMD module takes its name from where NodeBB links it
 * (build/public/src/modules/physician-network/registration-rules.js, which webpack resolves).
 *
 * Shapes chosen, and why:
 * - NPI (US): 10 digits; the last is a Luhn check digit computed over "80840" followed by
 *   the first 9 digits (CMS, "Requirements for NPI check digit", ISO 7812 prefix 80840).
 * - GMC (UK): the GMC reference number, 7 digits.
 * - BIG (Netherlands): the BIG number, 11 digits.
 * - STR (Indonesia): KKI prints STR numbers as long digit strings, usually 16 digits, often
 *   grouped with spaces or dots; the lifetime STRs issued since the 2023 health law (via the
 *   Ministry's SATUSEHAT SDMK) are not published with a fixed length. So the check is
 *   permissive: after removing spaces, dots, hyphens and slashes, 10 to 20 digits.
 * - Sweden: Socialstyrelsen does not publish a format for the legitimation number. The
 *   numbers on issued certificates are short digit strings, so 6 to 9 digits are accepted after
 *   removing spaces and hyphens. A 10- or 12-digit personnummer is refused on purpose: it
 *   is a national identity number, which the plugin must not collect.
 * - Other: 1 to 64 printable characters (the country is checked elsewhere).
 */

export const OTHER_NUMBER_MAX = 64;

/** C0 and C1 control characters. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Luhn check over a digit string (the last digit is the check digit). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** NPI: 10 digits whose last digit is the Luhn check over 80840 + the first 9. */
export function npiCheckDigitValid(npi: string): boolean {
  return /^\d{10}$/.test(npi) && luhnValid(`80840${npi}`);
}

interface DigitRule {
  /** Separators members may type, removed before the shape is checked and the number stored. */
  separators: RegExp;
  shape: RegExp;
  key: string;
}

/** The national registrations: digit strings of a known length. */
const DIGIT_RULES: Readonly<Record<string, DigitRule>> = {
  npi: { separators: /[\s-]/g, shape: /^\d{10}$/, key: 'error.verification-npi-format' },
  gmc: { separators: /\s/g, shape: /^\d{7}$/, key: 'error.verification-gmc-format' },
  big: { separators: /[\s.-]/g, shape: /^\d{11}$/, key: 'error.verification-big-format' },
  str: { separators: /[\s./-]/g, shape: /^\d{10,20}$/, key: 'error.verification-str-format' },
  'se-legitimation': { separators: /[\s-]/g, shape: /^\d{6,9}$/, key: 'error.verification-se-format' },
};

/** A number as it will be stored, or the rule it breaks (a translation key and its arguments). */
export type NumberCheck =
  | { ok: true; value: string }
  | { ok: false; key: string; args: number[] };

function broken(key: string, args: number[] = []): NumberCheck {
  return { ok: false, key, args };
}

/** Checks and normalises a registration number for its type (separators removed). */
export function checkRegistrationNumber(type: string, raw: string): NumberCheck {
  const value = raw.trim();
  if (value === '') {
    return broken('error.verification-number-required');
  }
  if (type === 'other') {
    return value.length > OTHER_NUMBER_MAX || CONTROL_CHARACTERS.test(value)
      ? broken('error.verification-other-number-format', [OTHER_NUMBER_MAX])
      : { ok: true, value };
  }
  const rule = Object.prototype.hasOwnProperty.call(DIGIT_RULES, type) ? DIGIT_RULES[type] : undefined;
  if (!rule) {
    return broken('error.verification-type-invalid');
  }
  const digits = value.replace(rule.separators, '');
  if (!rule.shape.test(digits)) {
    return broken(rule.key);
  }
  if (type === 'npi' && !npiCheckDigitValid(digits)) {
    return broken('error.verification-npi-check-digit');
  }
  return { ok: true, value: digits };
}
