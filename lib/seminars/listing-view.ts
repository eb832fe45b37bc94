/**
 * The seminar listing pages' data: /seminars (upcoming) and /seminars/past (the archive), and
 * what the month calendar shares with them (filters form, links, specialty names, the viewer).
 *
 * Times are shown in the event's zone with the viewer's beside it; the viewer's zone comes
 * from the `pn_tz` cookie (set by a small client script) and is UTC until it is known. The
 * page names the zone it used, so a first visit without the cookie is still read correctly.
 */
import type { Request } from 'express';
import { DateTime } from 'luxon';

import { callerUid } from '../common/http';
import { pluginText, type Markup } from '../common/page';
import { listOfferedSpecialties, pageName, type SpecialtyRecord } from '../specialties/taxonomy';
import { SEMINAR_TYPES, type Seminar } from './model';
import { listPast, listUpcoming, type SeminarPage } from './listing';
import { filterQueryString, parseListingQuery, withQuery, type ListingRequest } from './listing-query';
import { seminarPageSize, seminarRow, type SeminarRow } from './view';
import { getFeedSpecialties, hasFeedToken } from './feed';
import { canCreate } from './policy';
import { viewerZoneOf } from './viewer';
import { SEMINARS_CALENDAR_ROUTE, SEMINARS_PAST_ROUTE, SEMINARS_ROUTE } from './paths';

/** The pages' clock; tests move it. */
export const listingClock = { now: (): number => Date.now() };

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
// What every listing page shares: filters form, specialty names, the viewer

export interface PageContext {
  uid: number;
  zone: string;
  now: number;
  specialties: SpecialtyRecord[];
  names: Map<string, string | Markup>;
  request: ListingRequest;
}

export async function pageContext(req: Request): Promise<PageContext> {
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

export function filterForm(context: PageContext): FilterForm {
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

export interface PageLinks {
  upcomingPath: string;
  pastPath: string;
  calendarPath: string;
}

export function navigation(context: PageContext): PageLinks {
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
