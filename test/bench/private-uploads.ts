/**
 * Benchmark: the permission check of the private upload route, for an image shown by 1 to
 * 1,000 posts (in as many topics, spread over categories), on a real Redis. Target: at most 2
 * database round trips whatever the number of posts: one read of the upload's record, and one
 * batched read of the referring topics' current category inside NodeBB's
 * privileges.topics.filterTids (NodeBB's object cache usually answers it; here a stand-in reads
 * them from Redis as a cold cache would, and is counted). The category privileges themselves
 * come from NodeBB's group cache: the stand-in counts those checks and touches no database.
 *
 * The two page-level targets (/api/topic with 20 private images against 20 public ones, and
 * the route's median latency against NodeBB's static serving) need a running forum and are not
 * measured here.
 */
import { provideForTests } from '../../lib/nodebb';
import type { PrivilegesModule } from '../../lib/nodebb';
import { keys } from '../../lib/private-uploads/keys';
import { encodeReference } from '../../lib/private-uploads/model';
import { mayFetch } from '../../lib/private-uploads/policy';
import { getRecord } from '../../lib/private-uploads/store';
import type { RedisTestDatabase } from '../harness/redis-db';
import { medianMs, report } from './measure';

const READER = 3;
const READABLE = new Set([5]);

export async function benchPrivateUploads(db: RedisTestDatabase): Promise<void> {
  let privilegeCalls = 0;
  const privileges = {
    topics: {
      filterTids: async (_privilege: string, tids: number[], uid: number) => {
        // As NodeBB: the topics' current category in one batch, then one privilege check over those categories.
        const topics = await db.getObjects(tids.map(tid => `topic:${tid}`));
        privilegeCalls += 1;
        return uid === READER ? tids.filter((_tid, index) => READABLE.has(Number(topics[index]?.cid))) : [];
      },
    },
  } as unknown as PrivilegesModule;
  provideForTests({ privileges });
  for (const posts of [1, 10, 100, 1000]) {
    const id = `${posts}`.padStart(32, '0');
    // The one readable post is the last one: every reference is looked at.
    const refs = Object.fromEntries(Array.from({ length: posts }, (_v, i) => [`ref:${i + 1}`, encodeReference({ tid: i + 1, postDeleted: false })]));
    for (let i = 0; i < posts; i += 1) {
      await db.setObject(`topic:${i + 1}`, { tid: i + 1, cid: i === posts - 1 ? 5 : 100 + (i % 50), deleted: 0 });
    }
    await db.setObject(keys.record(id), { uid: 2, extension: '.jpg', mime: 'image/jpeg', created: Date.now(), ...refs });
    const check = async (uid: number): Promise<{ allowed: boolean; trips: number; checks: number }> => {
      privilegeCalls = 0;
      const before = db.roundTrips;
      const record = await getRecord(id);
      const allowed = record !== null && await mayFetch(uid, record);
      return { allowed, trips: db.roundTrips - before, checks: privilegeCalls };
    };
    const reader = await check(READER);
    const guest = await check(0);
    const ms = await medianMs(200, () => check(READER));
    const worst = Math.max(reader.trips, guest.trips);
    report(`  ${String(posts).padStart(4)} posts: reader ${reader.allowed ? 'allowed' : 'REFUSED'} (${reader.trips} database round trips + ${reader.checks} category privilege check), `
      + `guest ${guest.allowed ? 'ALLOWED' : 'refused'} (${guest.trips} + ${guest.checks}); ${worst} database round trips at most ${worst <= 2 ? '<=' : '>'} 2 (target); ${ms.toFixed(3)} ms median`);
  }
}
