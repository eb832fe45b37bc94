/// <amd-module name="physician-network/seminar-form"/>
/**
 * The seminar form in the browser: the server's rules checked before sending (end after
 * start, deadline before start, http(s) links only, credits 0 or more, lengths, what each
 * kind of attendance needs), with the server's own translated messages, and the JSON body
 * the API takes. The server checks everything again.
 *
 * Times stay wall-clock strings in the event's zone (`2026-03-29T09:00`, or dates for
 * all-day events): comparing them as strings orders them, as they share one zone.
 */
import translator = require('translator');
import validation = require('physician-network/form-validation');
import type { SeminarBody } from 'physician-network/seminar-shapes';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export type { SeminarBody };

function control(form: HTMLFormElement, name: string): HTMLInputElement | null {
  return form.querySelector<HTMLInputElement>(`input[name="${name}"]`);
}

function selectNamed(form: HTMLFormElement, name: string): HTMLSelectElement | null {
  return form.querySelector<HTMLSelectElement>(`select[name="${name}"]`);
}

/** Any kind of field by name (input, select or textarea). */
function fieldNamed(form: HTMLFormElement, name: string): Control | null {
  return form.querySelector<Control>(`[name="${name}"]`);
}

/** A number attribute (max) with a fallback when it is missing. */
function numberAttribute(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(parsed) ? parsed : fallback;
}

function value(form: HTMLFormElement, name: string): string {
  return fieldNamed(form, name)?.value.trim() ?? '';
}

function checked(form: HTMLFormElement, name: string): boolean {
  return control(form, name)?.checked ?? false;
}

function fieldLabel(field: string): string {
  return `[[physician-network:seminars.field.${field}]]`;
}

/** The translation token of what is wrong with a link, or null when it is empty or an http(s) address. */
export function urlProblem(raw: string, field: string): string | null {
  const text = raw.trim();
  if (text === '') {
    return null;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return translator.compile('physician-network:error.seminars-url-invalid', fieldLabel(field));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return translator.compile('physician-network:error.seminars-url-not-http', fieldLabel(field));
  }
  return url.hostname === '' || url.username !== '' || url.password !== ''
    ? translator.compile('physician-network:error.seminars-url-invalid', fieldLabel(field))
    : null;
}

/** A decimal with at most two places, as the server reads credits and fees; null when it is not one. */
function decimal(raw: string): number | null {
  return /^-?\d+(\.\d{1,2})?$/.test(raw.trim()) ? Number(raw) : null;
}

/** Start and end as the API takes them: dates for all-day events, wall-clock times otherwise. */
function timesOf(form: HTMLFormElement): { allDay: boolean; start: string; end: string } {
  const allDay = checked(form, 'allDay');
  return allDay
    ? { allDay, start: value(form, 'startDate'), end: value(form, 'endDate') }
    : { allDay, start: value(form, 'start'), end: value(form, 'end') };
}

async function setProblem(target: Control | null, token: string | null): Promise<void> {
  target?.setCustomValidity(token === null ? '' : await translator.translate(token));
}

/** The server's rules that constraint validation cannot say, as custom validity messages. */
async function applyCustomRules(form: HTMLFormElement): Promise<void> {
  // Start clean: a message left on a field that has since been hidden would block the form.
  for (const field of Array.from(form.querySelectorAll<Control>('input, select, textarea'))) {
    field.setCustomValidity('');
  }
  const attendance = value(form, 'attendance');
  const inPerson = attendance !== 'online';
  const online = attendance !== 'in-person';
  for (const name of ['city', 'country']) {
    const field = fieldNamed(form, name);
    if (field) {
      field.required = inPerson;
    }
  }
  const onlineUrl = control(form, 'onlineUrl');
  if (onlineUrl) {
    onlineUrl.required = online;
  }

  const { allDay, start, end } = timesOf(form);
  const endControl = control(form, allDay ? 'endDate' : 'end');
  const endBeforeStart = start !== '' && end !== '' && (allDay ? end < start : end <= start);
  await setProblem(endControl, endBeforeStart ? '[[physician-network:error.seminars-end-before-start]]' : null);

  const deadline = value(form, 'registrationDeadline');
  const startsAt = allDay && start !== '' ? `${start}T00:00` : start;
  const deadlineLate = deadline !== '' && startsAt !== '' && deadline >= startsAt;
  await setProblem(control(form, 'registrationDeadline'), deadlineLate ? '[[physician-network:error.seminars-deadline-after-start]]' : null);

  await setProblem(onlineUrl, online ? urlProblem(onlineUrl?.value ?? '', 'onlineUrl') : null);
  await setProblem(control(form, 'registrationUrl'), urlProblem(value(form, 'registrationUrl'), 'registrationUrl'));

  const creditsControl = control(form, 'creditsAmount');
  const creditsRaw = creditsControl?.value ?? '';
  const creditsMax = numberAttribute(creditsControl?.max, 1000);
  const credits = decimal(creditsRaw);
  let creditsToken: string | null = null;
  if (creditsControl?.validity.badInput || (creditsRaw !== '' && credits === null)) {
    creditsToken = '[[physician-network:error.seminars-credits-invalid]]';
  } else if (credits !== null && credits < 0) {
    creditsToken = '[[physician-network:error.seminars-credits-negative]]';
  } else if (credits !== null && credits > creditsMax) {
    creditsToken = translator.compile('physician-network:error.seminars-credits-too-large', creditsMax);
  }
  await setProblem(creditsControl, creditsToken);

  const free = checked(form, 'free');
  const feeControl = control(form, 'feeAmount');
  const currency = control(form, 'feeCurrency');
  if (feeControl) {
    feeControl.required = !free;
  }
  if (currency) {
    currency.required = !free;
  }
  const fee = decimal(feeControl?.value ?? '');
  await setProblem(feeControl, !free && (feeControl?.validity.badInput || (feeControl?.value !== '' && (fee === null || fee <= 0)))
    ? '[[physician-network:error.seminars-fee-invalid]]' : null);
  await setProblem(currency, !free && currency?.value !== '' && !/^[A-Za-z]{3}$/.test(currency?.value.trim() ?? '')
    ? '[[physician-network:error.seminars-fee-currency-invalid]]' : null);

  const capacity = control(form, 'capacity');
  const capacityMax = numberAttribute(capacity?.max, 1_000_000);
  const capacityBad = capacity !== null && (capacity.validity.badInput || (capacity.value !== '' && !(/^\d+$/.test(capacity.value) && Number(capacity.value) <= capacityMax)));
  await setProblem(capacity, capacityBad ? translator.compile('physician-network:error.seminars-capacity-invalid', capacityMax) : null);

  const specialties = selectNamed(form, 'specialties');
  if (specialties) {
    specialties.required = !checked(form, 'allSpecialties');
  }
}

/** customError first: the browser's generic message would hide ours. */
function showCustomMessages(form: HTMLFormElement): void {
  for (const field of Array.from(form.querySelectorAll<Control>('input, select, textarea'))) {
    if (field.validity.customError) {
      const feedback = field.closest('.form-group')?.querySelector<HTMLElement>('[component="physician-network/field-error"]');
      if (feedback) {
        feedback.textContent = field.validationMessage;
      }
    }
  }
}

/** Resolves true when the form may be sent. */
export async function checkSeminarForm(form: HTMLFormElement): Promise<boolean> {
  await applyCustomRules(form);
  const ok = await validation.checkForm(form);
  showCustomMessages(form);
  return ok;
}

/** The JSON body of the API's create (with `cid`) and update (without) routes. */
export function seminarBody(form: HTMLFormElement): SeminarBody {
  const { allDay, start, end } = timesOf(form);
  const free = checked(form, 'free');
  const attendance = value(form, 'attendance');
  const specialties = selectNamed(form, 'specialties');
  const cid = selectNamed(form, 'cid');
  const body: SeminarBody = {
    title: value(form, 'title'),
    content: form.querySelector<HTMLTextAreaElement>('textarea[name="content"]')?.value ?? '',
    type: value(form, 'type'),
    timezone: value(form, 'timezone'),
    allDay,
    start,
    end,
    attendance,
    venue: attendance === 'online' ? '' : value(form, 'venue'),
    city: attendance === 'online' ? '' : value(form, 'city'),
    country: attendance === 'online' ? '' : value(form, 'country'),
    onlineUrl: attendance === 'in-person' ? '' : value(form, 'onlineUrl'),
    organiser: value(form, 'organiser'),
    contact: value(form, 'contact'),
    specialties: checked(form, 'allSpecialties') ? ['all'] : Array.from(specialties?.selectedOptions ?? []).map(option => option.value),
    creditsAmount: value(form, 'creditsAmount'),
    creditsBody: value(form, 'creditsBody'),
    creditsArea: value(form, 'creditsArea'),
    free,
    feeAmount: free ? '' : value(form, 'feeAmount'),
    feeCurrency: free ? '' : value(form, 'feeCurrency').toUpperCase(),
    registrationUrl: value(form, 'registrationUrl'),
    registrationDeadline: value(form, 'registrationDeadline'),
    capacity: value(form, 'capacity'),
    language: value(form, 'language'),
    status: value(form, 'status') || 'scheduled',
  };
  if (cid && !cid.disabled && form.dataset.mode !== 'edit') {
    body.cid = Number(cid.value);
  }
  return body;
}

/**
 * For an update: title and description only when they changed, so saving the other fields
 * does not add an edit to the first post's history.
 */
export function changesOnly(form: HTMLFormElement, body: SeminarBody): Partial<SeminarBody> {
  const update: Partial<SeminarBody> = { ...body };
  const title = control(form, 'title');
  const content = form.querySelector<HTMLTextAreaElement>('textarea[name="content"]');
  if (title && title.value.trim() === title.defaultValue.trim()) {
    delete update.title;
  }
  if (content && content.value === content.defaultValue) {
    delete update.content;
  }
  return update;
}

function setShown(form: HTMLFormElement, component: string, shown: boolean): void {
  for (const element of Array.from(form.querySelectorAll<HTMLElement>(`[component="physician-network/${component}"]`))) {
    element.classList.toggle('d-none', !shown);
    // Hidden fields are disabled, so constraint validation skips them.
    for (const field of Array.from(element.querySelectorAll<Control>('input, select, textarea'))) {
      field.disabled = !shown;
    }
  }
}

/** Shows the fields that apply: dates or times, place and/or link, fee, specialty list. */
export function showApplicableFields(form: HTMLFormElement): void {
  const allDay = checked(form, 'allDay');
  setShown(form, 'seminar-times', !allDay);
  setShown(form, 'seminar-dates', allDay);
  const attendance = value(form, 'attendance');
  setShown(form, 'seminar-place', attendance !== 'online');
  setShown(form, 'seminar-online', attendance !== 'in-person');
  setShown(form, 'seminar-fee', !checked(form, 'free'));
  const specialties = selectNamed(form, 'specialties');
  if (specialties) {
    specialties.disabled = checked(form, 'allSpecialties');
  }
}

/** Keeps dates and times in step when the all-day switch flips, so nothing typed is lost. */
function carryTimesOver(form: HTMLFormElement): void {
  const allDay = checked(form, 'allDay');
  const pairs: [string, string][] = [['start', 'startDate'], ['end', 'endDate']];
  for (const [timeName, dateName] of pairs) {
    const time = control(form, timeName);
    const date = control(form, dateName);
    if (!time || !date) {
      continue;
    }
    if (allDay && date.value === '' && time.value !== '') {
      date.value = time.value.slice(0, 10);
    } else if (!allDay && time.value === '' && date.value !== '') {
      time.value = `${date.value}T${timeName === 'start' ? '09:00' : '17:00'}`;
    }
  }
}

/** The browser's own zone for a new seminar, when the server did not know it (no pn_tz cookie yet). */
export function defaultZoneFromBrowser(form: HTMLFormElement): void {
  const select = selectNamed(form, 'timezone');
  if (select?.value !== '' || select.dataset.fromBrowser !== 'true') {
    return;
  }
  let zone = '';
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (zone && !Array.from(select.options).some(option => option.value === zone)) {
    select.add(new Option(zone, zone));
  }
  select.value = zone;
}

/** Country and language names in the reader's language (the server wrote codes or its default language). */
export function nameOptionsIn(form: HTMLFormElement, lang: string): void {
  const lists: [string, 'region' | 'language'][] = [['country', 'region'], ['language', 'language']];
  for (const [name, type] of lists) {
    const select = selectNamed(form, name);
    let names: Intl.DisplayNames;
    try {
      names = new Intl.DisplayNames([lang, 'en'], { type });
    } catch {
      continue;
    }
    for (const option of Array.from(select?.options ?? [])) {
      if (option.value !== '') {
        option.textContent = names.of(option.value) ?? option.value;
      }
    }
    if (select && type === 'region') {
      // Countries read best alphabetically in the reader's language; the empty choice stays first.
      const options = Array.from(select.options).filter(option => option.value !== '');
      const collator = new Intl.Collator([lang, 'en']);
      options.sort((a, b) => collator.compare(a.text, b.text)).forEach((option) => { select.add(option); });
    }
  }
}

export function watchForm(form: HTMLFormElement): void {
  form.addEventListener('change', (event) => {
    const name = (event.target as Control | null)?.name;
    if (name === 'allDay') {
      carryTimesOver(form);
    }
    if (name === 'allDay' || name === 'attendance' || name === 'free' || name === 'allSpecialties') {
      showApplicableFields(form);
    }
  });
  showApplicableFields(form);
}
