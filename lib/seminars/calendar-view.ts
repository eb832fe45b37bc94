/**
 * The month calendar's data (/seminars/calendar/:year/:month), with the listing's filters.
 */
import type { Request } from 'express';
import { DateTime } from 'luxon';

import { pluginText, type Markup } from '../common/page';
import { listMonth } from './listing';
import { filterQueryString, withQuery } from './listing-query';
import { filterForm, navigation, pageContext, type FilterForm, type PageLinks } from './listing-view';
import { canCreate } from './policy';
import { monthGrid, type CalendarDay } from './time';
import { SEMINARS_CALENDAR_ROUTE, SEMINARS_ROUTE } from './paths';

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
