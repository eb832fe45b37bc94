/**
 * Moving seminar data from the unprefixed layout (`seminar:<tid>`, `seminars:*`,
 * `seminar-pending:<id>`) to keys.ts, for the upgrade script physician-network-seminar-keys.
 *
 * NodeBB runs upgrade scripts before it starts (it refuses to start with one pending), so the
 * new keys are written only by this move, while processes still running the old code may keep
 * writing the old ones. Hence, per old key:
 * - the new key is free: rename, which moves the value and its expiry at once (Redis RENAME,
 *   one transaction on Postgres), so nothing written meanwhile is lost;
 * - the new key exists (an earlier, interrupted run, or the old key was written again after
 *   its move): merge the old into it, the old winning (it is the later write), then delete it.
 * Running it again moves whatever is left, so it is idempotent and resumable; keys that are not
 * of the old layout are left alone.
 *
 * This is the one file of the capability besides store.ts (and the `*-store.ts` files it
 * re-exports) that calls NodeBB's database itself: it moves raw keys of every type, by key
 * and pattern, which is the upgrade's job and no use case's.
 */
import { nodebb } from '../nodebb';
import { currentKeyOf, LEGACY_KEY_PATTERNS } from './keys';

const BATCH = 500;

export interface KeyMoveReport {
  renamed: number;
  merged: number;
}

async function mergeSortedSet(from: string, to: string): Promise<void> {
  const { db } = nodebb;
  for (let start = 0; ; start += BATCH) {
    const rows = await db.getSortedSetRangeWithScores(from, start, start + BATCH - 1);
    if (!rows.length) {
      return;
    }
    await db.sortedSetAdd(to, rows.map(row => row.score), rows.map(row => row.value));
  }
}

async function mergeValue(from: string, to: string, type: string): Promise<void> {
  const { db } = nodebb;
  if (type === 'hash') {
    const fields = await db.getObject(from) ?? {};
    const writable = Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string | number | boolean] => entry[1] !== null && entry[1] !== undefined));
    await db.setObject(to, writable);
  } else if (type === 'zset') {
    await mergeSortedSet(from, to);
  } else if (type === 'set') {
    await db.setAdd(to, await db.getSetMembers(from));
  } else {
    // The old layout wrote hashes, sorted sets and sets only: anything else is not ours to guess at.
    throw new Error(`${from} is a ${type}, which the seminar layout never wrote; left in place`);
  }
  const ttl = await db.pttl(from);
  if (ttl > 0) {
    await db.pexpire(to, ttl);
  }
}

async function moveKey(from: string, to: string, report: KeyMoveReport): Promise<void> {
  const { db } = nodebb;
  const type = await db.type(from);
  if (type === null) {
    return;
  }
  if (!await db.exists(to)) {
    await db.rename(from, to);
    report.renamed += 1;
    return;
  }
  await mergeValue(from, to, type);
  await db.delete(from);
  report.merged += 1;
}

/** Every key of the old layout moved to keys.ts; `onKey` is called after each (upgrade progress). */
export async function moveLegacySeminarKeys(onKey?: () => void): Promise<KeyMoveReport> {
  const report: KeyMoveReport = { renamed: 0, merged: 0 };
  for (const match of LEGACY_KEY_PATTERNS) {
    for (const from of await nodebb.db.scan({ match })) {
      const to = currentKeyOf(from);
      if (to !== null) {
        await moveKey(from, to, report);
        onKey?.();
      }
    }
  }
  return report;
}
