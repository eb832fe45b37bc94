/**
 * GIF: walk the block structure. Keep image data, graphic control and the looping
 * application extension; drop comments, XMP and every other application or plain-text
 * extension, and anything after the trailer.
 */
import { malformed } from '../errors';
import type { StripOptions, StrippedContainer } from './types';

const KEPT_APPLICATIONS = new Set(['NETSCAPE2.0', 'ANIMEXTS1.0']);
const ICC_APPLICATION = 'ICCRGBG1012';

/** End offset of a run of data sub-blocks starting at `pos` (after the zero terminator). */
function skipSubBlocks(input: Buffer, start: number): number {
  let pos = start;
  for (;;) {
    if (pos >= input.length) {
      malformed('truncated sub-blocks');
    }
    const size = input[pos] ?? 0;
    pos += 1 + size;
    if (size === 0) {
      return pos;
    }
  }
}

/**
 * What is kept of the extension block at `pos` (ending at `end`): graphic control, looping, and
 * the ICC profile if asked. Comment (0xFE), plain text (0x01), XMP and other application
 * extensions are dropped.
 */
function keptExtension(input: Buffer, pos: number, end: number, options: StripOptions): Buffer[] {
  const label = input[pos + 1];
  if (label === 0xf9) {
    // Graphic control: exactly one 4-byte sub-block, so nothing else can hide in it.
    if (input[pos + 2] !== 4 || end !== pos + 8) {
      malformed('bad graphic control extension');
    }
    return [input.subarray(pos, end)];
  }
  if (label === 0xff) {
    const idSize = input[pos + 2] ?? 0;
    const id = idSize === 11 ? input.toString('latin1', pos + 3, pos + 14) : '';
    if (KEPT_APPLICATIONS.has(id)) {
      // Looping: the identifier, then one 3-byte sub-block (id 1, loop count).
      if (input[pos + 14] !== 3 || end !== pos + 19) {
        malformed('bad looping extension');
      }
      return [input.subarray(pos, end)];
    }
    if (id === ICC_APPLICATION && options.keepIcc) {
      return [input.subarray(pos, end)];
    }
  }
  return [];
}

export function stripGif(input: Buffer, options: StripOptions): StrippedContainer {
  if (input.length < 13 || input.toString('latin1', 0, 3) !== 'GIF') {
    malformed('no GIF header');
  }
  const width = input.readUInt16LE(6);
  const height = input.readUInt16LE(8);
  if (width === 0 || height === 0) {
    malformed('zero dimension');
  }
  const packed = input[10] ?? 0;
  let pos = 13;
  if (packed & 0x80) {
    pos += 3 * (1 << ((packed & 0x07) + 1));
  }
  if (pos > input.length) {
    malformed('truncated colour table');
  }
  const out: Buffer[] = [input.subarray(0, pos)];
  let decodedPixels = 0;
  let frames = 0;

  for (;;) {
    if (pos >= input.length) {
      malformed('truncated before trailer');
    }
    const introducer = input[pos];
    if (introducer === 0x3b) {
      if (frames === 0) {
        malformed('no image');
      }
      out.push(Buffer.from([0x3b]));
      break;
    }
    if (introducer === 0x2c) {
      if (pos + 10 > input.length) {
        malformed('truncated image descriptor');
      }
      const frameWidth = input.readUInt16LE(pos + 5);
      const frameHeight = input.readUInt16LE(pos + 7);
      const localPacked = input[pos + 9] ?? 0;
      let end = pos + 10;
      if (localPacked & 0x80) {
        end += 3 * (1 << ((localPacked & 0x07) + 1));
      }
      end += 1; // LZW minimum code size
      end = skipSubBlocks(input, end);
      frames++;
      // A decoder renders every frame onto the full logical screen.
      decodedPixels += Math.max(width * height, frameWidth * frameHeight);
      out.push(input.subarray(pos, end));
      pos = end;
      continue;
    }
    if (introducer !== 0x21 || pos + 2 > input.length) {
      malformed('unknown block');
    }
    const end = skipSubBlocks(input, pos + 2);
    out.push(...keptExtension(input, pos, end, options));
    pos = end;
  }
  return { bytes: Buffer.concat(out), width, height, decodedPixels, orientation: 1 };
}
