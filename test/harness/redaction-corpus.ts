/**
 * The redaction test corpus, made by the test code itself: small images drawn with sharp,
 * then filled with identifying metadata by exiftool (Debian's libimage-exiftool-perl).
 * Every identifying string contains SENTINEL, so a leak shows up in exiftool's output and in the raw bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

export const SENTINEL = 'SENTINEL';
export const EXIFTOOL = '/usr/bin/exiftool';

export const WIDTH = 64;
export const HEIGHT = 48;

let workDir: string | undefined;

function dir(): string {
  workDir ??= mkdtempSync(join(tmpdir(), 'redaction-corpus-'));
  return workDir;
}

export function removeCorpusDir(): void {
  if (workDir) {
    rmSync(workDir, { recursive: true, force: true });
    workDir = undefined;
  }
}

let counter = 0;
export function tempPath(extension: string): string {
  counter++;
  return join(dir(), `f${counter}${extension}`);
}

/** A picture whose quadrants differ, so rotations and mirrors are visible in the pixels. */
export async function quadrantsRaw(width = WIDTH, height = HEIGHT): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const left = x < width / 2;
      const top = y < height / 2;
      pixels[i] = top && left ? 230 : top ? 20 : left ? 20 : 240;
      pixels[i + 1] = top && !left ? 220 : !top && !left ? 240 : 30;
      pixels[i + 2] = !top && left ? 210 : !top && !left ? 240 : 40;
    }
  }
  return pixels;
}

export async function baseImage(format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif', width = WIDTH, height = HEIGHT): Promise<Buffer> {
  const image = sharp(await quadrantsRaw(width, height), { raw: { width, height, channels: 3 } });
  switch (format) {
    case 'jpeg': return image.jpeg({ quality: 90 }).toBuffer();
    case 'png': return image.png().toBuffer();
    case 'webp': return image.webp({ quality: 90 }).toBuffer();
    case 'gif': return image.gif().toBuffer();
    case 'tiff': return image.tiff().toBuffer();
    case 'avif': return image.avif().toBuffer();
  }
}

export async function animatedGif(): Promise<Buffer> {
  const frames = await Promise.all(['red', 'blue', 'green'].map(colour =>
    sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: colour } }).png().toBuffer()));
  return sharp(frames, { join: { animated: true } }).gif({ loop: 0 }).toBuffer();
}

/** Run exiftool on a copy of `bytes` and give back the written file. */
export function exiftoolWrite(bytes: Buffer, extension: string, args: string[]): Buffer {
  const path = tempPath(extension);
  writeFileSync(path, bytes);
  execFileSync(EXIFTOOL, ['-q', '-q', '-m', '-overwrite_original', ...args, path]);
  return readFileSync(path);
}

/** Everything identifying exiftool can write into each container. */
export function identifyingTags(): string[] {
  return [
    `-EXIF:Artist=${SENTINEL} Dr Artist`,
    `-EXIF:ImageDescription=${SENTINEL} patient description`,
    `-EXIF:Make=${SENTINEL} Make`,
    `-EXIF:Model=${SENTINEL} Model`,
    `-EXIF:SerialNumber=${SENTINEL}123456`,
    `-EXIF:UserComment=${SENTINEL} user comment`,
    '-EXIF:DateTimeOriginal=2024:01:02 03:04:05',
    '-GPSLatitude=52.3702', '-GPSLatitudeRef=N', '-GPSLongitude=4.8952', '-GPSLongitudeRef=E',
    `-XMP-dc:Creator=${SENTINEL} XMP creator`,
    `-XMP-dc:Description=${SENTINEL} XMP description`,
  ];
}

export function jpegTags(thumbnailPath: string): string[] {
  return [
    ...identifyingTags(),
    `-IPTC:By-line=${SENTINEL} IPTC byline`,
    `-IPTC:Caption-Abstract=${SENTINEL} IPTC caption`,
    `-Comment=${SENTINEL} COM segment`,
    `-ThumbnailImage<=${thumbnailPath}`,
  ];
}

/** A JPEG with EXIF (GPS, maker-like fields, Artist, thumbnail), XMP, IPTC/IRB and COM. */
export async function jpegWithEverything(orientation = 1, width = WIDTH, height = HEIGHT): Promise<Buffer> {
  const thumbnail = tempPath('.jpg');
  writeFileSync(thumbnail, await baseImage('jpeg', 16, 12));
  return exiftoolWrite(await baseImage('jpeg', width, height), '.jpg', [...jpegTags(thumbnail), `-Orientation#=${orientation}`]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Insert chunks right after IHDR (exiftool writes tEXt/iTXt/eXIf; zTXt and tIME we add by hand). */
export function insertPngChunks(png: Buffer, chunks: Buffer[]): Buffer {
  const afterIhdr = 8 + 12 + 13;
  return Buffer.concat([png.subarray(0, afterIhdr), ...chunks, png.subarray(afterIhdr)]);
}

export async function pngWithEverything(orientation = 1): Promise<Buffer> {
  const written = exiftoolWrite(await baseImage('png'), '.png', [
    ...identifyingTags(), `-PNG:Author=${SENTINEL} PNG author`, `-PNG:Comment=${SENTINEL} PNG comment`, `-Orientation#=${orientation}`,
  ]);
  const ztxt = pngChunk('zTXt', Buffer.concat([Buffer.from('Description\0\0', 'latin1'), deflateSync(Buffer.from(`${SENTINEL} compressed`))]));
  const itxt = pngChunk('iTXt', Buffer.from(`Title\0\0\0en\0\0${SENTINEL} international`, 'utf8'));
  const time = pngChunk('tIME', Buffer.from([0x07, 0xe8, 1, 2, 3, 4, 5]));
  const privateChunk = pngChunk('prVt', Buffer.from(`${SENTINEL} private chunk`));
  return insertPngChunks(written, [ztxt, itxt, time, privateChunk]);
}

export async function webpWithEverything(orientation = 1): Promise<Buffer> {
  return exiftoolWrite(await baseImage('webp'), '.webp', [...identifyingTags(), `-Orientation#=${orientation}`]);
}

export async function animatedWebpWithEverything(): Promise<Buffer> {
  const frames = await Promise.all(['red', 'blue', 'green'].map(colour =>
    sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: colour } }).png().toBuffer()));
  const animated = await sharp(frames, { join: { animated: true } }).webp({ loop: 0, lossless: true }).toBuffer();
  return exiftoolWrite(animated, '.webp', identifyingTags());
}

export async function gifWithEverything(animated = false): Promise<Buffer> {
  const base = animated ? await animatedGif() : await baseImage('gif');
  return exiftoolWrite(base, '.gif', [`-Comment=${SENTINEL} GIF comment`, `-XMP-dc:Creator=${SENTINEL} XMP creator`, '-XMP:GPSLatitude=52.37']);
}

export type ExiftoolTags = Record<string, unknown>;

/** `exiftool -a -u -G1 -j` over bytes: every tag, duplicates and unknown ones included. */
export function exiftoolRead(bytes: Buffer, extension: string): ExiftoolTags {
  const path = tempPath(extension);
  writeFileSync(path, bytes);
  const json = execFileSync(EXIFTOOL, ['-a', '-u', '-G1', '-j', path], { encoding: 'utf8' });
  const parsed = JSON.parse(json) as ExiftoolTags[];
  return parsed[0] ?? {};
}

/** Groups whose every tag is harmless: the file system, the container's own structure, the colour profile. */
const HARMLESS_GROUPS = /^(ExifTool|System|File|JFIF|PNG|PNG-pHYs|PNG-sRGB|PNG-gAMA|PNG-cHRM|RIFF|GIF|Composite|ICC-header|ICC_Profile|ICC-view|ICC-meas|ICC-chrm|APP14|Adobe)$/;
/** Tags that identify someone or something, in whatever group they turn up. */
const IDENTIFYING_TAG = /(GPS|Artist|Author|Creator|Comment|Copyright|Description|Title|Make|Model|Serial|Thumbnail|Preview|By-line|Caption|Keywords|DateTimeOriginal|ModifyDate|CreateDate|Software|Owner|Location|City|Country|Trailer)/i;
const HARMLESS_TAGS = /^(ICC_Profile:ProfileDescription|ICC_Profile:ProfileCopyright|ICC-header:ProfileDateTime|ICC_Profile:DeviceModelDesc|ICC_Profile:DeviceMfgDesc|ExifTool:ExifToolVersion|Composite:ImageSize|Composite:Megapixels)$/;

/** Every field exiftool reports that should not survive sanitising; [] means clean. */
export function identifyingFields(tags: ExiftoolTags): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(tags)) {
    if (name === 'SourceFile' || HARMLESS_TAGS.test(name)) {
      continue;
    }
    const [group = '', tag = ''] = name.split(':');
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    // The file system's dates and the colour profile's own fields (maker of the profile, not of the photo).
    if (group === 'System' || group.startsWith('ICC')) {
      if (text.includes(SENTINEL)) {
        found.push(`${name}=${text}`);
      }
      continue;
    }
    if (!HARMLESS_GROUPS.test(group) || IDENTIFYING_TAG.test(tag) || text.includes(SENTINEL)
      || (group === 'ExifTool' && /trailer|after|extra/i.test(text))) {
      found.push(`${name}=${text}`);
    }
  }
  return found;
}

/** A BMP header sharp cannot read (BMP is not among its formats). */
export function bmpFile(): Buffer {
  const width = 4;
  const height = 4;
  const pixels = Buffer.alloc(width * height * 4, 0x80);
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + pixels.length, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(32, 28);
  header.writeUInt32LE(pixels.length, 34);
  return Buffer.concat([header, pixels]);
}

/** An ISO-BMFF file branded HEIC whose payload no decoder here can read. */
export function heicFile(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'latin1');
  ftyp.write('mif1heic', 16, 'latin1');
  return Buffer.concat([ftyp, Buffer.alloc(64, 0x11)]);
}

/** A PNG header promising width × height pixels over a few bytes of data. */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const row = Buffer.alloc(1 + width);
  const idat = deflateSync(Buffer.concat(Array.from({ length: 16 }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real JPEG whose frame header claims width × height. */
export function jpegClaiming(jpeg: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(jpeg);
  for (let i = 2; i < copy.length - 9; i++) {
    if (copy[i] === 0xff && (copy[i + 1] === 0xc0 || copy[i + 1] === 0xc2)) {
      copy.writeUInt16BE(height, i + 5);
      copy.writeUInt16BE(width, i + 7);
      return copy;
    }
  }
  throw new Error('no SOF in test JPEG');
}

export const SVG_WITH_SCRIPT = Buffer.from(
  `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><script>alert('${SENTINEL}')</script><rect width="40" height="30" fill="red"/></svg>`,
);

/** A 4×4 32-bit DIB as ICO stores it (height doubled, AND mask after the pixels), plus `extra` bytes. */
export function icoDib(extra: Buffer): Buffer {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(4, 4);
  header.writeInt32LE(8, 8);
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  return Buffer.concat([header, Buffer.alloc(4 * 4 * 4, 0x7f), Buffer.alloc(4 * 4, 0), extra]);
}

/** An ICO directory over the given images (PNG or DIB), followed by `trailer`. */
export function icoFile(images: Buffer[], trailer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map((image) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(image.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += image.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images, trailer]);
}

/**
 * Markup that slipped the old sniffer (issue 10 item 3): each runs script when a browser opens
 * it as .svg, .xhtml, .xml or .html. Every variant carries SENTINEL in its script, so a stored copy shows.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_BODY = `<script>alert('${SENTINEL}')</script><rect width="40" height="30" fill="red"/>`;

export const SVG_WITH_INTERNAL_SUBSET = Buffer.from(`<?xml version="1.0" standalone="no"?>
<!DOCTYPE svg [
  <!ENTITY note "a > inside the subset ends the old sniffer's doctype">
  <!ATTLIST svg onload CDATA "alert('${SENTINEL}')">
]>
<svg xmlns="${SVG_NS}" width="40" height="30">${SVG_BODY}</svg>`);

export const SVG_PREFIXED_ROOT = Buffer.from(
  `<svg:svg xmlns:svg="${SVG_NS}" width="40" height="30"><svg:script>alert('${SENTINEL}')</svg:script><svg:rect width="40" height="30" fill="red"/></svg:svg>`,
);

/** A prolog of comments, processing instructions and whitespace longer than `length` bytes. */
export function svgWithLongProlog(length = 6000): Buffer {
  const filler: string[] = [];
  let size = 0;
  while (size < length) {
    const part = `<!-- ${'padding '.repeat(20)}-->\n<?app-note keep reading?>\n   \n`;
    filler.push(part);
    size += part.length;
  }
  return Buffer.from(`<?xml version="1.0"?>\n${filler.join('')}<svg xmlns="${SVG_NS}" width="40" height="30">${SVG_BODY}</svg>`);
}

/** The SVG as UTF-16, little or big endian, with or without a byte order mark. */
export function svgUtf16(endian: 'le' | 'be', bom: boolean): Buffer {
  const text = `${bom ? '\uFEFF' : ''}<?xml version="1.0" encoding="UTF-16"?>\n<svg xmlns="${SVG_NS}" width="40" height="30">${SVG_BODY}</svg>`;
  const le = Buffer.from(text, 'utf16le');
  return endian === 'le' ? le : Buffer.from(le).swap16();
}

/** The SVG as UTF-32 (no browser decodes it, and neither do we: refused, not guessed at). */
export function svgUtf32(): Buffer {
  const text = `\uFEFF<svg xmlns="${SVG_NS}">${SVG_BODY}</svg>`;
  const out = Buffer.alloc(text.length * 4);
  for (let i = 0; i < text.length; i++) {
    out.writeUInt32BE(text.charCodeAt(i), i * 4);
  }
  return out;
}

export const XHTML_DOCUMENT = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Ward</title></head><body><script>alert('${SENTINEL}')</script></body></html>`);

/** An inert-looking root with one XHTML script inside: in an XML document a browser runs it. */
export const XML_WITH_XHTML_SCRIPT = Buffer.from(`<?xml version="1.0"?>
<report xmlns:h="http://www.w3.org/1999/xhtml"><finding>normal</finding><h:script>alert('${SENTINEL}')</h:script></report>`);

export const MATHML_DOCUMENT = Buffer.from(
  `<math xmlns="http://www.w3.org/1998/Math/MathML"><mtext href="javascript:alert('${SENTINEL}')">x</mtext></math>`,
);

export const HTML_WITHOUT_PROLOG = Buffer.from(`<!doctype html>\n<html><body><img src=x onerror="alert('${SENTINEL}')"></body></html>`);
export const HTML_SCRIPT_AFTER_COMMENT = Buffer.from(`\uFEFF  \n<!-- saved from the ward PC -->\n<SCRIPT>alert('${SENTINEL}')</SCRIPT>`);

export const XML_WITH_STYLESHEET = Buffer.from(`<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="data:text/xml,&lt;x/&gt;"?>
<observations><item>${SENTINEL}</item></observations>`);

/** Harmless data XML, with and without a (non-scriptable) default namespace: a file like any other. */
export const HARMLESS_XML = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<!-- exported from the lab system -->
<observations><item code="8867-4" unit="/min">72</item><item code="8310-5" unit="Cel">37.1</item></observations>
`);
export const HARMLESS_NAMESPACED_XML = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><title>Discharge letter</title></ClinicalDocument>
`);

/** "Billion laughs": entities that would expand to gigabytes if anything expanded them. */
export const ENTITY_BOMB = Buffer.from(`<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
${Array.from({ length: 9 }, (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n')}
]>
<svg xmlns="${SVG_NS}"><text>&lol9;</text></svg>`);

/** Megabytes of comments before any element. */
export function prologBomb(megabytes: number): Buffer {
  const comment = Buffer.from(`<!--${'x'.repeat(1020)}-->`);
  return Buffer.concat([Buffer.from('<?xml version="1.0"?>\n'), ...Array.from({ length: megabytes * 1024 }, () => comment), Buffer.from(`<svg xmlns="${SVG_NS}">${SVG_BODY}</svg>`)]);
}
