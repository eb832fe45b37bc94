/**
 * A fresh, empty database for each test forum, in a temp dir on a free port: Debian's
 * redis-server, or Debian's PostgreSQL (which refuses to run as root, so as root it runs as
 * the `postgres` user, with its data dir and socket in a temp dir that user owns).
 */
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, startFreshRedis } from '../harness/redis-server';
import { fileTail, runCommand, startServer, type Teardown } from './processes';

export type DatabaseKind = 'redis' | 'postgres';

export interface ForumDatabase {
  kind: DatabaseKind;
  /** The database fields of NodeBB's `./nodebb setup` JSON. */
  setupFields: Record<string, string | number>;
  stop(): Promise<void>;
}

async function startRedisDatabase(): Promise<ForumDatabase> {
  const redis = await startFreshRedis();
  const { hostname, port } = new URL(redis.url);
  return {
    kind: 'redis',
    setupFields: { database: 'redis', 'redis:host': hostname, 'redis:port': Number(port), 'redis:password': '', 'redis:database': 0 },
    stop: () => redis.stop(),
  };
}

/** Debian installs each major version under /usr/lib/postgresql/<major>/bin; PG_BIN overrides. */
function postgresBinDir(): string {
  const given = process.env.PG_BIN;
  if (given) {
    return given;
  }
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base) ? readdirSync(base).filter(name => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = majors.map(major => join(base, major, 'bin')).find(dir => existsSync(join(dir, 'postgres')));
  if (!found) {
    throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/postgres; Debian: apt-get install postgresql, or set PG_BIN)');
  }
  return found;
}

/** As root, the uid/gid of the `postgres` user to run the server as; otherwise run as ourselves. */
async function postgresUser(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) {
    return null;
  }
  const uid = Number((await runCommand('id', ['-u', 'postgres'])).trim());
  const gid = Number((await runCommand('id', ['-g', 'postgres'])).trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error('running as root, PostgreSQL needs the unprivileged user "postgres" (Debian\'s postgresql package creates it)');
  }
  return { uid, gid };
}

async function startPostgresDatabase(logDir: string): Promise<ForumDatabase> {
  const bin = postgresBinDir();
  const user = await postgresUser();
  // Its own temp dir, not inside the forum's (which only root may enter).
  const dir = mkdtempSync(join(tmpdir(), 'pn-forum-pg-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chownSync(dataDir, user.uid, user.gid);
  }
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  const logFile = join(logDir, 'postgres.log');
  try {
    await runCommand(join(bin, 'initdb'), ['-D', dataDir, '-U', 'nodebb', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], { ...asUser, cwd: dir, logFile });
    const port = await freePort();
    // A throwaway database: durability settings off, for speed.
    const server = startServer('postgres', join(bin, 'postgres'), [
      '-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    ], { ...asUser, cwd: dir, logFile, stopSignal: 'SIGINT' /* "fast" shutdown: do not wait for clients */ });
    const stop = async (): Promise<void> => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          await runCommand(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'nodebb', '-d', 'postgres'], { timeoutMs: 10_000 });
          break;
        } catch (err) {
          if (server.hasExited() || Date.now() > deadline) {
            throw new Error(`PostgreSQL did not start: ${err instanceof Error ? err.message : String(err)}\n${fileTail(logFile)}`);
          }
          await new Promise((resolve) => { setTimeout(resolve, 250); });
        }
      }
      await runCommand(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'nodebb', 'nodebb'], { logFile });
    } catch (err) {
      await stop();
      throw err;
    }
    return {
      kind: 'postgres',
      setupFields: {
        database: 'postgres', 'postgres:host': '127.0.0.1', 'postgres:port': port,
        // Trust authentication on 127.0.0.1: the password is not checked, but NodeBB wants one.
        'postgres:username': 'nodebb', 'postgres:password': 'nodebb', 'postgres:database': 'nodebb',
      },
      stop,
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Starts an empty database of the given kind; it is stopped and deleted by the teardown. */
export async function startDatabase(kind: DatabaseKind, logDir: string, teardown: Teardown): Promise<ForumDatabase> {
  const database = kind === 'redis' ? await startRedisDatabase() : await startPostgresDatabase(logDir);
  teardown.add(`stop the ${kind} database`, () => database.stop());
  return database;
}
