/**
 * Mocha root hooks: one real Redis for the whole run, flushed before each test file's suite.
 */
import { startRedis, type RunningRedis } from './redis-server';
import { RedisTestDatabase } from './redis-db';
import { provideTestNodeBB } from './nodebb-stand-ins';
// Every template rendered in the run renders as NodeBB renders it: Benchpress without escaping.
import './nodebb-render';

let redis: RunningRedis | undefined;
let database: RedisTestDatabase | undefined;

export function testDatabase(): RedisTestDatabase {
  if (!database) {
    throw new Error('the test database is not connected (root hooks did not run)');
  }
  return database;
}

/** The test Redis's URL, for a second client (e.g. one that keeps value types, as Mongo and Postgres do). */
export function testRedisUrl(): string {
  if (!redis) {
    throw new Error('the test Redis is not running (root hooks did not run)');
  }
  return redis.url;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(20_000);
    redis = await startRedis();
    database = await RedisTestDatabase.connect(redis.url);
    await database.flushAll();
    provideTestNodeBB(database);
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    await database?.close();
    await redis?.stop();
  },
};
