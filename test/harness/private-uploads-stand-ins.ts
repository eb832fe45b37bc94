/**
 * For the private-upload tests and benchmark: the redaction stand-ins (hook bus, local storage,
 * images) plus NodeBB's topics (topic:<tid> hashes), category privileges (seminar stand-in, over
 * NodeBB's privilege groups), the nconf paths, and a private folder of its own.
 */
import type { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { nodebb, provideForTests } from '../../lib/nodebb';
import type { PrivilegesModule } from '../../lib/nodebb';
import { SETTINGS_HASH } from '../../lib/settings/fields';
import { hooks as redactionHooks } from '../../lib/redaction';
import { trackUploadRequest } from '../../lib/private-uploads/destination';
import type { RedisTestDatabase } from './redis-db';
import { provideRedactionStandIns, type RedactionStandIns } from './redaction-stand-ins';
import { seminarPrivileges } from './seminars-stand-ins';

const { sanitiseUploadFile, sanitiseUploadImage, storeUploadedFile, storeUploadedImage } = redactionHooks;

export interface PrivateUploadStandIns extends RedactionStandIns {
  privateDir: string;
  /** Runs `work` as NodeBB would inside an upload request carrying `body`, with `files` parsed by multer. */
  duringUpload<T>(route: string, body: Record<string, unknown>, files: object[], work: () => Promise<T>, headers?: Record<string, string>): Promise<T>;
}

export async function providePrivateUploadStandIns(db: RedisTestDatabase, privileges: PrivilegesModule = seminarPrivileges(db)): Promise<PrivateUploadStandIns> {
  const redaction = await provideRedactionStandIns(db);
  const baseDir = await mkdtemp(join(tmpdir(), 'private-uploads-base-'));
  const privateDir = join(baseDir, 'private');
  const paths: Record<string, unknown> = {
    relative_path: '/forum', upload_url: '/assets/uploads', upload_path: redaction.uploadPath, base_dir: baseDir, runJobs: true,
    'physician-network:private_uploads_path': privateDir,
  };
  provideForTests({
    nconf: { get: (key: string) => paths[key] },
    privileges,
    topics: {
      getTopicField: async (tid: number, field: string) => db.getObjectField(`topic:${tid}`, field),
      getTopicFields: async (tid: number, fields: string[]) => {
        const topic = (await db.getObject(`topic:${tid}`)) ?? {};
        return Object.fromEntries(fields.map(field => [field, topic[field] ?? null]));
      },
    } as never,
  });
  redaction.bus.on('filter:uploadImage', 1, sanitiseUploadImage);
  redaction.bus.on('filter:uploadImage', 1000, storeUploadedImage);
  redaction.bus.on('filter:uploadFile', 1, sanitiseUploadFile);
  redaction.bus.on('filter:uploadFile', 1000, storeUploadedFile);
  return {
    ...redaction,
    privateDir,
    duringUpload: async (route, body, files, work, headers = {}) => {
      const { EventEmitter: Emitter } = await import('node:events');
      const req = { originalUrl: route, body, files, get: (name: string) => headers[name.toLowerCase()] };
      const res: EventEmitter = new Emitter();
      trackUploadRequest(req as never, res as never, () => undefined);
      try {
        return await work();
      } finally {
        res.emit('finish');
      }
    },
    cleanup: async () => {
      await redaction.cleanup();
      await rm(baseDir, { recursive: true, force: true });
    },
  };
}

/** The plugin's clinical-categories setting. */
export async function setClinicalCategories(cids: string): Promise<void> {
  await nodebb.meta.settings.set(SETTINGS_HASH, { redactionClinicalCategories: cids });
}
