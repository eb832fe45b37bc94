import { expect } from 'chai';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { hooks as redactionHooks } from '../../lib/redaction';
import type { UploadedFile, StoredUpload } from '../../lib/redaction/upload-files';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { provideRedactionStandIns, type RedactionStandIns } from '../harness/redaction-stand-ins';
import {
  SENTINEL, SVG_WITH_SCRIPT, baseImage, icoDib, icoFile, exiftoolRead, exiftoolWrite, identifyingFields, jpegWithEverything, removeCorpusDir,
} from '../harness/redaction-corpus';
import { refusal } from '../harness/refusal';

const { sanitiseUploadImage, storeUploadedImage, sanitiseUploadFile, storeUploadedFile, readImageSize, checkImageFileType, leaveExifToSanitiser, resizeImage, normaliseImage } = redactionHooks;

let standIns: RedactionStandIns;
let tempDir: string;

async function tempUpload(bytes: Buffer, name: string, type: string, multer = true): Promise<UploadedFile> {
  const path = join(tempDir, `upload-${Math.random().toString(36).slice(2)}`);
  await writeFile(path, bytes);
  return multer
    ? { fieldname: 'files[]', originalname: name, name, type, mimetype: type, path, size: bytes.length }
    : { path, name, uid: 1 };
}

function storedFiles(): string[] {
  return readdirSync(standIns.uploadPath, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => join(entry.parentPath, entry.name));
}

async function expectStoredClean(filePath: string): Promise<void> {
  const bytes = await readFile(filePath);
  expect(bytes.includes(Buffer.from(SENTINEL)), `${filePath} carries sentinel bytes`).to.equal(false);
  expect(identifyingFields(exiftoolRead(bytes, '.img'))).to.deep.equal([]);
}

async function uploadImage(image: UploadedFile, folder: string, uid = 2): Promise<StoredUpload> {
  return standIns.bus.hooks.fire('filter:uploadImage', { image, uid, folder }) as unknown as Promise<StoredUpload>;
}

async function uploadFile(file: UploadedFile, uid = 2): Promise<StoredUpload> {
  return standIns.bus.hooks.fire('filter:uploadFile', { file, uid, folder: 'files' }) as unknown as Promise<StoredUpload>;
}

describe('redaction: NodeBB upload hooks', function () {
  this.timeout(30_000);

  before(async () => {
    standIns = await provideRedactionStandIns(testDatabase());
    tempDir = await mkdtemp(join(tmpdir(), 'redaction-temp-'));
    // As plugin.json registers them: sanitise early, store late (only if nobody else stored).
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

  beforeEach(async () => {
    await testDatabase().flushAll();
    standIns.bus.fired.length = 0;
    for (const file of storedFiles()) {
      await rm(file);
    }
  });

  it('post and chat images: sanitised in place, stored locally as NodeBB does, associated, filter:uploadStored fired', async () => {
    const image = await tempUpload(await jpegWithEverything(), 'ward photo.jpg', 'image/jpeg');
    const result = await uploadImage(image, 'files');
    expect(result.url).to.match(/^\/forum\/assets\/uploads\/files\/[0-9a-f]{32}\.jpg$/);
    expect(result.name).to.match(/^[0-9a-f]{32}\.jpg$/);
    const [stored] = storedFiles();
    expect(stored).to.be.a('string');
    await expectStoredClean(stored ?? '');
    await expectStoredClean(image.path);
    const uploads = await testDatabase().getSortedSetRange('uid:2:uploads', 0, -1);
    expect(uploads).to.have.length(1);
    expect(uploads[0]).to.match(/^\/files\/[0-9a-f]{32}\.jpg$/);
    expect(standIns.bus.fired.map(entry => entry.hook)).to.include('filter:uploadStored');
  });

  it('a JPEG uploaded as a .txt file with text/plain loses its GPS, author and thumbnail, and is named .jpg from its bytes', async () => {
    const input = await jpegWithEverything();
    const file = await tempUpload(input, 'notes.txt', 'text/plain');
    const result = await uploadFile(file);
    expect(result.url).to.match(/^\/forum\/assets\/uploads\/files\/[0-9a-f]{32}\.jpg$/);
    const [stored] = storedFiles();
    const bytes = await readFile(stored ?? '');
    expect(bytes.length).to.be.lessThan(input.length);
    await expectStoredClean(stored ?? '');
  });

  it('a file that is no image is stored byte for byte', async () => {
    const text = Buffer.from(`${SENTINEL} a plain text document\n`);
    const result = await uploadFile(await tempUpload(text, 'letter.txt', 'text/plain'));
    expect(result.url).to.match(/\/[0-9a-f]{32}\.txt$/);
    const [stored] = storedFiles();
    expect((await readFile(stored ?? '')).equals(text)).to.equal(true);
  });

  it('a TIFF sent as a file is converted to PNG and renamed to match', async () => {
    const tiff = exiftoolWrite(await baseImage('tiff'), '.tif', [`-Artist=${SENTINEL}`]);
    const result = await uploadFile(await tempUpload(tiff, 'scan.tiff', 'application/octet-stream'));
    expect(result.url).to.match(/\/[0-9a-f]{32}\.png$/);
    await expectStoredClean(storedFiles()[0] ?? '');
  });

  it('profile pictures, covers and ACP images (image.uploadImage and admin shapes) get the bare upload url', async () => {
    const avatar = await uploadImage(await tempUpload(await jpegWithEverything(), 'profileAvatar.jpg', '', false), 'profile/uid-2');
    expect(avatar.url).to.match(/^\/assets\/uploads\/profile\/uid-2\/[0-9a-f]{32}\.jpg$/);
    const cover = await uploadImage(await tempUpload(await jpegWithEverything(), 'groupCover', '', false), 'files');
    expect(cover.url).to.match(/^\/assets\/uploads\/files\/[0-9a-f]{32}\.jpg$/);
    const category = await uploadImage(await tempUpload(await jpegWithEverything(), 'cat.jpg', 'image/jpeg'), 'category');
    expect(category.url).to.match(/^\/assets\/uploads\/category\/[0-9a-f]{32}\.jpg$/);
    const stored = storedFiles();
    expect(stored).to.have.length(3);
    for (const file of stored) {
      await expectStoredClean(file);
    }
  });

  it('the ACP favicon (ICO) is rebuilt without metadata and stored as .ico', async () => {
    const favicon = await tempUpload(icoFile([await baseImage('png', 32, 32), icoDib(Buffer.from(SENTINEL))], Buffer.from(SENTINEL)), 'favicon.ico', 'image/x-icon');
    expect(await checkImageFileType(favicon.path)).to.equal(favicon.path);
    expect(await readImageSize({ path: favicon.path })).to.include({ width: 32, height: 32 });
    const result = await uploadImage(favicon, 'system');
    expect(result.url).to.match(/^\/assets\/uploads\/system\/[0-9a-f]{32}\.ico$/);
    const [stored] = storedFiles();
    expect((await readFile(stored ?? '')).includes(Buffer.from(SENTINEL))).to.equal(false);
  });

  it('in front of a storage plugin: passes the sanitised file on and stores nothing itself', async () => {
    const seen: Buffer[] = [];
    const storagePlugin = async (data: { image?: UploadedFile; file?: UploadedFile }): Promise<StoredUpload> => {
      const file = data.image ?? data.file;
      seen.push(await readFile(file?.path ?? ''));
      return { url: 'https://cdn.example/abc.jpg', name: 'abc.jpg' };
    };
    const bus = standIns.bus;
    bus.on('filter:uploadImage', 10, storagePlugin);
    bus.on('filter:uploadFile', 10, storagePlugin);
    try {
      const image = await uploadImage(await tempUpload(await jpegWithEverything(), 'a.jpg', 'image/jpeg'), 'files');
      const file = await uploadFile(await tempUpload(await jpegWithEverything(), 'a.txt', 'text/plain'));
      expect(image.url).to.equal('https://cdn.example/abc.jpg');
      expect(file.url).to.equal('https://cdn.example/abc.jpg');
      expect(storedFiles()).to.deep.equal([]);
      for (const bytes of seen) {
        expect(identifyingFields(exiftoolRead(bytes, '.jpg'))).to.deep.equal([]);
      }
    } finally {
      // Remove the stand-in storage plugin again.
      (bus as unknown as { listeners: Map<string, { method: unknown }[]> }).listeners.forEach((list) => {
        const index = list.findIndex(entry => entry.method === storagePlugin);
        if (index >= 0) {
          list.splice(index, 1);
        }
      });
    }
  });

  it('refuses a truncated image on every path: temp file removed, nothing stored, no filter:uploadStored', async () => {
    const whole = await jpegWithEverything();
    const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));
    const asImage = await tempUpload(truncated, 'x.jpg', 'image/jpeg');
    expect((await refusal(uploadImage(asImage, 'files'))).key).to.equal('error.redaction-corrupt');
    const asFile = await tempUpload(truncated, 'x.txt', 'text/plain');
    expect((await refusal(uploadFile(asFile))).key).to.equal('error.redaction-corrupt');
    const asCover = await tempUpload(truncated, 'profileCover', '', false);
    expect((await refusal(uploadImage(asCover, 'profile/uid-2'))).key).to.equal('error.redaction-corrupt');
    for (const temp of [asImage, asFile, asCover]) {
      expect(existsSync(temp.path), 'temp file left behind').to.equal(false);
    }
    expect(storedFiles()).to.deep.equal([]);
    expect(standIns.bus.fired.map(entry => entry.hook)).to.not.include('filter:uploadStored');
  });

  it('refuses SVG with script as an image and as a file', async () => {
    const asImage = await tempUpload(SVG_WITH_SCRIPT, 'x.svg', 'image/svg+xml');
    expect((await refusal(uploadImage(asImage, 'system'))).key).to.equal('error.redaction-svg-refused');
    const asFile = await tempUpload(SVG_WITH_SCRIPT, 'x.txt', 'text/plain');
    expect((await refusal(uploadFile(asFile))).key).to.equal('error.redaction-svg-refused');
    expect(storedFiles()).to.deep.equal([]);
  });

  it('honours maximumFileSize for members, not for admins', async () => {
    standIns.config.maximumFileSize = 1;
    try {
      const big = await baseImage('png', 300, 300);
      expect(big.length).to.be.greaterThan(1024);
      const err = await refusal(uploadImage(await tempUpload(big, 'big.png', 'image/png'), 'files', 2));
      expect([err.key, err.args]).to.deep.equal(['error.redaction-file-too-large', [1]]);
      await testDatabase().sortedSetAdd('group:administrators:members', Date.now(), '1');
      const stored = await uploadImage(await tempUpload(big, 'big.png', 'image/png'), 'files', 1);
      expect(stored.url).to.match(/\/[0-9a-f]{32}\.png$/);
    } finally {
      standIns.config.maximumFileSize = 2048;
    }
  });

  it('resizes a wide post image as core does, keeping the original', async () => {
    const wide = exiftoolWrite(await baseImage('jpeg', 2100, 100), '.jpg', [`-Artist=${SENTINEL}`, '-GPSLatitude=52', '-GPSLatitudeRef=N']);
    const result = await uploadImage(await tempUpload(wide, 'wide.jpg', 'image/jpeg'), 'files');
    expect(result.url).to.match(/\/[0-9a-f]{32}-resized\.jpg$/);
    const stored = storedFiles().sort();
    expect(stored).to.have.length(2);
    for (const file of stored) {
      await expectStoredClean(file);
    }
    const resized = stored.find(file => file.endsWith('-resized.jpg')) ?? '';
    expect((await readImageSize({ path: resized })).width).to.equal(760);
  });

  it('image.resize (thumbnails, avatars, cover thumbs before the upload hook): sanitised, resized, refusals translated', async () => {
    const input = await tempUpload(await jpegWithEverything(6, 640, 480), 'thumb.jpg', 'image/jpeg');
    const target = join(tempDir, 'resized.png');
    await resizeImage({ path: input.path, target, width: 120 });
    await expectStoredClean(target);
    // Upright first (Orientation 6: 480×640), then scaled to 120 wide; the format follows the target's extension.
    expect(await readImageSize({ path: target })).to.include({ width: 120, height: 160 });
    expect((await readFile(target)).subarray(1, 4).toString('latin1')).to.equal('PNG');
    const whole = await jpegWithEverything();
    const broken = await tempUpload(whole.subarray(0, whole.length >> 1), 'bad.jpg', 'image/jpeg');
    expect((await refusal(resizeImage({ path: broken.path, width: 10 }))).key).to.equal('error.redaction-corrupt');
  });

  it('image.normalise (profile pictures converted to PNG): sanitised and upright, refusals translated', async () => {
    const input = await tempUpload(await jpegWithEverything(6, 640, 480), 'avatar.jpg', 'image/jpeg');
    await normaliseImage({ path: input.path });
    await expectStoredClean(`${input.path}.png`);
    expect(await readImageSize({ path: `${input.path}.png` })).to.include({ width: 480, height: 640 });
    expect((await readFile(`${input.path}.png`)).subarray(1, 4).toString('latin1')).to.equal('PNG');
    const whole = await jpegWithEverything();
    const broken = await tempUpload(whole.subarray(0, whole.length >> 1), 'bad.jpg', 'image/jpeg');
    expect((await refusal(normaliseImage({ path: broken.path }))).key).to.equal('error.redaction-corrupt');
    expect(existsSync(`${broken.path}.png`)).to.equal(false);
  });

  it('image.size and isFileTypeAllowed answer from the bytes, with translated refusals', async () => {
    const svgFirst = await tempUpload(Buffer.from(SVG_WITH_SCRIPT), 'evil.svg', 'image/svg+xml');
    expect((await refusal(readImageSize({ path: svgFirst.path }))).key).to.equal('error.redaction-svg-refused');
    const png = await tempUpload(await baseImage('png'), 'a.png', 'image/png');
    expect(await readImageSize({ path: png.path })).to.include({ width: 64, height: 48 });
    expect(await checkImageFileType(png.path)).to.equal(png.path);
    const text = await tempUpload(Buffer.from('hello'), 'a.png', 'image/png');
    expect((await refusal(readImageSize({ path: text.path }))).key).to.equal('error.redaction-not-an-image');
    expect((await refusal(checkImageFileType(text.path))).key).to.equal('error.redaction-not-an-image');
    const svg = await tempUpload(SVG_WITH_SCRIPT, 'a.svg', 'image/svg+xml');
    expect((await refusal(checkImageFileType(svg.path))).key).to.equal('error.redaction-svg-refused');
    const payload = { path: png.path, type: 'image/jpeg' };
    expect(await leaveExifToSanitiser(payload)).to.equal(payload);
  });
});
