/**
 * The member's verification form in real Chromium: its client module refuses bad input with a
 * translated message and sends nothing, and sends a good form as multipart through NodeBB's api module.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';

import { launchBrowser, openFixture, renderTemplate, type FixturePage } from '../harness/browser';

const FORM_DATA = {
  verificationStatus: 'none',
  verificationStatusLabel: '[[physician-network:verification.status.none]]',
  current: null,
  history: [],
  submissionsLeft: 3,
  canSubmit: true,
  canWithdraw: false,
  needsInfo: false,
  registrationTypes: ['str', 'npi', 'gmc', 'big', 'se-legitimation', 'other'].map(value => ({ value, label: `[[physician-network:verification.type.${value}]]` })),
  specialties: [
    { slug: 'cardiology', name: 'Cardiology' },
    { slug: 'neurology', name: 'Neurology' },
    { slug: 'oncology', name: 'Oncology' },
  ],
  maxSpecialties: 2,
  maxDocumentMb: 1,
  today: '2026-01-01',
};

/** A few bytes that start like a PDF; the browser judges the type from the name, the server from the bytes. */
const PDF = { name: 'licence.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') };

describe('verification form (browser)', function () {
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
    const html = await renderTemplate('account/physician-verification', FORM_DATA);
    fixture = await openFixture(browser, html, ['form-validation', 'registration-rules', 'verification-form', 'account/physician-verification']);
    await fixture.page.evaluate(() => {
      (window as unknown as { requireModule(name: string): { init(): void } }).requireModule('forum/account/physician-verification').init();
    });
  });

  afterEach(async () => {
    await fixture.page.close();
  });

  async function fillValid(): Promise<void> {
    const { page } = fixture;
    await page.fill('#pn-verification-full-name', 'Ayu Lestari');
    await page.selectOption('#pn-verification-type', 'npi');
    // A real, check-digit-valid NPI (the CMS example number).
    await page.fill('#pn-verification-number', '1234567893');
    await page.selectOption('#pn-verification-specialties', ['cardiology']);
    await page.fill('#pn-verification-institution', 'RSUP Dr. Sardjito');
    await page.setInputFiles('#pn-verification-licence', PDF);
    await page.check('#pn-verification-consent');
  }

  async function posts(): Promise<unknown[][]> {
    return (await fixture.calls()).filter(call => call[0] === 'api.post');
  }

  async function feedbackFor(id: string): Promise<string> {
    return (await fixture.page.locator(`#${id}`).locator('xpath=ancestor::*[contains(@class,"form-group")][1]').locator('[component="physician-network/field-error"]').textContent()) ?? '';
  }

  it('renders translated labels and no raw tokens', async () => {
    const html = await fixture.page.locator('[component="physician-network/verification-form"]').innerHTML();
    expect(html).to.not.contain('[[physician-network:');
    expect(await fixture.page.locator('label[for="pn-verification-number"]').textContent()).to.equal('Registration number');
  });

  it('refuses an NPI whose check digit fails, with the translated message, and sends nothing', async () => {
    await fillValid();
    await fixture.page.fill('#pn-verification-number', '1234567890');
    await fixture.page.click('[component="physician-network/verification-submit"]');
    await fixture.page.waitForSelector('#pn-verification-number.is-invalid');
    expect(await feedbackFor('pn-verification-number')).to.equal('This NPI fails its check digit: please check the number.');
    expect(await posts()).to.deep.equal([]);
  });

  it('refuses a GMC number of the wrong length', async () => {
    await fillValid();
    await fixture.page.selectOption('#pn-verification-type', 'gmc');
    await fixture.page.fill('#pn-verification-number', '123456');
    await fixture.page.click('[component="physician-network/verification-submit"]');
    await fixture.page.waitForSelector('#pn-verification-number.is-invalid');
    expect(await feedbackFor('pn-verification-number')).to.equal('A GMC reference number has 7 digits.');
    expect(await posts()).to.deep.equal([]);
  });

  it('requires consent and a country for "other"', async () => {
    await fillValid();
    await fixture.page.uncheck('#pn-verification-consent');
    await fixture.page.selectOption('#pn-verification-type', 'other');
    await fixture.page.fill('#pn-verification-number', 'MD-12345');
    expect(await fixture.page.isVisible('#pn-verification-country')).to.equal(true);
    await fixture.page.click('[component="physician-network/verification-submit"]');
    await fixture.page.waitForSelector('#pn-verification-consent.is-invalid');
    expect(await fixture.page.getAttribute('#pn-verification-country', 'aria-invalid')).to.equal('true');
    expect(await posts()).to.deep.equal([]);
  });

  it('refuses more specialties than the setting allows, a wrong file type and an oversized file', async () => {
    await fillValid();
    await fixture.page.selectOption('#pn-verification-specialties', ['cardiology', 'neurology', 'oncology']);
    await fixture.page.setInputFiles('#pn-verification-licence', { name: 'licence.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await fixture.page.setInputFiles('#pn-verification-photo-id', { name: 'me.png', mimeType: 'image/png', buffer: Buffer.alloc(1024 * 1024 + 1) });
    await fixture.page.click('[component="physician-network/verification-submit"]');
    await fixture.page.waitForSelector('#pn-verification-specialties.is-invalid');
    expect(await feedbackFor('pn-verification-specialties')).to.equal('Choose at most 2 specialties.');
    expect(await feedbackFor('pn-verification-licence')).to.equal('Documents must be PDF, JPEG or PNG files.');
    expect(await feedbackFor('pn-verification-photo-id')).to.equal('A document may be at most 1 MB.');
    expect(await posts()).to.deep.equal([]);
  });

  it('sends a valid form as multipart to the API, without the empty photo-ID field', async () => {
    await fillValid();
    await fixture.page.click('[component="physician-network/verification-submit"]');
    await fixture.page.waitForFunction(() => (window as unknown as { __calls: unknown[][] }).__calls.some(c => c[0] === 'api.post'));
    const [call] = await posts();
    expect(call?.[1]).to.equal('/plugins/physician-network/verification/requests');
    const entries = call?.[2] as [string, string][];
    expect(entries).to.deep.include.members([
      ['fullName', 'Ayu Lestari'],
      ['registrationType', 'npi'],
      ['registrationNumber', '1234567893'],
      ['specialties', 'cardiology'],
      ['consent', 'true'],
      ['licence', 'file:licence.pdf:application/pdf'],
    ]);
    expect(entries.map(e => e[0])).to.not.include('photoId');
    expect(entries.map(e => e[0])).to.not.include('inTraining');
  });
});
