/**
 * The one gateway to NodeBB core. Nothing else in the plugin touches `require.main`.
 *
 * Each module is resolved on first use, not at import time, so `lib/` can be loaded
 * and tested without NodeBB: tests hand in their own parts with `provideForTests`.
 */
import type { NodeBBCore } from './types';

export type * from './types';

/** Where each part lives in NodeBB, relative to its root (what `require.main.require` takes). */
const corePaths: Record<keyof NodeBBCore, string> = {
  db: './src/database',
  user: './src/user',
  groups: './src/groups',
  categories: './src/categories',
  privileges: './src/privileges',
  topics: './src/topics',
  posts: './src/posts',
  postQueue: './src/posts',
  api: './src/api',
  userBans: './src/user',
  notifications: './src/notifications',
  meta: './src/meta',
  routeHelpers: './src/routes/helpers',
  controllerHelpers: './src/controllers/helpers',
  cron: './src/cron',
  pubsub: './src/pubsub',
  winston: 'winston',
  nconf: 'nconf',
  slugify: './src/slugify',
  plugins: './src/plugins',
  file: './src/file',
  image: './src/image',
  webserver: './src/webserver',
};

let provided: Partial<NodeBBCore> = {};
const resolved: Partial<NodeBBCore> = {};

function resolve<K extends keyof NodeBBCore>(name: K): NodeBBCore[K] {
  const given = provided[name];
  if (given !== undefined) {
    return given;
  }
  const cached = resolved[name];
  if (cached !== undefined) {
    return cached;
  }
  const host = require.main;
  if (!host) {
    throw new Error(`[physician-network] NodeBB core "${name}" is not available outside NodeBB`);
  }
  const part = host.require(corePaths[name]) as NodeBBCore[K];
  resolved[name] = part;
  return part;
}

/** Lazy, typed access to NodeBB core: `nodebb.db.getObject(…)`. */
export const nodebb: NodeBBCore = Object.freeze({
  get db() { return resolve('db'); },
  get user() { return resolve('user'); },
  get groups() { return resolve('groups'); },
  get categories() { return resolve('categories'); },
  get privileges() { return resolve('privileges'); },
  get topics() { return resolve('topics'); },
  get posts() { return resolve('posts'); },
  get postQueue() { return resolve('postQueue'); },
  get api() { return resolve('api'); },
  get userBans() { return resolve('userBans'); },
  get notifications() { return resolve('notifications'); },
  get meta() { return resolve('meta'); },
  get routeHelpers() { return resolve('routeHelpers'); },
  get controllerHelpers() { return resolve('controllerHelpers'); },
  get cron() { return resolve('cron'); },
  get pubsub() { return resolve('pubsub'); },
  get winston() { return resolve('winston'); },
  get nconf() { return resolve('nconf'); },
  get slugify() { return resolve('slugify'); },
  get plugins() { return resolve('plugins'); },
  get file() { return resolve('file'); },
  get image() { return resolve('image'); },
  get webserver() { return resolve('webserver'); },
});

/** Tests (and only tests) stand in their own parts: a real-Redis database adapter, a logger. */
export function provideForTests(parts: Partial<NodeBBCore>): void {
  Object.assign(provided, parts);
}

/** Forget every stand-in, so each test file starts from the same place. */
export function resetProvidedForTests(): void {
  provided = {};
}

/** Log through NodeBB's winston, with the plugin's prefix. */
export const log = {
  error: (message: string): void => { nodebb.winston.error(`[physician-network] ${message}`); },
  warn: (message: string): void => { nodebb.winston.warn(`[physician-network] ${message}`); },
  info: (message: string): void => { nodebb.winston.info(`[physician-network] ${message}`); },
  verbose: (message: string): void => { nodebb.winston.verbose(`[physician-network] ${message}`); },
};
