/**
 * Stores a new sanitised upload privately (the redaction hooks call it; the folder and file
 * writes themselves are storage.ts): the file outside NodeBB's folders under a random name,
 * a record of its uploader, and (for images over NodeBB's resize threshold) a resized copy
 * beside it, as core makes for public uploads.
 */
import { rm } from 'node:fs/promises';

import { nodebb } from '../nodebb';
import type { PrivateDestination } from './destination';
import { privateUploadUrl, randomFileName } from './names';
import { encodeReference } from './model';
import { addReferringPost, addUploadsOfPost, createRecord, deleteRecord, setReference } from './store';
import { privateFilePath, writePrivateFile } from './storage';

export interface PrivateStored {
  url: string;
  name: string;
  path: string;
}

function configNumber(key: string, fallback: number): number {
  const value = Number(nodebb.meta.config[key]);
  return Number.isFinite(value) ? value : fallback;
}

/** Core's rule (src/controllers/uploads.js): resize when wider than the threshold, keeping the original if so set. */
async function resizedCopy(name: string, path: string, mime: string): Promise<string> {
  const width = configNumber('resizeImageWidth', 0);
  const threshold = configNumber('resizeImageWidthThreshold', 0);
  if (!mime.startsWith('image/') || mime === 'image/svg+xml' || width === 0 || threshold === 0) {
    return name;
  }
  const size = await nodebb.image.size(path);
  if (!size || size.width < threshold || width > threshold) {
    return name;
  }
  const keepOriginal = Boolean(Number(nodebb.meta.config.resizeImageKeepOriginal ?? 0));
  const resizedName = keepOriginal ? nodebb.file.appendToFileName(name, '-resized') : name;
  const target = privateFilePath(resizedName);
  if (!target) {
    return name;
  }
  await nodebb.image.resizeImage({ path, type: mime, target, width, quality: configNumber('resizeImageQuality', 80) });
  return resizedName;
}

export async function storePrivately(uid: number, tempPath: string, extension: string, mime: string, destination: PrivateDestination): Promise<PrivateStored> {
  const name = randomFileName(extension);
  const id = name.slice(0, 32);
  const path = await writePrivateFile(tempPath, name);
  let shown = name;
  try {
    shown = await resizedCopy(name, path, mime);
    await createRecord(id, { uid, extension, mime });
    if (destination.tid !== null) {
      await referFromMainPost(id, destination.tid);
    }
  } catch (error) {
    await rm(path, { force: true });
    if (shown !== name) {
      await rm(privateFilePath(shown) ?? path, { force: true });
    }
    await deleteRecord(id);
    throw error;
  }
  return { url: privateUploadUrl(shown), name: shown, path };
}

/** A thumbnail uploaded for an existing topic is shown by that topic's main post. */
async function referFromMainPost(id: string, tid: number): Promise<void> {
  const topic = await nodebb.topics.getTopicFields(tid, ['mainPid']);
  const mainPid = Number(topic.mainPid);
  if (!Number.isInteger(mainPid) || mainPid <= 0) {
    return;
  }
  const value = encodeReference({ tid, postDeleted: false });
  await setReference(id, mainPid, value);
  await addUploadsOfPost(mainPid, id);
  await addReferringPost(tid, mainPid);
}
