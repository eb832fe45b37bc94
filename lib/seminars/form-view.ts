/**
 * The seminar form page's data: `/seminars/new` and `/seminars/:tid/edit`. The page only
 * shows the form; the client module sends it to the API routes, which validate everything again.
 *
 * Times are shown as the form sends them: wall-clock times in the event's own zone (or dates
 * for all-day events), so an edit never shifts an event into the editor's zone.
 */
import type { Response } from 'express';
import { DateTime } from 'luxon';

import { nodebb } from '../nodebb';
import { breadcrumbs, pageModel, pluginText, renderPage, translatableByNodeBB, type Markup } from '../common/page';
import { listOfferedSpecialties, pageName } from '../specialties/taxonomy';
import { COUNTRY_CODES, CURRENCY_CODES } from './codes';
import { ALL_SPECIALTIES, ATTENDANCE_MODES, SEMINAR_TYPES, placeAndOrganiser, type Seminar } from './model';
import { canonicalZone, SEMINAR_LIMITS } from './validation';
import type { SeminarCategory } from './service';
import type { SeminarFormValues } from '../shared/seminar-shapes';

export type { SeminarFormValues } from '../shared/seminar-shapes';

export const SEMINAR_FORM_TEMPLATE = 'seminar-form';

/** Languages offered first in the form (the forum's own, then common congress languages); any BCP 47 tag is accepted. */
export const COMMON_LANGUAGES = ['id', 'en', 'sv', 'nl', 'ms', 'de', 'fr', 'es', 'pt', 'it', 'ar', 'zh', 'ja', 'ko', 'th', 'vi', 'tl', 'hi', 'ru', 'tr', 'pl', 'da', 'nb', 'fi'];

/** A wall-clock time in the zone, as a datetime-local input takes it (seconds only when there are any). */
export function localInputValue(ms: number, zone: string): string {
  const dt = DateTime.fromMillis(ms, { zone });
  return dt.toFormat(dt.second === 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss");
}

/** Every real zone Node knows, by canonical name, with `include` added when missing. */
export function timeZoneNames(include: string[] = []): string[] {
  const names = new Set<string>();
  for (const zone of [...Intl.supportedValuesOf('timeZone'), ...include]) {
    const canonical = canonicalZone(zone);
    if (canonical) {
      names.add(canonical);
    }
  }
  return [...names].sort();
}

/** The form's values for an existing seminar, times in the event's zone. */
export function formValuesOf(seminar: Seminar, topic: { title: string; content: string }): SeminarFormValues {
  const zone = seminar.timezone;
  return {
    cid: seminar.cid,
    title: topic.title,
    content: topic.content,
    type: seminar.type,
    timezone: zone,
    allDay: seminar.allDay,
    start: seminar.allDay ? '' : localInputValue(seminar.start, zone),
    end: seminar.allDay ? '' : localInputValue(seminar.end, zone),
    startDate: seminar.allDay ? seminar.startDate : DateTime.fromMillis(seminar.start, { zone }).toISODate() ?? '',
    endDate: seminar.allDay ? seminar.endDate : DateTime.fromMillis(Math.max(seminar.start, seminar.end - 1), { zone }).toISODate() ?? '',
    ...placeAndOrganiser(seminar),
    specialties: seminar.specialties,
    creditsAmount: seminar.creditsAmount === null ? '' : String(seminar.creditsAmount),
    creditsBody: seminar.creditsBody,
    creditsArea: seminar.creditsArea,
    free: seminar.free,
    feeAmount: seminar.free ? '' : String(seminar.feeAmount),
    feeCurrency: seminar.feeCurrency,
    registrationUrl: seminar.registrationUrl,
    registrationDeadline: seminar.registrationDeadline === null ? '' : localInputValue(seminar.registrationDeadline, zone),
    capacity: seminar.capacity === 0 ? '' : String(seminar.capacity),
    language: seminar.language,
    status: seminar.status,
  };
}

/** A new seminar's starting values: the viewer's zone (from the pn_tz cookie) when known, else the browser's (client). */
export function newFormValues(viewerZone: string | null, language: string, cid: number): SeminarFormValues {
  return {
    cid, title: '', content: '', type: 'seminar', timezone: viewerZone ?? '', allDay: false,
    start: '', end: '', startDate: '', endDate: '', attendance: 'in-person',
    venue: '', city: '', country: '', onlineUrl: '', organiser: '', contact: '', specialties: [],
    creditsAmount: '', creditsBody: '', creditsArea: '', free: true, feeAmount: '', feeCurrency: '',
    registrationUrl: '', registrationDeadline: '', capacity: '', language, status: 'scheduled',
  };
}

function numberSetting(name: string, fallback: number): number {
  const value = Number(nodebb.meta.config[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function pageLanguage(res: Response): string {
  const config = (res.locals as { config?: { userLang?: unknown } }).config;
  const lang = typeof config?.userLang === 'string' ? config.userLang : nodebb.meta.config.defaultLang;
  return typeof lang === 'string' && lang !== '' ? lang : 'en-GB';
}

function languageNames(lang: string, type: 'region' | 'language'): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames([lang, 'en'], { type });
  } catch {
    return null;
  }
}

/** Everything the template shows, as plain data: the page model escapes every string that is not markup. */
async function seminarFormData(values: SeminarFormValues, options: FormPageOptions) {
  const records = await listOfferedSpecialties();
  const chosen = new Set(values.specialties);
  const forAll = chosen.has(ALL_SPECIALTIES);
  const zones = timeZoneNames(values.timezone ? [values.timezone] : []);
  const regions = languageNames(options.lang, 'region');
  const languageLabels = languageNames(options.lang, 'language');
  const languages = COMMON_LANGUAGES.includes(values.language) || values.language === '' ? COMMON_LANGUAGES : [values.language, ...COMMON_LANGUAGES];
  const editing = options.isEdit;
  return {
    isEdit: editing,
    tid: options.tid ?? 0,
    topicPath: options.topicPath ?? '',
    isCancelled: values.status === 'cancelled',
    // What shows before the client module runs (it keeps this up to date as the form changes).
    show: {
      times: !values.allDay,
      dates: values.allDay,
      place: values.attendance !== 'online',
      online: values.attendance !== 'in-person',
      fee: !values.free,
    },
    noCategories: options.categories.length === 0,
    // Category names come from NodeBB already HTML-escaped (and may be translation keys, which it means to translate).
    categories: options.categories.map(c => ({ cid: c.cid, name: translatableByNodeBB(c.name), selected: c.cid === values.cid })),
    categoryName: translatableByNodeBB(options.categories.find(c => c.cid === values.cid)?.name ?? ''),
    types: SEMINAR_TYPES.map(type => ({ value: type, label: pluginText(`seminars.type.${type}`), selected: type === values.type })),
    attendanceModes: ATTENDANCE_MODES.map(mode => ({ value: mode, label: pluginText(`seminars.attendance.${mode}`), selected: mode === values.attendance })),
    // Cancelling is its own button (with a confirmation); the select moves between these, and keeps
    // a cancelled seminar cancelled unless the editor chooses otherwise.
    statuses: (values.status === 'cancelled' ? ['scheduled', 'postponed', 'cancelled'] as const : ['scheduled', 'postponed'] as const).map(status => ({ value: status, label: pluginText(`seminars.status.${status}`), selected: status === values.status })),
    forAllSpecialties: forAll,
    specialties: records.map(r => ({ slug: r.slug, name: pageName(r), selected: !forAll && chosen.has(r.slug) })),
    zones: zones.map(zone => ({ value: zone, selected: zone === values.timezone })),
    zoneFromBrowser: values.timezone === '',
    countries: COUNTRY_CODES.map(code => ({ value: code, label: regions?.of(code) ?? code, selected: code === values.country }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    currencies: CURRENCY_CODES.map(code => ({ value: code })),
    languages: languages.map(tag => ({ value: tag, label: languageLabels?.of(tag) ?? tag, selected: tag === values.language })),
    values: {
      title: values.title,
      content: values.content,
      timezone: values.timezone,
      allDay: values.allDay,
      start: values.start,
      end: values.end,
      startDate: values.startDate,
      endDate: values.endDate,
      venue: values.venue,
      city: values.city,
      onlineUrl: values.onlineUrl,
      organiser: values.organiser,
      contact: values.contact,
      creditsAmount: values.creditsAmount,
      creditsBody: values.creditsBody,
      creditsArea: values.creditsArea,
      free: values.free,
      feeAmount: values.feeAmount,
      feeCurrency: values.feeCurrency,
      registrationUrl: values.registrationUrl,
      registrationDeadline: values.registrationDeadline,
      capacity: values.capacity,
    },
    limits: {
      ...SEMINAR_LIMITS,
      titleMin: numberSetting('minimumTitleLength', 3),
      titleMax: numberSetting('maximumTitleLength', 255),
      contentMin: numberSetting('minimumPostLength', 8),
      contentMax: numberSetting('maximumPostLength', 32767),
    },
  };
}

interface FormPageOptions { categories: SeminarCategory[]; isEdit: boolean; tid?: number; topicPath?: string; lang: string }

/** The form page, its values and choices through the page model (which escapes member text). */
export async function renderSeminarForm(res: Response, title: Markup, values: SeminarFormValues, options: FormPageOptions): Promise<void> {
  const data = await seminarFormData(values, options);
  renderPage(res, SEMINAR_FORM_TEMPLATE, pageModel({ title, ...data }), {
    breadcrumbs: breadcrumbs([{ text: pluginText('seminars.form.seminars'), url: '/seminars' }, { text: title }]),
  });
}

export async function topicTextOf(tid: number): Promise<{ title: string; content: string; slug: string }> {
  const fields = await nodebb.topics.getTopicFields(tid, ['titleRaw', 'title', 'mainPid', 'slug']);
  const mainPid = Number(fields.mainPid);
  const content = mainPid > 0 ? await nodebb.posts.getPostField(mainPid, 'content') : '';
  // titleRaw is the stored title with only translator patterns escaped; undo that to get the text (the page model escapes it).
  const rawTitle = typeof fields.titleRaw === 'string' ? fields.titleRaw : typeof fields.title === 'string' ? fields.title : '';
  return {
    title: rawTitle.replace(/&lsqb;/g, '[').replace(/&rsqb;/g, ']'),
    content: typeof content === 'string' ? content : '',
    slug: typeof fields.slug === 'string' ? fields.slug : String(tid),
  };
}
