/**
 * The redaction editor in NodeBB's real composer (nodebb-plugin-composer-default): a verified
 * cardiologist adds a photo in the (clinical) cardiology category, the editor opens before
 * anything is uploaded, cannot be skipped, needs the confirmation, and what is stored is the
 * flattened, upright image with the drawn area black and no metadata. Posting an image there
 * around the composer, without the confirmation, is refused.
 */
import { expect } from 'chai';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';

import { launchBrowser } from '../harness/browser';
import { exiftoolRead, identifyingFields, jpegWithEverything, tempPath } from '../harness/redaction-corpus';
import { NodeBBSession, requireE2EConfig } from './nodebb-session';
import { writeFileSync } from 'node:fs';

describe('redaction editor in the composer (real NodeBB)', function () {
  this.timeout(180_000);
  const config = requireE2EConfig();
  let browser: Browser;
  let doctor: { uid: number; username: string; session: NodeBBSession };
  let cardiologyCid = 0;

  before(async () => {
    const admin = await NodeBBSession.login(config.url, config.admin.username, config.admin.password);
    doctor = await admin.createMember('e2e-editor');
    await admin.request('PUT', `/api/v3/plugins/physician-network/members/${doctor.uid}/specialties`, { specialties: ['cardiology'] });
    const listing = await admin.request<{ response: { specialties: { slug: string; cid: number }[] } }>('GET', '/api/v3/plugins/physician-network/specialties');
    cardiologyCid = listing.body.response.specialties.find(s => s.slug === 'cardiology')?.cid ?? 0;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser.close();
  });

  it('refuses an image post in a clinical category sent without the confirmation', async () => {
    const response = await doctor.session.request<{ status: { message: string } }>('POST', '/api/v3/topics', {
      cid: cardiologyCid, title: 'Image without the confirmation', content: '![x](/assets/uploads/files/x.jpg)',
    });
    expect(response.status).to.equal(400);
    expect(response.body.status.message).to.contain('identifies a patient');
  });

  it('opens before upload, cannot be skipped, and stores only the redacted, clean, upright image', async () => {
    // 640×480 stored sideways (Orientation 6) with GPS, author and more: 480×640 upright.
    const photo = tempPath('.jpg');
    writeFileSync(photo, await jpegWithEverything(6, 640, 480));
    const context = await browser.newContext({ viewport: { width: 1300, height: 950 }, locale: 'en-GB' });
    await doctor.session.shareWith(context);
    const page = await context.newPage();
    await page.goto(`${config.url}/category/${cardiologyCid}`, { waitUntil: 'networkidle' });
    await page.click('[component="category/post"]');
    await page.waitForSelector('.composer textarea', { state: 'visible' });
    await page.setInputFiles('.composer #files', photo);
    const editor = page.locator('.physician-network-redaction');
    await editor.locator('canvas').waitFor();
    expect(await page.inputValue('.composer textarea')).to.not.contain('/assets/uploads/');
    expect(await editor.locator('[data-action="skip"]').isVisible()).to.equal(false);

    // Black out the top-left quarter of the upright image.
    const box = await editor.locator('canvas').boundingBox();
    if (!box) {
      throw new Error('no canvas');
    }
    await page.mouse.move(box.x + 1, box.y + 1);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    expect(await editor.locator('[data-action="upload"]').isDisabled()).to.equal(true);
    await editor.locator('input[name="noPatientIdentifiers"]').check();
    // NodeBB's own toasts may cover the footer; press the button as a keyboard user would.
    await editor.locator('[data-action="upload"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.querySelector<HTMLTextAreaElement>('.composer textarea')?.value ?? '').includes('/assets/uploads/files/'));
    const text = await page.inputValue('.composer textarea');
    await page.fill('.composer input.title', `Redacted image ${Math.random().toString(36).slice(2, 8)}`);
    await page.locator('.composer [data-action="post"]').last().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/topic\//);
    await context.close();

    const path = /\((\/assets\/uploads\/files\/[^)]+)\)/.exec(text)?.[1] ?? '';
    // A clinical category: the file is private, so it is read as its poster (a guest gets 404).
    const bytes = (await doctor.session.download(path)).bytes;
    expect(identifyingFields(exiftoolRead(bytes, '.jpg'))).to.deep.equal([]);
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).to.deep.equal([480, 640]);
    // Well inside the drawn quarter every pixel is black (JPEG: allow a little noise).
    for (const [x, y] of [[20, 20], [120, 160], [200, 280]] as const) {
      const at = (y * info.width + x) * info.channels;
      expect(Math.max(data[at] ?? 255, data[at + 1] ?? 255, data[at + 2] ?? 255), `pixel ${x},${y}`).to.be.below(24);
    }
  });
});
