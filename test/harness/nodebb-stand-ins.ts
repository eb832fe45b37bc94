/**
 * What the tests hand the gateway in place of NodeBB: the real-Redis database adapter,
 * a logger that records instead of printing, and small stand-ins for the few core
 * functions a test needs, written over the same database and NodeBB's own key layout.
 */
import { provideForTests } from '../../lib/nodebb';
import type { Logger } from '../../lib/nodebb';
import type { RedisTestDatabase } from './redis-db';

export interface RecordedLog {
  level: keyof Logger;
  message: string;
}

export const recordedLogs: RecordedLog[] = [];

const recordingLogger: Logger = {
  error: (message) => { recordedLogs.push({ level: 'error', message }); },
  warn: (message) => { recordedLogs.push({ level: 'warn', message }); },
  info: (message) => { recordedLogs.push({ level: 'info', message }); },
  verbose: (message) => { recordedLogs.push({ level: 'verbose', message }); },
};

export function provideTestNodeBB(db: RedisTestDatabase): void {
  const config: Record<string, unknown> = {};
  provideForTests({
    db,
    winston: recordingLogger,
    nconf: { get: (key: string) => (key === 'runJobs' ? true : undefined) },
    // NodeBB's slugify, for the names the plugin uses (letters, digits, spaces, apostrophes).
    slugify: (text: string) => text.toLowerCase().trim().replace(/['’]/g, '').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, ''),
    meta: {
      config,
      // NodeBB writes the config hash and updates every process's meta.config.
      configs: {
        set: async (field, value) => {
          await db.setObjectField('config', field, value);
          config[field] = value;
        },
      },
      settings: {
        // NodeBB keeps plugin settings in the hash settings:<hash>.
        get: async hash => (await db.getObject(`settings:${hash}`)) ?? {},
        set: async (hash, values) => { await db.setObject(`settings:${hash}`, values as Record<string, string>); },
        setOnEmpty: async (hash, values) => {
          const current = (await db.getObject(`settings:${hash}`)) ?? {};
          const missing = Object.fromEntries(Object.entries(values).filter(([key]) => !(key in current)));
          await db.setObject(`settings:${hash}`, missing as Record<string, string>);
        },
      },
    },
    userBans: {
      bans: {
        // As src/user/bans.js: user:<uid> field banned, lifted once banned:expire (ms, 0 = never) has passed.
        isBanned: async (uid: number) => {
          const user = await db.getObjectFields(`user:${uid}`, ['banned', 'banned:expire']);
          const expire = Number(user['banned:expire'] ?? 0);
          return Number(user.banned) === 1 && (expire === 0 || expire > Date.now());
        },
      },
    },
    groups: {
      // NodeBB lists every group name in the sorted set groups:createtime.
      exists: async (name: string) => db.isSortedSetMember('groups:createtime', name),
    } as never,
  });
}
