/**
 * Times as people read them: in the event's own zone, with the viewer's beside it
 * ("09:00 WIB (03:00 your time)"), and the month calendar grid.
 *
 * All-day events are dates, not instants: they are shown on their own local dates in
 * every zone, so they never land a day off. Timed events are instants, converted.
 */
import { DateTime } from 'luxon';

import { translationToken } from '../common/user-error';
import { canonicalZone } from './validation';
import type { Seminar } from './model';
import type { SeminarTimeDisplay, ZonedTime } from '../shared/seminar-shapes';

export type { SeminarTimeDisplay, ZonedTime } from '../shared/seminar-shapes';

/** Indonesia's own names for its three zones, which ICU renders only as GMT offsets. */
const ZONE_ABBREVIATIONS: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

function offsetName(ms: number, zone: string, locale: string): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }).formatToParts(new Date(ms));
  return parts.find(part => part.type === 'timeZoneName')?.value ?? '';
}

/** A short name for the zone at that instant: WIB, CEST, EDT, GMT, or UTC+5:30 when there is no common one. */
export function zoneAbbreviation(zone: string, ms: number): string {
  const known = ZONE_ABBREVIATIONS[zone];
  if (known) {
    return known;
  }
  if (zone === 'UTC' || zone === 'Etc/UTC') {
    return 'UTC';
  }
  for (const locale of ['en-US', 'en-GB']) {
    const name = offsetName(ms, zone, locale);
    if (name && !/^(GMT|UTC)[+-]/.test(name)) {
      return name;
    }
  }
  const offset = DateTime.fromMillis(ms, { zone }).toFormat('ZZ');
  return offset === '+00:00' ? 'UTC' : `UTC${offset.replace(/:00$/, '').replace(/^([+-])0/, '$1')}`;
}

function zoned(ms: number, zone: string): ZonedTime {
  const dt = DateTime.fromMillis(ms, { zone });
  const abbreviation = zoneAbbreviation(zone, ms);
  const time = dt.toFormat('HH:mm');
  return { date: dt.toISODate() ?? '', time, zone, abbreviation, label: `${time} ${abbreviation}`, iso: dt.toISO({ suppressMilliseconds: true }) ?? '' };
}

/** The viewer's zone if it is a real one, else UTC. */
export function viewerZoneOrUtc(zone: string | null | undefined): string {
  return canonicalZone(zone) ?? 'UTC';
}

function daysBetween(fromDate: string, toDate: string): number {
  return Math.round(DateTime.fromISO(toDate, { zone: 'UTC' }).diff(DateTime.fromISO(fromDate, { zone: 'UTC' }), 'days').days);
}

export function describeSeminarTime(seminar: Pick<Seminar, 'allDay' | 'start' | 'end' | 'startDate' | 'endDate' | 'timezone'>, viewerZone: string | null | undefined): SeminarTimeDisplay {
  if (seminar.allDay) {
    const multiDay = seminar.endDate !== seminar.startDate;
    return {
      allDay: true,
      multiDay,
      startDate: seminar.startDate,
      endDate: seminar.endDate,
      event: { start: null, end: null },
      viewer: null,
      label: multiDay ? `${seminar.startDate} – ${seminar.endDate}` : seminar.startDate,
    };
  }
  const zone = seminar.timezone;
  const viewer = viewerZoneOrUtc(viewerZone);
  const start = zoned(seminar.start, zone);
  // The end instant is exclusive: an event ending at midnight belongs to the day before.
  const end = zoned(seminar.end, zone);
  const lastDay = DateTime.fromMillis(seminar.end - 1, { zone }).toISODate() ?? end.date;
  const sameOffset = DateTime.fromMillis(seminar.start, { zone }).offset === DateTime.fromMillis(seminar.start, { zone: viewer }).offset &&
    DateTime.fromMillis(seminar.end, { zone }).offset === DateTime.fromMillis(seminar.end, { zone: viewer }).offset;
  const viewerStart = zoned(seminar.start, viewer);
  const viewerPart = sameOffset ? null : { start: viewerStart, end: zoned(seminar.end, viewer), dayShift: daysBetween(start.date, viewerStart.date) };
  const label = viewerPart
    ? `${start.label} (${translationToken('seminars.time-yours', [viewerPart.start.time])})`
    : start.label;
  return {
    allDay: false,
    multiDay: lastDay !== start.date,
    startDate: start.date,
    endDate: lastDay,
    event: { start, end },
    viewer: viewerPart,
    label,
  };
}

/** The local dates (YYYY-MM-DD) a seminar occupies on a calendar drawn in `zone`. */
export function seminarDatesIn(seminar: Pick<Seminar, 'allDay' | 'start' | 'end' | 'startDate' | 'endDate'>, zone: string): string[] {
  const first = seminar.allDay ? DateTime.fromISO(seminar.startDate, { zone: 'UTC' }) : DateTime.fromMillis(seminar.start, { zone: 'UTC' }).setZone(zone);
  const last = seminar.allDay ? DateTime.fromISO(seminar.endDate, { zone: 'UTC' }) : DateTime.fromMillis(Math.max(seminar.start, seminar.end - 1), { zone });
  const dates: string[] = [];
  let day = DateTime.fromISO(first.toISODate() ?? '', { zone: 'UTC' });
  const stop = DateTime.fromISO(last.toISODate() ?? '', { zone: 'UTC' });
  while (day <= stop && dates.length <= 400) {
    dates.push(day.toISODate() ?? '');
    day = day.plus({ days: 1 });
  }
  return dates;
}

export interface CalendarDay {
  date: string;
  day: number;
  inMonth: boolean;
  isToday: boolean;
  seminars: { tid: number; title: string; allDay: boolean; time: string; status: string; continued: boolean }[];
}

export interface CalendarMonth {
  year: number;
  month: number;
  zone: string;
  weeks: { days: CalendarDay[] }[];
}

/**
 * The weeks of a month in a zone (whole weeks, starting Monday or Sunday), with each
 * seminar on every local day it spans. `today` is an instant.
 */
export function monthGrid(year: number, month: number, zoneName: string, seminars: Seminar[], options: { weekStartsOn?: 1 | 7; today?: number } = {}): CalendarMonth {
  const zone = viewerZoneOrUtc(zoneName);
  const weekStartsOn = options.weekStartsOn ?? 1;
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: 'UTC' });
  const lead = (first.weekday - weekStartsOn + 7) % 7;
  const gridStart = first.minus({ days: lead });
  const lastOfMonth = first.endOf('month').startOf('day');
  const trail = (weekStartsOn + 6 - lastOfMonth.weekday + 7) % 7;
  const gridEnd = lastOfMonth.plus({ days: trail });
  const today = DateTime.fromMillis(options.today ?? Date.now(), { zone }).toISODate();

  const byDate = new Map<string, CalendarDay['seminars']>();
  for (const seminar of [...seminars].sort((a, b) => a.start - b.start || a.tid - b.tid)) {
    const dates = seminarDatesIn(seminar, zone);
    const time = seminar.allDay ? '' : DateTime.fromMillis(seminar.start, { zone }).toFormat('HH:mm');
    dates.forEach((date, index) => {
      const list = byDate.get(date) ?? [];
      list.push({ tid: seminar.tid, title: seminar.title, allDay: seminar.allDay, time: index === 0 ? time : '', status: seminar.status, continued: index > 0 });
      byDate.set(date, list);
    });
  }

  const weeks: CalendarMonth['weeks'] = [];
  for (let day = gridStart; day <= gridEnd; day = day.plus({ days: 1 })) {
    if ((day.diff(gridStart, 'days').days % 7) === 0) {
      weeks.push({ days: [] });
    }
    const date = day.toISODate() ?? '';
    weeks[weeks.length - 1]?.days.push({
      date,
      day: day.day,
      inMonth: day.month === month,
      isToday: date === today,
      seminars: byDate.get(date) ?? [],
    });
  }
  return { year, month, zone, weeks };
}
