/**
 * Foundation, in a real NodeBB: the plugin is active, its ACP page loads, a setting saves
 * and survives a reload, and a bad value is refused (client side and server side) and not saved.
 */
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { launchBrowser } from '../harness/browser';
import { NodeBBSession, requireE2EConfig } from './nodebb-session';

interface AcpPageData {
  title?: string;
  sections?: { section: string; fields: { key: string }[] }[];
}

describe('foundation (real NodeBB)', function () {
  this.timeout(120_000);
  const config = requireE2EConfig();
  let admin: NodeBBSession;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let originalRetention: string;

  before(async () => {
    admin = await NodeBBSession.login(config.url, config.admin.username, config.admin.password);
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-GB' });
    await admin.shareWith(context);
    page = await context.newPage();
  });

  after(async () => {
    await browser.close();
  });

  async function openAcpPage(): Promise<void> {
    await page.goto(`${config.url}/admin/plugins/physician-network`, { waitUntil: 'networkidle' });
    await page.waitForSelector('form.physician-network-settings #pn-verificationRetentionDays');
    // Settings.load fills the form asynchronously.
    await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('#pn-verificationRetentionDays')?.value ?? '') !== '');
  }

  it('is active: its ACP route answers with the settings form description', async () => {
    const response = await admin.request<AcpPageData>('GET', '/api/admin/plugins/physician-network');
    expect(response.status).to.equal(200);
    expect(response.body.sections?.map(section => section.section)).to.deep.equal(['verification', 'specialties', 'redaction', 'seminars']);
  });

  it('serves its language files for en-GB, id, sv and nl', async () => {
    for (const lang of ['en-GB', 'id', 'sv', 'nl']) {
      const response = await admin.request<Record<string, string>>('GET', `/assets/language/${lang}/physician-network.json`);
      expect(response.status, lang).to.equal(200);
      expect(response.body['acp.title'], lang).to.be.a('string').and.not.equal('');
    }
  });

  it('keeps its ACP page from guests and ordinary members', async () => {
    const guest = await NodeBBSession.guest(config.url);
    const asGuest = await guest.request('GET', '/api/admin/plugins/physician-network');
    expect(asGuest.status).to.not.equal(200);
    expect(asGuest.text).to.not.contain('verificationRetentionDays');
    const { session: member } = await admin.createMember('e2e-member');
    const asMember = await member.request('GET', '/api/admin/plugins/physician-network');
    expect(asMember.status).to.not.equal(200);
    expect(asMember.text).to.not.contain('verificationRetentionDays');
  });

  it('has an ACP nav entry and its page loads with every section, translated', async () => {
    await openAcpPage();
    expect(await page.locator('a[href$="/admin/plugins/physician-network"]').count()).to.be.greaterThan(0);
    for (const section of ['verification', 'specialties', 'redaction', 'seminars']) {
      expect(await page.locator(`#physician-network-${section} h5`).count(), section).to.equal(1);
    }
    expect(await page.locator('label[for="pn-verificationRetentionDays"]').textContent()).to.equal('Keep documents for (days after the decision)');
    originalRetention = await page.inputValue('#pn-verificationRetentionDays');
  });

  it('saves a setting that survives a reload', async () => {
    const wanted = String(31 + Math.floor(Math.random() * 60));
    await page.fill('#pn-verificationRetentionDays', wanted);
    await page.click('#save');
    await page.getByText('Settings saved.').first().waitFor();
    await openAcpPage();
    expect(await page.inputValue('#pn-verificationRetentionDays')).to.equal(wanted);
  });

  it('refuses a bad value in the form with a translated message, and saves nothing', async () => {
    const before = await page.inputValue('#pn-verificationRetentionDays');
    await page.fill('#pn-verificationRetentionDays', '0');
    await page.click('#save');
    await page.waitForSelector('#pn-verificationRetentionDays.is-invalid');
    expect(await page.locator('[data-field="verificationRetentionDays"] [component="physician-network/field-error"]').textContent())
      .to.equal('Keep documents for (days after the decision) must be a whole number from 1 to 3650.');
    await openAcpPage();
    expect(await page.inputValue('#pn-verificationRetentionDays')).to.equal(before);
  });

  it('refuses a bad value sent straight to the server, with a translated error, and saves nothing', async () => {
    const before = await page.inputValue('#pn-verificationDocumentMaxMb');
    const error = await page.evaluate(async () => new Promise<string | null>((resolve) => {
      const socket = (window as unknown as { socket: { emit(event: string, data: unknown, cb: (err: { message: string } | null) => void): void } }).socket;
      socket.emit('admin.settings.set', { hash: 'physician-network', values: { verificationDocumentMaxMb: '999' } }, (err) => {
        resolve(err ? err.message : null);
      });
    }));
    expect(error).to.be.a('string');
    expect(error).to.contain('physician-network:error.settings-integer-range');
    await openAcpPage();
    expect(await page.inputValue('#pn-verificationDocumentMaxMb')).to.equal(before);
  });

  it('restores the original value', async () => {
    await page.fill('#pn-verificationRetentionDays', originalRetention);
    await page.click('#save');
    await page.getByText('Settings saved.').first().waitFor();
  });
});
