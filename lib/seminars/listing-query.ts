/**
 * The listing pages' filters, read from the address (a GET form) and written back into links.
 * A value that cannot be read is dropped, so a bad address shows the unfiltered default, never
 * an error page.
 */
import type { Request } from 'express';
import { DateTime } from 'luxon';

import { SEMINAR_TYPES, type SeminarType } from './model';
import { decodeCursor, type SeminarFilters } from './listing';
import { cityKey } from './keys';
import { isCountryCode } from './codes';
import { SEMINAR_LIMITS } from './validation';


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

export function withQuery(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}
