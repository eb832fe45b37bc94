/**
 * The seminar listing pages: /seminars (upcoming), /seminars/past (the archive) and the
 * month calendar. Filters come from the address (a GET form); a value that cannot be read
 * is dropped, so a bad address shows the unfiltered default, never an error page.
 *
 * Times are shown in the event's zone with the viewer's beside it; the viewer's zone comes
 * from the `pn_tz` cookie (set by a small client script) and is UTC until it is known. The
 * page names the zone it used, so a first visit without the cookie is still read correctly.
 */
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';

import { callerUid } from '../common/http';
import { breadcrumbs, pageModel, pluginText, renderPage, safeLink, type Markup } from '../common/page';
import { listOfferedSpecialties, pageName, type SpecialtyRecord } from '../specialties/taxonomy';
import { SEMINAR_TYPES, type Seminar, type SeminarType } from './model';
import { decodeCursor, listMonth, listPast, listUpcoming, type SeminarFilters, type SeminarPage } from './listing';
import { cityKey } from './store';
import { isCountryCode } from './codes';
import { SEMINAR_LIMITS } from './validation';
import { monthGrid, type CalendarDay } from './time';
import { seminarPageSize, seminarView, type SeminarView } from './view';
import { getFeedSpecialties, hasFeedToken } from './feed';
import { canCreate, viewerZoneOf } from './viewer';

export const SEMINARS_ROUTE = '/seminars';
export const SEMINARS_PAST_ROUTE = '/seminars/past';
export const SEMINARS_CALENDAR_ROUTE = '/seminars/calendar';
export const SEMINARS_CALENDAR_MONTH_ROUTE = '/seminars/calendar/:year/:month';

/** The pages' clock; tests move it. */
export const listingClock = { now: (): number => Date.now() };

// ---------------------------------------------------------------------------
// Reading the address

export interface ListingRequest {
  filters: SeminarFilters;
  /** Inclusive local dates (YYYY-MM-DD) seminars must start on; '' when open. */
  fromDate: string;
  toDate: string;
  /** YYYY-MM when the month filter set the dates. */
  month: string;
  cursor: string | null;
}

type Query = Request['query'];

/** A query parameter given once as text; anything else (absent, repeated, nested) is ''. */
function queryText(query: Query, name: string): string {
  const value = query[name];
  return typeof value === 'string' ? value.trim() : '';
}

function queryFlag(query: Query, name: string): boolean {
  return ['1', 'on', 'true', 'yes'].includes(queryText(query, name).toLowerCase());
}

function isoDate(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return '';
  }
  const date = DateTime.fromISO(text, { zone: 'UTC' });
  return date.isValid && date.year >= 1970 && date.year <= 2200 ? text : '';
}

function isoMonth(text: string): { year: number; month: number } | null {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  if (!match) {
    return null;
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  return year >= 1970 && year <= 2200 && month >= 1 && month <= 12 ? { year, month } : null;
}

/**
 * The filters in an address, each checked on its own: an unknown specialty, type or
 * country, a bad date or an inverted range is left out, the rest still applies.
 */
export function parseListingQuery(query: Query, knownSpecialties: ReadonlySet<string>): ListingRequest {
  const filters: SeminarFilters = {};
  const specialty = queryText(query, 'specialty');
  if (knownSpecialties.has(specialty)) {
    filters.specialty = specialty;
  }
  const type = queryText(query, 'type');
  if ((SEMINAR_TYPES as readonly string[]).includes(type)) {
    filters.type = type as SeminarType;
  }
  const country = queryText(query, 'country').toUpperCase();
  if (isCountryCode(country)) {
    filters.country = country;
  }
  const city = queryText(query, 'city');
  if (city.length <= SEMINAR_LIMITS.city && cityKey(city) !== '') {
    filters.city = city;
  }
  if (queryFlag(query, 'online')) {
    filters.online = true;
  }
  if (queryFlag(query, 'credits')) {
    filters.credits = true;
  }
  if (queryFlag(query, 'free')) {
    filters.free = true;
  }

  let fromDate = isoDate(queryText(query, 'from'));
  let toDate = isoDate(queryText(query, 'to'));
  let month = '';
  const monthChoice = isoMonth(queryText(query, 'month'));
  if (monthChoice) {
    // A month is a date range; it wins over from/to given with it.
    const first = DateTime.fromObject({ ...monthChoice, day: 1 }, { zone: 'UTC' });
    fromDate = first.toISODate() ?? '';
    toDate = first.endOf('month').toISODate() ?? '';
    month = first.toFormat('yyyy-MM');
  }
  if (fromDate && toDate && fromDate > toDate) {
    fromDate = '';
    toDate = '';
  }
  const cursorText = queryText(query, 'after');
  return { filters, fromDate, toDate, month, cursor: decodeCursor(cursorText) ? cursorText : null };
}

/** The filters as an address query (no cursor), for links that keep them. */
export function filterQueryString(request: Pick<ListingRequest, 'filters' | 'fromDate' | 'toDate' | 'month'>, withDates = true): string {
  const params = new URLSearchParams();
  const { filters } = request;
  if (filters.specialty) params.set('specialty', filters.specialty);
  if (filters.type) params.set('type', filters.type);
  if (withDates && request.month) {
    params.set('month', request.month);
  } else if (withDates) {
    if (request.fromDate) params.set('from', request.fromDate);
    if (request.toDate) params.set('to', request.toDate);
  }
  if (filters.city) params.set('city', filters.city);
  if (filters.country) params.set('country', filters.country);
  if (filters.online) params.set('online', '1');
  if (filters.credits) params.set('credits', '1');
  if (filters.free) params.set('free', '1');
  return params.toString();
}

function withQuery(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}


// ---------------------------------------------------------------------------
// Dates: a seminar starts on a date in the viewer's zone, an all-day one on its own date

/** Zone offsets span 26 hours, so two days each side hold every seminar starting on those dates. */
const DATE_MARGIN_MS = 2 * 86_400_000;

/** The local date a seminar starts on as the viewer reads it (all-day events: their own date). */
export function startDateFor(seminar: Pick<Seminar, 'allDay' | 'start' | 'startDate'>, zone: string): string {
  return seminar.allDay ? seminar.startDate : DateTime.fromMillis(seminar.start, { zone }).toISODate() ?? '';
}

/** Instants bracketing the dates (with a margin), for the range read; the dates themselves are checked after. */
function dateWindow(request: ListingRequest, zone: string): { from?: number; to?: number } {
  const window: { from?: number; to?: number } = {};
  if (request.fromDate) {
    window.from = DateTime.fromISO(request.fromDate, { zone }).startOf('day').toMillis() - DATE_MARGIN_MS;
  }
  if (request.toDate) {
    window.to = DateTime.fromISO(request.toDate, { zone }).endOf('day').toMillis() + DATE_MARGIN_MS;
  }
  return window;
}

function startsWithinDates(seminar: Seminar, request: ListingRequest, zone: string): boolean {
  const date = startDateFor(seminar, zone);
  return (!request.fromDate || date >= request.fromDate) && (!request.toDate || date <= request.toDate);
}

// ---------------------------------------------------------------------------
// Rows

export interface RowTime {
  allDay: boolean;
  multiDay: boolean;
  /** In the event's zone (all-day: the stored dates, never converted). */
  startDate: string;
  endDate: string;
  startIso: string;
  /** "09:00 WIB" / "17:00 WIB"; '' for all-day events. */
  startLabel: string;
  endLabel: string;
  /** "03:00" or "2030-03-11 03:00" when the viewer's day differs; '' when the zones agree or all day. */
  viewerLabel: string;
}

/**
 * A seminar as listing rows and the widget show it: plain text (the page model escapes it),
 * labels as translation markup.
 */
export interface SeminarRow extends Omit<SeminarView, 'typeLabel' | 'statusLabel' | 'attendanceLabel'> {
  typeLabel: Markup;
  statusLabel: Markup;
  attendanceLabel: Markup;
  when: RowTime;
  isOnlineOnly: boolean;
  feeAmount: string;
  feeCurrency: string;
  specialtyNames: { slug: string; name: string | Markup }[];
  /** Started but not yet over (shown in the archive). */
  isOngoing: boolean;
}

function rowTime(view: SeminarView): RowTime {
  const { time } = view;
  const start = time.event.start;
  const end = time.event.end;
  let viewerLabel = '';
  if (time.viewer) {
    viewerLabel = time.viewer.dayShift === 0 ? time.viewer.start.time : `${time.viewer.start.date} ${time.viewer.start.time}`;
  }
  return {
    allDay: time.allDay,
    multiDay: time.multiDay,
    startDate: time.startDate,
    endDate: time.endDate,
    startIso: start?.iso ?? time.startDate,
    startLabel: start?.label ?? '',
    endLabel: end?.label ?? '',
    viewerLabel,
  };
}

export function seminarRow(seminar: Seminar, zone: string, names: ReadonlyMap<string, string | Markup>, now: number): SeminarRow {
  const view = seminarView(seminar, zone);
  return {
    ...view,
    typeLabel: pluginText(`seminars.type.${seminar.type}`),
    statusLabel: pluginText(`seminars.status.${seminar.status}`),
    attendanceLabel: pluginText(`seminars.attendance.${seminar.attendance}`),
    onlineUrl: safeLink(view.onlineUrl),
    registrationUrl: safeLink(view.registrationUrl),
    when: rowTime(view),
    isOnlineOnly: seminar.attendance === 'online',
    feeAmount: seminar.free ? '' : String(seminar.feeAmount),
    feeCurrency: seminar.free ? '' : seminar.feeCurrency,
    specialtyNames: view.specialties.map(slug => ({ slug, name: names.get(slug) ?? slug })),
    isOngoing: seminar.start <= now && seminar.end > now,
  };
}

// ---------------------------------------------------------------------------
// What every listing page shares: filters form, specialty names, the viewer

interface PageContext {
  uid: number;
  zone: string;
  now: number;
  specialties: SpecialtyRecord[];
  names: Map<string, string | Markup>;
  request: ListingRequest;
}

async function pageContext(req: Request): Promise<PageContext> {
  const specialties = await listOfferedSpecialties();
  return {
    uid: callerUid(req),
    zone: viewerZoneOf(req),
    now: listingClock.now(),
    specialties,
    names: new Map(specialties.map(r => [r.slug, pageName(r)])),
    request: parseListingQuery(req.query, new Set(specialties.map(r => r.slug))),
  };
}

export interface FilterForm {
  specialty: string;
  type: string;
  from: string;
  to: string;
  month: string;
  city: string;
  country: string;
  online: boolean;
  credits: boolean;
  free: boolean;
  /** Any filter is set (the form offers to clear them). */
  active: boolean;
  specialtyOptions: { slug: string; name: string | Markup; selected: boolean }[];
  typeOptions: { value: string; label: Markup; selected: boolean }[];
}

function filterForm(context: PageContext): FilterForm {
  const { request, specialties } = context;
  return {
    specialty: request.filters.specialty ?? '',
    type: request.filters.type ?? '',
    from: request.fromDate,
    to: request.toDate,
    month: request.month,
    city: request.filters.city ?? '',
    country: request.filters.country ?? '',
    online: request.filters.online === true,
    credits: request.filters.credits === true,
    free: request.filters.free === true,
    active: filterQueryString(request) !== '',
    specialtyOptions: specialties.map(r => ({ slug: r.slug, name: pageName(r), selected: r.slug === request.filters.specialty })),
    typeOptions: SEMINAR_TYPES.map(type => ({ value: type, label: pluginText(`seminars.type.${type}`), selected: type === request.filters.type })),
  };
}

interface PageLinks {
  upcomingPath: string;
  pastPath: string;
  calendarPath: string;
}

function navigation(context: PageContext): PageLinks {
  const lists = filterQueryString(context.request);
  const calendar = filterQueryString(context.request, false);
  return {
    upcomingPath: withQuery(SEMINARS_ROUTE, lists),
    pastPath: withQuery(SEMINARS_PAST_ROUTE, lists),
    calendarPath: withQuery(SEMINARS_CALENDAR_ROUTE, calendar),
  };
}

export interface FeedPanel {
  hasToken: boolean;
  all: boolean;
  specialties: { slug: string; name: string | Markup; selected: boolean }[];
}

/** The member's calendar subscription, for the form on /seminars (members only). */
async function feedPanel(context: PageContext): Promise<FeedPanel | null> {
  if (context.uid <= 0) {
    return null;
  }
  const [hasToken, chosen] = await Promise.all([hasFeedToken(context.uid), getFeedSpecialties(context.uid)]);
  return {
    hasToken,
    all: chosen === 'all',
    specialties: context.specialties.map(r => ({ slug: r.slug, name: pageName(r), selected: chosen !== 'all' && chosen.includes(r.slug) })),
  };
}

// ---------------------------------------------------------------------------
// Pages

export type ListingMode = 'upcoming' | 'past';

async function readPage(mode: ListingMode, context: PageContext, limit: number): Promise<SeminarPage> {
  const { uid, now, request } = context;
  const window = dateWindow(request, context.zone);
  if (mode === 'upcoming') {
    const options: Parameters<typeof listUpcoming>[1] = { uid, limit, cursor: request.cursor, now: Math.max(now, window.from ?? now) };
    if (window.to !== undefined) {
      options.to = window.to;
    }
    return listUpcoming(request.filters, options);
  }
  const options: Parameters<typeof listPast>[1] = { uid, limit, cursor: request.cursor, now: Math.min(now, (window.to ?? now) + 1) };
  if (window.from !== undefined) {
    options.from = window.from;
  }
  return listPast(request.filters, options);
}

export interface ListingPageData extends PageLinks {
  title: Markup;
  /** NodeBB's breadcrumbs (passed beside the page model). */
  crumbs: { text: Markup; url?: string }[];
  mode: ListingMode;
  isUpcoming: boolean;
  isPast: boolean;
  /** The zone "your time" is in, named on the page. */
  viewerZone: string;
  filters: FilterForm;
  formAction: string;
  seminars: SeminarRow[];
  /** Paths without the forum's relative_path ('' when there is no such page). */
  nextPath: string;
  firstPath: string;
  canCreate: boolean;
  isLoggedIn: boolean;
  feed: FeedPanel | null;
}

/** The data of /seminars or /seminars/past for one request (what the template and /api/… get). */
export async function listingPageData(req: Request, mode: ListingMode): Promise<ListingPageData> {
  const context = await pageContext(req);
  const { request, zone } = context;
  const limit = await seminarPageSize();
  const page = await readPage(mode, context, limit);
  const seminars = page.seminars.filter(s => startsWithinDates(s, request, zone));
  const base = mode === 'upcoming' ? SEMINARS_ROUTE : SEMINARS_PAST_ROUTE;
  const query = filterQueryString(request);
  const title = pluginText(mode === 'upcoming' ? 'seminars.list.title' : 'seminars.list.past-title');
  const [mayCreate, feed] = await Promise.all([canCreate(context.uid), mode === 'upcoming' ? feedPanel(context) : null]);
  return {
    title,
    crumbs: mode === 'upcoming'
      ? [{ text: pluginText('seminars.list.title') }]
      : [{ text: pluginText('seminars.list.title'), url: SEMINARS_ROUTE }, { text: pluginText('seminars.list.past-title') }],
    mode,
    isUpcoming: mode === 'upcoming',
    isPast: mode === 'past',
    viewerZone: zone,
    filters: filterForm(context),
    formAction: base,
    ...navigation(context),
    seminars: seminars.map(s => seminarRow(s, zone, context.names, context.now)),
    // The next page carries the filters and the cursor; a page left short by the date check still goes on.
    nextPath: page.nextCursor ? withQuery(base, [query, `after=${encodeURIComponent(page.nextCursor)}`].filter(Boolean).join('&')) : '',
    firstPath: request.cursor ? withQuery(base, query) : '',
    canCreate: mayCreate,
    isLoggedIn: context.uid > 0,
    feed,
  };
}

/** A listing or calendar page: its data through the page model, its crumbs as NodeBB's. */
function renderListing(res: Response, template: string, data: ListingPageData | CalendarPageData): void {
  const { crumbs, ...model } = data;
  renderPage(res, template, pageModel(model), { breadcrumbs: breadcrumbs(crumbs) });
}

export async function renderUpcoming(req: Request, res: Response): Promise<void> {
  renderListing(res, 'seminars', await listingPageData(req, 'upcoming'));
}

export async function renderPast(req: Request, res: Response): Promise<void> {
  renderListing(res, 'seminars', await listingPageData(req, 'past'));
}

function routeNumber(req: Request, name: string): number {
  const value = req.params[name];
  return typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : NaN;
}

/** The month in the address, or the viewer's current month when there is none or it is not a month. */
function calendarMonth(req: Request, zone: string, now: number): { year: number; month: number } {
  const year = routeNumber(req, 'year');
  const month = routeNumber(req, 'month');
  if (year >= 1970 && year <= 2200 && month >= 1 && month <= 12) {
    return { year, month };
  }
  const today = DateTime.fromMillis(now, { zone });
  return { year: today.year, month: today.month };
}

export interface CalendarEntry {
  tid: number;
  title: string;
  path: string;
  allDay: boolean;
  time: string;
  continued: boolean;
  isCancelled: boolean;
  isPostponed: boolean;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export interface CalendarPageData extends PageLinks {
  title: Markup;
  crumbs: { text: Markup; url?: string }[];
  isCalendar: boolean;
  viewerZone: string;
  year: number;
  month: number;
  /** YYYY-MM; the client writes the month's name in the reader's language. */
  monthLabel: string;
  prevPath: string;
  nextPath: string;
  todayPath: string;
  weekdays: { label: Markup }[];
  weeks: { days: (Omit<CalendarDay, 'seminars'> & { hasSeminars: boolean; seminars: CalendarEntry[] })[] }[];
  seminarCount: number;
  filters: FilterForm;
  formAction: string;
  canCreate: boolean;
}

/** The data of the month view for one request. */
export async function calendarPageData(req: Request): Promise<CalendarPageData> {
  const context = await pageContext(req);
  const { zone, uid, request } = context;
  const { year, month } = calendarMonth(req, zone, context.now);
  const seminars = await listMonth(year, month, zone, request.filters, { uid });
  const byTid = new Map(seminars.map(s => [s.tid, s]));
  const grid = monthGrid(year, month, zone, seminars, { today: context.now });
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: 'UTC' });
  const prev = first.minus({ months: 1 });
  const next = first.plus({ months: 1 });
  const query = filterQueryString(request, false);
  const monthPath = (date: DateTime): string => withQuery(`${SEMINARS_CALENDAR_ROUTE}/${date.year}/${date.month}`, query);
  const weeks = grid.weeks.map(week => ({
    days: week.days.map((day: CalendarDay) => ({
      ...day,
      hasSeminars: day.seminars.length > 0,
      seminars: day.seminars.map((entry): CalendarEntry => {
        const seminar = byTid.get(entry.tid);
        return {
          tid: entry.tid,
          title: entry.title,
          path: seminar ? `/topic/${seminar.slug || String(seminar.tid)}` : `/topic/${entry.tid}`,
          allDay: entry.allDay,
          time: entry.time,
          continued: entry.continued,
          isCancelled: entry.status === 'cancelled',
          isPostponed: entry.status === 'postponed',
        };
      }),
    })),
  }));
  return {
    title: pluginText('seminars.calendar.title'),
    crumbs: [
      { text: pluginText('seminars.list.title'), url: SEMINARS_ROUTE },
      { text: pluginText('seminars.calendar.title') },
    ],
    isCalendar: true,
    viewerZone: zone,
    year,
    month,
    monthLabel: first.toFormat('yyyy-MM'),
    prevPath: monthPath(prev),
    nextPath: monthPath(next),
    todayPath: withQuery(SEMINARS_CALENDAR_ROUTE, query),
    weekdays: WEEKDAYS.map(day => ({ label: pluginText(`seminars.calendar.weekday-${day}`) })),
    weeks,
    seminarCount: seminars.length,
    filters: filterForm(context),
    formAction: `${SEMINARS_CALENDAR_ROUTE}/${year}/${month}`,
    ...navigation(context),
    canCreate: await canCreate(uid),
  };
}

export async function renderCalendar(req: Request, res: Response): Promise<void> {
  renderListing(res, 'seminars-calendar', await calendarPageData(req));
}
