/**
 * Stand-ins for the NodeBB core parts the upload hooks use: a hook bus that runs filter
 * listeners in priority order (as src/plugins/hooks.js does), local file storage under a temp
 * upload_path (as src/file.js), image.size / image.resizeImage, user.associateUpload over the
 * real test database (NodeBB's keys uid:<uid>:uploads) and administrators in group:administrators:members.
 * For the post checks: topics.getTopicField and posts.getPostFields (topic:<tid>, post:<pid>), global
 * moderators (group:Global Moderators:members) and privileges.categories.isAdminOrMod (the moderate privilege).
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

import { provideForTests } from '../../lib/nodebb';
import type { FileModule, ImageModule, PluginsModule } from '../../lib/nodebb';
import { readImageSize } from '../../lib/redaction/image-steps';
import type { RedisTestDatabase } from './redis-db';

type Listener = (params: never) => Promise<unknown>;

export class HookBus implements PluginsModule {
  private readonly listeners = new Map<string, { priority: number; method: Listener }[]>();
  readonly fired: { hook: string; params: unknown }[] = [];

  on(hook: string, priority: number, method: Listener): void {
    const list = this.listeners.get(hook) ?? [];
    list.push({ priority, method });
    list.sort((a, b) => a.priority - b.priority);
    this.listeners.set(hook, list);
  }

  readonly hooks = {
    fire: async <T>(hook: string, params: T): Promise<T> => {
      this.fired.push({ hook, params });
      let value: unknown = params;
      for (const listener of this.listeners.get(hook) ?? []) {
        value = await listener.method(value as never);
      }
      return value as T;
    },
    hasListeners: (hook: string): boolean => (this.listeners.get(hook)?.length ?? 0) > 0,
  };
}

export interface RedactionStandIns {
  bus: HookBus;
  uploadPath: string;
  config: Record<string, unknown>;
  cleanup(): Promise<void>;
}

export async function provideRedactionStandIns(db: RedisTestDatabase): Promise<RedactionStandIns> {
  const uploadPath = await mkdtemp(join(tmpdir(), 'redaction-uploads-'));
  const bus = new HookBus();
  const config: Record<string, unknown> = {
    maximumFileSize: 2048, rejectImageWidth: 5000, rejectImageHeight: 5000, allowedFileExtensions: 'png,jpg,bmp,txt,webp,webm,mp4,gif',
    resizeImageWidthThreshold: 2000, resizeImageWidth: 760, resizeImageKeepOriginal: 1, resizeImageQuality: 80,
  };
  const file: FileModule = {
    saveFileToLocal: async (name, folder, tempPath) => {
      // Core slugifies each dot-separated part of the name.
      const filename = name.split('.').map(part => part.toLowerCase().replace(/[^\w-]+/g, '-')).join('.');
      const target = join(uploadPath, folder, filename);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(tempPath, target);
      return { url: `/assets/uploads/${folder}/${filename}`, path: target };
    },
    allowedExtensions: () => (typeof config.allowedFileExtensions === 'string' ? config.allowedFileExtensions : '').split(',').filter(Boolean).map(ext => `.${ext.trim().toLowerCase()}`),
    appendToFileName: (name, suffix) => {
      const dot = name.lastIndexOf('.');
      return dot < 0 ? name + suffix : name.slice(0, dot) + suffix + name.slice(dot);
    },
    delete: async (path) => { await rm(path, { force: true }); },
  };
  const image: ImageModule = {
    // Core's image.size fires filter:image.size when it has listeners: the plugin's handler.
    size: async (path) => {
      const { width, height } = await readImageSize({ path });
      return width !== undefined && height !== undefined ? { width, height } : undefined;
    },
    resizeImage: async ({ path, target, width, height }) => {
      const resized = await sharp(path).rotate().resize(width ?? null, height ?? null).toBuffer();
      await sharp(resized).toFile(target ?? path);
    },
  };
  provideForTests({
    plugins: bus,
    file,
    image,
    nconf: { get: (key: string) => ({ relative_path: '/forum', upload_url: '/assets/uploads', runJobs: true } as Record<string, unknown>)[key] },
    meta: {
      config,
      configs: { set: async (field, value) => { config[field] = value; } },
      settings: {
        get: async hash => (await db.getObject(`settings:${hash}`)) ?? {},
        set: async (hash, values) => { await db.setObject(`settings:${hash}`, values as Record<string, string>); },
        setOnEmpty: async () => undefined,
      },
    },
    user: {
      isAdministrator: async (uid: number) => db.isSortedSetMember('group:administrators:members', String(uid)),
      // NodeBB: membership of the "Global Moderators" group.
      isGlobalModerator: async (uid: number) => db.isSortedSetMember('group:Global Moderators:members', String(uid)),
      associateUpload: async (uid: number | string, relativePath: string) => {
        await db.sortedSetAdd(`uid:${uid}:uploads`, Date.now(), relativePath);
      },
    } as never,
    // NodeBB keeps topics in topic:<tid> and posts in post:<pid> hashes.
    topics: { getTopicField: async (tid: number, field: string) => db.getObjectField(`topic:${tid}`, field) } as never,
    posts: {
      getPostFields: async (pid, fields) => {
        const post = await db.getObject(`post:${pid}`);
        return post ? Object.fromEntries(fields.map(field => [field, post[field] ?? null])) : null;
      },
      getPostField: async (pid, field) => db.getObjectField(`post:${pid}`, field),
      edit: async () => { throw new Error('not in the redaction stand-in'); },
    },
    privileges: {
      categories: {
        // NodeBB: an admin, or a moderator of the category: a user in cid:<cid>:privileges:moderate,
        // or a member of a group listed in cid:<cid>:privileges:groups:moderate (src/privileges/users.js).
        isAdminOrMod: async (cid: number, uid: number) => {
          if (!(uid > 0)) {
            return false;
          }
          if (await db.isSortedSetMember('group:administrators:members', String(uid))
            || await db.isSortedSetMember(`group:cid:${cid}:privileges:moderate:members`, String(uid))) {
            return true;
          }
          const groups = await db.getSortedSetRange(`group:cid:${cid}:privileges:groups:moderate:members`, 0, -1);
          const memberships = await Promise.all(groups.map(group => db.isSortedSetMember(`group:${group}:members`, String(uid))));
          return memberships.includes(true);
        },
      },
    } as never,
  });
  return {
    bus,
    uploadPath,
    config,
    cleanup: async () => { await rm(uploadPath, { recursive: true, force: true }); },
  };
}
