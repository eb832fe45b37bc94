/**
 * Stand-ins for the NodeBB core parts the verification capability uses, written over the
 * real test database with NodeBB's own key layout (src/groups/membership.js,
 * src/privileges/users.js, src/user/data.js): `group:<name>:members` sorted sets,
 * administrators and "Global Moderators" as groups, and `user:<uid>` hashes.
 * Notifications are recorded, not delivered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { nodebb, provideForTests } from '../../lib/nodebb';
import type { NodeBBCore, Notification } from '../../lib/nodebb';
import type { MembershipPort } from '../../lib/verification/model';
import type { RedisTestDatabase } from './redis-db';

export interface PushedNotification {
  uids: number[];
  notification: Notification;
}

export interface VerificationWorld {
  baseDir: string;
  documentsDir: string;
  pushed: PushedNotification[];
  /** Records each call and keeps who is verified with which specialties, as the real membership would. */
  membership: MembershipPort & {
    calls: { op: 'grant' | 'remove'; uid: number; specialties?: string[] }[];
    failNext: boolean;
    verified: Map<number, string[]>;
  };
  addUser(uid: number, username: string): Promise<void>;
  joinGroup(uid: number, group: string): Promise<void>;
  restore(): void;
}

export function installVerificationWorld(db: RedisTestDatabase): VerificationWorld {
  provideForTests({ db });
  const saved: Partial<NodeBBCore> = { nconf: nodebb.nconf, groups: nodebb.groups };
  const baseDir = mkdtempSync(join(tmpdir(), 'pn-nodebb-'));
  const pushed: PushedNotification[] = [];
  const config: Record<string, unknown> = {
    base_dir: baseDir,
    upload_path: join(baseDir, 'public', 'uploads'),
    secret: 'a-nodebb-secret-for-tests',
    runJobs: true,
  };
  // Core stand-ins read whichever database is provided at call time (the benchmark switches it).
  const isMember = async (uid: number, group: string): Promise<boolean> => nodebb.db.isSortedSetMember(`group:${group}:members`, String(uid));
  provideForTests({
    nconf: { get: (key: string) => config[key] },
    user: {
      exists: async uid => nodebb.db.exists(`user:${uid}`),
      getUserFields: async (uid, fields) => nodebb.db.getObjectFields(`user:${uid}`, fields),
      getUsersFields: async (uids, fields) => nodebb.db.getObjectsFields(uids.map(uid => `user:${uid}`), fields),
      isAdministrator: async uid => isMember(uid, 'administrators'),
      isGlobalModerator: async uid => isMember(uid, 'Global Moderators'),
      getUidByUserslug: async () => null,
      setCategoryWatchState: async () => { /* verification never changes watch states itself */ },
      associateUpload: async () => { throw new Error('verification documents are never NodeBB uploads'); },
    },
    groups: {
      ...saved.groups,
      isMember,
    } as NodeBBCore['groups'],
    notifications: {
      create: async data => ({ ...data }),
      push: async (notification, uids) => { pushed.push({ notification, uids: Array.isArray(uids) ? uids : [uids] }); },
      pushGroup: async () => { /* unused */ },
    },
  });
  const membership: VerificationWorld['membership'] = {
    calls: [],
    failNext: false,
    verified: new Map(),
    grantVerification: async (uid, specialties) => {
      if (membership.failNext) {
        membership.failNext = false;
        throw new Error('membership unavailable');
      }
      membership.calls.push({ op: 'grant', uid, specialties });
      membership.verified.set(uid, [...specialties]);
    },
    removeVerification: async (uid) => {
      membership.calls.push({ op: 'remove', uid });
      membership.verified.delete(uid);
    },
    verificationOf: async uid => ({ verified: membership.verified.has(uid), specialties: [...(membership.verified.get(uid) ?? [])] }),
  };
  return {
    baseDir,
    documentsDir: join(baseDir, 'physician-network-documents'),
    pushed,
    membership,
    addUser: async (uid, username) => {
      await db.setObject(`user:${uid}`, { uid, username, userslug: username.toLowerCase() });
    },
    joinGroup: async (uid, group) => {
      await db.sortedSetAdd(`group:${group}:members`, Date.now(), String(uid));
    },
    restore: () => {
      provideForTests(saved);
      rmSync(baseDir, { recursive: true, force: true });
    },
  };
}

/** Sets nconf values (documents_path, document_key) on top of the world's; returns the undo. */
export function setNconf(values: Record<string, unknown>): () => void {
  const previous = nodebb.nconf;
  provideForTests({ nconf: { get: (key: string) => (key in values ? values[key] : previous.get(key)) } });
  return () => { provideForTests({ nconf: previous }); };
}
