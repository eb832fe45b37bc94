/**
 * NodeBB hook handlers that put the sanitiser in front of every upload path that has a hook.
 *
 * The temp file is sanitised IN PLACE before anything stores it. Listening to
 * filter:uploadImage / filter:uploadFile makes the plugin responsible for storage, so each
 * hook gets two listeners: an early one that sanitises and passes the payload on (to a storage
 * plugin, if any), and a late one that stores the file the way NodeBB would when nobody else did.
 * On any failure the temp file is removed and a UserFacingError is thrown: nothing is stored.
 */
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

import { isUserFacingError, type UserFacingError } from '../common/user-error';
import { isAdmin } from '../common/policy';
import { log, nodebb } from '../nodebb';
import { getSettings } from '../settings';
import { stripIco } from './containers/ico';
import { refusals } from './errors';
import { privateDestinationOf } from '../private-uploads/destination';
import { randomFileName } from '../private-uploads/names';
import { storePrivately } from '../private-uploads/store';
import { sanitiseImage, type SanitisedImage } from './sanitise';
import { SNIFF_BYTES, sniffFile, sniffImageFormat } from './sniff';

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

function isStored(data: unknown): data is StoredUpload {
  return typeof data === 'object' && data !== null && typeof (data as { url?: unknown }).url === 'string';
}

function configString(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function configNumber(key: string, fallback: number): number {
  const value = Number(nodebb.meta.config[key]);
  return Number.isFinite(value) ? value : fallback;
}

/** A post or chat image, or a topic thumbnail: multer's file, stored under files/. */
function isPostUpload(folder: string, file: UploadedFile): boolean {
  return folder === 'files' && typeof file.fieldname === 'string';
}

interface UploadLimits {
  maxBytes: number;
  maxWidth?: number;
  maxHeight?: number;
}

/** NodeBB's own limits for post uploads (maximumFileSize for non-admins, rejectImageWidth/Height). */
async function postLimits(uid: number | string | undefined): Promise<UploadLimits> {
  const maxFileBytes = configNumber('maximumFileSize', 2048) * 1024;
  const limits: UploadLimits = {
    maxBytes: await isAdmin(uid) ? LARGEST_UPLOAD_BYTES : Math.min(maxFileBytes, LARGEST_UPLOAD_BYTES),
  };
  const maxWidth = configNumber('rejectImageWidth', 0);
  const maxHeight = configNumber('rejectImageHeight', 0);
  if (maxWidth > 0) {
    limits.maxWidth = maxWidth;
  }
  if (maxHeight > 0) {
    limits.maxHeight = maxHeight;
  }
  return limits;
}

async function removeTempFile(filePath: string): Promise<void> {
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
async function sanitiseInPlace(file: UploadedFile, limits: UploadLimits): Promise<SanitisedImage> {
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

function toUserFacing(error: unknown): UserFacingError {
  if (isUserFacingError(error)) {
    return error;
  }
  // Library and file-system text stays in the log; the member gets a translated message.
  log.error(`image sanitising failed: ${error instanceof Error ? error.message : String(error)}`);
  return refusals.failed();
}

async function readHead(filePath: string, length: number): Promise<Buffer> {
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

/**
 * filter:uploadImage, early (priority 1): every image path with a hook (post and chat images,
 * topic thumbnails, profile pictures, user and group covers, ACP images). Passes the payload on.
 */
export async function sanitiseUploadImage(data: UploadImagePayload | StoredUpload): Promise<UploadImagePayload | StoredUpload> {
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

/** Core's own refusals (`[[error:…]]`) reach the member as they are; anything else is translated. */
function asRefusal(error: unknown): Error {
  return error instanceof Error && error.message.startsWith('[[error:') ? error : toUserFacing(error);
}

/**
 * filter:uploadFile, early (priority 1): post and chat files sent with a non-image type.
 * Bytes that are an image are sanitised in place whatever the name; markup that could run
 * script is refused (or kept as plain text, see keepMarkupAsTextOrRefuse); anything else passes untouched.
 */
export async function sanitiseUploadFile(data: UploadFilePayload | StoredUpload): Promise<UploadFilePayload | StoredUpload> {
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

interface LocalUpload {
  url: string;
  path: string;
  name: string;
}

/** NodeBB's local storage for post files: checks, timestamped name, association, filter:uploadStored. */
async function storePostFileLocally(uid: number | string | undefined, file: UploadedFile): Promise<LocalUpload> {
  const name = typeof file.name === 'string' && file.name !== '' ? file.name : 'upload';
  if (!await isAdmin(uid)) {
    const maxKiB = configNumber('maximumFileSize', 2048);
    if ((file.size ?? (await stat(file.path)).size) > maxKiB * 1024) {
      throw new Error(`[[error:file-too-big, ${maxKiB}]]`);
    }
  }
  const allowed = nodebb.file.allowedExtensions();
  const extension = path.extname(name).toLowerCase();
  if (allowed.length > 0 && (!extension || extension === '.' || !allowed.includes(extension))) {
    throw new Error(`[[error:invalid-file-type, ${allowed.join('&#44; ')}]]`);
  }
  // The early listener named it: a random identifier and the extension judged from the bytes.
  const filename = path.basename(name);
  const upload = await nodebb.file.saveFileToLocal(filename, 'files', file.path);
  const relativePath = configString(nodebb.nconf.get('relative_path'), '');
  const storedFile: LocalUpload = { url: relativePath + upload.url, path: upload.path, name };
  const uploadUrl = configString(nodebb.nconf.get('upload_url'), '/assets/uploads');
  await nodebb.user.associateUpload(uid ?? 0, upload.url.replace(uploadUrl, ''));
  const stored = await nodebb.plugins.hooks.fire('filter:uploadStored', { uid, uploadedFile: file, storedFile });
  return stored.storedFile;
}

/** Core resizes post images after storing them locally (keeping the original if so set); so do we. */
async function resizeLikeCore(stored: LocalUpload, type: string): Promise<LocalUpload> {
  const width = configNumber('resizeImageWidth', 0);
  const threshold = configNumber('resizeImageWidthThreshold', 0);
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
    quality: configNumber('resizeImageQuality', 80),
  });
  return keepOriginal ? { ...stored, url: nodebb.file.appendToFileName(stored.url, '-resized') } : stored;
}

/**
 * filter:uploadImage, late (priority 1000): stores the image locally unless a storage plugin
 * already did. Post images and thumbnails answer with a relative_path-prefixed url, as core's
 * controller does; image.uploadImage callers and ACP uploads get the bare /assets/uploads url.
 */
export async function storeUploadedImage(data: UploadImagePayload | StoredUpload): Promise<StoredUpload> {
  if (isStored(data)) {
    return data;
  }
  const image = data.image;
  try {
    const result = sanitisedFiles.get(image) ?? await sanitiseInPlace(image, { maxBytes: LARGEST_UPLOAD_BYTES });
    if (isPostUpload(data.folder, image)) {
      const stored = await storePostFileLocally(data.uid, image);
      const resized = await resizeLikeCore(stored, result.mime);
      return { url: resized.url, name: resized.name };
    }
    const name = randomFileName(result.extension);
    image.name = name;
    const upload = await nodebb.file.saveFileToLocal(name, data.folder, image.path);
    return { url: upload.url, path: upload.path, name };
  } catch (error) {
    await removeTempFile(image.path);
    throw error;
  }
}

/** filter:uploadFile, late (priority 1000): NodeBB's local storage for post files, unless a storage plugin stored it. */
export async function storeUploadedFile(data: UploadFilePayload | StoredUpload): Promise<StoredUpload> {
  if (isStored(data)) {
    return data;
  }
  try {
    const stored = await storePostFileLocally(data.uid, data.file);
    return { ...stored };
  } catch (error) {
    await removeTempFile(data.file.path);
    throw error;
  }
}

/**
 * filter:image.stripEXIF: core would re-encode post images with sharp (and swallow its errors)
 * before filter:uploadImage. The sanitiser does it there instead, losslessly and failing closed.
 */
export async function leaveExifToSanitiser<T>(data: T): Promise<T> {
  return data;
}

/**
 * filter:image.size: core's header read (used by checkDimensions before any upload hook),
 * with a translated refusal instead of decoder text when the bytes are no readable image.
 */
export async function readImageSize(data: { path: string; width?: number; height?: number }): Promise<{ path: string; width?: number; height?: number }> {
  if (typeof data.width === 'number' && typeof data.height === 'number') {
    return data;
  }
  let metadata: { width?: number; height?: number };
  try {
    const format = sniffImageFormat(await readHead(data.path, SNIFF_BYTES));
    if (format === null) {
      throw refusals.notAnImage();
    }
    // Core asks for the size first on several paths: an SVG must get its own refusal here.
    if (format === 'svg' && (await getSettings()).redactionRefuseSvg) {
      throw refusals.svgRefused();
    }
    // sharp cannot read favicons; their directory says how large they are.
    metadata = format === 'ico'
      ? stripIco(await readFile(data.path), { keepIcc: false })
      : await sharp(data.path, { failOn: 'warning' }).metadata();
  } catch (error) {
    throw isUserFacingError(error) ? error : refusals.corrupt();
  }
  if (!metadata.width || !metadata.height) {
    throw refusals.corrupt();
  }
  data.width = metadata.width;
  data.height = metadata.height;
  return data;
}

/**
 * filter:image.isFileTypeAllowed (core passes the path itself): judged from the bytes, with
 * SVG refused per the setting and a translated refusal for anything unreadable.
 */
export async function checkImageFileType(filePath: string): Promise<string> {
  let format: ReturnType<typeof sniffImageFormat>;
  try {
    format = sniffImageFormat(await readHead(filePath, SNIFF_BYTES));
  } catch {
    throw refusals.notAnImage();
  }
  if (format === null) {
    throw refusals.notAnImage();
  }
  if (format === 'svg' && (await getSettings()).redactionRefuseSvg) {
    throw refusals.svgRefused();
  }
  if (format === 'ico') {
    // sharp cannot read favicons; the sanitiser checks them before anything is stored.
    return filePath;
  }
  try {
    await sharp(filePath, { failOn: 'warning' }).metadata();
  } catch {
    throw format === 'jpeg' || format === 'png' || format === 'gif' || format === 'webp' ? refusals.corrupt() : refusals.formatUndecodable(format);
  }
  return filePath;
}

/** What core's image.resizeImage hands filter:image.resize (src/image.js). */
export interface ResizeRequest {
  path: string;
  target?: string;
  width?: number;
  height?: number;
  quality?: number;
  type?: string;
  [key: string]: unknown;
}

/**
 * filter:image.resize: core resizes topic thumbnails, profile pictures and group cover thumbnails
 * BEFORE filter:uploadImage fires, with sharp and with decoder text on failure. Here the bytes are
 * sanitised first (refusals translated), then resized as core does, writing no metadata.
 * Like core, the output format follows the target's extension.
 */
export async function resizeImage(data: ResizeRequest): Promise<ResizeRequest> {
  const settings = await getSettings();
  const maxMegapixels = settings.redactionMaxMegapixels;
  try {
    const { size } = await stat(data.path);
    if (size > LARGEST_UPLOAD_BYTES) {
      throw refusals.fileTooLarge(Math.floor(LARGEST_UPLOAD_BYTES / 1024));
    }
    const clean = await sanitiseImage(await readFile(data.path), {
      keepIcc: settings.redactionKeepIccProfile, refuseSvg: settings.redactionRefuseSvg, maxMegapixels,
    });
    let pipeline = sharp(clean.bytes, {
      failOn: 'warning', animated: clean.format === 'gif', limitInputPixels: Math.floor(maxMegapixels * 1_000_000),
    }).timeout({ seconds: 30 });
    const width = data.width ?? 0;
    const height = data.height ?? 0;
    if ((width > 0 && clean.width !== width) || (height > 0 && clean.height !== height)) {
      pipeline = pipeline.resize(width > 0 ? width : null, height > 0 ? height : null);
    }
    if (settings.redactionKeepIccProfile) {
      pipeline = pipeline.keepIccProfile();
    }
    if (data.quality !== undefined && clean.format === 'jpeg') {
      pipeline = pipeline.jpeg({ quality: data.quality, mozjpeg: true });
    } else if (data.quality !== undefined && clean.format === 'png') {
      pipeline = pipeline.png({ quality: data.quality, compressionLevel: 9 });
    }
    await pipeline.toFile(data.target ?? data.path);
  } catch (error) {
    if (isUserFacingError(error)) {
      throw error;
    }
    log.error(`image resize failed: ${error instanceof Error ? error.message : String(error)}`);
    throw refusals.corrupt();
  }
  return data;
}

/**
 * filter:image.normalise: with "convert profile pictures to PNG" on, core converts the upload
 * with sharp before any upload hook. Here it is sanitised first (refusals translated), then
 * written as `<path>.png` as core expects, with no metadata.
 */
export async function normaliseImage(data: { path: string }): Promise<{ path: string }> {
  const settings = await getSettings();
  try {
    const { size } = await stat(data.path);
    if (size > LARGEST_UPLOAD_BYTES) {
      throw refusals.fileTooLarge(Math.floor(LARGEST_UPLOAD_BYTES / 1024));
    }
    const clean = await sanitiseImage(await readFile(data.path), {
      keepIcc: settings.redactionKeepIccProfile, refuseSvg: settings.redactionRefuseSvg, maxMegapixels: settings.redactionMaxMegapixels,
    });
    let pipeline = sharp(clean.bytes, { failOn: 'warning', limitInputPixels: Math.floor(settings.redactionMaxMegapixels * 1_000_000) }).timeout({ seconds: 30 });
    if (settings.redactionKeepIccProfile) {
      pipeline = pipeline.keepIccProfile();
    }
    await pipeline.png().toFile(`${data.path}.png`);
  } catch (error) {
    throw toUserFacing(error);
  }
  return data;
}
