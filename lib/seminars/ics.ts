/**
 * iCalendar (RFC 5545) with ical-generator: one seminar's .ics and subscription feeds.
 *
 * Timed events are written in UTC (DTSTART:…Z): exact in every client, with no VTIMEZONE
 * to get wrong. All-day events are written as dates (VALUE=DATE, DTEND the day after the
 * last), so clients show them on the same days everywhere. Cancelled seminars stay, with
 * STATUS:CANCELLED, so subscribed calendars drop or mark them. UID is stable per seminar and
 * SEQUENCE grows with each change, so clients update their copy instead of duplicating it.
 */
import ical, { ICalEventStatus, ICalCalendarMethod } from 'ical-generator';
import { DateTime } from 'luxon';

import type { Seminar } from './model';

export interface IcsOptions {
  /** The forum's URL (nconf `url`), without a trailing slash. */
  baseUrl: string;
  /** The calendar's name, e.g. the forum title plus "Seminars". */
  calendarName: string;
  /** Plain text for DESCRIPTION (calendar clients cannot translate tokens); defaults to organiser and link. */
  describe?: (seminar: Seminar) => string;
  /** For DTSTAMP; defaults to now. */
  now?: number;
}

export function seminarTopicUrl(seminar: Pick<Seminar, 'slug' | 'tid'>, baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/topic/${seminar.slug || String(seminar.tid)}`;
}

/** Stable per seminar and per forum: the forum's host keeps two forums' seminars apart. */
export function seminarUid(tid: number, baseUrl: string): string {
  let host = 'localhost';
  try {
    host = new URL(baseUrl).host || host;
  } catch {
    // A bad base URL still gives a stable, if less unique, UID.
  }
  return `seminar-${tid}@${host}`;
}

function icsStatus(seminar: Seminar): ICalEventStatus {
  switch (seminar.status) {
    case 'cancelled': return ICalEventStatus.CANCELLED;
    case 'postponed': return ICalEventStatus.TENTATIVE;
    case 'scheduled': return ICalEventStatus.CONFIRMED;
  }
}

function location(seminar: Seminar): string | null {
  const place = [seminar.venue, seminar.city, seminar.country].filter(Boolean).join(', ');
  if (seminar.attendance === 'online') {
    return seminar.onlineUrl || null;
  }
  return place || null;
}

function defaultDescription(seminar: Seminar, url: string): string {
  return [seminar.organiser, seminar.attendance !== 'in-person' ? seminar.onlineUrl : '', url].filter(Boolean).join('\n');
}

export function seminarsToIcs(seminars: Seminar[], options: IcsOptions): string {
  const calendar = ical({
    name: options.calendarName,
    prodId: { company: 'nodebb-plugin-physician-network', product: 'seminars', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    url: `${options.baseUrl.replace(/\/+$/, '')}/seminars`,
  });
  for (const seminar of seminars) {
    const url = seminarTopicUrl(seminar, options.baseUrl);
    const common = {
      id: seminarUid(seminar.tid, options.baseUrl),
      sequence: seminar.sequence,
      stamp: new Date(options.now ?? Date.now()),
      created: new Date(seminar.created || seminar.updated || 0),
      lastModified: new Date(seminar.updated || seminar.created || 0),
      summary: seminar.title,
      description: options.describe ? options.describe(seminar) : defaultDescription(seminar, url),
      location: location(seminar),
      url,
      status: icsStatus(seminar),
    };
    if (seminar.allDay) {
      calendar.createEvent({
        ...common,
        allDay: true,
        start: DateTime.fromISO(seminar.startDate, { zone: 'UTC' }),
        end: DateTime.fromISO(seminar.endDate, { zone: 'UTC' }).plus({ days: 1 }),
      });
    } else {
      calendar.createEvent({ ...common, start: new Date(seminar.start), end: new Date(seminar.end) });
    }
  }
  return calendar.toString();
}

export function seminarIcs(seminar: Seminar, options: IcsOptions): string {
  return seminarsToIcs([seminar], options);
}

/** A safe download name: `seminar-12.ics`. */
export function seminarIcsFilename(seminar: Pick<Seminar, 'tid'>): string {
  return `seminar-${seminar.tid}.ics`;
}
