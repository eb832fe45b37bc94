/// <amd-module name="physician-network/form-validation"/>
/**
 * Client-side form checks with translated messages, on top of the browser's own
 * constraint validation (min, max, maxlength, required, pattern). The server checks
 * everything again; this only spares the member a round trip.
 */
import translator = require('translator');

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function labelOf(control: Control): string {
  return control.dataset.label ?? control.name;
}

/** The translation token that describes what is wrong with a control, or null when it is fine. */
export function problemToken(control: Control): string | null {
  const { validity } = control;
  if (validity.valid) {
    return null;
  }
  const label = labelOf(control);
  if (validity.valueMissing) {
    return translator.compile('physician-network:error.field-required', label);
  }
  if (control instanceof HTMLInputElement && control.type === 'number') {
    return translator.compile('physician-network:error.settings-integer-range', label, control.min, control.max);
  }
  if (validity.tooLong && !(control instanceof HTMLSelectElement)) {
    return translator.compile('physician-network:error.settings-text-invalid', label, control.maxLength);
  }
  return translator.compile('physician-network:error.field-invalid', label);
}

function controlsOf(form: HTMLFormElement): Control[] {
  return Array.from(form.elements).filter((el): el is Control =>
    el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement);
}

function feedbackElementFor(control: Control): HTMLElement | null {
  return control.closest('.form-group')?.querySelector<HTMLElement>('[component="physician-network/field-error"]') ?? null;
}

/**
 * Marks every invalid control with its translated message and focuses the first.
 * Resolves true when the form may be submitted.
 */
export async function checkForm(form: HTMLFormElement): Promise<boolean> {
  let first: Control | null = null;
  for (const control of controlsOf(form)) {
    const token = problemToken(control);
    const feedback = feedbackElementFor(control);
    if (token === null) {
      control.classList.remove('is-invalid');
      control.removeAttribute('aria-invalid');
      if (feedback) {
        feedback.textContent = '';
      }
      continue;
    }
    const message = await translator.translate(token);
    control.classList.add('is-invalid');
    control.setAttribute('aria-invalid', 'true');
    if (feedback) {
      feedback.textContent = message;
    }
    first ??= control;
  }
  if (first) {
    first.focus();
    return false;
  }
  return true;
}
