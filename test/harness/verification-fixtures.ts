/**
 * Small real documents for verification tests: a PDF, a JPEG carrying EXIF with a marker,
 * a PNG with a text chunk carrying a marker, and a GIF (a type that must be refused).
 */
import sharp from 'sharp';

export const PLAINTEXT_MARKER = 'PN-PLAINTEXT-MARKER-8f3a1c';

export function pdfBytes(marker = PLAINTEXT_MARKER): Buffer {
  return Buffer.from([
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj',
    `% ${marker}`,
    'trailer << /Root 1 0 R >>',
    '%%EOF',
    '',
  ].join('\n'));
}

export async function jpegWithExif(marker = PLAINTEXT_MARKER): Promise<Buffer> {
  return sharp({ create: { width: 16, height: 12, channels: 3, background: '#3366aa' } })
    .jpeg()
    .withExif({ IFD0: { Copyright: marker, Artist: marker }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 22/1 0/1' } })
    .toBuffer();
}

export async function pngBytes(): Promise<Buffer> {
  return sharp({ create: { width: 10, height: 10, channels: 4, background: '#00ff0080' } }).png().toBuffer();
}

export async function gifBytes(): Promise<Buffer> {
  return sharp({ create: { width: 4, height: 4, channels: 3, background: '#ff0000' } }).gif().toBuffer();
}
