/**
 * WebP: a RIFF container. Keep the bitstream chunks, drop EXIF and XMP (and ICCP unless
 * kept), rewrite the VP8X flags and the RIFF size to match, drop anything past the RIFF end.
 */
import { malformed } from '../errors';
import { readExifOrientation, type Orientation } from './exif-orientation';
import type { StripOptions, StrippedContainer } from './types';

const FLAG_ICC = 0x20;
const FLAG_EXIF = 0x08;
const FLAG_XMP = 0x04;
const FLAG_ANIMATION = 0x02;

interface Chunk { fourcc: string; data: Buffer }

function chunkBytes(chunk: Chunk): Buffer {
  const header = Buffer.alloc(8);
  header.write(chunk.fourcc, 0, 'latin1');
  header.writeUInt32LE(chunk.data.length, 4);
  const pad = chunk.data.length % 2 === 1 ? [Buffer.alloc(1)] : [];
  return Buffer.concat([header, chunk.data, ...pad]);
}

function vp8Dimensions(data: Buffer): [number, number] {
  // Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
  if (data.length < 10 || data[3] !== 0x9d || data[4] !== 0x01 || data[5] !== 0x2a) {
    malformed('bad VP8 header');
  }
  return [data.readUInt16LE(6) & 0x3fff, data.readUInt16LE(8) & 0x3fff];
}

function vp8lDimensions(data: Buffer): [number, number] {
  if (data.length < 5 || data[0] !== 0x2f) {
    malformed('bad VP8L header');
  }
  const bits = data.readUInt32LE(1);
  return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
}

function readChunks(input: Buffer, start: number, end: number): Chunk[] {
  const chunks: Chunk[] = [];
  let pos = start;
  while (pos < end) {
    if (pos + 8 > end) {
      malformed('truncated chunk header');
    }
    const fourcc = input.toString('latin1', pos, pos + 4);
    const size = input.readUInt32LE(pos + 4);
    if (pos + 8 + size > end) {
      malformed('chunk overruns RIFF');
    }
    chunks.push({ fourcc, data: input.subarray(pos + 8, pos + 8 + size) });
    pos += 8 + size + (size % 2);
  }
  return chunks;
}

/** An animation frame: a 16-byte header, then ALPH/VP8/VP8L (and, per the spec, unknown chunks, which go). */
function frameWithoutUnknownChunks(frame: Buffer): Buffer {
  if (frame.length < 16 + 8) {
    malformed('short ANMF');
  }
  const inner = readChunks(frame, 16, frame.length).filter(c => c.fourcc === 'ALPH' || c.fourcc === 'VP8 ' || c.fourcc === 'VP8L');
  if (!inner.some(c => c.fourcc !== 'ALPH')) {
    malformed('ANMF without a bitstream');
  }
  return Buffer.concat([frame.subarray(0, 16), ...inner.map(chunkBytes)]);
}

export function stripWebp(input: Buffer, options: StripOptions): StrippedContainer {
  if (input.length < 20 || input.toString('latin1', 0, 4) !== 'RIFF' || input.toString('latin1', 8, 12) !== 'WEBP') {
    malformed('not RIFF/WEBP');
  }
  const riffEnd = 8 + input.readUInt32LE(4);
  if (riffEnd > input.length || riffEnd < 12 + 8) {
    malformed('RIFF size overruns the file');
  }
  const chunks = readChunks(input, 12, riffEnd);
  const head = chunks[0];
  if (!head) {
    malformed('no chunks');
  }
  let orientation: Orientation = 1;

  if (head.fourcc === 'VP8 ' || head.fourcc === 'VP8L') {
    // Simple format: one bitstream chunk, nowhere to keep metadata. Anything after it goes.
    const [width, height] = head.fourcc === 'VP8 ' ? vp8Dimensions(head.data) : vp8lDimensions(head.data);
    if (width === 0 || height === 0) {
      malformed('zero dimension');
    }
    return { bytes: riff([head]), width, height, decodedPixels: width * height, orientation };
  }
  if (head.fourcc !== 'VP8X' || head.data.length < 10) {
    malformed('unknown first chunk');
  }
  const width = head.data.readUIntLE(4, 3) + 1;
  const height = head.data.readUIntLE(7, 3) + 1;
  const kept: Chunk[] = [];
  let frames = 0;
  let sawBitstream = false;
  let keptIcc = false;
  for (const chunk of chunks.slice(1)) {
    switch (chunk.fourcc) {
      case 'EXIF':
        if (orientation === 1) {
          // Some writers put "Exif\0\0" before the TIFF header.
          const tiff = chunk.data.toString('latin1', 0, 6) === 'Exif\0\0' ? chunk.data.subarray(6) : chunk.data;
          orientation = readExifOrientation(tiff);
        }
        break;
      case 'ICCP':
        if (options.keepIcc) {
          keptIcc = true;
          kept.push(chunk);
        }
        break;
      case 'ANMF':
        frames++;
        kept.push({ fourcc: 'ANMF', data: frameWithoutUnknownChunks(chunk.data) });
        break;
      case 'VP8 ':
      case 'VP8L':
        sawBitstream = true;
        kept.push(chunk);
        break;
      case 'ALPH':
      case 'ANIM':
        kept.push(chunk);
        break;
      default:
        // XMP and unknown chunks are dropped.
        break;
    }
  }
  if (!sawBitstream && frames === 0) {
    malformed('no image data');
  }
  const header = Buffer.from(head.data);
  const flags = (header[0] ?? 0) & ~(FLAG_EXIF | FLAG_XMP | FLAG_ICC);
  header[0] = flags | (keptIcc ? FLAG_ICC : 0);
  if (frames > 0 && (flags & FLAG_ANIMATION) === 0) {
    malformed('frames without the animation flag');
  }
  const decodedPixels = width * height * Math.max(1, frames);
  return { bytes: riff([{ fourcc: 'VP8X', data: header }, ...kept]), width, height, decodedPixels, orientation };
}

function riff(chunks: Chunk[]): Buffer {
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), ...chunks.map(chunkBytes)]);
  const header = Buffer.alloc(8);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}
