/**
 * Benchmark: a filtered listing page (one specialty, upcoming, as a member who cannot read
 * one of the categories) with 1,000 and with 100,000 seminars stored in a real Redis.
 * Range reads keep the page cost flat; the goal is a ratio of at most 1.5.
 *
 * `benchSeminars(db)` takes a connected test database (it flushes it); run this file
 * directly (node build/test/bench/seminars.js) to start a throwaway redis-server for it.
 */
import { performance } from 'node:perf_hooks';

import { provideForTests } from '../../lib/nodebb';
import { listUpcoming } from '../../lib/seminars/listing';
import { seminarToStored, SEMINAR_TYPES, ALL_SPECIALTIES, type Seminar } from '../../lib/seminars/model';
import { seminarIndexKeys } from '../../lib/seminars/store';
import { startRedis } from '../harness/redis-server';
import { RedisTestDatabase } from '../harness/redis-db';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { seminarPrivileges, grantToGroup, joinGroup } from '../harness/seminars-stand-ins';
import { seededRandom } from '../harness/seeded-random';
import { keys as seminarKeys } from '../../lib/seminars/keys';

const SPECIALTIES = Array.from({ length: 40 }, (_v, i) => `specialty-${i}`);
const COUNTRIES = ['ID', 'SE', 'NL', 'US', 'MY', 'SG'];
const ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'Europe/Stockholm', 'Europe/Amsterdam', 'America/New_York'];
const NOW = Date.UTC(2030, 0, 1);
const DAY = 86_400_000;
const MEMBER = 10;
const PAGE_SIZE = 20;
const RUNS = 200;

function seminarNumber(tid: number, random: () => number): Seminar {
  // Starts spread from two years back to three years ahead: most of the index is not "upcoming".
  const start = NOW - 730 * DAY + Math.floor(random() * 1825 * DAY / 60_000) * 60_000;
  const attendance = (['in-person', 'online', 'hybrid'] as const)[Math.floor(random() * 3)] ?? 'in-person';
  const forAll = random() < 0.05;
  const specialties = forAll ? [ALL_SPECIALTIES] : [...new Set([SPECIALTIES[Math.floor(random() * 40)] ?? 'specialty-0', SPECIALTIES[Math.floor(random() * 40)] ?? 'specialty-1'])];
  const free = random() < 0.3;
  return {
    tid,
    cid: 1 + Math.floor(random() * 3), // category 3 is closed to the member
    uid: 1,
    title: `Seminar ${tid}`,
    slug: `${tid}/seminar-${tid}`,
    type: SEMINAR_TYPES[Math.floor(random() * SEMINAR_TYPES.length)] ?? 'seminar',
    timezone: ZONES[Math.floor(random() * ZONES.length)] ?? 'UTC',
    allDay: false,
    start,
    end: start + 8 * 3_600_000,
    startDate: '',
    endDate: '',
    attendance,
    venue: attendance === 'online' ? '' : 'Hall',
    city: attendance === 'online' ? '' : 'City',
    country: attendance === 'online' ? '' : COUNTRIES[Math.floor(random() * COUNTRIES.length)] ?? 'ID',
    onlineUrl: attendance === 'in-person' ? '' : 'https://meet.example.org/x',
    organiser: 'Organiser',
    contact: '',
    specialties,
    creditsAmount: random() < 0.6 ? Math.floor(random() * 20) : null,
    creditsBody: 'IDI',
    creditsArea: '',
    free,
    feeAmount: free ? 0 : 100_000,
    feeCurrency: free ? '' : 'IDR',
    registrationUrl: '',
    registrationDeadline: null,
    capacity: 0,
    language: 'id',
    status: 'scheduled',
    created: NOW,
    updated: NOW,
    sequence: 0,
    hidden: false,
  };
}

/** Bulk writes: records in parallel (the client pipelines them), index entries in one pipeline per chunk. */
async function seed(db: RedisTestDatabase, count: number): Promise<void> {
  const random = seededRandom(42);
  const CHUNK = 2000;
  for (let first = 1; first <= count; first += CHUNK) {
    const seminars: Seminar[] = [];
    for (let tid = first; tid < Math.min(first + CHUNK, count + 1); tid += 1) {
      seminars.push(seminarNumber(tid, random));
    }
    const entries: [string, number, string][] = seminars.flatMap(s => seminarIndexKeys(s).map((key): [string, number, string] => [key, s.start, String(s.tid)]));
    await Promise.all([
      ...seminars.map(s => db.setObject(seminarKeys.seminar(s.tid), seminarToStored(s))),
      db.sortedSetAddBulk(entries),
    ]);
  }
}

interface Measurement {
  medianMs: number;
  roundTrips: number;
  shown: number;
}

/** The database (and the privileges over it) that the listing sees. */
function use(db: RedisTestDatabase): void {
  provideForTests({ db, privileges: seminarPrivileges(db) });
}

async function onePage(db: RedisTestDatabase): Promise<{ ms: number; trips: number; shown: number }> {
  use(db);
  const trips = db.roundTrips;
  const started = performance.now();
  const page = await listUpcoming({ specialty: 'specialty-3' }, { uid: MEMBER, limit: PAGE_SIZE, now: NOW });
  return { ms: performance.now() - started, trips: db.roundTrips - trips, shown: page.seminars.length };
}

function summarise(samples: { ms: number; trips: number; shown: number }[]): Measurement {
  const times = samples.map(s => s.ms).sort((a, b) => a - b);
  return {
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
    roundTrips: samples.reduce((sum, s) => sum + s.trips, 0) / samples.length,
    shown: samples[samples.length - 1]?.shown ?? 0,
  };
}

async function prepare(db: RedisTestDatabase, count: number): Promise<void> {
  use(db);
  await db.flushAll();
  await grantToGroup(db, 1, 'topics:read', 'registered-users');
  await grantToGroup(db, 2, 'topics:read', 'registered-users');
  await grantToGroup(db, 3, 'topics:read', 'surgeons');
  await joinGroup(db, MEMBER, 'registered-users');
  const started = performance.now();
  await seed(db, count);
  console.log(`  seeded ${count.toLocaleString('en-GB')} seminars in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

export interface SeminarBenchResult {
  smallMs: number;
  largeMs: number;
  ratio: number;
}

/**
 * Seeds 100,000 seminars into `db` and 1,000 into a second throwaway redis-server, then
 * times pages from the two alternately, so load on the machine weighs on both alike.
 * Both databases are flushed afterwards.
 */
export async function benchSeminars(db: RedisTestDatabase): Promise<SeminarBenchResult> {
  provideTestNodeBB(db);
  console.log('seminars: filtered listing page (one specialty, upcoming, 20 per page, member without access to one category)');
  const smallRedis = await startRedis();
  const smallDb = await RedisTestDatabase.connect(smallRedis.url);
  try {
    await prepare(smallDb, 1_000);
    await prepare(db, 100_000);
    for (let i = 0; i < 20; i += 1) {
      await onePage(smallDb); // warm up the JIT and both connections
      await onePage(db);
    }
    const smallSamples: { ms: number; trips: number; shown: number }[] = [];
    const largeSamples: { ms: number; trips: number; shown: number }[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      smallSamples.push(await onePage(smallDb));
      largeSamples.push(await onePage(db));
    }
    const small = summarise(smallSamples);
    const large = summarise(largeSamples);
    const ratio = large.medianMs / small.medianMs;
    console.log(`  1,000 seminars:   ${small.medianMs.toFixed(2)} ms per page (median of ${RUNS}), ${small.roundTrips} round trips, ${small.shown} shown`);
    console.log(`  100,000 seminars: ${large.medianMs.toFixed(2)} ms per page (median of ${RUNS}), ${large.roundTrips} round trips, ${large.shown} shown`);
    console.log(`  ratio: ${ratio.toFixed(2)}x (goal <= 1.5x) ${ratio <= 1.5 ? 'OK' : 'OVER GOAL'}`);
    return { smallMs: small.medianMs, largeMs: large.medianMs, ratio };
  } finally {
    await smallDb.flushAll();
    await db.flushAll();
    await smallDb.close();
    await smallRedis.stop();
    use(db);
  }
}

if (require.main === module) {
  void (async () => {
    const redis = await startRedis();
    const db = await RedisTestDatabase.connect(redis.url);
    try {
      const result = await benchSeminars(db);
      process.exitCode = result.ratio <= 1.5 ? 0 : 1;
    } finally {
      await db.close();
      await redis.stop();
    }
  })();
}
