/**
 * Template-ready data for one seminar: what listing rows, the topic header and the widget
 * show. Labels are translation tokens, so the page renders them in the reader's language.
 */
import { pluginText, safeLink, type Markup } from '../common/page';
import { getSettings } from '../settings';
import { describeSeminarTime } from './time';
import { seminarIcsFilename } from './ics';
import { ALL_SPECIALTIES, hasCredits, isOnline, type Seminar } from './model';
import { listUpcoming, type SeminarFilters } from './listing';
import type { SeminarView } from '../shared/seminar-shapes';

export type { SeminarView } from '../shared/seminar-shapes';

export function seminarView(seminar: Seminar, viewerZone: string | null | undefined): SeminarView {
  const forAll = seminar.specialties.includes(ALL_SPECIALTIES);
  return {
    tid: seminar.tid,
    cid: seminar.cid,
    title: seminar.title,
    path: `/topic/${seminar.slug || String(seminar.tid)}`,
    icsPath: `/seminars/${seminar.tid}/ics`,
    icsFilename: seminarIcsFilename(seminar),
    typeLabel: `[[physician-network:seminars.type.${seminar.type}]]`,
    statusLabel: `[[physician-network:seminars.status.${seminar.status}]]`,
    attendanceLabel: `[[physician-network:seminars.attendance.${seminar.attendance}]]`,
    isCancelled: seminar.status === 'cancelled',
    isPostponed: seminar.status === 'postponed',
    isOnline: isOnline(seminar),
    place: [seminar.venue, seminar.city].filter(Boolean).join(', '),
    country: seminar.country,
    onlineUrl: seminar.onlineUrl,
    organiser: seminar.organiser,
    contact: seminar.contact,
    forAllSpecialties: forAll,
    specialties: forAll ? [] : seminar.specialties,
    hasCredits: hasCredits(seminar),
    credits: seminar.creditsAmount === null ? '' : String(seminar.creditsAmount),
    creditsBody: seminar.creditsBody,
    creditsArea: seminar.creditsArea,
    isFree: seminar.free,
    fee: seminar.free ? '' : `${seminar.feeAmount} ${seminar.feeCurrency}`,
    registrationUrl: seminar.registrationUrl,
    registrationDeadline: seminar.registrationDeadline === null ? '' : new Date(seminar.registrationDeadline).toISOString(),
    capacity: seminar.capacity,
    language: seminar.language,
    time: describeSeminarTime(seminar, viewerZone),
  };
}

/** The page size the admin chose (seminarsPageSize). */
export async function seminarPageSize(): Promise<number> {
  return (await getSettings()).seminarsPageSize;
}

/** For the "Upcoming seminars" widget: the next few the viewer may read, optionally in one specialty. */
export async function upcomingForWidget(uid: number, options: { specialty?: string; count?: number; now?: number } = {}): Promise<Seminar[]> {
  const filters: SeminarFilters = options.specialty ? { specialty: options.specialty } : {};
  const page = await listUpcoming(filters, { uid, limit: Math.max(1, Math.min(options.count ?? 5, 20)), now: options.now ?? Date.now() });
  return page.seminars;
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
