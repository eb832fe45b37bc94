/**
 * Reads the one EXIF field the sanitiser must honour before EXIF is dropped: Orientation
 * (tag 0x0112 in IFD0). A malformed EXIF block is treated as "no orientation": the block is
 * removed anyway, and the decoder (which reads the same tag) is never asked to rotate.
 */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** `tiff` starts at the TIFF header ("II*\0" or "MM\0*"). */
export function readExifOrientation(tiff: Uint8Array): Orientation {
  if (tiff.length < 8) {
    return 1;
  }
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const order = view.getUint16(0);
  let little: boolean;
  if (order === 0x4949) {
    little = true;
  } else if (order === 0x4d4d) {
    little = false;
  } else {
    return 1;
  }
  if (view.getUint16(2, little) !== 42) {
    return 1;
  }
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) {
    return 1;
  }
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) {
      return 1;
    }
    if (view.getUint16(entry, little) === 0x0112 && view.getUint16(entry + 2, little) === 3) {
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value as Orientation : 1;
    }
  }
  return 1;
}

/** Orientations 5–8 swap width and height once applied. */
export function swapsDimensions(orientation: Orientation): boolean {
  return orientation >= 5;
}
