/**
 * Stand-ins for NodeBB's category privileges and notifications, for the seminar tests and
 * benchmark, over the real test database with NodeBB's own key layout:
 * - `group:<name>:members` (sorted set of uids), `group:administrators:members`;
 * - a category privilege is itself a group: `cid:<cid>:privileges:<priv>` holds users,
 *   `cid:<cid>:privileges:groups:<priv>` holds group names (src/privileges/helpers.js);
 * - `guests` is ephemeral: uid 0 is its only member;
 * - `category:<cid>` field `disabled` hides a category from everyone.
 */
import { provideForTests } from '../../lib/nodebb';
import type { GroupsModule, Notification, NotificationsModule, PrivilegesModule, UserModule } from '../../lib/nodebb';
import type { RedisTestDatabase } from './redis-db';

async function isMember(db: RedisTestDatabase, uid: number, group: string): Promise<boolean> {
  if (group === 'guests') {
    return uid === 0;
  }
  return uid > 0 && db.isSortedSetMember(`group:${group}:members`, String(uid));
}

async function isAllowed(db: RedisTestDatabase, privilege: string, cid: number, uid: number): Promise<boolean> {
  if ((await db.getObjectField(`category:${cid}`, 'disabled')) === '1') {
    return false;
  }
  if (uid > 0 && await db.isSortedSetMember('group:administrators:members', String(uid))) {
    return true;
  }
  if (await isMember(db, uid, `cid:${cid}:privileges:${privilege}`)) {
    return true;
  }
  const groups = await db.getSortedSetRange(`group:cid:${cid}:privileges:groups:${privilege}:members`, 0, -1);
  for (const group of groups) {
    if (await isMember(db, uid, group)) {
      return true;
    }
  }
  return false;
}

/** Counts calls, so tests can show the listing asks once per page, not once per seminar. */
export const privilegeCalls = { filterCids: 0, filterUids: 0 };

export function seminarPrivileges(db: RedisTestDatabase): PrivilegesModule {
  return {
    categories: {
      filterCids: async (privilege, cids, uid) => {
        privilegeCalls.filterCids += 1;
        const unique = [...new Set(cids)];
        const allowed = await Promise.all(unique.map(cid => isAllowed(db, privilege, cid, uid)));
        return unique.filter((_cid, index) => allowed[index]);
      },
      filterUids: async (privilege, cid, uids) => {
        privilegeCalls.filterUids += 1;
        const unique = [...new Set(uids)];
        const allowed = await Promise.all(unique.map(uid => isAllowed(db, privilege, cid, uid)));
        return unique.filter((_uid, index) => allowed[index]);
      },
      can: async (privilege, cid, uid) => isAllowed(db, privilege, cid, uid),
      give: async () => { throw new Error('not in the seminar stand-in'); },
      rescind: async () => { throw new Error('not in the seminar stand-in'); },
      groupPrivileges: async () => { throw new Error('not in the seminar stand-in'); },
      userPrivileges: async () => { throw new Error('not in the seminar stand-in'); },
      // NodeBB: an admin, or holding "moderate" on the category (user.isModerator).
      isAdminOrMod: async (cid, uid) => (uid > 0 && await db.isSortedSetMember('group:administrators:members', String(uid))) ||
        isAllowed(db, 'moderate', cid, uid),
    },
    topics: {
      // NodeBB: the topics read in one batch, then their current categories' privileges; a
      // deleted topic needs posts:view_deleted there, a scheduled one topics:schedule.
      filterTids: async (privilege, tids, uid) => {
        const topics = await db.getObjects(tids.map(tid => `topic:${tid}`));
        const visible = await Promise.all(topics.map(async (topic) => {
          const cid = Number(topic?.cid);
          if (!topic || !await isAllowed(db, privilege, cid, uid)) {
            return false;
          }
          if (Number(topic.scheduled) === 1) {
            return isAllowed(db, 'topics:schedule', cid, uid);
          }
          return Number(topic.deleted) !== 1 || isAllowed(db, 'posts:view_deleted', cid, uid);
        }));
        return tids.filter((_tid, index) => visible[index]);
      },
    },
    admin: { can: async () => false },
  };
}

/** Grant a privilege on a category to a group, as privileges.categories.give does. */
export async function grantToGroup(db: RedisTestDatabase, cid: number, privilege: string, group: string): Promise<void> {
  await db.sortedSetAdd(`group:cid:${cid}:privileges:groups:${privilege}:members`, Date.now(), group);
}

export async function joinGroup(db: RedisTestDatabase, uid: number, group: string): Promise<void> {
  await db.sortedSetAdd(`group:${group}:members`, Date.now(), String(uid));
}

export interface RecordedNotification {
  notification: Notification;
  uids: number[];
}

export const recordedNotifications: RecordedNotification[] = [];

export const recordingNotifications: NotificationsModule = {
  create: async data => ({ ...data }),
  push: async (notification, uids) => {
    recordedNotifications.push({ notification, uids: Array.isArray(uids) ? [...uids] : [uids] });
  },
  pushGroup: async () => { throw new Error('not in the seminar stand-in'); },
};

/** Groups as NodeBB keeps them: `groups:createtime` lists names, `group:<name>` holds fields. */
export function seminarGroups(db: RedisTestDatabase): GroupsModule {
  return {
    exists: async name => db.isSortedSetMember('groups:createtime', name),
    create: async (data) => {
      const fields = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, typeof value === 'boolean' ? Number(value) : value]));
      await db.setObject(`group:${data.name}`, fields);
      await db.sortedSetAdd('groups:createtime', Date.now(), data.name);
      return { ...data };
    },
    isMember: async (uid, name) => isMember(db, uid, name),
    join: async (name, uid) => { await joinGroup(db, uid, String(name)); },
    leave: async () => { throw new Error('not in the seminar stand-in'); },
    isMembers: async () => { throw new Error('not in the seminar stand-in'); },
    isMemberOfGroups: async () => { throw new Error('not in the seminar stand-in'); },
    getMembers: async () => { throw new Error('not in the seminar stand-in'); },
    getGroupFields: async () => { throw new Error('not in the seminar stand-in'); },
    update: async () => { throw new Error('not in the seminar stand-in'); },
  };
}

export function seminarUsers(db: RedisTestDatabase): UserModule {
  return {
    isAdministrator: async uid => uid > 0 && db.isSortedSetMember('group:administrators:members', String(uid)),
    exists: async () => { throw new Error('not in the seminar stand-in'); },
    getUserFields: async () => { throw new Error('not in the seminar stand-in'); },
    getUsersFields: async () => { throw new Error('not in the seminar stand-in'); },
    isGlobalModerator: async () => { throw new Error('not in the seminar stand-in'); },
    getUidByUserslug: async () => { throw new Error('not in the seminar stand-in'); },
    setCategoryWatchState: async () => { throw new Error('not in the seminar stand-in'); },
    associateUpload: async () => { throw new Error('not in the seminar stand-in'); },
  };
}

export function provideSeminarStandIns(db: RedisTestDatabase): void {
  recordedNotifications.length = 0;
  provideForTests({ privileges: seminarPrivileges(db), notifications: recordingNotifications, groups: seminarGroups(db), user: seminarUsers(db) });
}
