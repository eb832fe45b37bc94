/**
 * Benchmark: the first page of the verification queue with 10 and with 10,000 pending
 * requests, on a real Redis. The queue reads one page of a sorted set, so both should cost
 * the same (goal: ratio ≤ 1.2).
 *
 * The two data sets live in two Redis databases of one server, and reads alternate between
 * them, so JIT warm-up, GC and machine noise fall on both alike; medians are compared.
 * Requests are seeded straight into the service's key layout (bulk writes), since only the
 * read is measured.
 */
import { performance } from 'node:perf_hooks';

import { nodebb, provideForTests } from '../../lib/nodebb';
import type { RegistrationType } from '../../lib/verification/model';
import { createVerificationService, type VerificationService } from '../../lib/verification/service';
import { keys } from '../../lib/verification/keys';
import { toStored } from '../../lib/verification/store';
import { startRedis } from '../harness/redis-server';
import { RedisTestDatabase } from '../harness/redis-db';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { installVerificationWorld } from '../harness/verification-stand-ins';

const REVIEWER_UID = 1;
// With 10 pending requests the first page holds 10 rows; reading 10 rows in both cases
// isolates what the size of the queue costs, which is what the goal is about.
const PER_PAGE = 10;
const WARM_UP = 200;
const SAMPLES = 1000;
const TYPES: RegistrationType[] = ['str', 'npi', 'gmc', 'big', 'se-legitimation'];

async function seed(db: RedisTestDatabase, count: number): Promise<void> {
  await db.flushAll();
  await db.setObject(`user:${REVIEWER_UID}`, { uid: REVIEWER_UID, username: 'reviewer', userslug: 'reviewer' });
  await db.sortedSetAdd('group:administrators:members', Date.now(), String(REVIEWER_UID));
  const start = Date.UTC(2026, 0, 1);
  const batch = 500;
  for (let from = 0; from < count; from += batch) {
    const work: Promise<void>[] = [];
    const bulk: [string, number, string][] = [];
    for (let i = from; i < Math.min(count, from + batch); i += 1) {
      const rid = i + 1;
      const uid = 1000 + i;
      const type = TYPES[i % TYPES.length] ?? 'big';
      const at = start + i * 1000;
      work.push(db.setObject(`user:${uid}`, { uid, username: `member${uid}`, userslug: `member${uid}` }));
      work.push(db.setObject(keys.request(rid), toStored({
        rid, uid, status: 'pending', round: 0, registrationType: type, registrationNumber: '12345678901', country: 'NL',
        fullName: `Dr. Member ${uid}`, specialties: ['cardiology'], inTraining: false, institution: 'Hospital',
        licenceExpiry: '', submittedAt: at, updatedAt: at, submissions: 1, documents: [],
      })));
      bulk.push([keys.queue('pending'), at, String(rid)], [keys.queueByType('pending', type), at, String(rid)], [keys.memberRequests(uid), at, String(rid)]);
    }
    await Promise.all(work);
    await db.sortedSetAddBulk(bulk);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

interface Measured { medianMs: number; roundTrips: number; total: number }

async function readFirstPage(db: RedisTestDatabase, service: VerificationService): Promise<{ ms: number; trips: number; total: number }> {
  provideForTests({ db });
  const trips = db.roundTrips;
  const startedAt = performance.now();
  const page = await service.listQueue({ uid: REVIEWER_UID }, { perPage: PER_PAGE });
  return { ms: performance.now() - startedAt, trips: db.roundTrips - trips, total: page.total };
}

export async function benchVerification(): Promise<void> {
  const redis = await startRedis();
  const small = await RedisTestDatabase.connect(`${redis.url}/1`);
  const large = await RedisTestDatabase.connect(`${redis.url}/2`);
  try {
    provideTestNodeBB(small);
    const world = installVerificationWorld(small);
    // Settings are read from whichever database is being measured.
    provideForTests({
      meta: {
        config: {},
        configs: { set: async () => { /* not used */ } },
        settings: {
          get: async hash => (await nodebb.db.getObject(`settings:${hash}`)) ?? {},
          set: async () => { /* not used */ },
          setOnEmpty: async () => { /* not used */ },
        },
      },
    });
    const service = createVerificationService({ membership: world.membership, isKnownSpecialty: async () => true });
    await seed(small, 10);
    await seed(large, 10_000);
    const samples = { small: [] as number[], large: [] as number[] };
    const measured: Record<'small' | 'large', Measured> = {
      small: { medianMs: 0, roundTrips: 0, total: 0 },
      large: { medianMs: 0, roundTrips: 0, total: 0 },
    };
    for (let i = 0; i < WARM_UP + SAMPLES; i += 1) {
      // Alternate which goes first, so neither always follows the other.
      const order: ('small' | 'large')[] = i % 2 === 0 ? ['small', 'large'] : ['large', 'small'];
      for (const which of order) {
        const result = await readFirstPage(which === 'small' ? small : large, service);
        if (i >= WARM_UP) {
          samples[which].push(result.ms);
          measured[which].roundTrips = result.trips;
          measured[which].total = result.total;
        }
      }
    }
    measured.small.medianMs = median(samples.small);
    measured.large.medianMs = median(samples.large);
    world.restore();
    const ratio = measured.large.medianMs / measured.small.medianMs;
    console.log(`verification queue, first page (${PER_PAGE} rows), median of ${SAMPLES} alternating reads on real Redis:`);
    console.log(`  ${measured.small.total} pending: ${measured.small.medianMs.toFixed(3)} ms, ${measured.small.roundTrips} round trips`);
    console.log(`  ${measured.large.total} pending: ${measured.large.medianMs.toFixed(3)} ms, ${measured.large.roundTrips} round trips`);
    console.log(`  ratio 10,000 / 10: ${ratio.toFixed(2)}x (goal <= 1.2x) ${ratio <= 1.2 ? 'OK' : 'OVER GOAL'}`);
  } finally {
    await small.close();
    await large.close();
    await redis.stop();
  }
}

if (require.main === module) {
  benchVerification().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
