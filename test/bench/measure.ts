/**
 * Small helpers for `npm run bench`: medians over repeated runs, and a throwaway Redis
 * with the NodeBB stand-ins installed, so every figure is printed beside a baseline
 * measured in the same run on the same machine.
 */
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { RedisTestDatabase } from '../harness/redis-db';
import { startRedis, type RunningRedis } from '../harness/redis-server';

export async function medianMs(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export function ratio(value: number, baseline: number): string {
  return (value / baseline).toFixed(3);
}

export function report(line: string): void {
  process.stdout.write(`${line}\n`);
}

export interface BenchDatabase {
  db: RedisTestDatabase;
  close: () => Promise<void>;
}

export async function benchDatabase(): Promise<BenchDatabase> {
  const redis: RunningRedis = await startRedis();
  const db = await RedisTestDatabase.connect(redis.url);
  await db.flushAll();
  provideTestNodeBB(db);
  return {
    db,
    close: async () => {
      await db.close();
      await redis.stop();
    },
  };
}
