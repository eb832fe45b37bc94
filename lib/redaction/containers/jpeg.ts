/**
 * JPEG: walk the marker segments and copy only what a decoder needs. Everything after EOI
 * (trailing data, the aCropalypse remnant, MPF's extra images) is dropped.
 */
import { malformed } from '../errors';
import { readExifOrientation, type Orientation } from './exif-orientation';
import type { StripOptions, StrippedContainer } from './types';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP2 = 0xe2;
const APP14 = 0xee;
const COM = 0xfe;

/** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Segments a decoder needs, besides SOF and SOS: tables, restart interval, line count. */
function isDecodingTable(marker: number): boolean {
  return marker === 0xc4 || marker === 0xcc || marker === 0xdb || marker === 0xdd || marker === 0xdc;
}

/**
 * A kept segment must be exactly what its marker says, so no foreign bytes (a damaged APP1,
 * say, whose marker now reads DQT) can ride along inside it.
 */
function checkKeptSegment(marker: number, body: Buffer): void {
  switch (marker) {
    case 0xdb: { // DQT: tables of 64 bytes (8-bit) or 128 bytes (16-bit), each after a Pq/Tq byte.
      let pos = 0;
      while (pos < body.length) {
        const precision = (body[pos] ?? 0) >> 4;
        if (precision > 1 || ((body[pos] ?? 0) & 0x0f) > 3) {
          malformed('bad DQT');
        }
        pos += 1 + (precision === 0 ? 64 : 128);
      }
      if (pos !== body.length || body.length === 0) {
        malformed('bad DQT length');
      }
      return;
    }
    case 0xc4: { // DHT: class/id, 16 counts, then that many symbols, per table.
      let pos = 0;
      while (pos < body.length) {
        if (pos + 17 > body.length || ((body[pos] ?? 0) >> 4) > 1 || ((body[pos] ?? 0) & 0x0f) > 3) {
          malformed('bad DHT');
        }
        let symbols = 0;
        for (let i = 1; i <= 16; i++) {
          symbols += body[pos + i] ?? 0;
        }
        if (symbols > 256) {
          malformed('bad DHT counts');
        }
        pos += 17 + symbols;
      }
      if (pos !== body.length || body.length === 0) {
        malformed('bad DHT length');
      }
      return;
    }
    case 0xdd: // DRI
      if (body.length !== 2) {
        malformed('bad DRI');
      }
      return;
    case 0xdc: // DNL
      if (body.length !== 2) {
        malformed('bad DNL');
      }
      return;
    case 0xcc: // DAC: 2 bytes per conditioning table.
      if (body.length === 0 || body.length % 2 !== 0) {
        malformed('bad DAC');
      }
      return;
    default:
      return;
  }
}

function startsWithAscii(bytes: Buffer, start: number, end: number, text: string): boolean {
  return end - start >= text.length && bytes.toString('latin1', start, start + text.length) === text;
}

/** JFIF APP0 without its optional thumbnail (which can show the uncropped original). */
function jfifWithoutThumbnail(segment: Buffer): Buffer {
  // length(2) "JFIF\0"(5) version(2) units(1) density(4) thumbnail size(2): 16 bytes, thumbnail pixels dropped.
  const kept = Buffer.from(segment.subarray(0, 16));
  kept.writeUInt16BE(16, 0);
  kept[14] = 0;
  kept[15] = 0;
  return kept;
}

/** Where the marker byte is, past the fill bytes (0xFF) that may precede it. */
function markerPosition(input: Buffer, start: number): number {
  let pos = start;
  while (pos < input.length && input[pos] === 0xff) {
    pos++;
  }
  if (pos >= input.length) {
    malformed('truncated marker');
  }
  return pos;
}

/**
 * What is kept of an APPn segment (`pos` is just past its marker, `end` its end): the JFIF
 * header without its thumbnail, the Adobe colour-transform segment, the ICC profile if asked.
 * Every other APPn (EXIF, XMP, extended XMP, IPTC/IRB, MPF, maker data, Ducky…) is dropped.
 */
function keptAppSegment(marker: number, input: Buffer, pos: number, end: number, options: StripOptions): Buffer[] {
  const bodyStart = pos + 2;
  const length = end - pos;
  if (marker === APP0 && startsWithAscii(input, bodyStart, end, 'JFIF\0') && length >= 16) {
    return [Buffer.from([0xff, APP0]), jfifWithoutThumbnail(input.subarray(pos, end))];
  }
  if (marker === APP14 && startsWithAscii(input, bodyStart, end, 'Adobe') && length >= 14) {
    // The Adobe segment says whether the data is YCbCr, YCCK or plain RGB/CMYK. Only its
    // 12 defined bytes are kept, so nothing can ride along after them.
    const adobe = Buffer.from(input.subarray(pos - 2, pos + 14));
    adobe.writeUInt16BE(14, 2);
    return [adobe];
  }
  if (marker === APP2 && options.keepIcc && startsWithAscii(input, bodyStart, end, 'ICC_PROFILE\0')) {
    return [input.subarray(pos - 2, end)];
  }
  return [];
}

/** Entropy-coded data runs from `start` until a marker other than a stuffed zero or a restart marker. */
function endOfScan(input: Buffer, start: number): number {
  let scan = start;
  for (;;) {
    const next = input.indexOf(0xff, scan);
    if (next < 0 || next + 1 >= input.length) {
      malformed('truncated scan');
    }
    const following = input[next + 1] ?? 0;
    if (following === 0x00 || (following >= 0xd0 && following <= 0xd7) || following === 0xff) {
      scan = next + (following === 0xff ? 1 : 2);
      continue;
    }
    return next;
  }
}

/** The segment length at `pos` (just past its marker), checked to fit in the file. */
function segmentLength(input: Buffer, pos: number): number {
  if (pos + 2 > input.length) {
    malformed('truncated segment length');
  }
  const length = input.readUInt16BE(pos);
  if (length < 2 || pos + length > input.length) {
    malformed('segment overruns the file');
  }
  return length;
}

/** A start-of-frame header's size, refusing impossible component counts and empty images. */
function frameSize(input: Buffer, bodyStart: number, length: number): { width: number; height: number } {
  const components = input[bodyStart + 5] ?? 0;
  if (length < 8 || components < 1 || components > 4 || length !== 8 + 3 * components) {
    malformed('bad SOF');
  }
  const height = input.readUInt16BE(bodyStart + 1);
  const width = input.readUInt16BE(bodyStart + 3);
  if (width === 0 || height === 0) {
    malformed('zero dimension');
  }
  return { width, height };
}

/** A scan header must follow a frame and describe 1 to 4 components. */
function checkScanHeader(input: Buffer, bodyStart: number, length: number, sawFrame: boolean): void {
  const components = input[bodyStart] ?? 0;
  if (!sawFrame || components < 1 || components > 4 || length !== 6 + 2 * components) {
    malformed('bad scan header');
  }
}

export function stripJpeg(input: Buffer, options: StripOptions): StrippedContainer {
  if (input.length < 4 || input[0] !== 0xff || input[1] !== SOI) {
    malformed('no SOI');
  }
  const out: Buffer[] = [Buffer.from([0xff, SOI])];
  let orientation: Orientation | undefined;
  let width = 0;
  let height = 0;
  let sawFrame = false;
  let sawScan = false;
  let pos = 2;

  for (;;) {
    if (pos >= input.length) {
      malformed('truncated before EOI');
    }
    if (input[pos] !== 0xff) {
      malformed('expected a marker');
    }
    pos = markerPosition(input, pos);
    const marker = input[pos] ?? 0;
    pos++;
    if (marker === EOI) {
      if (!sawScan) {
        malformed('EOI before any scan');
      }
      out.push(Buffer.from([0xff, EOI]));
      break;
    }
    if (marker === SOI || marker === 0x00 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      malformed('unexpected standalone marker');
    }
    const length = segmentLength(input, pos);
    const bodyStart = pos + 2;
    const end = pos + length;
    const segment = input.subarray(pos - 2, end);

    if (marker >= APP0 && marker <= 0xef) {
      if (marker === 0xe1 && orientation === undefined && startsWithAscii(input, bodyStart, end, 'Exif\0\0')) {
        orientation = readExifOrientation(input.subarray(bodyStart + 6, end));
      }
      out.push(...keptAppSegment(marker, input, pos, end, options));
      pos = end;
      continue;
    }
    if (marker === COM) {
      pos = end;
      continue;
    }
    if (isStartOfFrame(marker)) {
      ({ width, height } = frameSize(input, bodyStart, length));
      sawFrame = true;
      out.push(segment);
      pos = end;
      continue;
    }
    if (isDecodingTable(marker)) {
      checkKeptSegment(marker, input.subarray(bodyStart, end));
      out.push(segment);
      pos = end;
      continue;
    }
    if (marker === SOS) {
      checkScanHeader(input, bodyStart, length, sawFrame);
      sawScan = true;
      const scan = endOfScan(input, end);
      out.push(input.subarray(pos - 2, scan));
      pos = scan;
      continue;
    }
    // JPGn / reserved / unknown markers have no place in a baseline or progressive file.
    malformed('unknown marker');
  }

  return { bytes: Buffer.concat(out), width, height, decodedPixels: width * height, orientation: orientation ?? 1 };
}
