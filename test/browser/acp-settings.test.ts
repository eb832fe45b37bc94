/**
 * The ACP settings page in real Chromium: its client module refuses bad values with a
 * translated message before anything is sent, and saves good ones through NodeBB's settings module.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';

import { describeSettingsForm } from '../../lib/settings/view';
import { launchBrowser, openFixture, renderTemplate, type FixturePage } from '../harness/browser';

const SAVE_BUTTON = '<button id="save" class="btn btn-primary">Save</button>';

describe('ACP settings form (browser)', function () {
  this.timeout(30_000);
  let browser: Browser;
  let fixture: FixturePage;

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser.close();
  });

  beforeEach(async () => {
    const html = await renderTemplate('admin/plugins/physician-network', { title: 'Physician network', sections: describeSettingsForm() }, {
      'admin/partials/settings/header.tpl': SAVE_BUTTON,
    });
    fixture = await openFixture(browser, html, ['form-validation', 'admin/settings']);
    await fixture.page.evaluate(() => {
      (window as unknown as { requireModule(name: string): { init(): void } }).requireModule('admin/plugins/physician-network').init();
    });
    // The page as NodeBB's settings module would leave it after loading stored values.
    await fixture.page.fill('#pn-verificationDocumentMaxMb', '10');
    await fixture.page.fill('#pn-verificationRetentionDays', '30');
    await fixture.page.fill('#pn-verificationSubmissionsPerDay', '3');
    await fixture.page.fill('#pn-verificationExpiryWarningDays', '30');
    await fixture.page.fill('#pn-specialtiesMaxPerMember', '3');
    await fixture.page.fill('#pn-redactionMaxMegapixels', '50');
    await fixture.page.fill('#pn-seminarsReminderHours', '24');
    await fixture.page.fill('#pn-seminarsPageSize', '20');
  });

  afterEach(async () => {
    await fixture.page.close();
  });

  it('draws a section for each capability, with translated labels and the bounds from the settings table', async () => {
    const { page } = fixture;
    for (const section of ['verification', 'specialties', 'redaction', 'seminars']) {
      expect(await page.locator(`#physician-network-${section} h5`).count()).to.equal(1);
    }
    expect(await page.locator('label[for="pn-verificationDocumentMaxMb"]').textContent()).to.equal('Largest licence document (MB)');
    expect(await page.getAttribute('#pn-verificationDocumentMaxMb', 'max')).to.equal('50');
    expect(await page.locator('#pn-specialtiesDefaultPolicy option').allTextContents()).to.include('Closed: verified physicians read and post');
    expect(await page.locator('form.physician-network-settings').innerHTML()).to.not.contain('[[physician-network:');
  });

  it('loads the stored settings through NodeBB\'s settings module on init', async () => {
    expect(await fixture.calls()).to.deep.include(['settings.load', 'physician-network']);
  });

  it('refuses an out-of-range number with a translated message and sends nothing', async () => {
    const { page } = fixture;
    await page.fill('#pn-verificationDocumentMaxMb', '0');
    await page.click('#save');
    await page.waitForSelector('#pn-verificationDocumentMaxMb.is-invalid');
    const feedback = page.locator('[data-field="verificationDocumentMaxMb"] [component="physician-network/field-error"]');
    expect(await feedback.textContent()).to.equal('Largest licence document (MB) must be a whole number from 1 to 50.');
    expect(await page.getAttribute('#pn-verificationDocumentMaxMb', 'aria-invalid')).to.equal('true');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('pn-verificationDocumentMaxMb');
    expect((await fixture.calls()).filter(call => call[0] === 'settings.save')).to.deep.equal([]);
  });

  it('refuses an empty required number and a fraction', async () => {
    const { page } = fixture;
    await page.fill('#pn-seminarsPageSize', '');
    await page.fill('#pn-seminarsReminderHours', '1.5');
    await page.click('#save');
    await page.waitForSelector('#pn-seminarsReminderHours.is-invalid');
    expect(await page.locator('[data-field="seminarsPageSize"] [component="physician-network/field-error"]').textContent())
      .to.equal('Seminars per page is required.');
    expect(await page.locator('[data-field="seminarsReminderHours"] [component="physician-network/field-error"]').textContent())
      .to.equal('Send seminar reminders (hours before the start) must be a whole number from 1 to 336.');
    expect((await fixture.calls()).filter(call => call[0] === 'settings.save')).to.deep.equal([]);
  });

  it('saves valid values, clears earlier errors and confirms with a translated message', async () => {
    const { page } = fixture;
    await page.fill('#pn-verificationDocumentMaxMb', '0');
    await page.click('#save');
    await page.waitForSelector('#pn-verificationDocumentMaxMb.is-invalid');
    await page.fill('#pn-verificationDocumentMaxMb', '12');
    await page.selectOption('#pn-specialtiesDefaultPolicy', 'public-read');
    await page.click('#save');
    await page.waitForFunction(() => (window as unknown as { __calls: unknown[][] }).__calls.some(call => call[0] === 'alerts.success'));
    const saves = (await fixture.calls()).filter(call => call[0] === 'settings.save');
    expect(saves).to.have.length(1);
    const values = saves[0]?.[2] as Record<string, string>;
    expect(values.verificationDocumentMaxMb).to.equal('12');
    expect(values.specialtiesDefaultPolicy).to.equal('public-read');
    expect(await page.locator('#pn-verificationDocumentMaxMb.is-invalid').count()).to.equal(0);
    expect(await fixture.calls()).to.deep.include(['alerts.success', '[[physician-network:acp.saved]]']);
  });
});
