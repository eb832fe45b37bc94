/**
 * NodeBB's own image steps (src/image.js: size, file-type check, resize, normalise, EXIF strip),
 * which core runs on some paths BEFORE filter:uploadImage fires: each is taken over through its
 * filter so that it reads only sanitised bytes and refuses with a translated message, never
 * decoder text.
 */
import { readFile, stat } from 'node:fs/promises';
import sharp from 'sharp';

import { isUserFacingError } from '../common/user-error';
import { log } from '../nodebb';
import { getSettings } from '../settings';
import { stripIco } from './containers/ico';
import { refusals } from './errors';
import { sanitiseImage } from './sanitise';
import { SNIFF_BYTES, sniffImageFormat } from './sniff';
import { LARGEST_UPLOAD_BYTES, readHead, toUserFacing } from './upload-files';

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
