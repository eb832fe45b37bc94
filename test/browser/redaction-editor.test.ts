/**
 * The composer's redaction editor in real Chromium: rectangles drawn with the pointer and the
 * keyboard destroy exactly those pixels, undo removes the last one, the exported image carries
 * no metadata, and images on their way into the composer are caught and replaced by the result.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';

import { launchBrowser, openFixture, type FixturePage } from '../harness/browser';

const WIDTH = 240;
const HEIGHT = 160;

/** Every pixel tells where it is, so any moved or changed pixel shows. */
function originalPixel(x: number, y: number): [number, number, number] {
  return [x, y + 40, (x * 7 + y * 3) % 256];
}

async function testPng(): Promise<Buffer> {
  const raw = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      raw.set(originalPixel(x, y), (y * WIDTH + x) * 3);
    }
  }
  return sharp(raw, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).png().toBuffer();
}

/** A JPEG full of identifying metadata, stored sideways (Orientation 6). */
async function identifyingJpeg(): Promise<Buffer> {
  return sharp(await testPng())
    .jpeg({ quality: 95 })
    .withExif({ IFD0: { Artist: 'Patient Jane Doe', ImageDescription: 'Ward 7 bed 3', Copyright: 'MRN 123456' } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

interface Decoded { width: number; height: number; pixel(x: number, y: number): [number, number, number] }

async function decode(bytes: Buffer): Promise<Decoded> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    pixel: (x, y) => {
      const i = (y * info.width + x) * 3;
      return [data[i] ?? -1, data[i + 1] ?? -1, data[i + 2] ?? -1];
    },
  };
}

function pngChunkTypes(bytes: Buffer): string[] {
  const types: string[] = [];
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    types.push(bytes.toString('latin1', offset + 4, offset + 8));
    offset += 12 + length;
  }
  return types;
}

function jpegMarkers(bytes: Buffer): number[] {
  const markers: number[] = [];
  let offset = 2;
  while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
    const marker = bytes[offset + 1] ?? 0;
    markers.push(marker);
    if (marker === 0xda) {
      break;
    }
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  return markers;
}

function exiftool(bytes: Buffer, ext: string): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'pn-redaction-'));
  try {
    const path = join(dir, `out.${ext}`);
    writeFileSync(path, bytes);
    const json = execFileSync('exiftool', ['-j', '-a', '-u', '-G1', path], { encoding: 'utf8' });
    return (JSON.parse(json) as Record<string, unknown>[])[0] ?? {};
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Win = Window & {
  requireModule(name: string): Record<string, (...args: unknown[]) => unknown>;
  __result: Promise<{ name: string; type: string; bytes: number[]; confirmed: boolean } | null>;
  __received: { via: string; files: { name: string; type: string; bytes: number[] }[] }[];
  __hooks: Record<string, ((data: unknown) => unknown)[]>;
  config: unknown;
  ajaxify: unknown;
};

/** Hands bytes to the page as a File and opens the editor on it. */
async function openEditor(page: Page, bytes: Buffer, name: string, type: string, clinical = false): Promise<void> {
  await page.evaluate(({ data, name, type, clinical }) => {
    const w = window as unknown as Win;
    const file = new File([new Uint8Array(data)], name, { type });
    const editor = w.requireModule('physician-network/redaction-editor') as unknown as {
      openRedactionEditor(f: File, o: { clinical: boolean }): Promise<{ file: File; confirmed: boolean } | null>;
    };
    w.__result = editor.openRedactionEditor(file, { clinical }).then(async (result) => result && ({
      name: result.file.name, type: result.file.type, confirmed: result.confirmed,
      bytes: Array.from(new Uint8Array(await result.file.arrayBuffer())),
    }));
  }, { data: Array.from(bytes), name, type, clinical });
  await page.waitForSelector('.physician-network-redaction canvas');
}

async function result(page: Page): Promise<{ name: string; type: string; bytes: Buffer; confirmed: boolean } | null> {
  const out = await page.evaluate(async () => (window as unknown as Win).__result);
  return out && { ...out, bytes: Buffer.from(out.bytes) };
}

/** Drags with the mouse (pointer events) between two image coordinates. */
async function dragOnImage(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const canvasLocator = page.locator('.physician-network-redaction canvas');
  await canvasLocator.scrollIntoViewIfNeeded();
  const box = await canvasLocator.boundingBox();
  if (!box) {
    throw new Error('canvas not visible');
  }
  const [cw, ch] = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('.physician-network-redaction canvas');
    return [canvas?.width ?? 0, canvas?.height ?? 0];
  });
  const at = ([x, y]: [number, number]): [number, number] => [box.x + x * box.width / cw, box.y + y * box.height / ch];
  await page.mouse.move(...at(from));
  await page.mouse.down();
  await page.mouse.move(...at([(from[0] + to[0]) / 2, (from[1] + to[1]) / 2]));
  await page.mouse.move(...at(to));
  await page.mouse.up();
}

async function pressTimes(page: Page, key: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await page.keyboard.press(key);
  }
}

function inside(x: number, y: number, r: { x: number; y: number; w: number; h: number }, margin = 0): boolean {
  return x >= r.x - margin && x < r.x + r.w + margin && y >= r.y - margin && y < r.y + r.h + margin;
}

describe('redaction editor (browser)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let fixture: FixturePage;
  let png: Buffer;

  before(async () => {
    browser = await launchBrowser();
    png = await testPng();
  });

  after(async () => {
    await browser.close();
  });

  afterEach(async () => {
    await fixture.page.close();
  });

  describe('the editor', () => {
    beforeEach(async () => {
      fixture = await openFixture(browser, '<main>forum</main>', ['redaction-editor']);
    });

    it('fills a pointer rectangle and a keyboard rectangle with black, leaves every other pixel, and undoes the last one', async () => {
      const { page } = fixture;
      await openEditor(page, png, 'scan.png', 'image/png');
      expect(await page.locator('.physician-network-redaction h2').textContent()).to.equal('Hide anything that identifies a patient');
      expect(await page.locator('.physician-network-redaction').textContent()).to.contain('Shift with the arrow keys to resize');
      expect(await page.getAttribute('.physician-network-redaction canvas', 'aria-label')).to.contain('Draw rectangles');

      // 1. Keyboard: the selection starts on the centre quarter, (90, 60) 60x40; steps are
      // 1/50 of the shorter side (3 px). Move it right by 10 steps, grow it down by 2, add it.
      await page.focus('.physician-network-redaction canvas');
      await pressTimes(page, 'ArrowRight', 10);
      await pressTimes(page, 'Shift+ArrowDown', 2);
      await page.keyboard.press('Enter');
      // 2. Pointer: from (20, 30) to (80, 90).
      await dragOnImage(page, [20, 30], [80, 90]);
      // 3. A third area, then undo with Ctrl+Z: it must leave no trace.
      await dragOnImage(page, [200, 120], [230, 150]);
      expect(await page.locator('.physician-network-redaction [role="status"]').textContent()).to.equal('Hidden areas: 3');
      await page.keyboard.press('Control+z');
      expect(await page.locator('.physician-network-redaction [role="status"]').textContent()).to.equal('Hidden areas: 2');

      await page.click('.physician-network-redaction [data-action="upload"]');
      const out = await result(page);
      expect(out).to.not.equal(null);
      if (!out) {
        return;
      }
      // The member's file name never leaves the device: a neutral word in their language instead.
      expect(out.name).to.equal('image.png');
      expect(out.type).to.equal('image/png');
      expect(await page.locator('.physician-network-redaction').count()).to.equal(0);

      const image = await decode(out.bytes);
      expect([image.width, image.height]).to.deep.equal([WIDTH, HEIGHT]);
      const pointerRect = { x: 20, y: 30, w: 60, h: 60 };
      const keyboardRect = { x: 120, y: 60, w: 60, h: 46 };
      let blackInPointerRect = 0;
      for (let y = 0; y < HEIGHT; y++) {
        for (let x = 0; x < WIDTH; x++) {
          const got = image.pixel(x, y);
          if (inside(x, y, keyboardRect)) {
            expect(got, `keyboard area at ${x},${y}`).to.deep.equal([0, 0, 0]);
          } else if (inside(x, y, pointerRect, -1)) {
            expect(got, `pointer area at ${x},${y}`).to.deep.equal([0, 0, 0]);
          } else if (!inside(x, y, pointerRect, 1)) {
            expect(got, `outside at ${x},${y}`).to.deep.equal(originalPixel(x, y));
          }
          if (inside(x, y, pointerRect, 1) && got.every(c => c === 0)) {
            blackInPointerRect++;
          }
        }
      }
      // The pointer rectangle is whole pixels: 60x60, give or take the one-pixel rounding at each edge.
      expect(blackInPointerRect).to.be.within(59 * 59, 62 * 62);

      const chunks = pngChunkTypes(out.bytes);
      expect(chunks[0]).to.equal('IHDR');
      expect(chunks.at(-1)).to.equal('IEND');
      expect(chunks.filter(type => ['tEXt', 'iTXt', 'zTXt', 'eXIf', 'tIME'].includes(type))).to.deep.equal([]);
    });

    it('pixelates in uniform blocks of at least 1/24 of the shorter side when asked', async () => {
      const { page } = fixture;
      await openEditor(page, png, 'scan.png', 'image/png');
      await page.check('.physician-network-redaction input[value="pixelate"]');
      // The keyboard selection starts at the centre quarter: (90, 60) 60x40.
      await page.focus('.physician-network-redaction canvas');
      await page.keyboard.press('Enter');
      await page.click('.physician-network-redaction [data-action="upload"]');
      const out = await result(page);
      if (!out) {
        throw new Error('no result');
      }
      const image = await decode(out.bytes);
      const rect = { x: 90, y: 60, w: 60, h: 40 };
      const block = Math.ceil(Math.min(WIDTH, HEIGHT) / 24);
      expect(block).to.equal(7);
      let changed = 0;
      for (let y = 0; y < HEIGHT; y++) {
        for (let x = 0; x < WIDTH; x++) {
          const got = image.pixel(x, y);
          if (inside(x, y, rect)) {
            const blockOrigin = image.pixel(rect.x + Math.floor((x - rect.x) / block) * block, rect.y + Math.floor((y - rect.y) / block) * block);
            expect(got, `block pixel ${x},${y}`).to.deep.equal(blockOrigin);
            if (got.some((c, i) => c !== originalPixel(x, y)[i])) {
              changed++;
            }
          } else {
            expect(got, `outside at ${x},${y}`).to.deep.equal(originalPixel(x, y));
          }
        }
      }
      expect(changed).to.be.greaterThan(rect.w * rect.h * 0.8);
    });

    it('turns a sideways JPEG full of metadata upright and exports it with no EXIF, XMP or comment', async () => {
      const { page } = fixture;
      const jpeg = await identifyingJpeg();
      expect(JSON.stringify(exiftool(jpeg, 'jpg'))).to.contain('Patient Jane Doe');
      await openEditor(page, jpeg, 'IMG_0001.JPG', 'image/jpeg');
      // Stored 240x160 with Orientation 6: the member sees (and we export) it 160x240.
      expect(await page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('.physician-network-redaction canvas');
        return [canvas?.width ?? 0, canvas?.height ?? 0];
      })).to.deep.equal([HEIGHT, WIDTH]);
      await page.focus('.physician-network-redaction canvas');
      await page.keyboard.press('Enter');
      await page.click('.physician-network-redaction [data-action="upload"]');
      const out = await result(page);
      if (!out) {
        throw new Error('no result');
      }
      expect(out.type).to.equal('image/jpeg');
      expect(out.name).to.equal('image.jpg');
      const image = await decode(out.bytes);
      expect([image.width, image.height]).to.deep.equal([HEIGHT, WIDTH]);
      // No APP1 (EXIF/XMP), APP13 (IPTC/Photoshop) or COM segment.
      expect(jpegMarkers(out.bytes).filter(marker => marker === 0xe1 || marker === 0xed || marker === 0xfe)).to.deep.equal([]);
      expect(out.bytes.includes('Exif')).to.equal(false);
      expect(out.bytes.includes('Jane')).to.equal(false);
      const tags = exiftool(out.bytes, 'jpg');
      const identifying = Object.keys(tags).filter(tag => /^(IFD0|ExifIFD|GPS|XMP|IPTC|Photoshop|IFD1):/.test(tag));
      expect(identifying).to.deep.equal([]);
      expect(JSON.stringify(tags)).to.not.contain('Jane');
    });

    it('draws with touch pointers, undoes with the Undo button, and speaks Swedish when the forum does', async () => {
      await fixture.page.close();
      fixture = await openFixture(browser, '<main>forum</main>', ['redaction-editor'], 'sv');
      const { page } = fixture;
      await openEditor(page, png, 'scan.png', 'image/png');
      expect(await page.locator('.physician-network-redaction h2').textContent()).to.equal('Dölj allt som kan identifiera en patient');
      expect(await page.locator('.physician-network-redaction [data-action="undo"]').textContent()).to.equal('Ångra');
      // A finger: pointer events of type touch, from (10, 10) to (50, 40) in image pixels.
      await page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('.physician-network-redaction canvas');
        if (!canvas) {
          return;
        }
        const box = canvas.getBoundingClientRect();
        const at = (x: number, y: number): { clientX: number; clientY: number } => ({
          clientX: box.left + x * box.width / canvas.width, clientY: box.top + y * box.height / canvas.height,
        });
        const touch = { pointerId: 7, pointerType: 'touch', isPrimary: true, bubbles: true, button: 0 };
        canvas.dispatchEvent(new PointerEvent('pointerdown', { ...touch, ...at(10, 10) }));
        canvas.dispatchEvent(new PointerEvent('pointermove', { ...touch, ...at(30, 25) }));
        canvas.dispatchEvent(new PointerEvent('pointerup', { ...touch, ...at(50, 40) }));
      });
      expect(await page.locator('.physician-network-redaction [role="status"]').textContent()).to.equal('Dolda områden: 1');
      await dragOnImage(page, [100, 100], [140, 140]);
      await page.click('.physician-network-redaction [data-action="undo"]');
      expect(await page.locator('.physician-network-redaction [role="status"]').textContent()).to.equal('Dolda områden: 1');
      await page.click('.physician-network-redaction [data-action="upload"]');
      const out = await result(page);
      if (!out) {
        throw new Error('no result');
      }
      const image = await decode(out.bytes);
      expect(image.pixel(11, 11)).to.deep.equal([0, 0, 0]);
      expect(image.pixel(48, 38)).to.deep.equal([0, 0, 0]);
      expect(image.pixel(120, 120)).to.deep.equal(originalPixel(120, 120));
      expect(image.pixel(60, 50)).to.deep.equal(originalPixel(60, 50));
    });

    it('in a clinical category offers no skip and uploads only after the confirmation is ticked', async () => {
      const { page } = fixture;
      await openEditor(page, png, 'scan.png', 'image/png', true);
      expect(await page.locator('.physician-network-redaction [data-action="skip"]').count()).to.equal(0);
      expect(await page.isDisabled('.physician-network-redaction [data-action="upload"]')).to.equal(true);
      await page.check('.physician-network-redaction input[type="checkbox"]');
      expect(await page.locator('.physician-network-redaction label[for$="-confirm"]').textContent())
        .to.equal('This image shows nothing that identifies a patient');
      await page.click('.physician-network-redaction [data-action="upload"]');
      const out = await result(page);
      expect(out?.confirmed).to.equal(true);
    });

    it('elsewhere lets the member skip, still re-encoding the image; cancelling adds nothing', async () => {
      const { page } = fixture;
      const jpeg = await identifyingJpeg();
      await openEditor(page, jpeg, 'photo.jpeg', 'image/jpeg');
      await page.click('.physician-network-redaction [data-action="skip"]');
      const out = await result(page);
      if (!out) {
        throw new Error('no result');
      }
      expect(out.confirmed).to.equal(false);
      expect(out.bytes.includes('Jane')).to.equal(false);
      expect(jpegMarkers(out.bytes)).to.not.include(0xe1);

      await openEditor(page, png, 'scan.png', 'image/png');
      await page.click('.physician-network-redaction [data-action="cancel"]');
      expect(await result(page)).to.equal(null);
    });
  });

  describe('catching images on their way into the composer', () => {
    const COMPOSER = `
      <div class="composer" data-uuid="c1">
        <form id="fileForm"><input type="file" id="files" name="files[]" multiple></form>
        <textarea class="write"></textarea>
        <div class="imagedrop" style="display:block">drop here</div>
      </div>`;

    beforeEach(async () => {
      fixture = await openFixture(browser, COMPOSER, ['redaction-editor', 'redaction-bootstrap']);
      // Stand-ins for the composer's own handlers (composer/uploads.js and uploadHelpers.js).
      await fixture.page.evaluate(() => {
        const w = window as unknown as Win;
        w.__received = [];
        const record = (via: string, files: FileList | File[]): void => {
          const entry = { via, files: [] as { name: string; type: string; bytes: number[] }[] };
          w.__received.push(entry);
          for (const file of Array.from(files)) {
            const item = { name: file.name, type: file.type, bytes: [] as number[] };
            entry.files.push(item);
            void file.arrayBuffer().then((buffer) => { item.bytes = Array.from(new Uint8Array(buffer)); });
          }
        };
        document.getElementById('files')?.addEventListener('change', (e) => { record('change', (e.target as HTMLInputElement).files ?? []); });
        document.querySelector('.imagedrop')?.addEventListener('drop', (e) => { record('drop', (e as DragEvent).dataTransfer?.files ?? []); });
        document.querySelector('.composer')?.addEventListener('paste', (e) => {
          const items = Array.from((e as ClipboardEvent).clipboardData?.items ?? []);
          record('paste', items.map(item => item.getAsFile()).filter((f): f is File => f !== null));
        });
      });
    });

    async function received(page: Page): Promise<Win['__received']> {
      return page.evaluate(() => (window as unknown as Win).__received);
    }

    it('opens the editor for an image from the file picker and hands the composer only the redacted file', async () => {
      const { page } = fixture;
      await page.setInputFiles('#files', [{ name: 'scan.png', mimeType: 'image/png', buffer: png }]);
      await page.waitForSelector('.physician-network-redaction canvas');
      expect(await received(page)).to.deep.equal([]);
      await page.focus('.physician-network-redaction canvas');
      await page.keyboard.press('Enter');
      await page.check('.physician-network-redaction input[type="checkbox"]');
      await page.click('.physician-network-redaction [data-action="upload"]');
      await page.waitForFunction(() => (window as unknown as Win).__received.some(r => r.files.every(f => f.bytes.length > 0)));
      const got = await received(page);
      expect(got).to.have.length(1);
      expect(got[0]?.via).to.equal('change');
      expect(got[0]?.files.map(f => [f.name, f.type])).to.deep.equal([['image.png', 'image/png']]);
      const image = await decode(Buffer.from(got[0]?.files[0]?.bytes ?? []));
      expect(image.pixel(100, 70)).to.deep.equal([0, 0, 0]);
      expect(image.pixel(5, 5)).to.deep.equal(originalPixel(5, 5));

      // The confirmation goes with the composer's submission.
      const submitted = await page.evaluate(async () => {
        const hooks = (window as unknown as Win).requireModule('hooks') as unknown as { fire(name: string, data: unknown): Promise<{ composerData: Record<string, unknown> }> };
        const data = await hooks.fire('filter:composer.submit', { composerEl: { get: () => document.querySelector('.composer') }, composerData: { uuid: 'c1', content: 'x' } });
        return data.composerData;
      });
      expect(submitted.physicianNetworkNoPatientIdentifiers).to.equal(true);
    });

    it('passes a non-image file straight through, and marks a skipped image as unconfirmed', async () => {
      const { page } = fixture;
      await page.setInputFiles('#files', [{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') }]);
      const got = await received(page);
      expect(got.map(r => [r.via, r.files.map(f => f.name)])).to.deep.equal([['change', ['notes.txt']]]);
      expect(await page.locator('.physician-network-redaction').count()).to.equal(0);

      await page.setInputFiles('#files', [{ name: 'scan.png', mimeType: 'image/png', buffer: png }]);
      await page.click('.physician-network-redaction [data-action="skip"]');
      await page.waitForFunction(() => (window as unknown as Win).__received.length === 2);
      const submitted = await page.evaluate(async () => {
        const hooks = (window as unknown as Win).requireModule('hooks') as unknown as { fire(name: string, data: unknown): Promise<{ composerData: Record<string, unknown> }> };
        return (await hooks.fire('filter:composer.submit', { composerEl: { get: () => document.querySelector('.composer') }, composerData: { uuid: 'c1' } })).composerData;
      });
      expect(submitted.physicianNetworkNoPatientIdentifiers).to.equal(false);
    });

    it('catches dropped and pasted images, re-dispatching only the redacted result', async () => {
      const { page } = fixture;
      const dispatch = async (kind: 'drop' | 'paste'): Promise<void> => {
        await page.evaluate(({ kind, data }) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(data)], 'photo.png', { type: 'image/png' }));
          const event = kind === 'drop'
            ? new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer })
            : new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: transfer });
          document.querySelector(kind === 'drop' ? '.imagedrop' : 'textarea')?.dispatchEvent(event);
        }, { kind, data: Array.from(png) });
        await page.waitForSelector('.physician-network-redaction canvas');
        expect(await received(page)).to.deep.equal([]);
        await dragOnImage(page, [0, 0], [WIDTH, HEIGHT]);
        await page.click('.physician-network-redaction [data-action="upload"]');
        await page.waitForFunction(() => (window as unknown as Win).__received.length === 1
          && (window as unknown as Win).__received.every(r => r.files.every(f => f.bytes.length > 0)));
        const got = await received(page);
        expect(got[0]?.via).to.equal(kind);
        expect(got[0]?.files).to.have.length(1);
        const image = await decode(Buffer.from(got[0]?.files[0]?.bytes ?? []));
        expect(image.pixel(0, 0)).to.deep.equal([0, 0, 0]);
        expect(image.pixel(WIDTH - 1, HEIGHT - 1)).to.deep.equal([0, 0, 0]);
        await page.evaluate(() => { (window as unknown as Win).__received.length = 0; });
      };
      await dispatch('drop');
      expect(await page.evaluate(() => document.querySelector<HTMLElement>('.imagedrop')?.style.display)).to.equal('none');
      await dispatch('paste');
    });

    it('in a clinical category the editor cannot be skipped', async () => {
      const { page } = fixture;
      await page.evaluate(() => {
        const w = window as unknown as Win;
        w.config = { physicianNetwork: { clinicalCids: [5] } };
        w.ajaxify = { data: { cid: 5 } };
      });
      await page.setInputFiles('#files', [{ name: 'scan.png', mimeType: 'image/png', buffer: png }]);
      await page.waitForSelector('.physician-network-redaction canvas');
      expect(await page.locator('.physician-network-redaction [data-action="skip"]').count()).to.equal(0);
      expect(await page.isDisabled('.physician-network-redaction [data-action="upload"]')).to.equal(true);
    });

    it('replaces the file names the composer writes as link text with a neutral word once the uploads answer', async () => {
      const { page } = fixture;
      await page.evaluate(() => {
        const textarea = document.querySelector<HTMLTextAreaElement>('.composer textarea');
        if (textarea) {
          textarea.value = 'See ![budi_santoso_RM778123.jpg](/assets/uploads/files/pn-private/aa.jpg) and [Budi notes.pdf](/assets/uploads/files/bb.pdf), [budi](/elsewhere)';
        }
        const jq = (window as unknown as { $: (target: Window) => { trigger(name: string, data: unknown): void } }).$;
        jq(window).trigger('action:composer.upload', {
          post_uuid: 'c1',
          files: [
            { filename: 'budi_santoso_RM778123.jpg', url: '/assets/uploads/files/pn-private/aa.jpg', isImage: true },
            { filename: 'Budi notes.pdf', url: '/assets/uploads/files/bb.pdf', isImage: false },
          ],
        });
      });
      await page.waitForFunction(() => !document.querySelector<HTMLTextAreaElement>('.composer textarea')?.value.includes('RM778123'));
      expect(await page.inputValue('.composer textarea')).to.equal(
        'See ![image](/assets/uploads/files/pn-private/aa.jpg) and [file](/assets/uploads/files/bb.pdf), [budi](/elsewhere)',
      );
    });
  });

  describe('chat and quick-reply uploads (core\'s uploadHelpers)', () => {
    // As NodeBB 4.11.2's chats.js (addUploadHandler) and quickreply.js: each finished upload is
    // written into the message as `[<upload.filename>](<upload.url>)`, and uploadHelpers.ajaxSubmit
    // sets that filename from the File the member picked.
    const CHAT = `
      <form component="chat/upload"><input type="file" name="files[]" multiple></form>
      <textarea component="chat/input"></textarea>`;
    const CORE_UPLOAD_HELPERS = `
      define('uploadHelpers', [], function () {
        var uploadHelpers = {};
        uploadHelpers.init = function (options) {
          document.querySelector('[component="chat/upload"] input').addEventListener('change', function (e) {
            uploadHelpers.ajaxSubmit({ upload: { files: e.target.files }, callback: options.callback });
          });
        };
        uploadHelpers.ajaxSubmit = function (options) {
          var files = Array.from(options.upload.files);
          setTimeout(function () {
            var uploads = files.map(function (f, i) { return { url: '/assets/uploads/files/' + '0123456789abcdef0123456789abcde' + i + '.jpg' }; });
            for (var i = 0; i < uploads.length; ++i) {
              uploads[i].filename = files[i].name;
              uploads[i].isImage = /image./.test(files[i].type);
            }
            options.callback(uploads);
          }, 20);
        };
        window.__coreAjaxSubmit = uploadHelpers.ajaxSubmit;
        return uploadHelpers;
      });
      // The chat page, opened before the plugin's guard is installed.
      window.requireModule('uploadHelpers').init({
        callback: function (uploads) {
          var input = document.querySelector('[component="chat/input"]');
          var text = input.value;
          uploads.forEach(function (upload) {
            text = text + (!text.endsWith('\\n') ? '\\n' : '') + (upload.isImage ? '!' : '') + '[' + upload.filename + '](' + upload.url + ')\\n';
          });
          input.value = text;
        },
      });`;
    let dir: string;

    before(() => { dir = mkdtempSync(join(tmpdir(), 'chat-upload-')); });
    after(() => { rmSync(dir, { recursive: true, force: true }); });

    for (const [lang, image, file] of [['en-GB', 'image', 'file'], ['sv', 'bild', 'fil']] as const) {
      it(`writes the neutral word (${lang}: "${image}", "${file}") instead of the member's file names`, async () => {
        fixture = await openFixture(browser, CHAT, ['redaction-editor'], lang);
        const { page } = fixture;
        await page.addScriptTag({ content: CORE_UPLOAD_HELPERS });
        await page.addScriptTag({ path: join(__dirname, '..', '..', 'static', 'redaction-bootstrap.js') });
        const photo = join(dir, 'budi_santoso_RM778123_thorax.jpg');
        const notes = join(dir, 'Budi Santoso RM778123 notes.pdf');
        writeFileSync(photo, await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).jpeg().toBuffer());
        writeFileSync(notes, '%PDF-1.4\n%%EOF\n');
        // The guard installs itself asynchronously once the page has its modules.
        await page.waitForFunction(() => {
          const w = window as unknown as { __coreAjaxSubmit: unknown; requireModule(n: string): { ajaxSubmit: unknown } };
          return w.requireModule('uploadHelpers').ajaxSubmit !== w.__coreAjaxSubmit;
        });
        await page.setInputFiles('[component="chat/upload"] input', [photo, notes]);
        await page.waitForFunction(() => (document.querySelector<HTMLTextAreaElement>('[component="chat/input"]')?.value ?? '').includes('(/assets/uploads/files/0123456789abcdef0123456789abcde1.jpg)'));
        const text = await page.inputValue('[component="chat/input"]');
        expect(text).not.to.match(/budi|santoso|rm778123|thorax|notes/i);
        expect(text).to.equal(`\n![${image}](/assets/uploads/files/0123456789abcdef0123456789abcde0.jpg)\n[${file}](/assets/uploads/files/0123456789abcdef0123456789abcde1.jpg)\n`);
      });
    }
  });
});
