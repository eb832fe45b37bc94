/**
 * Typed views of the NodeBB 4.x core modules this plugin uses, and nothing more.
 * Signatures follow NodeBB v4.11.2's src/ (see ../shared/NODEBB.md).
 */
import type { Request, Response, NextFunction, Router, RequestHandler } from 'express';

/** Values read back from a hash. Redis returns strings; Mongo keeps types. Parse what you read. */
export type StoredValue = string | number | boolean | null | undefined;
export type StoredObject = Record<string, StoredValue>;
export type WritableObject = Record<string, string | number | boolean>;

export interface Database {
  // Keys
  exists(key: string): Promise<boolean>;
  exists(keys: string[]): Promise<boolean[]>;
  delete(key: string): Promise<void>;
  deleteAll(keys: string[]): Promise<void>;
  expire(key: string, seconds: number): Promise<void>;
  /** Seconds left: Redis gives -1 for no expiry and -2 for a missing key; Mongo a large negative number for no expiry. */
  ttl(key: string): Promise<number>;
  /** Milliseconds left, with ttl's conventions for no expiry and a missing key. */
  pttl(key: string): Promise<number>;
  pexpire(key: string, ms: number): Promise<void>;
  /** Every key matching a glob (`seminar:*`), each once. For upgrade scripts: it reads the whole keyspace. */
  scan(params: { match: string }): Promise<string[]>;
  /** 'hash', 'zset', 'set', 'list' or 'string'; null when the key does not exist. */
  type(key: string): Promise<string | null>;
  /** Moves a key with its value and expiry, replacing `newKey` (Redis RENAME; one transaction on Postgres). */
  rename(oldKey: string, newKey: string): Promise<void>;

  // Hashes
  setObject(key: string, data: WritableObject): Promise<void>;
  /** Many hashes in one batch: `[[key, fields], …]`. */
  setObjectBulk(data: [string, WritableObject][]): Promise<void>;
  setObjectField(key: string, field: string, value: string | number | boolean): Promise<void>;
  getObject(key: string): Promise<StoredObject | null>;
  getObjects(keys: string[]): Promise<(StoredObject | null)[]>;
  getObjectField(key: string, field: string): Promise<StoredValue>;
  getObjectFields(key: string, fields: string[]): Promise<StoredObject>;
  getObjectsFields(keys: string[], fields: string[]): Promise<StoredObject[]>;
  incrObjectField(key: string, field: string): Promise<number>;
  incrObjectFieldBy(key: string, field: string, value: number): Promise<number>;
  deleteObjectField(key: string, field: string): Promise<void>;
  deleteObjectFields(key: string, fields: string[]): Promise<void>;

  // Sorted sets
  sortedSetAdd(key: string, score: number, value: string): Promise<void>;
  sortedSetAdd(key: string, scores: number[], values: string[]): Promise<void>;
  sortedSetsAdd(keys: string[], score: number, value: string): Promise<void>;
  sortedSetAddBulk(data: [string, number, string][]): Promise<void>;
  sortedSetRemove(key: string | string[], value: string | string[]): Promise<void>;
  sortedSetScore(key: string, value: string): Promise<number | null>;
  sortedSetScores(key: string, values: string[]): Promise<(number | null)[]>;
  sortedSetCard(key: string): Promise<number>;
  sortedSetCount(key: string, min: number | '-inf', max: number | '+inf'): Promise<number>;
  isSortedSetMember(key: string, value: string): Promise<boolean>;
  isSortedSetMembers(key: string, values: string[]): Promise<boolean[]>;
  getSortedSetRange(key: string, start: number, stop: number): Promise<string[]>;
  getSortedSetRevRange(key: string, start: number, stop: number): Promise<string[]>;
  getSortedSetRangeWithScores(key: string, start: number, stop: number): Promise<{ value: string; score: number }[]>;
  getSortedSetRevRangeWithScores(key: string, start: number, stop: number): Promise<{ value: string; score: number }[]>;
  getSortedSetRangeByScore(key: string, start: number, count: number, min: number | '-inf', max: number | '+inf'): Promise<string[]>;
  getSortedSetRevRangeByScore(key: string, start: number, count: number, max: number | '+inf', min: number | '-inf'): Promise<string[]>;
  getSortedSetRangeByScoreWithScores(key: string, start: number, count: number, min: number | '-inf', max: number | '+inf'): Promise<{ value: string; score: number }[]>;
  getSortedSetRevRangeByScoreWithScores(key: string, start: number, count: number, max: number | '+inf', min: number | '-inf'): Promise<{ value: string; score: number }[]>;

  // Sets
  setAdd(key: string, value: string | string[]): Promise<void>;
  setRemove(key: string, value: string | string[]): Promise<void>;
  isSetMember(key: string, value: string): Promise<boolean>;
  getSetMembers(key: string): Promise<string[]>;
}

export interface MetaSettings {
  get(hash: string): Promise<Record<string, unknown>>;
  set(hash: string, values: Record<string, unknown>, quiet?: boolean): Promise<void>;
  setOnEmpty(hash: string, values: Record<string, unknown>): Promise<void>;
}

/** src/meta/configs.js: the forum's config hash. */
export interface MetaConfigs {
  /** Writes `config`, updates this process's meta.config and tells the others (pubsub `config:update`). */
  set(field: string, value: string | number): Promise<void>;
}

export interface Meta {
  settings: MetaSettings;
  configs: MetaConfigs;
  /** This process's copy of the config hash; NodeBB keeps every process's copy current. */
  config: Record<string, unknown>;
}

export interface UserModule {
  exists(uid: number): Promise<boolean>;
  getUserFields(uid: number, fields: string[]): Promise<Record<string, unknown>>;
  getUsersFields(uids: number[], fields: string[]): Promise<Record<string, unknown>[]>;
  isAdministrator(uid: number): Promise<boolean>;
  isGlobalModerator(uid: number): Promise<boolean>;
  getUidByUserslug(userslug: string): Promise<number | null>;
  /** src/user/categories.js: state is one of categories.watchStates (1 ignoring … 4 watching). */
  setCategoryWatchState(uid: number, cids: number | number[], state: number): Promise<void>;
  /** src/user/uploads.js: records `relativePath` (under upload_url) as the user's upload. */
  associateUpload(uid: number | string, relativePath: string): Promise<void>;
}

export interface GroupCreateData {
  name: string;
  description?: string;
  userTitle?: string;
  userTitleEnabled?: boolean | 0 | 1;
  hidden?: boolean | 0 | 1;
  private?: boolean | 0 | 1;
  disableJoinRequests?: boolean | 0 | 1;
  disableLeave?: boolean | 0 | 1;
  system?: boolean | 0 | 1;
}

export interface GroupsModule {
  exists(name: string): Promise<boolean>;
  create(data: GroupCreateData): Promise<Record<string, unknown>>;
  join(groupName: string | string[], uid: number): Promise<void>;
  leave(groupName: string | string[], uid: number): Promise<void>;
  isMember(uid: number, groupName: string): Promise<boolean>;
  isMembers(uids: number[], groupName: string): Promise<boolean[]>;
  isMemberOfGroups(uid: number, groupNames: string[]): Promise<boolean[]>;
  getMembers(groupName: string, start: number, stop: number): Promise<number[]>;
  getGroupFields(groupName: string, fields: string[]): Promise<Record<string, unknown>>;
  /** src/groups/update.js: fields left out are reset (description, icon, colours), so pass what must survive. `name` renames. */
  update(groupName: string, values: Record<string, unknown>): Promise<void>;
}

export interface CategoriesModule {
  exists(cid: number): Promise<boolean>;
  create(data: Record<string, unknown>): Promise<{ cid: number } & Record<string, unknown>>;
  getCategoryFields(cid: number, fields: string[]): Promise<Record<string, unknown>>;
  setCategoryField(cid: number, field: string, value: string | number): Promise<void>;
  /** src/categories/update.js: `{ [cid]: { field: value } }`; a new name also updates the slug. */
  update(modified: Record<string, Record<string, string | number>>): Promise<unknown>;
  /** src/categories/watch.js: per cid, the stored state or the user's default. */
  getWatchState(cids: number[], uid: number): Promise<number[]>;
  watchStates: { ignoring: number; notwatching: number; tracking: number; watching: number };
}

export interface CategoryPrivileges {
  /** `groups:<priv>` names with group names as members; bare `<priv>` names with uids (per-user privileges). */
  give(privileges: string[], cid: number, members: string | number | (string | number)[]): Promise<void>;
  rescind(privileges: string[], cid: number, members: string | number | (string | number)[]): Promise<void>;
  can(privilege: string, cid: number, uid: number): Promise<boolean>;
  filterCids(privilege: string, cids: number[], uid: number): Promise<number[]>;
  filterUids(privilege: string, cid: number, uids: number[]): Promise<number[]>;
  isAdminOrMod(cid: number, uid: number): Promise<boolean>;
  /** src/privileges/categories.js: `{ 'groups:find': true, … }` for one group on one category. */
  groupPrivileges(cid: number, groupName: string): Promise<Record<string, boolean>>;
  /** `{ find: true, … }` for one user's own (per-user) privileges on one category. */
  userPrivileges(cid: number, uid: number): Promise<Record<string, boolean>>;
}

export interface TopicPrivileges {
  /**
   * src/privileges/topics.js: the tids `uid` may see with `privilege` in each topic's current
   * category (deleted and scheduled topics by NodeBB's rules; fires filter:privileges.topics.filter).
   */
  filterTids(privilege: string, tids: number[], uid: number): Promise<number[]>;
}

export interface PrivilegesModule {
  categories: CategoryPrivileges;
  topics: TopicPrivileges;
  admin: { can(privilege: string, uid: number): Promise<boolean> };
}

export interface Notification {
  nid: string;
  [key: string]: unknown;
}

export interface NotificationsModule {
  create(data: { nid: string; type?: string; bodyShort: string; bodyLong?: string; path?: string; from?: number; [key: string]: unknown }): Promise<Notification | null>;
  push(notification: Notification, uids: number | number[]): Promise<void>;
  pushGroup(notification: Notification, groupName: string): Promise<void>;
}

/** Free functions in NodeBB (no `this`), so they may be destructured. */
export interface RouteHelpers {
  setupPageRoute: (router: Router, path: string, middlewares: RequestHandler[], controller: PageController) => void;
  setupAdminPageRoute: (router: Router, path: string, middlewares: RequestHandler[], controller: PageController) => void;
  setupApiRoute: (router: Router, verb: 'get' | 'post' | 'put' | 'delete', path: string, middlewares: RequestHandler[], controller: PageController) => void;
}

export type PageController = (req: Request, res: Response, next: NextFunction) => Promise<void>;

export interface ControllerHelpers {
  formatApiResponse(status: number, res: Response, payload?: unknown): Promise<void>;
  notAllowed(req: Request, res: Response, error?: string): Promise<void>;
  buildBreadcrumbs(crumbs: { text: string; url?: string }[]): unknown[];
}

export interface TopicsModule {
  /** src/topics/tools.js: moves one topic with its indexes; `uid` is logged as the mover. */
  tools: { move(tid: number, data: { cid: number; uid: number | 'system' }): Promise<void> };
  getTopicField(tid: number, field: string): Promise<unknown>;
  getTopicFields(tid: number, fields: string[]): Promise<Record<string, unknown>>;
  /**
   * src/topics/create.js: creates a topic and its first post as `uid`, checking the caller's
   * privileges and NodeBB's own title/content rules (errors are `[[error:…]]` tokens).
   */
  post(data: { uid: number; cid: number; title: string; content: string; tags?: string[]; req?: unknown }): Promise<{ topicData: { tid: number; slug: string; cid: number; mainPid: number; [key: string]: unknown }; postData: { pid: number; [key: string]: unknown } }>;
  /** src/topics/delete.js: removes the topic and its posts for good (fires action:topic.purge). */
  purgePostsAndTopic(tid: number, uid: number): Promise<void>;
}

/** src/posts */
export interface PostsModule {
  /**
   * src/posts/edit.js: checks privileges.posts.canEdit itself; errors are `[[error:…]]` tokens.
   * `content: null` keeps the post's content (a title-only edit).
   */
  edit(data: { pid: number; uid: number; title?: string; content: string | null; req?: unknown }): Promise<unknown>;
  /** src/posts/data.js: the post's fields (null when it does not exist). */
  getPostFields(pid: number | string, fields: string[]): Promise<Record<string, unknown> | null>;
  /** src/posts/data.js: one stored field; `content` is the raw (markdown) source of the post. */
  getPostField(pid: number, field: string): Promise<unknown>;
}

/** One entry of NodeBB's post queue (src/posts/queue.js), `data` being the queued payload. */
export interface QueuedPostItem {
  id: string;
  uid: number | string;
  type: string;
  data: Record<string, unknown>;
}

/** src/posts/queue.js, the part that reads the queue (the same module as `posts`). */
export interface PostQueueModule {
  getQueuedPosts(filter: { id?: string }, options: { metadata: boolean }): Promise<QueuedPostItem[]>;
}

/** What src/api/topics.js `create` answers: the new topic, or the queue entry it waits in. */
export type ApiTopicCreated =
  | ({ tid: number; slug: string; cid: number; queued?: undefined } & Record<string, unknown>)
  | { id: string; type: string; queued: true; message: string };

/**
 * src/api: core's write API, as its own routes call it. `topics.create` is the path of
 * POST /api/v3/topics: blacklist, `posts.shouldQueue` (and `filter:post.shouldQueue`), then
 * either `posts.addToQueue` or `topics.post` with the new-topic events.
 */
export interface ApiModule {
  topics: {
    /** `caller` is the request NodeBB authenticated (core reads its uid, ip, headers and session). */
    create(caller: Request, data: Record<string, unknown>): Promise<ApiTopicCreated>;
  };
}

/** src/user/bans.js (the same module as `user`): a ban that has expired counts as lifted. */
export interface UserBansModule {
  bans: { isBanned(uid: number): Promise<boolean> };
}

export interface CronModule {
  addJob(options: { name: string; cronTime: string; onTick: () => Promise<void>; runOnAllNodes?: boolean }): Promise<void>;
}

export interface PubSubModule {
  publish(event: string, data: unknown): void;
  on(event: string, listener: (data: unknown) => void): void;
}

export interface PluginHooks {
  fire<T>(hook: string, params: T): Promise<T>;
  hasListeners(hook: string): boolean;
}

export interface PluginsModule {
  hooks: PluginHooks;
}

/** src/file.js */
export interface FileModule {
  /** Copies `tempPath` to upload_path/folder/filename (slugified); url is `/assets/uploads/<folder>/<filename>`. */
  saveFileToLocal(filename: string, folder: string, tempPath: string): Promise<{ url: string; path: string }>;
  allowedExtensions(): string[];
  appendToFileName(filename: string, suffix: string): string;
  delete(path: string): Promise<void>;
}

/** src/image.js */
export interface ImageModule {
  resizeImage(data: { path: string; target?: string; width?: number; height?: number; quality?: number; type?: string }): Promise<void>;
  size(path: string): Promise<{ width: number; height: number } | undefined>;
}

/** src/webserver.js: the Express app, with NodeBB's promisified template renderer. */
export interface WebserverModule {
  app: {
    /** Renders a template (by its path under templates/, no extension) to HTML, untranslated. */
    renderAsync(template: string, data: Record<string, unknown>): Promise<string>;
  };
}

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  verbose(message: string): void;
}

export interface Nconf {
  get(key: string): unknown;
}

/** NodeBB's Express middleware object, as handed to static:app.load and static:api.routes. */
export interface HostMiddleware {
  ensureLoggedIn: RequestHandler;
  admin: { checkPrivileges: RequestHandler };
  [name: string]: unknown;
}

/** Everything the plugin may take from NodeBB, resolved lazily by the gateway. */
export interface NodeBBCore {
  db: Database;
  user: UserModule;
  groups: GroupsModule;
  categories: CategoriesModule;
  privileges: PrivilegesModule;
  topics: TopicsModule;
  posts: PostsModule;
  postQueue: PostQueueModule;
  api: ApiModule;
  userBans: UserBansModule;
  notifications: NotificationsModule;
  meta: Meta;
  routeHelpers: RouteHelpers;
  controllerHelpers: ControllerHelpers;
  cron: CronModule;
  pubsub: PubSubModule;
  winston: Logger;
  nconf: Nconf;
  /** NodeBB's slugify (group and category slugs). */
  slugify: (text: string) => string;
  plugins: PluginsModule;
  file: FileModule;
  image: ImageModule;
  webserver: WebserverModule;
}
