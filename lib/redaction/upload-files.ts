/**
 * The upload as NodeBB's hooks hand it over, and what every redaction step does with its temp
 * file: the limits it is held to, sanitising it in place, and removing it when it is refused.
 */
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { isUserFacingError, type UserFacingError } from '../common/user-error';
import { isAdmin } from '../common/policy';
import { log } from '../nodebb';
import { coreConfigNumber } from '../nodebb/core-mirrors';
import { getSettings } from '../settings';
import { refusals } from './errors';
import { sanitiseImage, type SanitisedImage } from './sanitise';

/** A file as NodeBB hands it to upload hooks: a multer file (post, thumb, ACP) or `{path, uid, name}` (image.uploadImage). */
export interface UploadedFile {
  path: string;
  name?: string;
  type?: string;
  size?: number;
  /** Only multer's files have it: tells a post/thumbnail upload from image.uploadImage's objects. */
  fieldname?: string;
  uid?: number | string;
  [key: string]: unknown;
}

export interface UploadImagePayload {
  image: UploadedFile;
  uid?: number | string;
  folder: string;
  [key: string]: unknown;
}

export interface UploadFilePayload {
  file: UploadedFile;
  uid?: number | string;
  folder: string;
  [key: string]: unknown;
}

/** What a storage listener (ours or a storage plugin's) turns the payload into. */
export interface StoredUpload {
  url: string;
  name?: string;
  path?: string;
  [key: string]: unknown;
}

/** Nothing larger is read into memory, whoever uploads it (multer itself has no limit). */
export const LARGEST_UPLOAD_BYTES = 100 * 1024 * 1024;

/** Files this process has sanitised, so the storing listener never stores an unsanitised one. */
const sanitisedFiles = new WeakMap<UploadedFile, SanitisedImage>();

/** What sanitiseInPlace made of this file in this process, if it ran. */
export function sanitisedResult(file: UploadedFile): SanitisedImage | undefined {
  return sanitisedFiles.get(file);
}

export function isStored(data: unknown): data is StoredUpload {
  return typeof data === 'object' && data !== null && typeof (data as { url?: unknown }).url === 'string';
}

/** A post or chat image, or a topic thumbnail: multer's file, stored under files/. */
export function isPostUpload(folder: string, file: UploadedFile): boolean {
  return folder === 'files' && typeof file.fieldname === 'string';
}

export interface UploadLimits {
  maxBytes: number;
  maxWidth?: number;
  maxHeight?: number;
}

/** NodeBB's own limits for post uploads (maximumFileSize for non-admins, rejectImageWidth/Height). */
export async function postLimits(uid: number | string | undefined): Promise<UploadLimits> {
  const maxFileBytes = coreConfigNumber('maximumFileSize', 2048) * 1024;
  const limits: UploadLimits = {
    maxBytes: await isAdmin(uid) ? LARGEST_UPLOAD_BYTES : Math.min(maxFileBytes, LARGEST_UPLOAD_BYTES),
  };
  const maxWidth = coreConfigNumber('rejectImageWidth', 0);
  const maxHeight = coreConfigNumber('rejectImageHeight', 0);
  if (maxWidth > 0) {
    limits.maxWidth = maxWidth;
  }
  if (maxHeight > 0) {
    limits.maxHeight = maxHeight;
  }
  return limits;
}

export async function removeTempFile(filePath: string): Promise<void> {
  try {
    await rm(filePath, { force: true });
  } catch (error) {
    log.warn(`could not remove a refused upload's temp file: ${String(error)}`);
  }
}

function withExtension(name: string, extension: string): string {
  const current = path.extname(name);
  return `${current ? name.slice(0, -current.length) : name}${extension}`;
}

/** Sanitise the temp file in place; on failure remove it and throw a UserFacingError. */
export async function sanitiseInPlace(file: UploadedFile, limits: UploadLimits): Promise<SanitisedImage> {
  try {
    if (typeof file.path !== 'string' || file.path === '') {
      throw refusals.notAnImage();
    }
    const { size } = await stat(file.path);
    if (size > limits.maxBytes) {
      throw refusals.fileTooLarge(Math.floor(limits.maxBytes / 1024));
    }
    const settings = await getSettings();
    const result = await sanitiseImage(await readFile(file.path), {
      keepIcc: settings.redactionKeepIccProfile,
      refuseSvg: settings.redactionRefuseSvg,
      maxMegapixels: settings.redactionMaxMegapixels,
      ...limits,
    });
    await writeFile(file.path, result.bytes);
    file.size = result.bytes.length;
    if (result.format !== result.inputFormat) {
      // Converted (TIFF to PNG, HEIF to JPEG…): name and type follow the new bytes.
      file.type = result.mime;
      if (typeof file.name === 'string' && file.name !== '') {
        file.name = withExtension(file.name, result.extension);
      }
    }
    sanitisedFiles.set(file, result);
    return result;
  } catch (error) {
    await removeTempFile(file.path);
    throw toUserFacing(error);
  }
}

export function toUserFacing(error: unknown): UserFacingError {
  if (isUserFacingError(error)) {
    return error;
  }
  // Library and file-system text stays in the log; the member gets a translated message.
  log.error(`image sanitising failed: ${error instanceof Error ? error.message : String(error)}`);
  return refusals.failed();
}

/** Core's own refusals (`[[error:…]]`) reach the member as they are; anything else is translated. */
export function asRefusal(error: unknown): Error {
  return error instanceof Error && error.message.startsWith('[[error:') ? error : toUserFacing(error);
}

export async function readHead(filePath: string, length: number): Promise<Buffer> {
  const handle = await open(filePath, 'r');
  try {
    // Markup is judged on up to SNIFF_BYTES: allocate no more than the file holds.
    const size = Math.min(length, (await handle.stat()).size);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
