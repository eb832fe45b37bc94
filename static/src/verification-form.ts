/// <amd-module name="physician-network/verification-form"/>
/**
 * The member's verification form, checked in the browser before it is sent: the number's
 * shape for the chosen registration type (with the NPI check digit), the country for "other",
 * how many specialties, and the documents' type and size. The server checks all of it again.
 */
import translator = require('translator');
import validation = require('physician-network/form-validation');
import rules = require('physician-network/registration-rules');

const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

/** The server's own rules (lib/shared/registration-rules.ts): the translation token of what is wrong with a number, or null. */
export function numberProblem(type: string, raw: string): string | null {
  const check = rules.checkRegistrationNumber(type, raw);
  return check.ok ? null : translator.compile(`physician-network:${check.key}`, ...check.args);
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
  // Documents travel as a set with a licence in it: a photo ID alone would replace the licence
  // with nothing (answering a reviewer, where documents are optional), so ask for the licence too.
  const licence = form.querySelector<HTMLInputElement>('input[type="file"][name="licence"]');
  const photoId = form.querySelector<HTMLInputElement>('input[type="file"][name="photoId"]');
  const photoWithoutLicence = licence !== null && !licence.required && !licence.files?.length && Boolean(photoId?.files?.length);
  for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[type="file"]'))) {
    const file = input.files?.[0];
    const maxMb = Number(input.dataset.maxMb ?? '0');
    let message = '';
    if (file && !DOCUMENT_TYPES.includes(file.type)) {
      message = await translator.translate('[[physician-network:error.verification-document-type]]');
    } else if (file && maxMb > 0 && file.size > maxMb * 1024 * 1024) {
      message = await translator.translate(translator.compile('physician-network:error.verification-document-too-large', maxMb));
    }
    if (message === '' && input === licence && photoWithoutLicence) {
      message = await translator.translate('[[physician-network:error.verification-replacement-needs-licence]]');
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
