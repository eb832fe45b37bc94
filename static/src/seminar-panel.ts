/// <amd-module name="physician-network/seminar-panel"/>
/**
 * The seminar panel above a seminar topic's posts: when and where, in the event's zone and
 * the reader's ("09:00 WIB (03:00 your time)"; all-day events as dates, never shifted),
 * credits, fee, registration, capacity and RSVP counts, the reader's RSVP with its buttons,
 * the .ics download, and Edit / Cancel for those allowed. Guests see a login prompt instead
 * of the RSVP buttons.
 *
 * Only topics the server marked as seminars (`physicianNetworkSeminar` in the page data) ask
 * the API. The panel's data goes through the page model (physician-network/page-text), so
 * everything a member typed is escaped before the template places it raw.
 */
import api = require('api');
import alerts = require('alerts');
import bootbox = require('bootbox');
import pageText = require('physician-network/page-text');
import type { RsvpAnswer, RsvpCounts, RsvpState, SeminarDetails, SeminarView } from 'physician-network/seminar-shapes';

const BASE = '/plugins/physician-network/seminars';
const TEMPLATE = 'partials/physician-network/seminar-panel';

/** The API's shapes (lib/shared/seminar-shapes.ts), re-exported under the names this module always used. */
export type SeminarViewData = SeminarView;
export type { RsvpCounts, RsvpState, SeminarDetails };

export interface Reader {
  loggedIn: boolean;
  lang: string;
  relativePath: string;
}

function formatter(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat([lang, 'en-GB'], options);
  } catch {
    return new Intl.DateTimeFormat('en-GB', options);
  }
}

/** A local date (YYYY-MM-DD) as words, the same day in every zone. */
function calendarDate(date: string, lang: string): string {
  const at = new Date(`${date}T12:00:00Z`);
  return Number.isNaN(at.getTime()) ? date : formatter(lang, { dateStyle: 'full', timeZone: 'UTC' }).format(at);
}

/** "Thursday 12 March 2030, 09:00–17:00 WIB" (or both dates when it spans days). */
function eventWhen(time: SeminarViewData['time'], lang: string): string {
  const { start, end } = time.event;
  if (time.allDay || !start || !end) {
    return time.multiDay ? `${calendarDate(time.startDate, lang)} – ${calendarDate(time.endDate, lang)}` : calendarDate(time.startDate, lang);
  }
  if (start.date === end.date || !time.multiDay) {
    return `${calendarDate(start.date, lang)}, ${start.time}–${end.time} ${start.abbreviation}`;
  }
  return `${calendarDate(start.date, lang)} ${start.time} – ${calendarDate(end.date, lang)} ${end.time} ${start.abbreviation}`;
}

/**
 * "03:00–11:00" in the reader's zone, with the reader's date when it is another day; a range
 * over several days in the reader's zone names both dates, so it never reads as one morning.
 */
function viewerWhen(time: SeminarViewData['time'], lang: string): string {
  const { viewer } = time;
  if (!viewer) {
    return '';
  }
  if (viewer.start.date !== viewer.end.date) {
    return `${calendarDate(viewer.start.date, lang)} ${viewer.start.time} – ${calendarDate(viewer.end.date, lang)} ${viewer.end.time}`;
  }
  const range = `${viewer.start.time}–${viewer.end.time}`;
  return viewer.dayShift !== 0 ? `${calendarDate(viewer.start.date, lang)}, ${range}` : range;
}

function money(fee: string, lang: string): string {
  const match = /^(\d+(?:\.\d+)?) ([A-Z]{3})$/.exec(fee);
  if (!match) {
    return fee;
  }
  try {
    return new Intl.NumberFormat([lang, 'en-GB'], { style: 'currency', currency: match[2] }).format(Number(match[1]));
  } catch {
    return fee;
  }
}

function countryName(code: string, lang: string): string {
  if (!code) {
    return '';
  }
  try {
    return new Intl.DisplayNames([lang, 'en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function deadlineText(iso: string, zone: string | null, lang: string): string {
  const at = new Date(iso);
  if (!iso || Number.isNaN(at.getTime())) {
    return '';
  }
  // Explicit parts, not dateStyle: a zone name cannot be combined with dateStyle.
  return formatter(lang, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
    ...(zone ? { timeZone: zone, timeZoneName: 'short' } : {}),
  }).format(at);
}

/** What the panel template shows, as plain data and markup; `render` puts it through the page model. */
function panelData(details: SeminarDetails, reader: Reader) {
  const { seminar, rsvp } = details;
  const { counts } = rsvp;
  const lang = reader.lang;
  const zone = seminar.time.event.start?.zone ?? null;
  const viewer = viewerWhen(seminar.time, lang);
  const place = [seminar.place, countryName(seminar.country, lang)].filter(Boolean).join(', ');
  const label = (key: string) => pageText.translation(`physician-network:${key}`);
  const button = (choice: string, key: string, active: boolean) => ({ choice, label: label(key), active });
  return {
    tid: seminar.tid,
    typeLabel: pageText.pluginToken(seminar.typeLabel),
    statusLabel: pageText.pluginToken(seminar.statusLabel),
    attendanceLabel: pageText.pluginToken(seminar.attendanceLabel),
    isCancelled: seminar.isCancelled,
    isPostponed: seminar.isPostponed,
    when: eventWhen(seminar.time, lang),
    startIso: seminar.time.event.start?.iso ?? seminar.time.startDate,
    yourTime: viewer ? pageText.translation('physician-network:seminars.time-yours', [viewer]) : '',
    allDay: seminar.time.allDay,
    place,
    hasPlace: place !== '',
    onlineUrl: pageText.safeLink(seminar.onlineUrl),
    organiser: seminar.organiser,
    contact: seminar.contact,
    hasCredits: seminar.hasCredits,
    credits: seminar.credits,
    creditsBody: seminar.creditsBody,
    creditsArea: seminar.creditsArea,
    isFree: seminar.isFree,
    fee: money(seminar.fee, lang),
    registrationUrl: pageText.safeLink(seminar.registrationUrl),
    registrationDeadline: deadlineText(seminar.registrationDeadline, zone, lang),
    hasCapacity: seminar.capacity > 0,
    capacity: seminar.capacity,
    counts: { ...counts },
    icsUrl: `${reader.relativePath}${seminar.icsPath}`,
    icsFilename: seminar.icsFilename,
    editUrl: `${reader.relativePath}/seminars/${seminar.tid}/edit`,
    loginUrl: `${reader.relativePath}/login`,
    canEdit: details.canEdit,
    canCancel: details.canEdit && !seminar.isCancelled,
    loggedIn: reader.loggedIn,
    canRsvp: reader.loggedIn && details.canRsvp,
    rsvpClosed: reader.loggedIn && !details.canRsvp,
    state: rsvp.state,
    stateLabel: rsvp.state === 'none' ? '' : label(`seminars.rsvp.${rsvp.state}`),
    isWaitlisted: rsvp.state === 'waitlisted',
    hasRsvp: rsvp.state !== 'none',
    buttons: [
      button('going', 'seminars.rsvp.going', rsvp.state === 'going' || rsvp.state === 'waitlisted'),
      button('interested', 'seminars.rsvp.interested', rsvp.state === 'interested'),
      button('not-going', 'seminars.rsvp.not-going', rsvp.state === 'not-going'),
    ],
  };
}

interface ClientApp {
  parseAndTranslate(template: string, data: object): Promise<JQuery>;
  user?: { uid?: number };
}

function clientApp(): ClientApp | undefined {
  return (window as unknown as { app?: ClientApp }).app;
}

function reader(): Reader {
  const config = (window as unknown as { config?: { relative_path?: string; userLang?: string; loggedIn?: boolean } }).config;
  const uid = clientApp()?.user?.uid ?? 0;
  return {
    loggedIn: config?.loggedIn ?? uid > 0,
    lang: config?.userLang ?? (document.documentElement.lang || 'en-GB'),
    relativePath: config?.relative_path ?? '',
  };
}

function existingPanel(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[component="physician-network/seminar-panel"]');
}

async function render(details: SeminarDetails): Promise<void> {
  const app = clientApp();
  const topic = document.querySelector('[component="topic"]');
  if (!app || !topic?.parentElement) {
    return;
  }
  const html = await app.parseAndTranslate(TEMPLATE, pageText.pageModel(panelData(details, reader())));
  const panel = html.toArray().find((node): node is HTMLElement => node instanceof HTMLElement);
  if (!panel) {
    return;
  }
  existingPanel()?.remove();
  topic.parentElement.insertBefore(panel, topic);
  wire(panel, details);
}

function wire(panel: HTMLElement, details: SeminarDetails): void {
  const tid = details.seminar.tid;
  for (const button of Array.from(panel.querySelectorAll<HTMLButtonElement>('[data-rsvp]'))) {
    button.addEventListener('click', () => {
      const choice = button.dataset.rsvp ?? '';
      const request = choice === 'withdraw'
        ? api.del<RsvpAnswer>(`${BASE}/${tid}/rsvp`)
        : api.put<RsvpAnswer>(`${BASE}/${tid}/rsvp`, { choice });
      request.then(result => render({ ...details, rsvp: { state: result.state, counts: result.counts } }), (err: unknown) => {
        alerts.error(err);
      });
    });
  }
  panel.querySelector('[component="physician-network/seminar-panel-cancel"]')?.addEventListener('click', () => {
    bootbox.confirm('[[physician-network:seminars.form.cancel-confirm]]', (confirmed) => {
      if (confirmed) {
        api.post(`${BASE}/${tid}/cancel`).then(() => showSeminarPanel(tid), (err: unknown) => {
          alerts.error(err);
        });
      }
    });
  });
}

/** Fetch the seminar's details and (re)draw its panel. A seminar the reader cannot see draws nothing. */
export async function showSeminarPanel(tid: number): Promise<void> {
  let details: SeminarDetails;
  try {
    details = await api.get<SeminarDetails>(`${BASE}/${tid}`);
  } catch {
    existingPanel()?.remove();
    return;
  }
  await render(details);
}

function seminarTidOf(data: unknown): number {
  const marker = (data as { physicianNetworkSeminar?: { tid?: unknown } } | null)?.physicianNetworkSeminar;
  const tid = Number(marker?.tid);
  return Number.isInteger(tid) && tid > 0 ? tid : 0;
}

interface Hooks {
  on(name: string, listener: (data: unknown) => unknown): void;
}

/** Called once per page load by the seminar-topic script. */
export function install(hooks: Hooks): void {
  hooks.on('action:topic.loaded', (data) => {
    const tid = seminarTidOf(data);
    if (tid) {
      void showSeminarPanel(tid);
    }
  });
  // The first page may have finished loading before this module arrived.
  const tid = seminarTidOf(ajaxify.data);
  if (tid && document.querySelector('[component="topic"]') && !existingPanel()) {
    void showSeminarPanel(tid);
  }
}
