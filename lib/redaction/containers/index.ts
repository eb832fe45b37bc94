import { stripGif } from './gif';
import { stripJpeg } from './jpeg';
import { stripPng } from './png';
import { stripWebp } from './webp';
import type { StripOptions, StrippedContainer } from './types';

export type ContainerFormat = 'jpeg' | 'png' | 'gif' | 'webp';
export type { StripOptions, StrippedContainer } from './types';
export type { Orientation } from './exif-orientation';
export { readExifOrientation, swapsDimensions } from './exif-orientation';

/** Lossless, container-level metadata removal. Throws MalformedImageError on anything it cannot follow. */
export function stripContainer(format: ContainerFormat, input: Buffer, options: StripOptions): StrippedContainer {
  switch (format) {
    case 'jpeg': return stripJpeg(input, options);
    case 'png': return stripPng(input, options);
    case 'gif': return stripGif(input, options);
    case 'webp': return stripWebp(input, options);
  }
}
