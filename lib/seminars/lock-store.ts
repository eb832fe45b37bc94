/**
 * The seminar lock's database steps (lock.ts holds the protocol): a hash per seminar with a
 * `holders` counter and the current `holder` token, expiring. lock.ts imports this file
 * directly rather than through store.ts, which itself runs its writes under the lock.
 */
import { nodebb } from '../nodebb';
import { keys } from './keys';

/** Raise the seminar's lock counter; the caller that reads 1 holds the lock. */
export async function raiseLockCounter(tid: number): Promise<number> {
  return nodebb.db.incrObjectField(keys.lock(tid), 'holders');
}

/** The holder writes its token, then gives the lock its expiry. */
export async function markLockHolder(tid: number, token: string, ttlSeconds: number): Promise<void> {
  const key = keys.lock(tid);
  await nodebb.db.setObjectField(key, 'holder', token);
  await nodebb.db.expire(key, ttlSeconds);
}

/** Delete the lock only while it still carries `token` (check, then delete: two calls, see lock.ts). */
export async function releaseLockHeldBy(tid: number, token: string): Promise<void> {
  const key = keys.lock(tid);
  if (await nodebb.db.getObjectField(key, 'holder') === token) {
    await nodebb.db.delete(key);
  }
}

/** Give a lock with no expiry (its holder crashed before setting one) the expiry it lacks; never extend one that has it. */
export async function expireLockWithoutExpiry(tid: number, ttlSeconds: number): Promise<void> {
  const key = keys.lock(tid);
  const ttl = await nodebb.db.ttl(key);
  if (ttl === -1 || ttl < -86_400) {
    await nodebb.db.expire(key, ttlSeconds);
  }
}
