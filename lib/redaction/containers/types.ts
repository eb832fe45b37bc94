import type { Orientation } from './exif-orientation';

/** What a container parser hands back: the metadata-free bytes and what was read from the header. */
export interface StrippedContainer {
  bytes: Buffer;
  width: number;
  height: number;
  /** Width × height summed over every frame a decoder would produce (animation frames included). */
  decodedPixels: number;
  orientation: Orientation;
}

export interface StripOptions {
  keepIcc: boolean;
}
