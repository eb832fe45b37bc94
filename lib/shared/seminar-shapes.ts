/**
 * The seminar shapes the server sends and the browser reads (type-only: nothing here runs).
 * The server builds them (lib/seminars/view.ts, service.ts, form-view.ts); the client modules
 * (static/src/seminar-panel.ts, seminar-form.ts, seminar-form-page.ts) import them as
 * `physician-network/seminar-shapes`.
 */

export interface ZonedTime {
  /** ISO date (YYYY-MM-DD) in that zone. */
  date: string;
  /** 24-hour time, HH:mm. */
  time: string;
  zone: string;
  abbreviation: string;
  /** "09:00 WIB" */
  label: string;
  /** ISO 8601 with offset, for <time datetime>. */
  iso: string;
}

export interface SeminarTimeDisplay {
  allDay: boolean;
  /** Spans more than one calendar day in the event's zone. */
  multiDay: boolean;
  /** Local dates in the event's zone (for all-day events, the stored dates, end inclusive). */
  startDate: string;
  endDate: string;
  event: { start: ZonedTime | null; end: ZonedTime | null };
  /** The viewer's own zone; null for all-day events (dates are not converted) and when the zones agree. */
  viewer: { start: ZonedTime; end: ZonedTime; dayShift: number } | null;
  /** Ready for a template: "09:00 WIB ([[…your time, 03:00]])" or the dates of an all-day event. */
  label: string;
}

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

export type RsvpState = 'going' | 'waitlisted' | 'interested' | 'not-going' | 'none';

export interface RsvpCounts {
  going: number;
  waitlisted: number;
  interested: number;
  notGoing: number;
  capacity: number;
  /** null when capacity is unlimited. */
  seatsLeft: number | null;
}

/** GET /api/v3/plugins/physician-network/seminars/:tid: one seminar as the topic page's panel shows it. */
export interface SeminarDetails {
  seminar: SeminarView;
  rsvp: { state: RsvpState; counts: RsvpCounts };
  canEdit: boolean;
  canRsvp: boolean;
}

/** What an RSVP (PUT or DELETE …/:tid/rsvp) answers. */
export interface RsvpAnswer { state: RsvpState; counts: RsvpCounts; promoted: number[] }

/** What saving the form answers: the published seminar, or word that it awaits review. */
export interface PublishedSeminar { tid: number; slug: string; path: string }
export type CreatedSeminar = PublishedSeminar | { queued: true; message: string };

/** The seminar form's values, as the page fills it in. */
export interface SeminarFormValues {
  cid: number;
  title: string;
  content: string;
  type: string;
  timezone: string;
  allDay: boolean;
  start: string;
  end: string;
  startDate: string;
  endDate: string;
  attendance: string;
  venue: string;
  city: string;
  country: string;
  onlineUrl: string;
  organiser: string;
  contact: string;
  specialties: string[];
  creditsAmount: string;
  creditsBody: string;
  creditsArea: string;
  free: boolean;
  feeAmount: string;
  feeCurrency: string;
  registrationUrl: string;
  registrationDeadline: string;
  capacity: string;
  language: string;
  status: string;
}

/** What the form sends (seminar-form.ts): its values without the all-day dates, which travel as start and end; no cid on edit. */
export type SeminarBody = Omit<SeminarFormValues, 'cid' | 'startDate' | 'endDate'> & { cid?: number };
