import { expect } from 'chai';
import sharp from 'sharp';

import { sanitiseImage, type SanitiseOptions, type SanitisedImage } from '../../lib/redaction/sanitise';
import { sniffImageFormat } from '../../lib/redaction/sniff';
import { UserFacingError } from '../../lib/common/user-error';
import {
  SENTINEL, WIDTH, HEIGHT, SVG_WITH_SCRIPT, animatedWebpWithEverything, baseImage, bmpFile, icoDib, icoFile, exiftoolRead, exiftoolWrite, gifWithEverything, heicFile,
  identifyingFields, jpegClaiming, jpegWithEverything, pngBomb, pngWithEverything, removeCorpusDir, webpWithEverything,
} from '../harness/redaction-corpus';

const defaults: SanitiseOptions = { keepIcc: true, refuseSvg: true, maxMegapixels: 50 };

async function refusal(input: Buffer, options: Partial<SanitiseOptions> = {}): Promise<UserFacingError> {
  try {
    await sanitiseImage(input, { ...defaults, ...options });
  } catch (err) {
    expect(err).to.be.instanceOf(UserFacingError);
    return err as UserFacingError;
  }
  throw new Error('expected the image to be refused');
}

async function rawFrames(bytes: Buffer, animated = false): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(bytes, { animated }).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function expectClean(output: SanitisedImage): void {
  expect(output.bytes.includes(Buffer.from(SENTINEL)), 'sentinel bytes survive').to.equal(false);
  expect(identifyingFields(exiftoolRead(output.bytes, output.extension))).to.deep.equal([]);
}

function meanAbsoluteDifference(a: Buffer, b: Buffer): number {
  expect(a.length).to.equal(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  }
  return sum / a.length;
}

const TRAILER = Buffer.from(`${SENTINEL} trailing data after the end marker`);

describe('redaction: the sanitiser', function () {
  this.timeout(30_000);

  after(() => {
    removeCorpusDir();
  });

  const containers: { name: string; make: () => Promise<Buffer>; animated?: boolean }[] = [
    { name: 'JPEG with EXIF (GPS, maker fields, Artist, thumbnail), XMP, IPTC and COM', make: () => jpegWithEverything() },
    { name: 'PNG with tEXt, zTXt, iTXt, eXIf, tIME, XMP and a private chunk', make: () => pngWithEverything() },
    { name: 'WebP with EXIF and XMP', make: () => webpWithEverything() },
    { name: 'animated WebP with EXIF and XMP', make: () => animatedWebpWithEverything(), animated: true },
    { name: 'GIF with a comment and XMP', make: () => gifWithEverything() },
    { name: 'animated GIF with a comment and XMP', make: () => gifWithEverything(true), animated: true },
  ];

  for (const container of containers) {
    it(`strips ${container.name} losslessly: no identifying field left, pixels identical`, async () => {
      const input = await container.make();
      expect(identifyingFields(exiftoolRead(input, '.bin')).length, 'the corpus file carries metadata').to.be.greaterThan(3);
      const output = await sanitiseImage(input, defaults);
      expect(output.reencoded).to.equal(false);
      expectClean(output);
      const before = await rawFrames(input, container.animated);
      const after = await rawFrames(output.bytes, container.animated);
      expect([after.width, after.height]).to.deep.equal([before.width, before.height]);
      expect(after.data.equals(before.data), 'decoded pixels differ').to.equal(true);
    });

    it(`drops bytes after the end of ${container.name}`, async () => {
      const input = Buffer.concat([await container.make(), TRAILER]);
      const output = await sanitiseImage(input, defaults);
      expectClean(output);
      expect(output.bytes.includes(TRAILER)).to.equal(false);
    });
  }

  it('keeps the looping extension of an animated GIF', async () => {
    const output = await sanitiseImage(await gifWithEverything(true), defaults);
    const metadata = await sharp(output.bytes, { animated: true }).metadata();
    expect(metadata.pages).to.equal(3);
    expect(metadata.loop).to.equal(0);
    expect(output.bytes.includes(Buffer.from('NETSCAPE2.0'))).to.equal(true);
  });

  for (let orientation = 1; orientation <= 8; orientation++) {
    it(`applies JPEG Orientation ${orientation} to the pixels, then drops the tag`, async () => {
      const input = await jpegWithEverything(orientation);
      const output = await sanitiseImage(input, defaults);
      expectClean(output);
      const swapped = orientation >= 5;
      expect([output.width, output.height]).to.deep.equal(swapped ? [HEIGHT, WIDTH] : [WIDTH, HEIGHT]);
      expect(output.reencoded).to.equal(orientation !== 1);
      const expected = await sharp(input).rotate().raw().toBuffer({ resolveWithObject: true });
      const actual = await rawFrames(output.bytes);
      expect([actual.width, actual.height]).to.deep.equal([expected.info.width, expected.info.height]);
      // Re-encoding is lossy; a wrong rotation or mirror would differ by far more than this.
      expect(meanAbsoluteDifference(actual.data, expected.data)).to.be.lessThan(6);
    });
  }

  for (const [name, make] of [['PNG', pngWithEverything], ['WebP', webpWithEverything]] as const) {
    it(`applies ${name} EXIF Orientation 6 and 8 before the tag goes`, async () => {
      for (const orientation of [6, 8]) {
        const output = await sanitiseImage(await make(orientation), defaults);
        expectClean(output);
        expect([output.width, output.height]).to.deep.equal([HEIGHT, WIDTH]);
        expect(output.reencoded).to.equal(true);
      }
    });
  }

  it('keeps the ICC profile only when the setting says so', async () => {
    const withIcc = exiftoolWrite(
      await sharp(await baseImage('jpeg')).withIccProfile('p3').jpeg().toBuffer(), '.jpg', [`-Artist=${SENTINEL}`],
    );
    expect((await sharp(withIcc).metadata()).icc).to.not.equal(undefined);
    const kept = await sanitiseImage(withIcc, { ...defaults, keepIcc: true });
    expect((await sharp(kept.bytes).metadata()).icc).to.not.equal(undefined);
    expectClean(kept);
    const dropped = await sanitiseImage(withIcc, { ...defaults, keepIcc: false });
    expect((await sharp(dropped.bytes).metadata()).icc).to.equal(undefined);
    expect(dropped.reencoded).to.equal(false);
  });

  it('drops a JFIF thumbnail while keeping the JFIF segment', async () => {
    const jpeg = await baseImage('jpeg');
    // Build a JFIF APP0 carrying a 2×1 RGB thumbnail, right after SOI.
    const thumbnailPixels = Buffer.from(SENTINEL.padEnd(6, 'x').slice(0, 6));
    const body = Buffer.concat([Buffer.from('JFIF\0', 'latin1'), Buffer.from([1, 2, 0, 0, 1, 0, 1, 2, 1]), thumbnailPixels]);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(body.length + 2);
    const withoutApp0 = jpeg[2] === 0xff && jpeg[3] === 0xe0 ? jpeg.subarray(4 + jpeg.readUInt16BE(4)) : jpeg.subarray(2);
    const input = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), length, body, withoutApp0]);
    const output = await sanitiseImage(input, defaults);
    expect(output.bytes.includes(thumbnailPixels)).to.equal(false);
    expect(output.bytes.includes(Buffer.from('JFIF\0', 'latin1'))).to.equal(true);
  });

  it('converts TIFF to PNG and AVIF to JPEG, with nothing identifying left', async () => {
    const tiff = exiftoolWrite(await baseImage('tiff'), '.tif', [`-Artist=${SENTINEL}`, '-GPSLatitude=52', '-GPSLatitudeRef=N']);
    const fromTiff = await sanitiseImage(tiff, defaults);
    expect([fromTiff.format, fromTiff.inputFormat, fromTiff.extension]).to.deep.equal(['png', 'tiff', '.png']);
    expectClean(fromTiff);
    const fromAvif = await sanitiseImage(await baseImage('avif'), defaults);
    expect([fromAvif.format, fromAvif.inputFormat, fromAvif.width, fromAvif.height]).to.deep.equal(['jpeg', 'heif', WIDTH, HEIGHT]);
    expectClean(fromAvif);
    const transparent = await sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } }).avif().toBuffer();
    const fromTransparentAvif = await sanitiseImage(transparent, defaults);
    expect(fromTransparentAvif.format).to.equal('png');
    expect((await sharp(fromTransparentAvif.bytes).metadata()).hasAlpha).to.equal(true);
  });

  it('rebuilds an ICO favicon: PNG entries stripped, bitmaps cut to their pixels, trailing data gone', async () => {
    const input = icoFile([await pngWithEverything(), icoDib(Buffer.from(`${SENTINEL} hidden after the mask`))], TRAILER);
    const output = await sanitiseImage(input, defaults);
    expect([output.format, output.extension, output.reencoded]).to.deep.equal(['ico', '.ico', false]);
    expect(output.bytes.includes(Buffer.from(SENTINEL))).to.equal(false);
    expect(identifyingFields(exiftoolRead(output.bytes, '.ico'))).to.deep.equal([]);
    // The PNG inside still decodes to the same pixels.
    const pngStart = output.bytes.indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const pngLength = output.bytes.readUInt32LE(6 + 8);
    const png = output.bytes.subarray(pngStart, pngStart + pngLength);
    expect((await rawFrames(png)).data.equals((await rawFrames(await pngWithEverything())).data)).to.equal(true);
    const broken = Buffer.from(input);
    broken.writeUInt32LE(input.length + 10, 6 + 12);
    expect((await refusal(broken)).key).to.equal('error.redaction-corrupt');
  });

  it('refuses SVG by default, and rasterises it (script gone) when SVG is allowed', async () => {
    expect((await refusal(SVG_WITH_SCRIPT)).key).to.equal('error.redaction-svg-refused');
    const output = await sanitiseImage(SVG_WITH_SCRIPT, { ...defaults, refuseSvg: false });
    expect(output.format).to.equal('png');
    expect(output.bytes.includes(Buffer.from('script'))).to.equal(false);
    expectClean(output);
  });

  it('refuses BMP and HEIC that cannot be decoded, naming the format', async () => {
    const bmp = await refusal(bmpFile());
    expect([bmp.key, bmp.args]).to.deep.equal(['error.redaction-format-unsupported', ['BMP']]);
    const heic = await refusal(heicFile());
    expect([heic.key, heic.args]).to.deep.equal(['error.redaction-format-unsupported', ['HEIF']]);
  });

  it('sniffs from the bytes, and text that only looks like a signature is no image', async () => {
    expect(sniffImageFormat(await baseImage('jpeg'))).to.equal('jpeg');
    expect(sniffImageFormat(await baseImage('png'))).to.equal('png');
    expect(sniffImageFormat(await baseImage('webp'))).to.equal('webp');
    expect(sniffImageFormat(await baseImage('gif'))).to.equal('gif');
    expect(sniffImageFormat(await baseImage('tiff'))).to.equal('tiff');
    expect(sniffImageFormat(await baseImage('avif'))).to.equal('heif');
    expect(sniffImageFormat(bmpFile())).to.equal('bmp');
    expect(sniffImageFormat(SVG_WITH_SCRIPT)).to.equal('svg');
    expect(sniffImageFormat(Buffer.from('<!-- logo -->\n<svg viewBox="0 0 1 1"></svg>'))).to.equal('svg');
    expect(sniffImageFormat(Buffer.from('BMW service report, 12 pages of notes and more text'))).to.equal(null);
    expect(sniffImageFormat(Buffer.from('<html><body><p>icon:</p><svg width="1"></svg></body></html>'))).to.equal(null);
    expect(sniffImageFormat(Buffer.from('# Notes\nUse <svg> for icons.'))).to.equal(null);
  });

  it('refuses bytes that are no image at all', async () => {
    expect((await refusal(Buffer.from('just some text, not a picture'))).key).to.equal('error.redaction-not-an-image');
    expect((await refusal(Buffer.alloc(0))).key).to.equal('error.redaction-not-an-image');
  });

  for (const [name, make] of [
    ['JPEG', jpegWithEverything], ['PNG', pngWithEverything], ['WebP', webpWithEverything], ['GIF', gifWithEverything],
  ] as const) {
    it(`refuses a truncated ${name} as corrupt`, async () => {
      const whole = await make();
      for (const keep of [0.9, 0.5, 0.1]) {
        const err = await refusal(whole.subarray(0, Math.floor(whole.length * keep)));
        expect(err.key, `${name} cut at ${keep}`).to.equal('error.redaction-corrupt');
        expect(err.message).to.equal('[[physician-network:error.redaction-corrupt]]');
      }
    });
  }

  it('refuses a PNG whose chunk checksum is wrong, and a JPEG with an impossible marker', async () => {
    const png = await baseImage('png');
    const badCrc = Buffer.from(png);
    badCrc[8 + 8 + 5] = (badCrc[8 + 8 + 5] ?? 0) ^ 0xff;
    expect((await refusal(badCrc)).key).to.equal('error.redaction-corrupt');
    const jpeg = Buffer.from(await baseImage('jpeg'));
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg[sof + 1] = 0x02;
    expect((await refusal(jpeg)).key).to.equal('error.redaction-corrupt');
  });

  it('refuses a JPEG whose scan data breaks the byte stuffing or never reaches its end marker', async () => {
    const jpeg = Buffer.from(await baseImage('jpeg', 256, 256));
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const scanStart = sos + 2 + jpeg.readUInt16BE(sos + 2);
    const truncated = jpeg.subarray(0, scanStart + 200);
    expect((await refusal(truncated)).key).to.equal('error.redaction-corrupt');
    const badStuffing = Buffer.from(jpeg);
    badStuffing[scanStart + 50] = 0xff;
    badStuffing[scanStart + 51] = 0x01;
    expect((await refusal(badStuffing)).key).to.equal('error.redaction-corrupt');
  });

  it('stores a JPEG whose scan was cut short but closed (lossless path: structure, not pixels, is checked) without metadata, its scan bytes untouched', async () => {
    const jpeg = await jpegWithEverything(1, 256, 256);
    // The last SOS: the embedded EXIF thumbnail has one of its own.
    const sos = jpeg.lastIndexOf(Buffer.from([0xff, 0xda]));
    const cut = Buffer.concat([jpeg.subarray(0, sos + 40), Buffer.from([0xff, 0xd9])]);
    expect(identifyingFields(exiftoolRead(jpeg, '.jpg')).length, 'the input carries metadata').to.be.greaterThan(3);
    const result = await sanitiseImage(cut, defaults);
    expect(result.reencoded).to.equal(false);
    expect(result.bytes.subarray(result.bytes.lastIndexOf(Buffer.from([0xff, 0xda])))).to.deep.equal(cut.subarray(sos));
    expectClean(result);
  });

  it('refuses decompression bombs from the header, before decoding', async () => {
    const png = await refusal(pngBomb(30_000, 30_000));
    expect([png.key, png.args]).to.deep.equal(['error.redaction-too-many-pixels', [50]]);
    const jpeg = await refusal(jpegClaiming(await baseImage('jpeg'), 60_000, 60_000));
    expect(jpeg.key).to.equal('error.redaction-too-many-pixels');
    const small = await refusal(await baseImage('png', 200, 200), { maxMegapixels: 0.01 });
    expect(small.key).to.equal('error.redaction-too-many-pixels');
  });

  it('honours the caller\'s dimension and byte limits', async () => {
    const input = await baseImage('png');
    const wide = await refusal(input, { maxWidth: WIDTH - 1, maxHeight: 1000 });
    expect([wide.key, wide.args]).to.deep.equal(['error.redaction-dimensions', [WIDTH - 1, 1000]]);
    const big = await refusal(input, { maxBytes: 10 });
    expect(big.key).to.equal('error.redaction-file-too-large');
    const fine = await sanitiseImage(input, { ...defaults, maxWidth: WIDTH, maxHeight: HEIGHT, maxBytes: input.length });
    expect(fine.width).to.equal(WIDTH);
  });
});
