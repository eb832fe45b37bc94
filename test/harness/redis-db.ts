/**
 * A test database adapter over the `redis` npm client that implements the NodeBB database
 * methods the plugin uses, with the semantics of NodeBB 4.11.2's own Redis adapter
 * (src/database/redis/*): strings back from hashes, null for missing objects and fields,
 * numeric score checks, `count` (not stop) in range-by-score, one key per object, no prefix.
 *
 * It counts round trips to Redis (a pipeline is one), so benchmarks can show that a read
 * is batched. There is no object cache: tests always see what Redis holds.
 */
import { createClient } from 'redis';

import type { Database, StoredObject, StoredValue, WritableObject } from '../../lib/nodebb';

type RedisClient = ReturnType<typeof createClient>;
type Bound = number | '-inf' | '+inf';

function isNumber(value: unknown): boolean {
  // NodeBB's utils.isNumber: finite after parseFloat, and the whole string numeric.
  const n = typeof value === 'number' ? value : Number(value);
  return (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) && Number.isFinite(n);
}

/**
 * How hash values are kept. 'strings' is NodeBB's Redis adapter: everything comes back a
 * string. 'typed' is what NodeBB's Mongo and Postgres adapters do: a value comes back with the
 * type it was written with (numbers stay numbers, booleans booleans); it is stored as JSON.
 */
export type ValueMode = 'strings' | 'typed';

function encodeValue(value: string | number | boolean, mode: ValueMode): string {
  return mode === 'typed' ? JSON.stringify(value) : String(value);
}

function decodeValue(stored: string, mode: ValueMode): StoredValue {
  if (mode === 'strings') {
    return stored;
  }
  try {
    const parsed: unknown = JSON.parse(stored);
    return typeof parsed === 'string' || typeof parsed === 'number' || typeof parsed === 'boolean' ? parsed : stored;
  } catch {
    return stored;
  }
}

function fieldsToStrings(data: WritableObject, mode: ValueMode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(data)) {
    // Callers in JavaScript may pass null or undefined, which NodeBB skips.
    if ((value as unknown) === undefined || (value as unknown) === null || field === '') {
      continue;
    }
    out[field] = encodeValue(value, mode);
  }
  return out;
}

function emptyToNull(hash: Record<string, string>, mode: ValueMode): StoredObject | null {
  if (!Object.keys(hash).length) {
    return null;
  }
  return Object.fromEntries(Object.entries(hash).map(([field, value]) => [field, decodeValue(value, mode)]));
}

export class RedisTestDatabase implements Database {
  /** Network round trips made so far (a pipeline counts once). */
  roundTrips = 0;

  private constructor(private readonly client: RedisClient, private readonly mode: ValueMode) {}

  /** `mode` 'typed' behaves as NodeBB's Mongo and Postgres adapters do for hash values (see ValueMode). */
  static async connect(url: string, mode: ValueMode = 'strings'): Promise<RedisTestDatabase> {
    const client = createClient({ url });
    client.on('error', () => { /* surfaced by the failing command instead */ });
    await client.connect();
    return new RedisTestDatabase(client, mode);
  }

  async close(): Promise<void> {
    await this.client.quit();
  }

  async flushAll(): Promise<void> {
    this.roundTrips += 1;
    await this.client.flushDb();
  }

  private trip<T>(work: Promise<T>): Promise<T> {
    this.roundTrips += 1;
    return work;
  }

  // Keys
  exists(key: string): Promise<boolean>;
  exists(keys: string[]): Promise<boolean[]>;
  async exists(key: string | string[]): Promise<boolean | boolean[]> {
    if (Array.isArray(key)) {
      if (!key.length) {
        return [];
      }
      const batch = this.client.multi();
      key.forEach(k => batch.exists(k));
      const data = await this.trip(batch.execAsPipeline());
      return data.map(n => Number(n) === 1);
    }
    return (await this.trip(this.client.exists(key))) === 1;
  }

  async delete(key: string): Promise<void> {
    await this.trip(this.client.del(key));
  }

  async deleteAll(keys: string[]): Promise<void> {
    if (!keys.length) {
      return;
    }
    await this.trip(this.client.del(keys));
  }

  async expire(key: string, seconds: number): Promise<void> {
    await this.trip(this.client.expire(key, seconds));
  }

  async ttl(key: string): Promise<number> {
    return this.trip(this.client.ttl(key));
  }

  async pttl(key: string): Promise<number> {
    return this.trip(this.client.pTTL(key));
  }

  async pexpire(key: string, ms: number): Promise<void> {
    await this.trip(this.client.pExpire(key, ms));
  }

  async scan(params: { match: string }): Promise<string[]> {
    const found = new Set<string>();
    for await (const batch of this.client.scanIterator({ MATCH: params.match, COUNT: 1000 })) {
      this.roundTrips += 1;
      // redis v4 yields one key at a time, v5 a batch of keys.
      for (const key of ([] as string[]).concat(batch)) {
        found.add(key);
      }
    }
    return [...found];
  }

  async type(key: string): Promise<string | null> {
    const type = await this.trip(this.client.type(key));
    return type !== 'none' ? type : null;
  }

  async rename(oldKey: string, newKey: string): Promise<void> {
    try {
      await this.trip(this.client.rename(oldKey, newKey));
    } catch (err) {
      // As NodeBB's adapter: renaming a missing key does nothing.
      if (!(err instanceof Error) || err.message !== 'ERR no such key') {
        throw err;
      }
    }
  }

  // Hashes
  async setObject(key: string, data: WritableObject): Promise<void> {
    if (!key) {
      return;
    }
    const strings = fieldsToStrings(data, this.mode);
    if (!Object.keys(strings).length) {
      return;
    }
    await this.trip(this.client.hSet(key, strings));
  }

  async setObjectBulk(data: [string, WritableObject][]): Promise<void> {
    // As NodeBB: one batch; entries whose fields are all null/undefined write nothing.
    const writes = data.map(([key, fields]): [string, Record<string, string>] => [key, fieldsToStrings(fields, this.mode)])
      .filter(([key, fields]) => key && Object.keys(fields).length);
    if (!writes.length) {
      return;
    }
    const batch = this.client.multi();
    writes.forEach(([key, fields]) => batch.hSet(key, fields));
    await this.trip(batch.execAsPipeline());
  }

  async setObjectField(key: string, field: string, value: string | number | boolean): Promise<void> {
    if (!field || (value as unknown) === null || (value as unknown) === undefined) {
      return;
    }
    await this.trip(this.client.hSet(key, field, encodeValue(value, this.mode)));
  }

  async getObject(key: string): Promise<StoredObject | null> {
    if (!key) {
      return null;
    }
    return emptyToNull(await this.trip(this.client.hGetAll(key)), this.mode);
  }

  async getObjects(keys: string[]): Promise<(StoredObject | null)[]> {
    if (!keys.length) {
      return [];
    }
    const batch = this.client.multi();
    keys.forEach(k => batch.hGetAll(k));
    const data = await this.trip(batch.execAsPipeline()) as unknown as Record<string, string>[];
    return data.map(hash => emptyToNull(hash, this.mode));
  }

  async getObjectField(key: string, field: string): Promise<StoredValue> {
    if (!key || !field) {
      return null;
    }
    const stored = await this.trip(this.client.hGet(key, field));
    return stored === null ? null : decodeValue(stored, this.mode);
  }

  async getObjectFields(key: string, fields: string[]): Promise<StoredObject> {
    const [result] = await this.getObjectsFields([key], fields);
    return result ?? {};
  }

  async getObjectsFields(keys: string[], fields: string[]): Promise<StoredObject[]> {
    const objects = await this.getObjects(keys);
    if (!fields.length) {
      return objects.map(o => o ?? {});
    }
    return objects.map((o) => {
      const picked: StoredObject = {};
      for (const field of fields) {
        picked[field] = o?.[field] ?? null;
      }
      return picked;
    });
  }

  async incrObjectField(key: string, field: string): Promise<number> {
    return this.incrObjectFieldBy(key, field, 1);
  }

  async incrObjectFieldBy(key: string, field: string, value: number): Promise<number> {
    return this.trip(this.client.hIncrBy(key, field, Math.trunc(value)));
  }

  async deleteObjectField(key: string, field: string): Promise<void> {
    if (!key || !field) {
      return;
    }
    await this.trip(this.client.hDel(key, field));
  }

  async deleteObjectFields(key: string, fields: string[]): Promise<void> {
    const wanted = fields.filter(Boolean);
    if (!key || !wanted.length) {
      return;
    }
    await this.trip(this.client.hDel(key, wanted));
  }

  // Sorted sets
  sortedSetAdd(key: string, score: number, value: string): Promise<void>;
  sortedSetAdd(key: string, scores: number[], values: string[]): Promise<void>;
  async sortedSetAdd(key: string, score: number | number[], value: string | string[]): Promise<void> {
    if (!key) {
      return;
    }
    if (Array.isArray(score) && Array.isArray(value)) {
      if (!score.length || !value.length) {
        return;
      }
      if (score.length !== value.length) {
        throw new Error('[[error:invalid-data]]');
      }
      score.forEach((s) => {
        if (!isNumber(s)) {
          throw new Error(`[[error:invalid-score, ${s}]]`);
        }
      });
      await this.trip(this.client.zAdd(key, score.map((s, i) => ({ score: s, value: String(value[i]) }))));
      return;
    }
    if (!isNumber(score)) {
      throw new Error(`[[error:invalid-score, ${String(score)}]]`);
    }
    await this.trip(this.client.zAdd(key, { score: Number(score), value: String(value) }));
  }

  async sortedSetsAdd(keys: string[], score: number, value: string): Promise<void> {
    if (!keys.length) {
      return;
    }
    if (!isNumber(score)) {
      throw new Error(`[[error:invalid-score, ${score}]]`);
    }
    const batch = this.client.multi();
    keys.filter(Boolean).forEach(k => batch.zAdd(k, { score, value }));
    await this.trip(batch.execAsPipeline());
  }

  async sortedSetAddBulk(data: [string, number, string][]): Promise<void> {
    if (!data.length) {
      return;
    }
    for (const [, score] of data) {
      if (!isNumber(score)) {
        throw new Error(`[[error:invalid-score, ${score}]]`);
      }
    }
    const batch = this.client.multi();
    data.forEach(([k, score, value]) => batch.zAdd(k, { score, value }));
    await this.trip(batch.execAsPipeline());
  }

  async sortedSetRemove(key: string | string[], value: string | string[]): Promise<void> {
    const keys = Array.isArray(key) ? key : [key];
    const values = (Array.isArray(value) ? value : [value]).map(String);
    if (!keys.length || !values.length) {
      return;
    }
    const batch = this.client.multi();
    keys.forEach(k => batch.zRem(k, values));
    await this.trip(batch.execAsPipeline());
  }

  async sortedSetScore(key: string, value: string): Promise<number | null> {
    const score = await this.trip(this.client.zScore(key, value));
    return score ?? null;
  }

  async sortedSetScores(key: string, values: string[]): Promise<(number | null)[]> {
    if (!values.length) {
      return [];
    }
    const scores = await this.trip(this.client.zmScore(key, values.map(String)));
    return scores.map(s => s ?? null);
  }

  async sortedSetCard(key: string): Promise<number> {
    return this.trip(this.client.zCard(key));
  }

  async sortedSetCount(key: string, min: Bound, max: Bound): Promise<number> {
    return this.trip(this.client.zCount(key, min, max));
  }

  async isSortedSetMember(key: string, value: string): Promise<boolean> {
    return (await this.sortedSetScore(key, value)) !== null;
  }

  async isSortedSetMembers(key: string, values: string[]): Promise<boolean[]> {
    return (await this.sortedSetScores(key, values)).map(s => s !== null);
  }

  async getSortedSetRange(key: string, start: number, stop: number): Promise<string[]> {
    return this.trip(this.client.zRange(key, start, stop));
  }

  async getSortedSetRevRange(key: string, start: number, stop: number): Promise<string[]> {
    return this.trip(this.client.zRange(key, start, stop, { REV: true }));
  }

  async getSortedSetRangeWithScores(key: string, start: number, stop: number): Promise<{ value: string; score: number }[]> {
    return this.trip(this.client.zRangeWithScores(key, start, stop));
  }

  async getSortedSetRevRangeWithScores(key: string, start: number, stop: number): Promise<{ value: string; score: number }[]> {
    return this.trip(this.client.zRangeWithScores(key, start, stop, { REV: true }));
  }

  async getSortedSetRangeByScore(key: string, start: number, count: number, min: Bound, max: Bound): Promise<string[]> {
    return this.rangeByScore(key, start, count, min, max, false);
  }

  async getSortedSetRevRangeByScore(key: string, start: number, count: number, max: Bound, min: Bound): Promise<string[]> {
    return this.rangeByScore(key, start, count, max, min, true);
  }

  async getSortedSetRangeByScoreWithScores(key: string, start: number, count: number, min: Bound, max: Bound): Promise<{ value: string; score: number }[]> {
    return this.rangeByScoreWithScores(key, start, count, min, max, false);
  }

  async getSortedSetRevRangeByScoreWithScores(key: string, start: number, count: number, max: Bound, min: Bound): Promise<{ value: string; score: number }[]> {
    return this.rangeByScoreWithScores(key, start, count, max, min, true);
  }

  private async rangeByScoreWithScores(key: string, start: number, count: number, from: Bound, to: Bound, rev: boolean): Promise<{ value: string; score: number }[]> {
    if (count === 0) {
      return [];
    }
    return this.trip(this.client.zRangeWithScores(key, from, to, {
      BY: 'SCORE',
      ...(rev ? { REV: true } : {}),
      LIMIT: { offset: start, count: count === -1 ? -1 : count },
    }));
  }

  private async rangeByScore(key: string, start: number, count: number, from: Bound, to: Bound, rev: boolean): Promise<string[]> {
    if (count === 0) {
      return [];
    }
    // As NodeBB: count -1 means "to the end".
    return this.trip(this.client.zRange(key, from, to, {
      BY: 'SCORE',
      ...(rev ? { REV: true } : {}),
      LIMIT: { offset: start, count: count === -1 ? -1 : count },
    }));
  }

  // Sets
  async setAdd(key: string, value: string | string[]): Promise<void> {
    const values = (Array.isArray(value) ? value : [value]).map(String);
    if (!values.length) {
      return;
    }
    await this.trip(this.client.sAdd(key, values));
  }

  async setRemove(key: string, value: string | string[]): Promise<void> {
    const values = (Array.isArray(value) ? value : [value]).map(String);
    if (!values.length) {
      return;
    }
    await this.trip(this.client.sRem(key, values));
  }

  async isSetMember(key: string, value: string): Promise<boolean> {
    return (await this.trip(this.client.sIsMember(key, value))) === 1;
  }

  async getSetMembers(key: string): Promise<string[]> {
    return this.trip(this.client.sMembers(key));
  }
}
