/**
 * Which image format the bytes are, judged from the bytes alone (never the name or the
 * declared type: a JPEG named .txt is still a JPEG, and still carries its GPS).
 */
import { judgeMarkup, MARKUP_SCAN_BYTES, type ActiveMarkupReason } from './markup';

export type SniffedFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'bmp' | 'heif' | 'ico' | 'svg';

/** How many bytes of a file to read to judge it: SVG and other markup are parsed up to MARKUP_SCAN_BYTES. */
export const SNIFF_BYTES = MARKUP_SCAN_BYTES + 1;

export type SniffedFile =
  | { kind: 'image'; format: SniffedFormat }
  /** Markup a browser could run script from (SVG excepted: it is an image, and the SVG setting decides). */
  | { kind: 'active-markup'; reason: ActiveMarkupReason }
  /** Anything else, harmless XML included: a file like any other. */
  | { kind: 'other' };

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) {
    return false;
  }
  return signature.every((value, i) => bytes[offset + i] === value);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.subarray(start, end)).toString('latin1');
}

/** ISO-BMFF brands that are still images: HEIC/HEIF and AVIF. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);

/** "BM" alone starts plenty of text files: also require the reserved zeros and a known DIB header size. */
function isBmpHeader(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(6, true) === 0 && [12, 40, 52, 56, 64, 108, 124].includes(view.getUint32(14, true));
}

function binaryImageFormat(bytes: Uint8Array): SniffedFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    return 'jpeg';
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return 'png';
  }
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) {
    return 'gif';
  }
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) {
    return 'webp';
  }
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])
    || startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) {
    return 'tiff';
  }
  if (startsWith(bytes, [0x42, 0x4d]) && bytes.length >= 26 && isBmpHeader(bytes)) {
    return 'bmp';
  }
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(bytes, 8, 12))) {
    return 'heif';
  }
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) && bytes.length >= 22 && (bytes[4] ?? 0) + (bytes[5] ?? 0) > 0) {
    return 'ico';
  }
  return null;
}

/**
 * What `bytes` are: an image (SVG included, whatever its prolog, encoding or prefix), markup
 * that could run script, or something else. Pass the whole file or at least its first SNIFF_BYTES.
 */
export function sniffFile(bytes: Uint8Array): SniffedFile {
  const binary = binaryImageFormat(bytes);
  if (binary !== null) {
    return { kind: 'image', format: binary };
  }
  const markup = judgeMarkup(bytes);
  switch (markup.kind) {
    case 'svg': return { kind: 'image', format: 'svg' };
    case 'active': return { kind: 'active-markup', reason: markup.reason };
    default: return { kind: 'other' };
  }
}

/** The image format of `bytes`, or null when they are no image (the whole file, or at least its first SNIFF_BYTES). */
export function sniffImageFormat(bytes: Uint8Array): SniffedFormat | null {
  const sniffed = sniffFile(bytes);
  return sniffed.kind === 'image' ? sniffed.format : null;
}
