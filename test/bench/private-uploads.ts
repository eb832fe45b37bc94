/**
 * Benchmark: the permission check of the private upload route, for an image shown by 1 to
 * 1,000 posts (spread over categories), on a real Redis. Target: at most 2 database round
 * trips whatever the number of posts: one read of the upload's record, and one batched NodeBB
 * privilege check over the categories involved (NodeBB answers it from its group cache; here a
 * stand-in that counts its calls and touches no database).
 *
 * The two page-level targets (/api/topic with 20 private images against 20 public ones, and
 * the route's median latency against NodeBB's static serving) need a running forum and are not
 * measured here.
 */
import { provideForTests } from '../../lib/nodebb';
import type { PrivilegesModule } from '../../lib/nodebb';
import { getRecord, mayFetch } from '../../lib/private-uploads';
import { encodeReference, recordKey } from '../../lib/private-uploads/records';
import type { RedisTestDatabase } from '../harness/redis-db';
import { medianMs, report } from './measure';

const READER = 3;
const READABLE = new Set([5]);

export async function benchPrivateUploads(db: RedisTestDatabase): Promise<void> {
  let privilegeCalls = 0;
  const privileges = {
    categories: {
      filterCids: async (_privilege: string, cids: number[], uid: number) => {
        privilegeCalls += 1;
        return uid === READER ? cids.filter(cid => READABLE.has(cid)) : [];
      },
    },
  } as unknown as PrivilegesModule;
  provideForTests({ privileges });
  for (const posts of [1, 10, 100, 1000]) {
    const id = `${posts}`.padStart(32, '0');
    // The one readable post is the last one: every reference is looked at.
    const refs = Object.fromEntries(Array.from({ length: posts }, (_v, i) => [
      `ref:${i + 1}`, encodeReference({ cid: i === posts - 1 ? 5 : 100 + (i % 50), tid: i + 1, postDeleted: false, topicDeleted: false }),
    ]));
    await db.setObject(recordKey(id), { uid: 2, extension: '.jpg', mime: 'image/jpeg', created: Date.now(), ...refs });
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
    const worst = Math.max(reader.trips + reader.checks, guest.trips + guest.checks);
    report(`  ${String(posts).padStart(4)} posts: reader ${reader.allowed ? 'allowed' : 'REFUSED'} (${reader.trips} database read + ${reader.checks} privilege check), `
      + `guest ${guest.allowed ? 'ALLOWED' : 'refused'} (${guest.trips} + ${guest.checks}); ${worst} round trips at most ${worst <= 2 ? '<=' : '>'} 2 (target); ${ms.toFixed(3)} ms median`);
  }
}
