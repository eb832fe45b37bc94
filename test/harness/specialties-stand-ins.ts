/**
 * Stand-ins for NodeBB's groups, categories, user, privileges and topics modules, written
 * over the real test database in NodeBB 4.11.2's own key layout:
 *   group:<name> (hash), group:<name>:members (zset of uids, or of group names for privilege
 *   groups), groups:createtime (zset of names), groupslug:groupname (hash);
 *   category:<cid> (hash), categories:cid, cid:<parent>:children, global.nextCid;
 *   cid:<cid>:privileges:<priv> and cid:<cid>:privileges:groups:<priv> are ordinary groups;
 *   cid:<cid>:uid:watch:state (zset uid → state); user:<uid> (hash);
 *   topic:<tid> (hash), cid:<cid>:tids and cid:<cid>:tids:lastposttime (zsets).
 *
 * Only what the specialties capability calls is here. One deliberate difference: core
 * fires `action:group.join` without awaiting it; the stand-in awaits its listeners so
 * tests see the outcome deterministically.
 */
import type {
  CategoriesModule, GroupCreateData, GroupsModule, PrivilegesModule, TopicsModule, UserModule,
} from '../../lib/nodebb';
import { provideForTests } from '../../lib/nodebb';
import { DEFAULT_SPECIALTIES } from '../../lib/specialties/defaults';
import { CORE_CATEGORY_PRIVILEGES } from '../../lib/specialties/policy';
import { saveRecords } from '../../lib/specialties/store';
import type { RedisTestDatabase } from './redis-db';

export type JoinListener = (data: { groupNames: string[]; uid: number | string }) => Promise<void>;
export type GroupUpdateFilter = (data: { groupName: string; values: Record<string, unknown> }) => Promise<{ groupName: string; values: Record<string, unknown> }>;

const WATCH_STATES = { ignoring: 1, notwatching: 2, tracking: 3, watching: 4 };

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

export interface SpecialtyStandIns {
  groups: GroupsModule;
  categories: CategoriesModule;
  user: UserModule;
  privileges: PrivilegesModule;
  topics: TopicsModule;
  /** Listeners for the stand-in `action:group.join`. */
  joinListeners: JoinListener[];
  /** Filters for the stand-in `filter:group.update`, run in order before the update as core does. */
  groupUpdateFilters: GroupUpdateFilter[];
  createUser(uid: number, username?: string): Promise<void>;
  createTopic(cid: number, uid: number, title: string): Promise<number>;
  /** Can this uid do this on that category, by group and user privileges (core's rules, minus admins). */
  can(privilege: string, cid: number, uid: number): Promise<boolean>;
}

export function makeSpecialtyStandIns(db: RedisTestDatabase): SpecialtyStandIns {
  const joinListeners: JoinListener[] = [];
  const groupUpdateFilters: GroupUpdateFilter[] = [];

  async function exists(name: string): Promise<boolean> {
    return db.isSortedSetMember('groups:createtime', name);
  }

  async function create(data: GroupCreateData): Promise<Record<string, unknown>> {
    if (await exists(data.name)) {
      throw new Error('[[error:group-already-exists]]');
    }
    const flag = (v: boolean | 0 | 1 | undefined, fallback: number): number => (v === undefined ? fallback : Number(v));
    const now = Date.now();
    const group = {
      name: data.name,
      slug: slugify(data.name),
      createtime: now,
      description: data.description ?? '',
      userTitle: data.userTitle ?? data.name,
      userTitleEnabled: flag(data.userTitleEnabled, 1),
      hidden: flag(data.hidden, 0),
      private: flag(data.private, 1),
      disableJoinRequests: flag(data.disableJoinRequests, 0),
      disableLeave: flag(data.disableLeave, 0),
      system: flag(data.system, 0),
      memberCount: 0,
    };
    await db.setObject(`group:${data.name}`, group);
    await db.sortedSetAdd('groups:createtime', now, data.name);
    await db.setObjectField('groupslug:groupname', group.slug, data.name);
    return group;
  }

  async function join(groupNames: string | string[], member: number | string): Promise<void> {
    const names = Array.isArray(groupNames) ? groupNames : [groupNames];
    const joined: string[] = [];
    for (const name of names) {
      if (!await exists(name)) {
        await create({ name, hidden: 1 });
      }
      if (await db.isSortedSetMember(`group:${name}:members`, String(member))) {
        continue;
      }
      await db.sortedSetAdd(`group:${name}:members`, Date.now(), String(member));
      await db.incrObjectField(`group:${name}`, 'memberCount');
      joined.push(name);
    }
    if (joined.length) {
      for (const listener of joinListeners) {
        await listener({ groupNames: joined, uid: member });
      }
    }
  }

  async function leave(groupNames: string | string[], member: number | string): Promise<void> {
    const names = Array.isArray(groupNames) ? groupNames : [groupNames];
    for (const name of names) {
      if (await db.isSortedSetMember(`group:${name}:members`, String(member))) {
        await db.sortedSetRemove(`group:${name}:members`, String(member));
        await db.incrObjectFieldBy(`group:${name}`, 'memberCount', -1);
      }
    }
  }

  async function renameGroup(oldName: string, newName: string): Promise<void> {
    if (await exists(newName)) {
      throw new Error('[[error:group-already-exists]]');
    }
    const hash = await db.getObject(`group:${oldName}`) ?? {};
    await db.setObject(`group:${newName}`, { ...hash, name: newName, slug: slugify(newName) });
    await db.delete(`group:${oldName}`);
    const members = await db.getSortedSetRangeWithScores(`group:${oldName}:members`, 0, -1);
    if (members.length) {
      await db.sortedSetAdd(`group:${newName}:members`, members.map(m => m.score), members.map(m => m.value));
    }
    await db.delete(`group:${oldName}:members`);
    // As core: the old name is renamed wherever it is a member (privilege groups).
    for (const group of await db.getSortedSetRange('groups:createtime', 0, -1)) {
      const score = await db.sortedSetScore(`group:${group}:members`, oldName);
      if (score !== null) {
        await db.sortedSetRemove(`group:${group}:members`, oldName);
        await db.sortedSetAdd(`group:${group}:members`, score, newName);
      }
    }
    const created = await db.sortedSetScore('groups:createtime', oldName);
    await db.sortedSetRemove('groups:createtime', oldName);
    await db.sortedSetAdd('groups:createtime', created ?? Date.now(), newName);
    await db.deleteObjectField('groupslug:groupname', slugify(oldName));
    await db.setObjectField('groupslug:groupname', slugify(newName), newName);
  }

  const groups: GroupsModule = {
    exists,
    create,
    join,
    leave,
    isMember: async (uid, name) => db.isSortedSetMember(`group:${name}:members`, String(uid)),
    isMembers: async (uids, name) => db.isSortedSetMembers(`group:${name}:members`, uids.map(String)),
    isMemberOfGroups: async (uid, names) => Promise.all(names.map(name => db.isSortedSetMember(`group:${name}:members`, String(uid)))),
    getMembers: async (name, start, stop) => (await db.getSortedSetRevRange(`group:${name}:members`, start, stop)).map(Number),
    getGroupFields: async (name, fields) => db.getObjectFields(`group:${name}`, fields),
    update: async (name, given) => {
      if (!await db.exists(`group:${name}`)) {
        throw new Error('[[error:no-group]]');
      }
      let values = given;
      for (const filter of groupUpdateFilters) {
        ({ values } = await filter({ groupName: name, values }));
      }
      // As core: these are reset when not given.
      await db.setObject(`group:${name}`, {
        description: text(values.description, ''),
        icon: text(values.icon, ''),
        labelColor: text(values.labelColor, '#000000'),
        textColor: text(values.textColor, '#ffffff'),
        ...(values.userTitle !== undefined ? { userTitle: text(values.userTitle, '') } : {}),
        ...(values.private !== undefined ? { private: Number(values.private) ? 1 : 0 } : {}),
      });
      if (typeof values.name === 'string' && values.name !== name) {
        await renameGroup(name, values.name);
      }
    },
  };

  const privilegeGroup = (cid: number, privilege: string): string => `cid:${cid}:privileges:${privilege}`;

  const categoryPrivileges: PrivilegesModule['categories'] = {
    give: async (privs, cid, members) => {
      for (const member of Array.isArray(members) ? members : [members]) {
        for (const priv of privs) {
          await join(privilegeGroup(cid, priv), member);
        }
      }
    },
    rescind: async (privs, cid, members) => {
      for (const member of Array.isArray(members) ? members : [members]) {
        for (const priv of privs) {
          await leave(privilegeGroup(cid, priv), member);
        }
      }
    },
    can: async (priv, cid, uid) => can(priv, cid, uid),
    filterCids: async (priv, cids, uid) => {
      const allowed = await Promise.all(cids.map(cid => can(priv, cid, uid)));
      return cids.filter((_cid, i) => allowed[i]);
    },
    filterUids: async (priv, cid, uids) => {
      const allowed = await Promise.all(uids.map(uid => can(priv, cid, uid)));
      return uids.filter((_uid, i) => allowed[i]);
    },
    // Core: an administrator, or holding "moderate" on the category.
    isAdminOrMod: async (cid, uid) => await db.isSortedSetMember('group:administrators:members', String(uid)) ||
      db.isSortedSetMember(`group:${privilegeGroup(cid, 'moderate')}:members`, String(uid)),
    groupPrivileges: async (cid, groupName) => {
      const names = CORE_CATEGORY_PRIVILEGES.map(p => `groups:${p}`);
      const held = await Promise.all(names.map(p => db.isSortedSetMember(`group:${privilegeGroup(cid, p)}:members`, groupName)));
      return Object.fromEntries(names.map((p, i) => [p, held[i] ?? false]));
    },
    userPrivileges: async (cid, uid) => {
      const held = await Promise.all(CORE_CATEGORY_PRIVILEGES.map(p => db.isSortedSetMember(`group:${privilegeGroup(cid, p)}:members`, String(uid))));
      return Object.fromEntries(CORE_CATEGORY_PRIVILEGES.map((p, i) => [p, held[i] ?? false]));
    },
  };

  async function can(priv: string, cid: number, uid: number): Promise<boolean> {
    if (Number(await db.getObjectField(`category:${cid}`, 'disabled')) === 1) {
      return false;
    }
    if (uid > 0 && await db.isSortedSetMember(`group:${privilegeGroup(cid, priv)}:members`, String(uid))) {
      return true;
    }
    const holders = await db.getSortedSetRange(`group:${privilegeGroup(cid, `groups:${priv}`)}:members`, 0, -1);
    for (const holder of holders) {
      if (holder === 'guests' && uid === 0) {
        return true;
      }
      if (holder === 'spiders' && uid === -1) {
        return true;
      }
      if (uid > 0 && await db.isSortedSetMember(`group:${holder}:members`, String(uid))) {
        return true;
      }
    }
    return false;
  }

  const categories: CategoriesModule = {
    exists: async cid => db.exists(`category:${cid}`),
    create: async (data) => {
      const cid = await db.incrObjectField('global', 'nextCid');
      const parentCid = Number(data.parentCid ?? 0);
      const order = Number(data.order ?? cid);
      await db.setObject(`category:${cid}`, {
        cid, name: String(data.name), description: text(data.description, ''), slug: `${cid}/${slugify(String(data.name))}`,
        parentCid, disabled: data.disabled ? 1 : 0, order,
      });
      await db.sortedSetAdd('categories:cid', order, String(cid));
      await db.sortedSetAdd(`cid:${parentCid}:children`, order, String(cid));
      // What core's categories.create grants (src/categories/create.js, 4.11.2).
      const defaults = ['find', 'read', 'topics:read', 'topics:create', 'topics:reply', 'topics:crosspost', 'topics:tag',
        'posts:edit', 'posts:history', 'posts:delete', 'posts:upvote', 'posts:downvote', 'topics:delete'].map(p => `groups:${p}`);
      const mods = [...defaults, 'groups:topics:schedule', 'groups:posts:view_deleted', 'groups:purge'];
      await categoryPrivileges.give(defaults, cid, ['registered-users', 'fediverse']);
      await categoryPrivileges.give(mods, cid, ['administrators', 'Global Moderators']);
      await categoryPrivileges.give(['groups:find', 'groups:read', 'groups:topics:read'], cid, ['guests', 'spiders']);
      return { cid };
    },
    getCategoryFields: async (cid, fields) => db.getObjectFields(`category:${cid}`, fields),
    setCategoryField: async (cid, field, value) => { await db.setObjectField(`category:${cid}`, field, value); },
    update: async (modified) => {
      for (const [cid, fields] of Object.entries(modified)) {
        if (await db.exists(`category:${cid}`)) {
          const slugged = typeof fields.name === 'string' ? { ...fields, slug: `${cid}/${slugify(fields.name)}` } : fields;
          await db.setObject(`category:${cid}`, slugged);
        }
      }
      return Object.keys(modified);
    },
    getWatchState: async (cids, uid) => Promise.all(cids.map(async cid => (await db.sortedSetScore(`cid:${cid}:uid:watch:state`, String(uid))) ?? WATCH_STATES.notwatching)),
    watchStates: WATCH_STATES,
  };

  const user: UserModule = {
    exists: async uid => db.exists(`user:${uid}`),
    getUserFields: async (uid, fields) => db.getObjectFields(`user:${uid}`, fields),
    getUsersFields: async (uids, fields) => db.getObjectsFields(uids.map(uid => `user:${uid}`), fields),
    isAdministrator: async uid => db.isSortedSetMember('group:administrators:members', String(uid)),
    isGlobalModerator: async uid => db.isSortedSetMember('group:Global Moderators:members', String(uid)),
    getUidByUserslug: async slug => Number(await db.getObjectField('userslug:uid', slug)) || null,
    setCategoryWatchState: async (uid, cids, state) => {
      for (const cid of Array.isArray(cids) ? cids : [cids]) {
        await db.sortedSetAdd(`cid:${cid}:uid:watch:state`, state, String(uid));
      }
    },
    associateUpload: async () => { throw new Error('not in the specialties stand-in'); },
  };

  const topics: TopicsModule = {
    // NodeBB keeps topics in topic:<tid> hashes.
    getTopicField: async (tid, field) => db.getObjectField(`topic:${tid}`, field),
    getTopicFields: async (tid, fields) => {
      const topic = await db.getObject(`topic:${tid}`) ?? {};
      return Object.fromEntries(fields.map(field => [field, topic[field] ?? null]));
    },
    // As core: the poster needs topics:create on the category; the first post gets a pid.
    post: async ({ uid, cid, title, content }) => {
      if (!await categoryPrivileges.can('topics:create', cid, uid)) {
        throw new Error('[[error:no-privileges]]');
      }
      if (title.trim().length < 3) {
        throw new Error('[[error:title-too-short, 3]]');
      }
      const tid = await db.incrObjectField('global', 'nextTid');
      const pid = await db.incrObjectField('global', 'nextPid');
      const now = Date.now() + tid;
      const slug = `${tid}/${slugify(title)}`;
      await db.setObject(`topic:${tid}`, { tid, cid, uid, title, slug, mainPid: pid, timestamp: now, lastposttime: now });
      await db.setObject(`post:${pid}`, { pid, tid, uid, content, timestamp: now });
      await db.sortedSetAddBulk([[`cid:${cid}:tids`, now, String(tid)], [`cid:${cid}:tids:lastposttime`, now, String(tid)]]);
      return { topicData: { tid, cid, slug, mainPid: pid }, postData: { pid } };
    },
    purgePostsAndTopic: async (tid) => {
      const topic = await db.getObject(`topic:${tid}`);
      if (topic) {
        await db.delete(`post:${String(topic.mainPid)}`);
        await db.sortedSetRemove([`cid:${String(topic.cid)}:tids`, `cid:${String(topic.cid)}:tids:lastposttime`], String(tid));
        await db.delete(`topic:${tid}`);
      }
    },
    tools: {
      move: async (tid, data) => {
        const topic = await db.getObject(`topic:${tid}`);
        if (!topic) {
          throw new Error('[[error:no-topic]]');
        }
        const oldCid = Number(topic.cid);
        if (oldCid === data.cid) {
          throw new Error('[[error:cant-move-topic-to-same-category]]');
        }
        const last = Number(topic.lastposttime);
        await db.sortedSetRemove([`cid:${oldCid}:tids`, `cid:${oldCid}:tids:lastposttime`], String(tid));
        await db.sortedSetAddBulk([[`cid:${data.cid}:tids`, last, String(tid)], [`cid:${data.cid}:tids:lastposttime`, last, String(tid)]]);
        await db.setObject(`topic:${tid}`, { cid: data.cid, oldCid });
      },
    },
  };

  return {
    groups,
    categories,
    user,
    privileges: {
      categories: categoryPrivileges,
      topics: { filterTids: async () => { throw new Error('not in the specialties stand-in'); } },
      admin: { can: async () => false },
    },
    topics,
    joinListeners,
    groupUpdateFilters,
    can,
    createUser: async (uid, username = `user${uid}`) => {
      await db.setObject(`user:${uid}`, { uid, username, userslug: slugify(username), picture: '' });
      await db.setObjectField('userslug:uid', slugify(username), uid);
      await join('registered-users', uid);
    },
    createTopic: async (cid, uid, title) => {
      const tid = await db.incrObjectField('global', 'nextTid');
      const now = Date.now() + tid;
      await db.setObject(`topic:${tid}`, { tid, cid, uid, title, timestamp: now, lastposttime: now });
      await db.sortedSetAddBulk([[`cid:${cid}:tids`, now, String(tid)], [`cid:${cid}:tids:lastposttime`, now, String(tid)]]);
      return tid;
    },
  };
}

/** Install the stand-ins over the test database; returns them for the test's own use. */
export function installSpecialtyStandIns(db: RedisTestDatabase): SpecialtyStandIns {
  const standIns = makeSpecialtyStandIns(db);
  provideForTests({
    groups: standIns.groups,
    categories: standIns.categories,
    user: standIns.user,
    privileges: standIns.privileges,
    topics: standIns.topics,
  });
  return standIns;
}

/** A small taxonomy (these default slugs, in this order), so tests provision a few categories rather than 54. */
export async function seedTaxonomy(slugs: readonly string[]): Promise<void> {
  const records = slugs.map((slug, index) => {
    const entry = DEFAULT_SPECIALTIES.find(d => d.slug === slug);
    if (!entry) {
      throw new Error(`no default specialty ${slug}`);
    }
    return {
      slug, name: entry.en, nameId: entry.id, title: entry.title ?? '', customName: false, enabled: true,
      order: index + 1, policy: '' as const, cid: 0, groupName: '', moderators: [], mergedInto: '',
    };
  });
  await saveRecords(records);
}
