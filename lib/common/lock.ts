/**
 * A forum-wide lock from NodeBB's database API alone, for work that must happen once however
 * many NodeBB processes start at the same time. NodeBB's `transaction()` does nothing on
 * Redis and Mongo, so the lock is a counter: the caller whose `incrObjectField` makes it 1
 * holds it. It expires, so a crashed holder blocks the work for minutes, not forever; and
 * the holder leaves its token in the lock, so only the holder releases it (a holder that
 * outlived the expiry never deletes a lock someone else has taken since).
 */
import { randomUUID } from 'node:crypto';

import { nodebb } from '../nodebb';
import { keys } from './keys';

export type LockOutcome<T> = { held: true; value: T } | { held: false };

/** Redis says -1 for a key without expiry; Mongo and Postgres give a large negative number. */
function hasNoExpiry(ttl: number): boolean {
  return ttl === -1 || ttl < -86_400;
}

/**
 * Run `work` if this caller gets the lock `name`; otherwise return `{ held: false }` at once
 * (another process is doing the same work). Errors from `work` propagate after the release.
 */
export async function withForumLock<T>(name: string, ttlSeconds: number, work: () => Promise<T>): Promise<LockOutcome<T>> {
  const { db } = nodebb;
  const key = keys.lock(name);
  const claim = await db.incrObjectField(key, 'holders');
  if (claim !== 1) {
    // A holder that crashed between taking the lock and setting its expiry would block the
    // work for good: give such a lock the expiry it lacks (never extend one that has it).
    if (hasNoExpiry(await db.ttl(key))) {
      await db.expire(key, ttlSeconds);
    }
    return { held: false };
  }
  const token = randomUUID();
  await db.setObjectField(key, 'holder', token);
  await db.expire(key, ttlSeconds);
  try {
    return { held: true, value: await work() };
  } finally {
    const holder = await db.getObjectField(key, 'holder');
    if (holder === token) {
      await db.delete(key);
    }
  }
}
