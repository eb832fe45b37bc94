/**
 * The one sanitiser every upload path goes through: bytes in, metadata-free bytes out,
 * or a UserFacingError. It fails closed: whatever goes wrong, nothing is returned.
 *
 * JPEG, PNG, WebP and GIF are stripped at the container level, losslessly, unless EXIF
 * Orientation asks for a rotation: then sharp re-encodes with the rotation applied.
 * ICO (favicons) is rebuilt around its stripped images. TIFF, HEIF/AVIF (and SVG when
 * allowed) are converted by sharp; BMP and HEIC that sharp cannot decode are refused.
 * Every re-encoded or converted output, and every lossless PNG, WebP and GIF, is decoded once
 * more before it is returned; a lossless JPEG is validated segment by segment instead.
 */
import sharp from 'sharp';

import { isUserFacingError, type UserFacingError } from '../common/user-error';
import { stripContainer, swapsDimensions, type ContainerFormat, type Orientation } from './containers';
import { stripIco } from './containers/ico';
import { MalformedImageError, refusals } from './errors';
import { markupAsUtf8 } from './markup';
import { sniffImageFormat, type SniffedFormat } from './sniff';

export interface SanitiseOptions {
  /** Keep the ICC colour profile (setting redactionKeepIccProfile). */
  keepIcc: boolean;
  /** Refuse SVG (setting redactionRefuseSvg); when off, SVG is rasterised to PNG, never stored as SVG. */
  refuseSvg: boolean;
  /** Largest decoded pixel count, in megapixels, animation frames included (setting redactionMaxMegapixels). */
  maxMegapixels: number;
  /** Caller's limits (NodeBB's rejectImageWidth/Height, maximumFileSize…); absent means none. */
  maxWidth?: number;
  maxHeight?: number;
  maxBytes?: number;
  /** Longest any single decode or encode may run. */
  timeoutSeconds?: number;
}

export type OutputFormat = ContainerFormat | 'ico';

export interface SanitisedImage {
  bytes: Buffer;
  format: OutputFormat;
  mime: string;
  extension: string;
  width: number;
  height: number;
  /** What the bytes were before: a TIFF comes back as PNG, for instance. */
  inputFormat: SniffedFormat;
  /** False when the pixels are exactly the input's (container-level strip only). */
  reencoded: boolean;
}

const MIME: Record<OutputFormat, string> = { jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', ico: 'image/x-icon' };
const EXTENSION: Record<OutputFormat, string> = { jpeg: '.jpg', png: '.png', gif: '.gif', webp: '.webp', ico: '.ico' };
const DEFAULT_TIMEOUT_SECONDS = 30;

/** What each format that is not stripped in place becomes once sharp has decoded it. */
const CONVERTED_TO: Partial<Record<SniffedFormat, ContainerFormat>> = { tiff: 'png', heif: 'jpeg', svg: 'png' };

export function mimeOf(format: OutputFormat): string {
  return MIME[format];
}

export function extensionOf(format: OutputFormat): string {
  return EXTENSION[format];
}

function isContainerFormat(format: SniffedFormat): format is ContainerFormat {
  return format === 'jpeg' || format === 'png' || format === 'gif' || format === 'webp';
}

function pixelLimit(options: SanitiseOptions): number {
  return Math.floor(options.maxMegapixels * 1_000_000);
}

function checkDimensions(width: number, height: number, decodedPixels: number, options: SanitiseOptions): void {
  if (decodedPixels > pixelLimit(options) || width * height > pixelLimit(options)) {
    throw refusals.tooManyPixels(options.maxMegapixels);
  }
  const maxWidth = options.maxWidth ?? Infinity;
  const maxHeight = options.maxHeight ?? Infinity;
  if (width > maxWidth || height > maxHeight) {
    throw refusals.dimensions(options.maxWidth ?? width, options.maxHeight ?? height);
  }
}

/** Turn anything a decoder or parser threw into one of our refusals; library text stays in the log. */
function toRefusal(error: unknown, options: SanitiseOptions): UserFacingError {
  if (isUserFacingError(error)) {
    return error;
  }
  if (error instanceof MalformedImageError) {
    return refusals.corrupt();
  }
  const message = error instanceof Error ? error.message : '';
  if (/pixel limit/i.test(message)) {
    return refusals.tooManyPixels(options.maxMegapixels);
  }
  if (/timeout/i.test(message)) {
    return refusals.timeout();
  }
  return refusals.corrupt();
}

function decoder(input: Buffer, options: SanitiseOptions, animated: boolean): sharp.Sharp {
  return sharp(input, {
    failOn: 'warning',
    limitInputPixels: pixelLimit(options),
    animated,
    sequentialRead: true,
  }).timeout({ seconds: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS });
}

/**
 * How to bring stored pixels upright for each EXIF Orientation. sharp mirrors before it
 * rotates, so 5 (transpose) is flip-then-90 and 7 (transverse) is flop-then-90.
 */
const UPRIGHT: Record<Orientation, { flip?: true; flop?: true; angle: number }> = {
  1: { angle: 0 },
  2: { flop: true, angle: 0 },
  3: { angle: 180 },
  4: { flip: true, angle: 0 },
  5: { flip: true, angle: 90 },
  6: { angle: 90 },
  7: { flop: true, angle: 90 },
  8: { angle: 270 },
};

/**
 * Re-encode with sharp. `orientation` given: apply exactly that (the input is already
 * stripped, so sharp sees no tag); absent: let sharp auto-orient from the file (conversions).
 * sharp writes no metadata unless asked to; only the ICC profile may be kept.
 */
async function reencode(input: Buffer, target: ContainerFormat, options: SanitiseOptions, animated: boolean, orientation?: Orientation): Promise<Buffer> {
  let pipeline = decoder(input, options, animated);
  if (orientation === undefined) {
    pipeline = pipeline.rotate();
  } else {
    const upright = UPRIGHT[orientation];
    if (upright.flip) {
      pipeline = pipeline.flip();
    }
    if (upright.flop) {
      pipeline = pipeline.flop();
    }
    if (upright.angle !== 0) {
      pipeline = pipeline.rotate(upright.angle);
    }
  }
  if (options.keepIcc) {
    pipeline = pipeline.keepIccProfile();
  }
  switch (target) {
    // NodeBB's own re-encode quality (sharp's default), so the rotation costs no more than core's.
    case 'jpeg': pipeline = pipeline.jpeg({ quality: 80 }); break;
    case 'png': pipeline = pipeline.png(); break;
    case 'webp': pipeline = pipeline.webp({ quality: 90 }); break;
    case 'gif': pipeline = pipeline.gif(); break;
  }
  return pipeline.toBuffer();
}

/**
 * Decode every byte of the output once, so nothing unreadable is ever stored. JPEG decodes at
 * 1/8 scale (shrink-on-load): every entropy-coded byte is still read and checked.
 */
async function verifyDecodes(output: Buffer, format: ContainerFormat, width: number, height: number, options: SanitiseOptions): Promise<void> {
  const pipeline = await verifyHeader(output, format, width, height, options);
  if (format === 'jpeg') {
    await pipeline.resize({ width: Math.max(1, Math.ceil(width / 8)), fastShrinkOnLoad: true }).raw().toBuffer();
  } else {
    await pipeline.raw().toBuffer();
  }
}

/** The decoder reads the output's header and agrees on its dimensions; returns the pipeline for a full decode. */
async function verifyHeader(output: Buffer, format: ContainerFormat, width: number, height: number, options: SanitiseOptions): Promise<sharp.Sharp> {
  // keepIccProfile: decode only, no colour conversion to sRGB (which would double the cost).
  const pipeline = decoder(output, options, format === 'gif' || format === 'webp').keepIccProfile();
  const metadata = await pipeline.metadata();
  if (metadata.width !== width || (metadata.pageHeight ?? metadata.height) !== height) {
    throw refusals.corrupt();
  }
  return pipeline;
}

async function headerOf(input: Buffer, options: SanitiseOptions): Promise<{ width: number; height: number; hasAlpha: boolean }> {
  const metadata = await decoder(input, options, false).metadata();
  const width = metadata.width;
  const height = metadata.height;
  if (!width || !height) {
    throw refusals.corrupt();
  }
  return { width, height, hasAlpha: metadata.hasAlpha };
}

async function sanitiseContainer(input: Buffer, format: ContainerFormat, options: SanitiseOptions): Promise<SanitisedImage> {
  const stripped = stripContainer(format, input, { keepIcc: options.keepIcc });
  checkDimensions(stripped.width, stripped.height, stripped.decodedPixels, options);
  // An animated WebP is never rotated (sharp would keep only its first frame); its tag goes all the same.
  const animated = stripped.decodedPixels > stripped.width * stripped.height;
  const orientation: Orientation = animated ? 1 : stripped.orientation;
  if (orientation === 1) {
    if (format === 'jpeg') {
      // Lossless JPEG: the rewritten container was validated segment by segment (markers,
      // tables, byte stuffing, EOI) and the scan is the uploader's, byte for byte. Decoding it
      // again would cost as much as a re-encode and protect nothing a metadata strip is for.
      await verifyHeader(stripped.bytes, format, stripped.width, stripped.height, options);
    } else {
      await verifyDecodes(stripped.bytes, format, stripped.width, stripped.height, options);
    }
    return {
      bytes: stripped.bytes, format, mime: MIME[format], extension: EXTENSION[format],
      width: stripped.width, height: stripped.height, inputFormat: format, reencoded: false,
    };
  }
  const rotated = await reencode(stripped.bytes, format, options, false, orientation);
  const again = stripContainer(format, rotated, { keepIcc: options.keepIcc });
  const [width, height] = swapsDimensions(orientation) ? [stripped.height, stripped.width] : [stripped.width, stripped.height];
  if (again.width !== width || again.height !== height) {
    throw refusals.corrupt();
  }
  await verifyDecodes(again.bytes, format, width, height, options);
  return { bytes: again.bytes, format, mime: MIME[format], extension: EXTENSION[format], width, height, inputFormat: format, reencoded: true };
}

async function sanitiseByConversion(original: Buffer, format: SniffedFormat, options: SanitiseOptions): Promise<SanitisedImage> {
  const convertedTo = CONVERTED_TO[format];
  if (!convertedTo) {
    throw refusals.formatUndecodable(format);
  }
  // librsvg reads UTF-8 only: a UTF-16 SVG is rendered from its UTF-8 re-encoding.
  const input = format === 'svg' ? markupAsUtf8(original) : original;
  if (input === null) {
    throw refusals.formatUndecodable(format);
  }
  let header: { width: number; height: number; hasAlpha: boolean };
  try {
    header = await headerOf(input, options);
  } catch {
    throw refusals.formatUndecodable(format);
  }
  // JPEG has no transparency: a HEIF/AVIF with alpha becomes PNG instead.
  const target: ContainerFormat = convertedTo === 'jpeg' && header.hasAlpha ? 'png' : convertedTo;
  checkDimensions(header.width, header.height, header.width * header.height, options);
  let converted: Buffer;
  try {
    converted = await reencode(input, target, options, false);
  } catch (error) {
    const refusal = toRefusal(error, options);
    throw refusal.key === 'error.redaction-corrupt' ? refusals.formatUndecodable(format) : refusal;
  }
  const stripped = stripContainer(target, converted, { keepIcc: options.keepIcc });
  checkDimensions(stripped.width, stripped.height, stripped.decodedPixels, options);
  await verifyDecodes(stripped.bytes, target, stripped.width, stripped.height, options);
  return {
    bytes: stripped.bytes, format: target, mime: MIME[target], extension: EXTENSION[target],
    width: stripped.width, height: stripped.height, inputFormat: format, reencoded: true,
  };
}

/** Favicons: the ICO directory is rebuilt around stripped PNGs and exactly-cut bitmaps. */
async function sanitiseIco(input: Buffer, options: SanitiseOptions): Promise<SanitisedImage> {
  const stripped = stripIco(input, { keepIcc: options.keepIcc });
  checkDimensions(stripped.width, stripped.height, stripped.decodedPixels, options);
  for (const png of stripped.pngs) {
    const header = stripContainer('png', png, { keepIcc: options.keepIcc });
    await verifyDecodes(png, 'png', header.width, header.height, options);
  }
  return {
    bytes: stripped.bytes, format: 'ico', mime: MIME.ico, extension: EXTENSION.ico,
    width: stripped.width, height: stripped.height, inputFormat: 'ico', reencoded: false,
  };
}

/**
 * Sanitise one image. Resolves with metadata-free bytes, or rejects with a UserFacingError
 * (never anything else). `input` must already be known to be meant as an image.
 */
export async function sanitiseImage(input: Buffer, options: SanitiseOptions): Promise<SanitisedImage> {
  try {
    if (options.maxBytes !== undefined && input.length > options.maxBytes) {
      throw refusals.fileTooLarge(Math.floor(options.maxBytes / 1024));
    }
    const format = sniffImageFormat(input);
    if (format === null) {
      throw refusals.notAnImage();
    }
    if (format === 'svg' && options.refuseSvg) {
      throw refusals.svgRefused();
    }
    if (isContainerFormat(format)) {
      return await sanitiseContainer(input, format, options);
    }
    if (format === 'ico') {
      return await sanitiseIco(input, options);
    }
    return await sanitiseByConversion(input, format, options);
  } catch (error) {
    throw toRefusal(error, options);
  }
}
