/**
 * Badge lookup at scale: 50,000 verified members across 60 specialties on a real Redis.
 * Times the badge read for a topic page of 10, 50 and 200 posts by as many different
 * authors, and counts Redis round trips: the goal is a constant count whatever the page
 * size. A bare read of the same member hashes is timed alongside as the baseline.
 *
 * Run on its own: `npm run build && node build/test/bench/specialties.js`.
 */
import { provideForTests } from '../../lib/nodebb';
import { addBadgesToPosts } from '../../lib/specialties/badges';
import { DEFAULT_SPECIALTIES } from '../../lib/specialties/defaults';
import { keys } from '../../lib/specialties/keys';
import { saveRecords } from '../../lib/specialties/store';
import type { SpecialtyRecord } from '../../lib/specialties/model';
import { RedisTestDatabase } from '../harness/redis-db';
import { startRedis } from '../harness/redis-server';
import { medianMs } from './measure';

const MEMBERS = 50_000;
const SPECIALTIES = 60;
const RUNS = 50;

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

function taxonomy(): SpecialtyRecord[] {
  const records: SpecialtyRecord[] = DEFAULT_SPECIALTIES.map((entry, index) => ({
    slug: entry.slug, name: entry.en, nameId: entry.id, title: entry.title ?? '', customName: false, enabled: true,
    order: index + 1, policy: 'closed', cid: 100 + index, groupName: `${entry.en} physicians`, moderators: [], mergedInto: '',
  }));
  for (let n = records.length; n < SPECIALTIES; n += 1) {
    records.push({
      slug: `extra-${n}`, name: `Extra specialty ${n}`, nameId: `Spesialisasi ${n}`, title: '', customName: true, enabled: true,
      order: n + 1, policy: 'closed', cid: 100 + n, groupName: `Extra specialty ${n} physicians`, moderators: [], mergedInto: '',
    });
  }
  return records;
}

async function seed(db: RedisTestDatabase, slugs: readonly string[]): Promise<void> {
  const now = Date.now();
  const chunk = 5_000;
  for (let start = 1; start <= MEMBERS; start += chunk) {
    const hashes: [string, Record<string, string | number>][] = [];
    const indexes: [string, number, string][] = [];
    for (let uid = start; uid < start + chunk && uid <= MEMBERS; uid += 1) {
      // One to three specialties each, spread over all 60.
      const held = [slugs[uid % slugs.length], slugs[(uid * 7) % slugs.length], slugs[(uid * 13) % slugs.length]]
        .slice(0, 1 + (uid % 3)).filter((s, i, all): s is string => s !== undefined && all.indexOf(s) === i);
      hashes.push([keys.member(uid), { verified: 1, specialties: held.join(','), verifiedAt: now - uid, directoryOptOut: 0 }]);
      indexes.push([keys.verifiedMembers, now - uid, String(uid)], [keys.directoryAll, now - uid, String(uid)]);
      for (const slug of held) {
        indexes.push([keys.specialtyMembers(slug), now - uid, String(uid)], [keys.directoryListed(slug), now - uid, String(uid)]);
      }
    }
    await db.setObjectBulk(hashes);
    await db.sortedSetAddBulk(indexes);
  }
}

export async function benchSpecialties(): Promise<void> {
  const redis = await startRedis();
  const db = await RedisTestDatabase.connect(redis.url);
  try {
    await db.flushAll();
    provideForTests({ db });
    const records = taxonomy();
    await saveRecords(records);
    const seedStart = Date.now();
    await seed(db, records.map(r => r.slug));
    line(`seeded ${MEMBERS} verified members across ${records.length} specialties in ${Date.now() - seedStart} ms (${db.roundTrips} round trips)`);

    line('posts  authors  badge lookup (median ms)  round trips  bare hash read (median ms)');
    for (const size of [10, 50, 200]) {
      // Different authors spread over the whole member range.
      const posts = Array.from({ length: size }, (_, i) => ({ pid: i + 1, uid: 1 + Math.floor((i * MEMBERS) / size) }));
      const before = db.roundTrips;
      const badged = await addBadgesToPosts(posts.map(p => ({ ...p })));
      const trips = db.roundTrips - before;
      const withBadge = badged.filter(p => p?.physicianBadge).length;
      if (withBadge !== size) {
        throw new Error(`only ${withBadge} of ${size} posts got a badge`);
      }
      const badgeMs = await medianMs(RUNS, () => addBadgesToPosts(posts.map(p => ({ ...p }))));
      const bareMs = await medianMs(RUNS, () => db.getObjects(posts.map(p => keys.member(p.uid))));
      line(`${String(size).padStart(5)}  ${String(size).padStart(7)}  ${badgeMs.toFixed(3).padStart(24)}  ${String(trips).padStart(11)}  ${bareMs.toFixed(3).padStart(26)}`);
    }
  } finally {
    await db.close();
    await redis.stop();
  }
}

if (require.main === module) {
  benchSpecialties().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}
