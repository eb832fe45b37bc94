/**
 * Image redaction in a real NodeBB: every upload path, through the route NodeBB's UI uses,
 * with an image full of identifying metadata (GPS, author, XMP, IPTC, comment, thumbnail,
 * Orientation 6). What NodeBB stores and serves carries none of it and is upright; bad files
 * are refused with the plugin's translated message and nothing is stored.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';

import { launchBrowser } from '../harness/browser';
import { SENTINEL, SVG_WITH_SCRIPT, exiftoolRead, icoFile, identifyingFields, jpegWithEverything, pngWithEverything } from '../harness/redaction-corpus';
import { NodeBBSession, requireE2EConfig } from './nodebb-session';

interface UploadedImage { url: string }

describe('image redaction (real NodeBB)', function () {
  this.timeout(180_000);
  const config = requireE2EConfig();
  let admin: NodeBBSession;
  let member: { uid: number; username: string; session: NodeBBSession };
  let dirty: Buffer;
  let browser: Browser;

  /** Fetch what NodeBB serves at `url` and check it: no sentinel bytes, no identifying field, upright. */
  async function expectClean(url: string, upright: { width: number; height: number } | null = { width: 48, height: 64 }): Promise<void> {
    const absolute = url.startsWith('http') ? url : `${config.url}${url.replace(/^https?:\/\/[^/]+/, '')}`;
    const response = await fetch(absolute);
    expect(response.status, absolute).to.equal(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.includes(Buffer.from(SENTINEL)), `${url} carries identifying bytes`).to.equal(false);
    const tags = exiftoolRead(bytes, '.img');
    expect(identifyingFields(tags), url).to.deep.equal([]);
    if (upright) {
      expect(tags['Composite:ImageSize'] ?? tags['File:ImageSize'] ?? `${String(tags['File:ImageWidth'])}x${String(tags['File:ImageHeight'])}`, url)
        .to.equal(`${upright.width}x${upright.height}`);
    }
  }

  function firstUrl(body: unknown): string {
    const images = (body as { response?: { images?: UploadedImage[] } }).response?.images
      ?? (Array.isArray(body) ? body as UploadedImage[] : []);
    const url = images[0]?.url;
    if (typeof url !== 'string') {
      throw new Error(`no url in ${JSON.stringify(body).slice(0, 300)}`);
    }
    return url;
  }

  async function socketUpload(page: Page, method: string, params: Record<string, unknown>, bytes: Buffer): Promise<{ err: string | null; result: unknown }> {
    const dataUrl = `data:image/jpeg;base64,${bytes.toString('base64')}`;
    return page.evaluate(async ({ method, params, dataUrl }) => new Promise<{ err: string | null; result: unknown }>((resolve) => {
      const socket = (window as unknown as { socket: { emit(e: string, d: unknown, cb: (err: { message: string } | null, result: unknown) => void): void } }).socket;
      socket.emit('uploads.upload', { chunk: dataUrl, params: { ...params, method, size: dataUrl.length } }, (err, result) => {
        resolve({ err: err ? err.message : null, result });
      });
    }), { method, params, dataUrl });
  }

  async function pageAs(session: NodeBBSession): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB' });
    await session.shareWith(context);
    const page = await context.newPage();
    await page.goto(`${config.url}/`, { waitUntil: 'networkidle' });
    return page;
  }

  before(async () => {
    admin = await NodeBBSession.login(config.url, config.admin.username, config.admin.password);
    member = await admin.createMember('e2e-upload');
    // A photo whose metadata names and locates someone, taken sideways (Orientation 6): 64×48 stored, 48×64 upright.
    dirty = await jpegWithEverything(6, 64, 48);
    expect(identifyingFields(exiftoolRead(dirty, '.jpg'))).to.not.deep.equal([]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser.close();
  });

  it('post image (composer upload)', async () => {
    const response = await member.session.uploadFile('/api/post/upload', { bytes: dirty, name: 'ward-photo.jpg', type: 'image/jpeg' }, { cid: '2' });
    expect(response.status, response.text).to.equal(200);
    await expectClean(firstUrl(response.body));
  });

  it('post file whose bytes are an image, under a .txt name and text/plain (admin: files need the upload:post:file privilege)', async () => {
    const response = await admin.uploadFile('/api/post/upload', { bytes: dirty, name: 'notes.txt', type: 'text/plain' }, { cid: '2' });
    expect(response.status, response.text).to.equal(200);
    await expectClean(firstUrl(response.body));
  });

  it('topic thumbnail', async () => {
    const response = await member.session.uploadFile('/api/topic/thumb/upload', { bytes: dirty, name: 'thumb.jpg', type: 'image/jpeg' }, { cid: '2' });
    expect(response.status, response.text).to.equal(200);
    await expectClean(firstUrl(response.body), null);
  });

  it('profile picture', async () => {
    const response = await member.session.uploadFile(`/api/user/${member.username}/uploadpicture`, { bytes: dirty, name: 'me.jpg', type: 'image/jpeg' }, { params: JSON.stringify({ uid: member.uid }) });
    expect(response.status, response.text).to.equal(200);
    await expectClean(firstUrl(response.body), null);
  });

  it('user cover (socket upload, as the profile page does)', async () => {
    const page = await pageAs(member.session);
    const { err, result } = await socketUpload(page, 'user.updateCover', { uid: member.uid }, dirty);
    expect(err).to.equal(null);
    await expectClean(String((result as { url?: string }).url), null);
    await page.context().close();
  });

  it('ACP: category image, logo, default avatar and OG image', async () => {
    for (const route of ['/api/admin/category/uploadpicture', '/api/admin/uploadlogo', '/api/admin/uploadDefaultAvatar', '/api/admin/uploadOgImage']) {
      const response = await admin.uploadFile(route, { bytes: dirty, name: 'brand.jpg', type: 'image/jpeg' }, { params: JSON.stringify({ cid: 2 }) });
      expect(response.status, `${route}: ${response.text}`).to.equal(200);
      await expectClean(firstUrl(response.body), null);
    }
  });

  it('group cover (socket upload, as the group page does)', async () => {
    const name = `e2e-cover-${Math.random().toString(36).slice(2, 8)}`;
    const created = await admin.request('POST', '/api/v3/groups', { name });
    expect(created.status, created.text).to.equal(200);
    const page = await pageAs(admin);
    const { err, result } = await socketUpload(page, 'groups.cover.update', { groupName: name }, dirty);
    expect(err).to.equal(null);
    await expectClean(String((result as { url?: string }).url), null);
    await page.context().close();
    await admin.request('DELETE', `/api/v3/groups/${name}`);
  });

  it('chat image (the chat composer uses the post upload route)', async () => {
    const response = await member.session.uploadFile('/api/post/upload', { bytes: dirty, name: 'chat.jpg', type: 'image/jpeg' }, { roomId: '1' });
    expect(response.status, response.text).to.equal(200);
    await expectClean(firstUrl(response.body));
  });

  it('ACP: favicon (an icon holding a PNG with text chunks, and bytes after its end)', async () => {
    const icon = icoFile([await pngWithEverything()], Buffer.from(`${SENTINEL} trailing`));
    const response = await admin.uploadFile('/api/admin/uploadfavicon', { bytes: icon, name: 'favicon.ico', type: 'image/x-icon' });
    expect(response.status, response.text).to.equal(200);
    const url = firstUrl(response.body);
    const bytes = Buffer.from(await (await fetch(`${config.url}${url.replace(/^https?:\/\/[^/]+/, '')}`)).arrayBuffer());
    expect(bytes.includes(Buffer.from(SENTINEL))).to.equal(false);
  });

  it('refuses a truncated JPEG and an SVG with script with the plugin\'s translated message', async () => {
    const truncated = await member.session.uploadFile('/api/post/upload', { bytes: dirty.subarray(0, dirty.length >> 1), name: 'broken.jpg', type: 'image/jpeg' }, { cid: '2' });
    expect(truncated.status).to.not.equal(200);
    expect(truncated.text).to.contain('damaged or incomplete');
    const svg = await member.session.uploadFile('/api/post/upload', { bytes: SVG_WITH_SCRIPT, name: 'evil.svg', type: 'image/svg+xml' }, { cid: '2' });
    expect(svg.status).to.not.equal(200);
    expect(svg.text).to.not.contain('<script');
    expect(svg.text.toLowerCase()).to.contain('svg');
  });
});
