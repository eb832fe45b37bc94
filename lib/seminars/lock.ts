/**
 * A per-seminar lock from NodeBB's db API alone (no transactions on Redis or Mongo): the
 * caller whose `incrObjectField` raises the counter to 1 holds it and writes its own holder
 * token into the lock. The key expires, so a crashed holder blocks the seminar for seconds,
 * not forever. RSVPs and saves of one seminar run under it, one at a time, in every process.
 *
 * Release deletes the lock only while it still carries the releaser's token: a holder that
 * outlived the expiry (a slow database, a long pause) must not free the lock another caller
 * took in the meantime. NodeBB's db API has no compare-and-delete, so the check and the
 * delete are two calls; the window between them is one round trip, against an expiry of
 * seconds, which is as close as that API allows.
 */
import { randomBytes } from 'node:crypto';

import { UserFacingError } from '../common/user-error';
import { raiseLockCounter, markLockHolder, releaseLockHeldBy, expireLockWithoutExpiry } from './lock-store';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => { setTimeout(resolve, ms); });
}

/** How long a lock outlives a crashed holder, and how long a caller waits for it (tests shorten them). */
export const SEMINAR_LOCK_TIMINGS = { ttlSeconds: 30, maxWaitMs: 15_000 };

/** Run `work` holding the seminar's lock. */
export async function withSeminarLock<T>(tid: number, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt += 1) {
    const holders = await raiseLockCounter(tid);
    if (holders === 1) {
      const token = randomBytes(16).toString('hex');
      try {
        await markLockHolder(tid, token, SEMINAR_LOCK_TIMINGS.ttlSeconds);
        return await work();
      } finally {
        await releaseLockHeldBy(tid, token);
      }
    }
    if (attempt % 25 === 24) {
      // A holder that crashed between taking the lock and setting its expiry would block
      // forever: give such a lock the expiry it lacks (never extend one that has it).
      await expireLockWithoutExpiry(tid, SEMINAR_LOCK_TIMINGS.ttlSeconds);
    }
    if (Date.now() - started > SEMINAR_LOCK_TIMINGS.maxWaitMs) {
      throw new UserFacingError('error.seminars-busy', [], 503);
    }
    await sleep(2 + Math.floor(Math.random() * Math.min(50, 5 + attempt * 2)));
  }
}
