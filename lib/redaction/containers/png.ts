/**
 * PNG: copy the chunks a decoder needs, check every CRC, stop at IEND. Text chunks, eXIf,
 * tIME and anything unknown are dropped; an unknown critical chunk makes the file unreadable.
 */
import { crc32 } from 'node:zlib';

import { malformed } from '../errors';
import { readExifOrientation, type Orientation } from './exif-orientation';
import type { StripOptions, StrippedContainer } from './types';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Ancillary chunks that only affect how pixels are shown (colour, transparency, animation). */
const KEPT_ANCILLARY = new Set(['tRNS', 'gAMA', 'cHRM', 'sRGB', 'sBIT', 'bKGD', 'pHYs', 'hIST', 'cICP', 'mDCV', 'cLLI', 'acTL', 'fcTL', 'fdAT']);
const CRITICAL = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND']);

export function stripPng(input: Buffer, options: StripOptions): StrippedContainer {
  if (input.length < 8 || !input.subarray(0, 8).equals(SIGNATURE)) {
    malformed('no PNG signature');
  }
  const out: Buffer[] = [SIGNATURE];
  let width = 0;
  let height = 0;
  let orientation: Orientation = 1;
  let sawIdat = false;
  let pos = 8;
  let first = true;

  for (;;) {
    if (pos + 12 > input.length) {
      malformed('truncated before IEND');
    }
    const length = input.readUInt32BE(pos);
    if (length > 0x7fffffff || pos + 12 + length > input.length) {
      malformed('chunk overruns the file');
    }
    const type = input.toString('latin1', pos + 4, pos + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) {
      malformed('bad chunk type');
    }
    const data = input.subarray(pos + 8, pos + 8 + length);
    const stored = input.readUInt32BE(pos + 8 + length);
    if (crc32(input.subarray(pos + 4, pos + 8 + length)) !== stored) {
      malformed('CRC mismatch');
    }
    const chunk = input.subarray(pos, pos + 12 + length);
    pos += 12 + length;

    if (first) {
      if (type !== 'IHDR' || length !== 13) {
        malformed('IHDR must come first');
      }
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (width === 0 || height === 0) {
        malformed('zero dimension');
      }
      first = false;
      out.push(chunk);
      continue;
    }
    if (type === 'IHDR') {
      malformed('second IHDR');
    }
    if (type === 'IEND') {
      if (!sawIdat) {
        malformed('no image data');
      }
      out.push(chunk);
      break;
    }
    if (type === 'IDAT') {
      sawIdat = true;
    }
    if (type === 'eXIf') {
      orientation = readExifOrientation(data);
      continue;
    }
    if (CRITICAL.has(type) || KEPT_ANCILLARY.has(type) || (type === 'iCCP' && options.keepIcc)) {
      out.push(chunk);
      continue;
    }
    // Bit 5 of the first letter clear means critical: a decoder must understand it, and we do not.
    if ((type.charCodeAt(0) & 0x20) === 0) {
      malformed('unknown critical chunk');
    }
    // Dropped: tEXt, zTXt, iTXt, eXIf, tIME, iCCP (unless kept), sPLT, private chunks.
  }
  return { bytes: Buffer.concat(out), width, height, decodedPixels: width * height, orientation };
}
