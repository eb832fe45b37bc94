/**
 * The early upload listeners' work: every upload path NodeBB gives a hook is sanitised in
 * place before anything stores it, and the payload is passed on (to a storage plugin, if any).
 * On any failure the temp file is removed and a translated error is thrown: nothing is stored.
 */
import path from 'node:path';

import { log, nodebb } from '../nodebb';
import { getSettings } from '../settings';
import { refusals } from './errors';
import { privateDestinationOf, randomFileName, storePrivately } from '../private-uploads';
import { SNIFF_BYTES, sniffFile } from './sniff';
import {
  LARGEST_UPLOAD_BYTES, asRefusal, isPostUpload, isStored, postLimits, readHead, removeTempFile, sanitiseInPlace, toUserFacing,
  type StoredUpload, type UploadFilePayload, type UploadImagePayload, type UploadedFile,
} from './upload-files';

/**
 * Every image path with a hook (post and chat images, topic thumbnails, profile pictures, user
 * and group covers, ACP images). Passes the payload on.
 */
export async function sanitiseImageUpload(data: UploadImagePayload | StoredUpload): Promise<UploadImagePayload | StoredUpload> {
  if (isStored(data)) {
    log.warn('filter:uploadImage: a listener stored the image before the sanitiser ran; give the sanitiser a lower priority');
    return data;
  }
  const limits = isPostUpload(data.folder, data.image) ? await postLimits(data.uid) : { maxBytes: LARGEST_UPLOAD_BYTES };
  const result = await sanitiseInPlace(data.image, limits);
  // An image path: its type is what the bytes are, whatever the browser said.
  data.image.type = result.mime;
  // Nothing of the member's file name goes on, to us, to a storage plugin or back to the browser.
  data.image.name = randomFileName(result.extension);
  if (isPostUpload(data.folder, data.image)) {
    return await storeIfPrivate(data.uid, data.image, result.extension, result.mime) ?? data;
  }
  return data;
}

/** Extensions a browser opens with its HTML parser: whatever such a file holds becomes a page. */
const PAGE_EXTENSIONS = new Set(['.html', '.htm', '.shtml']);

function servedAsPage(file: UploadedFile): boolean {
  const name = typeof file.name === 'string' ? file.name : '';
  return PAGE_EXTENSIONS.has(path.extname(name).toLowerCase()) || /^\s*text\/html\b/i.test(typeof file.type === 'string' ? file.type : '');
}

/**
 * A post or chat file a browser could run as a page or scripted XML: refused, unless the admin
 * turned on "store as plain text" AND listed its extension in NodeBB's allowed file extensions.
 * Then `.txt` is added to its name and its type is text/plain, so the forum never serves it as markup.
 */
async function keepMarkupAsTextOrRefuse(file: UploadedFile): Promise<void> {
  const name = typeof file.name === 'string' ? file.name : '';
  const extension = path.extname(name).toLowerCase();
  let keepAsText = false;
  try {
    keepAsText = extension !== '' && extension !== '.' && (await getSettings()).redactionMarkupFilesAsText
      && nodebb.file.allowedExtensions().includes(extension);
  } catch (error) {
    // Unreadable settings: fail closed.
    log.error(`could not read the markup setting: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (keepAsText) {
    file.name = `${name}.txt`;
    file.type = 'text/plain';
    return;
  }
  await removeTempFile(file.path);
  throw refusals.markupRefused();
}

/**
 * Uploads composed in a closed or clinical category are stored privately here, before any
 * storage plugin sees them (README: "Private clinical uploads"); null for NodeBB's normal storage.
 */
async function storeIfPrivate(uid: number | string | undefined, file: UploadedFile, extension: string, mime: string): Promise<StoredUpload | null> {
  try {
    const destination = await privateDestinationOf(file);
    if (!destination) {
      return null;
    }
    const stored = await storePrivately(Number(uid) || 0, file.path, extension, mime, destination);
    return { url: stored.url, name: stored.name };
  } catch (error) {
    await removeTempFile(file.path);
    throw toUserFacing(error);
  }
}

/**
 * The extension a non-image file is stored under: judged from its bytes where they have a
 * signature (PDF, archives, video…), else the lower-cased extension of its name (plain text
 * formats have none). Only NodeBB's allowed extensions pass, as in core.
 */
async function judgeFile(file: UploadedFile): Promise<{ extension: string; mime: string }> {
  const { fileTypeFromFile } = await import('file-type');
  const found = await fileTypeFromFile(file.path);
  const fromName = path.extname(typeof file.name === 'string' ? file.name : '').toLowerCase();
  const extension = found ? `.${found.ext}` : fromName;
  const allowed = nodebb.file.allowedExtensions();
  if (allowed.length > 0 && (!extension || !allowed.includes(extension))) {
    throw new Error(`[[error:invalid-file-type, ${allowed.join('&#44; ')}]]`);
  }
  return { extension, mime: found?.mime ?? 'application/octet-stream' };
}

/**
 * Post and chat files sent with a non-image type. Bytes that are an image are sanitised in
 * place whatever the name; markup that could run script is refused (or kept as plain text, see
 * keepMarkupAsTextOrRefuse); anything else passes untouched.
 */
export async function sanitiseFileUpload(data: UploadFilePayload | StoredUpload): Promise<UploadFilePayload | StoredUpload> {
  if (isStored(data)) {
    log.warn('filter:uploadFile: a listener stored the file before the sanitiser ran; give the sanitiser a lower priority');
    return data;
  }
  let head: Buffer;
  try {
    head = await readHead(data.file.path, SNIFF_BYTES);
  } catch (error) {
    await removeTempFile(data.file.path);
    throw toUserFacing(error);
  }
  const sniffed = sniffFile(head);
  let judged: { extension: string; mime: string } | null = null;
  if (sniffed.kind === 'image') {
    // A file is not held to the post-image width/height limits (core never checks them for files),
    // only to the size limit and the sanitiser's pixel limit.
    const { maxBytes } = await postLimits(data.uid);
    judged = await sanitiseInPlace(data.file, { maxBytes });
  }
  if (sniffed.kind === 'active-markup' || servedAsPage(data.file)) {
    // Refused, or kept as plain text when the admin allowed it knowingly: then it is stored as
    // .txt whatever its bytes look like, so it is never served as markup.
    await keepMarkupAsTextOrRefuse(data.file);
    judged = { extension: '.txt', mime: 'text/plain' };
  }
  if (!judged) {
    try {
      judged = await judgeFile(data.file);
    } catch (error) {
      await removeTempFile(data.file.path);
      throw asRefusal(error);
    }
  }
  data.file.name = randomFileName(judged.extension);
  return await storeIfPrivate(data.uid, data.file, judged.extension, judged.mime) ?? data;
}
