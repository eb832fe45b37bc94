/**
 * SVG, XHTML, HTML and XML that could run script in a browser (issue 10 item 3): judged from
 * the bytes whatever the prolog, encoding, namespace prefix, name or declared type, on the
 * image paths and on the post/chat file path.
 */
import { expect } from 'chai';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

import { hooks as redactionHooks } from '../../lib/redaction';
import { judgeMarkup, MARKUP_SCAN_BYTES } from '../../lib/redaction/markup';
import { sanitiseImage, type SanitiseOptions } from '../../lib/redaction/sanitise';
import { sniffImageFormat } from '../../lib/redaction/sniff';
import type { StoredUpload, UploadedFile } from '../../lib/redaction/upload-files';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { provideRedactionStandIns, type RedactionStandIns } from '../harness/redaction-stand-ins';
import {
  ENTITY_BOMB, HARMLESS_NAMESPACED_XML, HARMLESS_XML, HTML_SCRIPT_AFTER_COMMENT, HTML_WITHOUT_PROLOG, MATHML_DOCUMENT, SENTINEL, SVG_PREFIXED_ROOT,
  SVG_WITH_INTERNAL_SUBSET, SVG_WITH_SCRIPT, XHTML_DOCUMENT, XML_WITH_STYLESHEET, XML_WITH_XHTML_SCRIPT, prologBomb, removeCorpusDir, svgUtf16, svgUtf32,
  svgWithLongProlog,
} from '../harness/redaction-corpus';
import { refusal } from '../harness/refusal';

const { sanitiseUploadFile, storeUploadedFile, sanitiseUploadImage, storeUploadedImage, checkImageFileType, readImageSize } = redactionHooks;

const defaults: SanitiseOptions = { keepIcc: true, refuseSvg: true, maxMegapixels: 50 };

/** Every SVG that today's sniffer missed, plus the plain one it always caught. */
const svgVariants: [string, Buffer][] = [
  ['a plain SVG with script', SVG_WITH_SCRIPT],
  ['an SVG with a DOCTYPE internal subset', SVG_WITH_INTERNAL_SUBSET],
  ['an svg:svg root (xmlns:svg)', SVG_PREFIXED_ROOT],
  ['an SVG whose prolog is longer than the old 4 KiB window', svgWithLongProlog(6000)],
  ['an SVG whose prolog is longer than a 64 KiB read', svgWithLongProlog(70_000)],
  ['a UTF-16 LE SVG with a BOM', svgUtf16('le', true)],
  ['a UTF-16 BE SVG with a BOM', svgUtf16('be', true)],
  ['a UTF-16 LE SVG without a BOM', svgUtf16('le', false)],
  ['a UTF-16 BE SVG without a BOM', svgUtf16('be', false)],
];

/** Markup that is no image but runs script when a browser opens it as a page or an XML document. */
const activeMarkup: [string, Buffer][] = [
  ['an XHTML document', XHTML_DOCUMENT],
  ['XML with an XHTML script below an inert root', XML_WITH_XHTML_SCRIPT],
  ['a MathML document', MATHML_DOCUMENT],
  ['HTML without a prolog (<!doctype html>)', HTML_WITHOUT_PROLOG],
  ['HTML starting with <SCRIPT> after a BOM, whitespace and a comment', HTML_SCRIPT_AFTER_COMMENT],
  ['XML styled by <?xml-stylesheet?>', XML_WITH_STYLESHEET],
  ['a UTF-32 SVG (an encoding not decoded here)', svgUtf32()],
  ['an SVG whose prolog runs past the scanned limit (12 MB of comments)', prologBomb(12)],
];

function expectNoScript(bytes: Buffer): void {
  expect(bytes.includes(Buffer.from('script')), 'script survives').to.equal(false);
  expect(bytes.includes(Buffer.from(SENTINEL)), 'sentinel survives').to.equal(false);
}

describe('redaction: SVG, XML and HTML the sniffer must not miss', function () {
  this.timeout(60_000);

  after(() => {
    removeCorpusDir();
  });

  for (const [name, bytes] of svgVariants) {
    it(`${name}: sniffed as SVG, refused by default, only ever let through as a PNG rendering`, async () => {
      expect(sniffImageFormat(bytes)).to.equal('svg');
      expect((await refusal(sanitiseImage(bytes, defaults))).key).to.equal('error.redaction-svg-refused');
      const rendered = await sanitiseImage(bytes, { ...defaults, refuseSvg: false });
      expect([rendered.format, rendered.inputFormat, rendered.mime]).to.deep.equal(['png', 'svg', 'image/png']);
      expect((await sharp(rendered.bytes).metadata()).format).to.equal('png');
      expectNoScript(rendered.bytes);
    });
  }

  for (const [name, bytes] of activeMarkup) {
    it(`${name}: no image to the sniffer, refused on the image paths`, async () => {
      expect(sniffImageFormat(bytes)).to.equal(null);
      expect((await refusal(sanitiseImage(bytes, { ...defaults, refuseSvg: false }))).key).to.equal('error.redaction-not-an-image');
    });
  }

  it('an entity-expansion bomb is never expanded: refused by default, and refused or rendered harmless when SVG is allowed', async () => {
    expect(sniffImageFormat(ENTITY_BOMB)).to.equal('svg');
    expect((await refusal(sanitiseImage(ENTITY_BOMB, defaults))).key).to.equal('error.redaction-svg-refused');
    const outcome = await sanitiseImage(ENTITY_BOMB, { ...defaults, refuseSvg: false, timeoutSeconds: 10 }).then(
      image => image.format,
      (err: unknown) => (err as { key?: string }).key,
    );
    expect(outcome).to.be.oneOf(['png', 'error.redaction-format-unsupported', 'error.redaction-corrupt']);
  });

  it('harmless XML and text that merely starts with "<" are no images', () => {
    expect(sniffImageFormat(HARMLESS_XML)).to.equal(null);
    expect(sniffImageFormat(HARMLESS_NAMESPACED_XML)).to.equal(null);
    expect(sniffImageFormat(Buffer.from('<Patient ID> 1234, seen on Monday'))).to.equal(null);
  });
});

let standIns: RedactionStandIns;
let tempDir: string;

async function tempUpload(bytes: Buffer, name: string, type: string): Promise<UploadedFile> {
  const path = join(tempDir, `upload-${Math.random().toString(36).slice(2)}`);
  await writeFile(path, bytes);
  return { fieldname: 'files[]', originalname: name, name, type, mimetype: type, path, size: bytes.length };
}

function storedFiles(): string[] {
  return readdirSync(standIns.uploadPath, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => join(entry.parentPath, entry.name));
}

async function uploadFile(file: UploadedFile, uid = 2): Promise<StoredUpload> {
  return standIns.bus.hooks.fire('filter:uploadFile', { file, uid, folder: 'files' }) as unknown as Promise<StoredUpload>;
}

async function uploadImage(image: UploadedFile, uid = 2): Promise<StoredUpload> {
  return standIns.bus.hooks.fire('filter:uploadImage', { image, uid, folder: 'files' }) as unknown as Promise<StoredUpload>;
}

async function setSettings(values: Record<string, string>): Promise<void> {
  await testDatabase().setObject('settings:physician-network', values);
}

async function expectRefusedAndNothingStored(work: Promise<unknown>, file: UploadedFile, key: string): Promise<void> {
  expect((await refusal(work)).key).to.equal(key);
  expect(existsSync(file.path), 'temp file left behind').to.equal(false);
  expect(storedFiles()).to.deep.equal([]);
  expect(standIns.bus.fired.map(entry => entry.hook)).to.not.include('filter:uploadStored');
}

describe('redaction: markup on the post and chat upload paths', function () {
  this.timeout(60_000);

  before(async () => {
    standIns = await provideRedactionStandIns(testDatabase());
    tempDir = await mkdtemp(join(tmpdir(), 'redaction-markup-'));
    standIns.bus.on('filter:uploadImage', 1, sanitiseUploadImage);
    standIns.bus.on('filter:uploadImage', 1000, storeUploadedImage);
    standIns.bus.on('filter:uploadFile', 1, sanitiseUploadFile);
    standIns.bus.on('filter:uploadFile', 1000, storeUploadedFile);
  });

  after(async () => {
    await standIns.cleanup();
    await rm(tempDir, { recursive: true, force: true });
    removeCorpusDir();
    provideTestNodeBB(testDatabase());
  });

  const defaultExtensions = 'png,jpg,bmp,txt,webp,webm,mp4,gif';

  beforeEach(async () => {
    await testDatabase().flushAll();
    standIns.config.allowedFileExtensions = defaultExtensions;
    standIns.bus.fired.length = 0;
    for (const file of storedFiles()) {
      await rm(file);
    }
  });

  for (const [name, bytes] of svgVariants) {
    it(`${name}, sent as a .txt file: refused by default; rendered to PNG (renamed) when SVG is allowed`, async () => {
      const refused = await tempUpload(bytes, 'notes.txt', 'text/plain');
      await expectRefusedAndNothingStored(uploadFile(refused), refused, 'error.redaction-svg-refused');
      await setSettings({ redactionRefuseSvg: 'off' });
      const result = await uploadFile(await tempUpload(bytes, 'drawing.svg', 'image/svg+xml'));
      // Stored under a random name (nothing of "drawing"), with the extension of what is stored.
      expect(result.url).to.match(/\/[0-9a-f]{32}\.png$/);
      const [stored] = storedFiles();
      expectNoScript(await readFile(stored ?? ''));
      expect((await sharp(stored ?? '').metadata()).format).to.equal('png');
    });

    it(`${name}, sent as an image: refused on the image checks and the image upload`, async () => {
      const image = await tempUpload(bytes, 'drawing.svg', 'image/svg+xml');
      expect((await refusal(checkImageFileType(image.path))).key).to.equal('error.redaction-svg-refused');
      expect((await refusal(readImageSize({ path: image.path }))).key).to.equal('error.redaction-svg-refused');
      await expectRefusedAndNothingStored(uploadImage(image), image, 'error.redaction-svg-refused');
    });
  }

  for (const [name, bytes] of activeMarkup) {
    it(`${name}, sent as a .txt file: refused with the markup message, nothing stored`, async () => {
      const file = await tempUpload(bytes, 'notes.txt', 'text/plain');
      await expectRefusedAndNothingStored(uploadFile(file), file, 'error.redaction-markup-refused');
    });
  }

  it('an SVG is judged from the bytes whatever the name and declared type, with SVG allowed or not', async () => {
    const pdfNamed = await tempUpload(SVG_PREFIXED_ROOT, 'report.pdf', 'application/pdf');
    await expectRefusedAndNothingStored(uploadFile(pdfNamed), pdfNamed, 'error.redaction-svg-refused');
  });

  it('harmless XML, with or without a namespace, is stored byte for byte when .xml is an allowed extension', async () => {
    standIns.config.allowedFileExtensions = `${defaultExtensions},xml`;
    const storedNames: string[] = [];
    for (const [index, bytes] of [HARMLESS_XML, HARMLESS_NAMESPACED_XML].entries()) {
      const result = await uploadFile(await tempUpload(bytes, `lab-${index}.xml`, 'application/xml'));
      expect(result.url).to.match(/\/[0-9a-f]{32}\.xml$/);
      storedNames.push(result.url.split('/').pop() ?? '');
    }
    const stored = storedFiles();
    expect(stored).to.have.length(2);
    // Names are random: each upload is found by the name its URL gives.
    const storedAs = (name: string): string => stored.find(file => file.endsWith(`/${name}`)) ?? '';
    expect((await readFile(storedAs(storedNames[0] ?? ''))).equals(HARMLESS_XML)).to.equal(true);
    expect((await readFile(storedAs(storedNames[1] ?? ''))).equals(HARMLESS_NAMESPACED_XML)).to.equal(true);
  });

  it('a file named .html (or sent as text/html) is served as a page whatever it holds: refused', async () => {
    standIns.config.allowedFileExtensions = `${defaultExtensions},html`;
    const text = Buffer.from('Plain words, and then <b onmouseover=alert(1)>bold</b>.');
    const named = await tempUpload(text, 'letter.html', 'text/plain');
    await expectRefusedAndNothingStored(uploadFile(named), named, 'error.redaction-markup-refused');
    const typed = await tempUpload(text, 'letter.txt', 'text/html');
    await expectRefusedAndNothingStored(uploadFile(typed), typed, 'error.redaction-markup-refused');
  });

  it('with "store markup as plain text" on AND its extension allowed, a document is stored as .txt, byte for byte; otherwise refused', async () => {
    await setSettings({ redactionMarkupFilesAsText: 'on' });
    const notAllowed = await tempUpload(XHTML_DOCUMENT, 'ward.xhtml', 'application/xhtml+xml');
    await expectRefusedAndNothingStored(uploadFile(notAllowed), notAllowed, 'error.redaction-markup-refused');
    standIns.config.allowedFileExtensions = `${defaultExtensions},xhtml,html`;
    const result = await uploadFile(await tempUpload(XHTML_DOCUMENT, 'ward.xhtml', 'application/xhtml+xml'));
    expect(result.url).to.match(/\/[0-9a-f]{32}\.txt$/);
    const page = await uploadFile(await tempUpload(HTML_WITHOUT_PROLOG, 'page.html', 'text/html'));
    expect(page.url).to.match(/\/[0-9a-f]{32}\.txt$/);
    const stored = storedFiles().sort();
    expect(stored).to.have.length(2);
    const storedName = result.url.split('/').pop() ?? '';
    expect((await readFile(stored.find(file => file.endsWith(`/${storedName}`)) ?? '')).equals(XHTML_DOCUMENT)).to.equal(true);
    // The setting never lets an SVG through as SVG: that is the SVG setting's, and it renders to PNG.
    standIns.config.allowedFileExtensions = `${defaultExtensions},svg`;
    const svg = await tempUpload(SVG_WITH_SCRIPT, 'x.svg', 'image/svg+xml');
    expect((await refusal(uploadFile(svg))).key).to.equal('error.redaction-svg-refused');
    expect(storedFiles()).to.have.length(2);
  });
});

describe('redaction: why markup is judged active', () => {
  const cases: [string, Buffer, ReturnType<typeof judgeMarkup>][] = [
    ['XHTML', XHTML_DOCUMENT, { kind: 'active', reason: 'scriptable-namespace' }],
    ['an XHTML script below an inert root', XML_WITH_XHTML_SCRIPT, { kind: 'active', reason: 'scriptable-namespace' }],
    ['MathML', MATHML_DOCUMENT, { kind: 'active', reason: 'scriptable-namespace' }],
    ['<!doctype html>', HTML_WITHOUT_PROLOG, { kind: 'active', reason: 'html' }],
    ['<SCRIPT> after a comment', HTML_SCRIPT_AFTER_COMMENT, { kind: 'active', reason: 'html' }],
    ['<?xml-stylesheet?>', XML_WITH_STYLESHEET, { kind: 'active', reason: 'stylesheet' }],
    ['an internal subset below an inert root', Buffer.from('<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>'), { kind: 'active', reason: 'internal-subset' }],
    ['UTF-32', svgUtf32(), { kind: 'active', reason: 'undecodable' }],
    ['an encoding label no browser knows', Buffer.from('<?xml version="1.0" encoding="x-made-up"?><r/>'), { kind: 'active', reason: 'undecodable' }],
    ['a UTF-16 label over one-byte text', Buffer.from('<?xml version="1.0" encoding="UTF-16"?><r/>'), { kind: 'active', reason: 'undecodable' }],
    ['namespaces in a document that is not well-formed', Buffer.from('<r xmlns="urn:x"><a></b></r>'), { kind: 'active', reason: 'malformed' }],
    ['a 12 MB prolog', prologBomb(12), { kind: 'active', reason: 'too-long' }],
    ['harmless XML larger than what is scanned', Buffer.concat([Buffer.from('<data>'), Buffer.alloc(MARKUP_SCAN_BYTES, 0x61), Buffer.from('</data>')]), { kind: 'active', reason: 'too-long' }],
    ['harmless XML', HARMLESS_XML, { kind: 'inert' }],
    ['harmless namespaced XML', HARMLESS_NAMESPACED_XML, { kind: 'inert' }],
    ['Windows-1252 XML, declared', Buffer.from('<?xml version="1.0" encoding="windows-1252"?><r>caf\xe9</r>', 'latin1'), { kind: 'inert' }],
    ['text that starts with "<" but is no markup', Buffer.from('<Patient ID> 1234, seen on Monday'), { kind: 'none' }],
    ['a PDF', Buffer.from('%PDF-1.7\n<svg xmlns="http://www.w3.org/2000/svg"/>'), { kind: 'none' }],
    ['an SVG in Windows-1252, declared', Buffer.from('<?xml version="1.0" encoding="windows-1252"?><svg xmlns="http://www.w3.org/2000/svg"/>'), { kind: 'svg' }],
  ];
  for (const [name, bytes, verdict] of cases) {
    it(`${name}: ${verdict.kind === 'active' ? verdict.reason : verdict.kind}`, () => {
      expect(judgeMarkup(bytes)).to.deep.equal(verdict);
    });
  }
});
