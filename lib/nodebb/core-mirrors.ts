/**
 * What the plugin must do exactly as NodeBB core does it, kept beside the gateway so that a
 * NodeBB upgrade means reading one file against core's. Each function names the core code it
 * mirrors (NodeBB 4.11.2) and says where, on purpose, it differs.
 *
 * Why they exist: a plugin that listens to filter:uploadImage / filter:uploadFile becomes
 * responsible for storing the file (core skips its own storage when the hook has listeners),
 * so when no storage plugin took the upload the plugin must store it as core would have.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';

import { nodebb } from './index';

/** A post upload as core's controller hands it on: multer's temp file, named by the time it is stored. */
export interface CoreUploadedFile {
  path: string;
  name?: string;
  size?: number;
  [key: string]: unknown;
}

/** What core's saveFileToLocal answers (src/controllers/uploads.js). */
export interface LocalUpload {
  url: string;
  path: string;
  name: string;
}

function configString(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** A number from NodeBB's meta.config (ACP settings), or `fallback` when unset or not a number. */
export function coreConfigNumber(key: string, fallback: number): number {
  const value = Number(nodebb.meta.config[key]);
  return Number.isFinite(value) ? value : fallback;
}

/**
 * Mirrors NodeBB 4.11.2 src/controllers/uploads.js `uploadsController.uploadFile` (size limit
 * for non-admins, allowed extensions) and its `saveFileToLocal` (file.saveFileToLocal under
 * files/, user.associateUpload, filter:uploadStored).
 *
 * Differs on purpose: the stored name is the file's own name (the plugin's early listener has
 * already named it with a random identifier and the extension its bytes show), not core's
 * `<time>-<member's name>`, so nothing of the member's file name is kept.
 */
export async function storePostFileLocally(uid: number | string | undefined, file: CoreUploadedFile, callerIsAdmin: boolean): Promise<LocalUpload> {
  const name = typeof file.name === 'string' && file.name !== '' ? file.name : 'upload';
  if (!callerIsAdmin) {
    const maxKiB = coreConfigNumber('maximumFileSize', 2048);
    if ((file.size ?? (await stat(file.path)).size) > maxKiB * 1024) {
      throw new Error(`[[error:file-too-big, ${maxKiB}]]`);
    }
  }
  const allowed = nodebb.file.allowedExtensions();
  const extension = path.extname(name).toLowerCase();
  if (allowed.length > 0 && (!extension || extension === '.' || !allowed.includes(extension))) {
    throw new Error(`[[error:invalid-file-type, ${allowed.join('&#44; ')}]]`);
  }
  const filename = path.basename(name);
  const upload = await nodebb.file.saveFileToLocal(filename, 'files', file.path);
  const relativePath = configString(nodebb.nconf.get('relative_path'), '');
  const storedFile: LocalUpload = { url: relativePath + upload.url, path: upload.path, name };
  const uploadUrl = configString(nodebb.nconf.get('upload_url'), '/assets/uploads');
  await nodebb.user.associateUpload(uid ?? 0, upload.url.replace(uploadUrl, ''));
  const stored = await nodebb.plugins.hooks.fire('filter:uploadStored', { uid, uploadedFile: file, storedFile });
  return stored.storedFile;
}

/**
 * Mirrors NodeBB 4.11.2 src/controllers/uploads.js `resizeImage` (called from `uploadAsImage`
 * after local storage): resize post images wider than the threshold through src/image.js
 * `resizeImage`, keeping the original beside a `-resized` copy when the ACP says so.
 *
 * Differs on purpose: a missing size (unreadable header) keeps the file as stored instead of
 * throwing; the sanitiser has already refused anything unreadable before this runs.
 */
export async function resizeLikeCore(stored: LocalUpload, type: string): Promise<LocalUpload> {
  const width = coreConfigNumber('resizeImageWidth', 0);
  const threshold = coreConfigNumber('resizeImageWidthThreshold', 0);
  if (width === 0 || threshold === 0) {
    return stored;
  }
  const size = await nodebb.image.size(stored.path);
  if (!size || size.width < threshold || width > threshold) {
    return stored;
  }
  const keepOriginal = Boolean(Number(nodebb.meta.config.resizeImageKeepOriginal ?? 0));
  await nodebb.image.resizeImage({
    path: stored.path,
    type,
    target: keepOriginal ? nodebb.file.appendToFileName(stored.path, '-resized') : stored.path,
    width,
    quality: coreConfigNumber('resizeImageQuality', 80),
  });
  return keepOriginal ? { ...stored, url: nodebb.file.appendToFileName(stored.url, '-resized') } : stored;
}
