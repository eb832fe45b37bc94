/**
 * schema.org Event JSON-LD for public seminars (the caller checks guests may read the
 * category, e.g. with canViewSeminar(seminar, 0), before putting it in a page).
 */
import { DateTime } from 'luxon';

import { seminarTopicUrl } from './ics';
import type { Seminar } from './model';

const ATTENDANCE_MODE: Record<Seminar['attendance'], string> = {
  'in-person': 'https://schema.org/OfflineEventAttendanceMode',
  online: 'https://schema.org/OnlineEventAttendanceMode',
  hybrid: 'https://schema.org/MixedEventAttendanceMode',
};

const EVENT_STATUS: Record<Seminar['status'], string> = {
  scheduled: 'https://schema.org/EventScheduled',
  postponed: 'https://schema.org/EventPostponed',
  cancelled: 'https://schema.org/EventCancelled',
};

type JsonLdValue = string | number | boolean | null | JsonLdValue[] | { [key: string]: JsonLdValue };
export type JsonLdObject = Record<string, JsonLdValue>;

/** Dates with the event's own offset; all-day events as plain dates (schema.org accepts both). */
function eventDate(seminar: Seminar, which: 'start' | 'end'): string {
  if (seminar.allDay) {
    return which === 'start' ? seminar.startDate : seminar.endDate;
  }
  return DateTime.fromMillis(seminar[which], { zone: seminar.timezone }).toISO({ suppressMilliseconds: true }) ?? '';
}

export function seminarJsonLd(seminar: Seminar, options: { baseUrl: string; description?: string }): JsonLdObject {
  const url = seminarTopicUrl(seminar, options.baseUrl);
  const locations: JsonLdObject[] = [];
  if (seminar.attendance !== 'online') {
    const place: JsonLdObject = {
      '@type': 'Place',
      address: {
        '@type': 'PostalAddress',
        ...(seminar.city ? { addressLocality: seminar.city } : {}),
        ...(seminar.country ? { addressCountry: seminar.country } : {}),
      },
    };
    if (seminar.venue) {
      place.name = seminar.venue;
    }
    locations.push(place);
  }
  if (seminar.attendance !== 'in-person' && seminar.onlineUrl) {
    locations.push({ '@type': 'VirtualLocation', url: seminar.onlineUrl });
  }
  const event: JsonLdObject = {
    '@context': 'https://schema.org',
    '@type': seminar.type === 'course' || seminar.type === 'certification' || seminar.type === 'workshop' ? 'EducationEvent' : 'Event',
    name: seminar.title,
    url,
    startDate: eventDate(seminar, 'start'),
    endDate: eventDate(seminar, 'end'),
    eventAttendanceMode: ATTENDANCE_MODE[seminar.attendance],
    eventStatus: EVENT_STATUS[seminar.status],
    location: locations.length === 1 ? locations[0] ?? null : locations,
    organizer: { '@type': 'Organization', name: seminar.organiser },
  };
  if (options.description) {
    event.description = options.description;
  }
  if (seminar.language) {
    event.inLanguage = seminar.language;
  }
  const offer: JsonLdObject = {
    '@type': 'Offer',
    price: seminar.free ? 0 : seminar.feeAmount,
    url: seminar.registrationUrl || url,
  };
  if (!seminar.free) {
    offer.priceCurrency = seminar.feeCurrency;
  }
  if (seminar.registrationDeadline !== null) {
    offer.validThrough = DateTime.fromMillis(seminar.registrationDeadline, { zone: seminar.timezone }).toISO({ suppressMilliseconds: true }) ?? '';
  }
  event.offers = offer;
  if (seminar.capacity > 0) {
    event.maximumAttendeeCapacity = seminar.capacity;
  }
  return event;
}

/** For a <script type="application/ld+json">: `<` escaped so no value can close the script. */
export function jsonLdScriptBody(data: JsonLdObject): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
