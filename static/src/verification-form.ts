/// <amd-module name="physician-network/verification-form"/>
/**
 * The member's verification form, checked in the browser before it is sent: the number's
 * shape for the chosen registration type (with the NPI check digit), the country for "other",
 * how many specialties, and the documents' type and size. The server checks all of it again.
 */
import translator = require('translator');
import validation = require('physician-network/form-validation');

/** The shapes the server accepts (lib/verification/registration.ts), separators removed. */
const NUMBER_SHAPES: Readonly<Record<string, RegExp>> = {
  npi: /^\d{10}$/,
  gmc: /^\d{7}$/,
  big: /^\d{11}$/,
  str: /^\d{10,20}$/,
  'se-legitimation': /^\d{6,9}$/,
  other: /^[^\p{Cc}]{1,64}$/u,
};

/** The server's message for a badly shaped number of each type. */
const NUMBER_MESSAGES: Readonly<Record<string, string>> = {
  npi: translator.compile('physician-network:error.verification-npi-format'),
  gmc: translator.compile('physician-network:error.verification-gmc-format'),
  big: translator.compile('physician-network:error.verification-big-format'),
  str: translator.compile('physician-network:error.verification-str-format'),
  'se-legitimation': translator.compile('physician-network:error.verification-se-format'),
  other: translator.compile('physician-network:error.verification-other-number-format', 64),
};
const NPI_CHECK_DIGIT = translator.compile('physician-network:error.verification-npi-check-digit');

const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

function digitsOnly(value: string): string {
  return value.replace(/[\s./-]/g, '');
}

/** Luhn over 80840 + the ten digits, as the NPI standard prescribes. */
export function npiCheckDigitValid(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) {
    return false;
  }
  const digits = `80840${npi}`;
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

/** The translation token of what is wrong with a number for its type, or null when it looks right. */
export function numberProblem(type: string, raw: string): string | null {
  const value = type === 'other' ? raw.trim() : digitsOnly(raw);
  const shape = NUMBER_SHAPES[type];
  if (!shape?.test(value)) {
    return NUMBER_MESSAGES[type] ?? translator.compile('physician-network:error.verification-type-invalid');
  }
  return type === 'npi' && !npiCheckDigitValid(value) ? NPI_CHECK_DIGIT : null;
}


/** Custom rules as constraint-validation messages, so checkForm shows them like the built-in ones. */
async function applyCustomRules(form: HTMLFormElement): Promise<void> {
  const type = form.querySelector<HTMLSelectElement>('[name="registrationType"]');
  const number = form.querySelector<HTMLInputElement>('[name="registrationNumber"]');
  const country = form.querySelector<HTMLInputElement>('[name="country"]');
  const specialties = form.querySelector<HTMLSelectElement>('[name="specialties"]');
  if (type && number) {
    const problem = number.value !== '' && type.value !== '' ? numberProblem(type.value, number.value) : null;
    number.setCustomValidity(problem === null ? '' : await translator.translate(problem));
  }
  if (type && country) {
    country.required = type.value === 'other';
  }
  if (specialties) {
    const max = Number(form.dataset.maxSpecialties ?? '0');
    const chosen = specialties.selectedOptions.length;
    specialties.setCustomValidity(max > 0 && chosen > max
      ? await translator.translate(translator.compile('physician-network:error.verification-specialties-too-many', max))
      : '');
  }
  for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[type="file"]'))) {
    const file = input.files?.[0];
    const maxMb = Number(input.dataset.maxMb ?? '0');
    let message = '';
    if (file && !DOCUMENT_TYPES.includes(file.type)) {
      message = await translator.translate('[[physician-network:error.verification-document-type]]');
    } else if (file && maxMb > 0 && file.size > maxMb * 1024 * 1024) {
      message = await translator.translate(translator.compile('physician-network:error.verification-document-too-large', maxMb));
    }
    input.setCustomValidity(message);
  }
}

/** customError first: the browser's generic message would hide ours. */
async function showCustomMessages(form: HTMLFormElement): Promise<void> {
  for (const control of Array.from(form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select'))) {
    if (control.validity.customError) {
      const feedback = control.closest('.form-group')?.querySelector<HTMLElement>('[component="physician-network/field-error"]');
      if (feedback) {
        feedback.textContent = control.validationMessage;
      }
    }
  }
}

/** Resolves true when the form may be sent. */
export async function checkVerificationForm(form: HTMLFormElement): Promise<boolean> {
  await applyCustomRules(form);
  const ok = await validation.checkForm(form);
  await showCustomMessages(form);
  return ok;
}

/** Shows the country field only for "other". */
export function watchRegistrationType(form: HTMLFormElement): void {
  const type = form.querySelector<HTMLSelectElement>('[name="registrationType"]');
  const countryGroup = form.querySelector<HTMLElement>('[component="physician-network/verification-country"]');
  type?.addEventListener('change', () => {
    countryGroup?.classList.toggle('d-none', type.value !== 'other');
  });
}
