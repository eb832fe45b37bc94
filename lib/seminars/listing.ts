/**
 * Filtered, privilege-aware listings as range reads.
 *
 * A query names filters; each filter has an index (a sorted set of tids by start). The
 * listing counts each candidate index within the time range (O(log n) each), reads the
 * smallest one in batches from the cursor on, and checks every entry against its record
 * for the other filters and against the viewer's read privilege. So the cost of a page
 * depends on the page size and on how many entries the other filters reject, not on how
 * many seminars are stored.
 *
 * Paging is by cursor (start + tid of the last item shown), which stays exact when
 * seminars are added or hidden between pages.
 */
import { DateTime } from 'luxon';

import { nodebb } from '../nodebb';
import { ALL_SPECIALTIES, isOnline, hasCredits, type Seminar, type SeminarType } from './model';
import { SEMINAR_INDEX, cityKey, getSeminars, readIndexBatch, countIndexWithin } from './store';
import { SEMINAR_LIMITS } from './validation';

export interface SeminarFilters {
  specialty?: string;
  type?: SeminarType;
  country?: string;
  city?: string;
  online?: boolean;
  credits?: boolean;
  free?: boolean;
}

export interface SeminarQuery extends SeminarFilters {
  /** Start instants (ms), inclusive; open when absent. */
  from?: number;
  to?: number;
  /** Only seminars still running at this instant (end > endsAfter). */
  endsAfter?: number;
  order: 'asc' | 'desc';
}

export interface ListPageOptions {
  /** The viewer: only seminars in categories they may read (topics:read) are returned. */
  uid: number;
  limit: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string | null;
}

export interface SeminarPage {
  seminars: Seminar[];
  /** Pass back for the next page; null when there is none. */
  nextCursor: string | null;
}

interface Position {
  score: number;
  tid: string;
}

/** How many index entries one page may examine before it returns short (with a cursor to go on). */
const MAX_EXAMINED_PER_PAGE = 2000;

export function encodeCursor(position: Position): string {
  return `${position.score}_${position.tid}`;
}

export function decodeCursor(cursor: string | null | undefined): Position | null {
  const match = /^(-?\d{1,16})_(\d{1,12})$/.exec(cursor ?? '');
  return match ? { score: Number(match[1]), tid: String(Number(match[2])) } : null;
}

/** Index keys whose union holds exactly the seminars passing one filter. */
function filterSources(query: SeminarFilters): string[][] {
  const sources: string[][] = [];
  if (query.specialty) {
    // Seminars "for all specialties" belong in every specialty's listing.
    sources.push(query.specialty === ALL_SPECIALTIES
      ? [SEMINAR_INDEX.specialty(ALL_SPECIALTIES)]
      : [SEMINAR_INDEX.specialty(query.specialty), SEMINAR_INDEX.specialty(ALL_SPECIALTIES)]);
  }
  if (query.type) {
    sources.push([SEMINAR_INDEX.type(query.type)]);
  }
  if (query.country) {
    sources.push([SEMINAR_INDEX.country(query.country.toUpperCase())]);
  }
  if (query.city && cityKey(query.city)) {
    sources.push([SEMINAR_INDEX.city(query.city)]);
  }
  if (query.online) {
    sources.push([SEMINAR_INDEX.online]);
  }
  if (query.credits) {
    sources.push([SEMINAR_INDEX.credits]);
  }
  if (query.free) {
    sources.push([SEMINAR_INDEX.free]);
  }
  return sources.length ? sources : [[SEMINAR_INDEX.all]];
}

/** The check every entry gets against its record: all filters, the range, visibility. */
export function seminarMatches(seminar: Seminar, query: SeminarQuery): boolean {
  if (seminar.hidden) {
    return false;
  }
  if (query.specialty && !seminar.specialties.includes(query.specialty) && !seminar.specialties.includes(ALL_SPECIALTIES)) {
    return false;
  }
  if (query.type && seminar.type !== query.type) {
    return false;
  }
  if (query.country && seminar.country !== query.country.toUpperCase()) {
    return false;
  }
  if (query.city && cityKey(seminar.city) !== cityKey(query.city)) {
    return false;
  }
  if (query.online && !isOnline(seminar)) {
    return false;
  }
  if (query.credits && !hasCredits(seminar)) {
    return false;
  }
  if (query.free && !seminar.free) {
    return false;
  }
  if (query.from !== undefined && seminar.start < query.from) {
    return false;
  }
  if (query.to !== undefined && seminar.start > query.to) {
    return false;
  }
  return query.endsAfter === undefined || seminar.end > query.endsAfter;
}

/** Reads one index in score order from a position, a batch at a time. */
class IndexReader {
  private buffer: Position[] = [];
  private offset = 0;
  private done = false;

  constructor(
    private readonly key: string,
    private readonly query: SeminarQuery,
    private readonly after: Position | null,
    private readonly batchSize: number,
  ) {}

  private bounds(): [number | '-inf' | '+inf', number | '-inf' | '+inf'] {
    const asc = this.query.order === 'asc';
    let low: number | '-inf' = this.query.from ?? '-inf';
    let high: number | '+inf' = this.query.to ?? '+inf';
    if (this.after) {
      // Resume at the cursor's score; equal scores are skipped by tid below.
      if (asc) {
        low = low === '-inf' ? this.after.score : Math.max(low, this.after.score);
      } else {
        high = high === '+inf' ? this.after.score : Math.min(high, this.after.score);
      }
    }
    return asc ? [low, high] : [high, low];
  }

  private isPastCursor(entry: Position): boolean {
    if (entry.score !== this.after?.score) {
      return true;
    }
    // Redis orders equal scores by member bytes; tids are ASCII digits, so string order matches.
    return this.query.order === 'asc' ? entry.tid > this.after.tid : entry.tid < this.after.tid;
  }

  async peek(): Promise<Position | null> {
    while (!this.buffer.length && !this.done) {
      const [first, second] = this.bounds();
      const rows = await readIndexBatch(this.key, this.query.order, this.offset, this.batchSize, first, second);
      this.offset += rows.length;
      this.done = rows.length < this.batchSize;
      this.buffer = rows.map(row => ({ score: row.score, tid: row.value })).filter(entry => this.isPastCursor(entry));
    }
    return this.buffer[0] ?? null;
  }

  take(): void {
    this.buffer.shift();
  }
}

function comesFirst(a: Position, b: Position, order: 'asc' | 'desc'): boolean {
  if (a.score !== b.score) {
    return order === 'asc' ? a.score < b.score : a.score > b.score;
  }
  return order === 'asc' ? a.tid < b.tid : a.tid > b.tid;
}

/** Merges several index readers into one stream in score order (for "specialty X or all"). */
async function nextEntry(readers: IndexReader[], order: 'asc' | 'desc'): Promise<Position | null> {
  let best: { reader: IndexReader; entry: Position } | null = null;
  for (const reader of readers) {
    const entry = await reader.peek();
    if (entry && (!best || comesFirst(entry, best.entry, order))) {
      best = { reader, entry };
    }
  }
  best?.reader.take();
  return best?.entry ?? null;
}

async function countWithin(keys: string[], query: SeminarQuery): Promise<number> {
  const counts = await Promise.all(keys.map(key => countIndexWithin(key, query.from ?? '-inf', query.to ?? '+inf')));
  return counts.reduce((sum, n) => sum + n, 0);
}

/** The filter whose index holds the fewest entries in range: the cheapest to read from. */
async function mostSelectiveSource(query: SeminarQuery): Promise<string[]> {
  const sources = filterSources(query);
  if (sources.length === 1) {
    return sources[0] ?? [SEMINAR_INDEX.all];
  }
  const counts = await Promise.all(sources.map(keys => countWithin(keys, query)));
  let best = 0;
  counts.forEach((count, index) => {
    if (count < (counts[best] ?? Infinity)) {
      best = index;
    }
  });
  return sources[best] ?? [SEMINAR_INDEX.all];
}

/** Categories the viewer may read, remembered for one listing call. */
class ReadableCategories {
  private readonly known = new Map<number, boolean>();

  constructor(private readonly uid: number) {}

  async filter(seminars: Seminar[]): Promise<Seminar[]> {
    const unknown = [...new Set(seminars.map(s => s.cid))].filter(cid => !this.known.has(cid));
    if (unknown.length) {
      const allowed = new Set((await nodebb.privileges.categories.filterCids('topics:read', unknown, this.uid)).map(Number));
      unknown.forEach(cid => this.known.set(cid, allowed.has(cid)));
    }
    return seminars.filter(s => this.known.get(s.cid) === true);
  }
}

/** One page of a query for one viewer. */
export async function listSeminars(query: SeminarQuery, options: ListPageOptions): Promise<SeminarPage> {
  const limit = Math.max(1, Math.min(options.limit, 500));
  const after = decodeCursor(options.cursor);
  // Twice the page: a page survives some entries being filtered out without a second round of reads.
  const batchSize = Math.min(Math.max(2 * limit + 1, 20), 200);
  const readers = (await mostSelectiveSource(query)).map(key => new IndexReader(key, query, after, batchSize));
  const readable = new ReadableCategories(options.uid);
  const seen = new Set<string>();
  const found: Seminar[] = [];
  let examined = 0;
  let lastExamined: Position | null = null;
  let exhausted = false;

  while (found.length <= limit && examined < MAX_EXAMINED_PER_PAGE) {
    const chunk: Position[] = [];
    while (chunk.length < batchSize) {
      const entry = await nextEntry(readers, query.order);
      if (!entry) {
        exhausted = true;
        break;
      }
      if (!seen.has(entry.tid)) {
        seen.add(entry.tid);
        chunk.push(entry);
      }
    }
    if (!chunk.length) {
      break;
    }
    examined += chunk.length;
    lastExamined = chunk[chunk.length - 1] ?? lastExamined;
    const records = await getSeminars(chunk.map(entry => Number(entry.tid)));
    const matching = records.filter((s, i): s is Seminar => s !== null && s.start === chunk[i]?.score && seminarMatches(s, query));
    found.push(...await readable.filter(matching));
    if (exhausted) {
      break;
    }
  }

  if (found.length > limit) {
    const page = found.slice(0, limit);
    const last = page[page.length - 1];
    return { seminars: page, nextCursor: last ? encodeCursor({ score: last.start, tid: String(last.tid) }) : null };
  }
  // Short page: either nothing is left, or the examination budget ran out (go on from there).
  return { seminars: found, nextCursor: !exhausted && lastExamined ? encodeCursor(lastExamined) : null };
}

/** Upcoming seminars: not yet started, soonest first. */
export async function listUpcoming(filters: SeminarFilters, options: ListPageOptions & { now?: number; to?: number }): Promise<SeminarPage> {
  const query: SeminarQuery = { ...filters, from: options.now ?? Date.now(), order: 'asc' };
  if (options.to !== undefined) {
    query.to = options.to;
  }
  return listSeminars(query, options);
}

/** The archive: already started, most recent first (seminars still running come first and can be marked so). */
export async function listPast(filters: SeminarFilters, options: ListPageOptions & { now?: number; from?: number }): Promise<SeminarPage> {
  const query: SeminarQuery = { ...filters, to: (options.now ?? Date.now()) - 1, order: 'desc' };
  if (options.from !== undefined) {
    query.from = options.from;
  }
  return listSeminars(query, options);
}

/** Between two instants by start (a date-range filter), soonest first. */
export async function listBetween(filters: SeminarFilters, from: number, to: number, options: ListPageOptions): Promise<SeminarPage> {
  return listSeminars({ ...filters, from, to, order: 'asc' }, options);
}

/**
 * Every seminar overlapping a calendar month in a zone (what the month view draws), up to
 * `limit`. Events start at most SEMINAR_LIMITS.durationDays before the month, which bounds the read.
 */
export async function listMonth(year: number, month: number, zone: string, filters: SeminarFilters, options: { uid: number; limit?: number }): Promise<Seminar[]> {
  const monthStart = DateTime.fromObject({ year, month, day: 1 }, { zone }).startOf('month');
  const monthEnd = monthStart.plus({ months: 1 });
  const { seminars } = await listSeminars({
    ...filters,
    // A day's margin each side: all-day events sit on their own dates, whatever the viewer's zone.
    from: monthStart.minus({ days: SEMINAR_LIMITS.durationDays + 1 }).toMillis(),
    to: monthEnd.plus({ days: 1 }).toMillis(),
    endsAfter: monthStart.minus({ days: 1 }).toMillis(),
    order: 'asc',
  }, { uid: options.uid, limit: options.limit ?? 500 });
  return seminars;
}
