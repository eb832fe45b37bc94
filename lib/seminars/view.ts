/**
 * Template-ready data for one seminar: what listing rows, the topic header and the widget
 * show. Labels are translation tokens, so the page renders them in the reader's language.
 */
import { getSettings } from '../settings';
import { describeSeminarTime, type SeminarTimeDisplay } from './time';
import { seminarIcsFilename } from './ics';
import { ALL_SPECIALTIES, hasCredits, isOnline, type Seminar } from './model';
import { listUpcoming, type SeminarFilters } from './listing';

export interface SeminarView {
  tid: number;
  cid: number;
  title: string;
  /** Relative to the forum root: `/topic/12/atls-course`. */
  path: string;
  /** Where the .ics download is served (the lead's route). */
  icsPath: string;
  icsFilename: string;
  typeLabel: string;
  statusLabel: string;
  attendanceLabel: string;
  isCancelled: boolean;
  isPostponed: boolean;
  isOnline: boolean;
  place: string;
  country: string;
  onlineUrl: string;
  organiser: string;
  contact: string;
  forAllSpecialties: boolean;
  specialties: string[];
  hasCredits: boolean;
  credits: string;
  creditsBody: string;
  creditsArea: string;
  isFree: boolean;
  /** "2500000 IDR", or empty when free; formatting for the locale is the page's. */
  fee: string;
  registrationUrl: string;
  registrationDeadline: string;
  capacity: number;
  language: string;
  time: SeminarTimeDisplay;
}

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
