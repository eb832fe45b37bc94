/**
 * ICO (favicons): a directory of PNG or BMP (DIB) images. Each PNG is stripped like any PNG;
 * each DIB is cut to exactly its header, palette and pixel masks (a plain BITMAPINFOHEADER has
 * no room for metadata). The directory is rebuilt, so gaps and trailing bytes go.
 */
import { malformed } from '../errors';
import { stripPng } from './png';
import type { StripOptions } from './types';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_ENTRIES = 64;

export interface StrippedIco {
  bytes: Buffer;
  width: number;
  height: number;
  decodedPixels: number;
  /** The PNG images inside, for the decoder check. */
  pngs: Buffer[];
}

function dibLength(dib: Buffer): number {
  if (dib.length < 40 || dib.readUInt32LE(0) !== 40) {
    malformed('unsupported DIB header');
  }
  const width = dib.readInt32LE(4);
  const doubledHeight = dib.readInt32LE(8);
  const planes = dib.readUInt16LE(12);
  const bpp = dib.readUInt16LE(14);
  const compression = dib.readUInt32LE(16);
  const coloursUsed = dib.readUInt32LE(32);
  if (width <= 0 || width > 1024 || doubledHeight <= 0 || doubledHeight > 2048 || planes !== 1 || compression !== 0
    || ![1, 4, 8, 24, 32].includes(bpp) || coloursUsed > 256) {
    malformed('bad DIB');
  }
  const height = Math.floor(doubledHeight / 2);
  const palette = bpp <= 8 ? (coloursUsed || 1 << bpp) * 4 : 0;
  const xor = Math.floor((width * bpp + 31) / 32) * 4 * height;
  const and = Math.floor((width + 31) / 32) * 4 * height;
  const withMask = 40 + palette + xor + and;
  const withoutMask = 40 + palette + xor;
  if (dib.length >= withMask) {
    return withMask;
  }
  if (dib.length >= withoutMask) {
    return withoutMask;
  }
  return malformed('DIB shorter than its pixels');
}

export function stripIco(input: Buffer, options: StripOptions): StrippedIco {
  if (input.length < 6 || input.readUInt16LE(0) !== 0 || input.readUInt16LE(2) !== 1) {
    malformed('no ICO header');
  }
  const count = input.readUInt16LE(4);
  if (count === 0 || count > MAX_ENTRIES || 6 + 16 * count > input.length) {
    malformed('bad ICO directory');
  }
  const entries: Buffer[] = [];
  const images: Buffer[] = [];
  const pngs: Buffer[] = [];
  let width = 0;
  let height = 0;
  let decodedPixels = 0;
  for (let i = 0; i < count; i++) {
    const entry = Buffer.from(input.subarray(6 + 16 * i, 6 + 16 * (i + 1)));
    const size = entry.readUInt32LE(8);
    const offset = entry.readUInt32LE(12);
    if (offset < 6 + 16 * count || offset + size > input.length || size === 0) {
      malformed('ICO image outside the file');
    }
    const data = input.subarray(offset, offset + size);
    let kept: Buffer;
    let imageWidth: number;
    let imageHeight: number;
    if (data.subarray(0, 8).equals(PNG_SIGNATURE)) {
      const png = stripPng(data, options);
      kept = png.bytes;
      imageWidth = png.width;
      imageHeight = png.height;
      pngs.push(kept);
    } else {
      kept = data.subarray(0, dibLength(data));
      imageWidth = data.readInt32LE(4);
      imageHeight = Math.floor(data.readInt32LE(8) / 2);
    }
    entry.writeUInt32LE(kept.length, 8);
    entries.push(entry);
    images.push(kept);
    width = Math.max(width, imageWidth);
    height = Math.max(height, imageHeight);
    decodedPixels += imageWidth * imageHeight;
  }
  let offset = 6 + 16 * count;
  for (const [i, entry] of entries.entries()) {
    entry.writeUInt32LE(offset, 12);
    offset += images[i]?.length ?? 0;
  }
  const header = Buffer.from(input.subarray(0, 6));
  return { bytes: Buffer.concat([header, ...entries, ...images]), width, height, decodedPixels, pngs };
}
