/**
 * The member's verification form in real Chromium: its client module refuses bad input with a
 * translated message and sends nothing, and sends a good form as multipart through NodeBB's api module.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';

import type { RequestView } from '../../lib/verification/views';
import { formPrefill } from '../../lib/verification/view';
import { launchBrowser, openFixture, renderTemplate, type FixturePage } from '../harness/browser';

const TYPES = ['str', 'npi', 'gmc', 'big', 'se-legitimation', 'other'];
const SPECIALTIES = [
  { slug: 'cardiology', name: 'Cardiology' },
  { slug: 'neurology', name: 'Neurology' },
  { slug: 'oncology', name: 'Oncology' },
];

const FORM_DATA = {
  verificationStatus: 'none',
  verificationStatusLabel: '[[physician-network:verification.status.none]]',
  current: null,
  history: [],
  submissionsLeft: 3,
  canSubmit: true,
  showForm: true,
  canWithdraw: false,
  needsInfo: false,
  form: formPrefill(null),
  registrationTypes: TYPES.map(value => ({ value, label: `[[physician-network:verification.type.${value}]]`, selected: false })),
  specialties: SPECIALTIES.map(s => ({ ...s, selected: false })),
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

  async function openTab(data: object): Promise<void> {
    const html = await renderTemplate('account/physician-verification', data);
    fixture = await openFixture(browser, html, ['form-validation', 'registration-rules', 'verification-form', 'account/physician-verification']);
    await fixture.page.evaluate(() => {
      (window as unknown as { requireModule(name: string): { init(): void } }).requireModule('forum/account/physician-verification').init();
    });
  }

  beforeEach(async () => {
    await openTab(FORM_DATA);
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
    expect(await countryShown()).to.equal(true);
    await fixture.page.click('[component="physician-network/verification-submit"]');
    await fixture.page.waitForSelector('#pn-verification-consent.is-invalid');
    expect(await fixture.page.getAttribute('#pn-verification-country', 'aria-invalid')).to.equal('true');
    expect(await posts()).to.deep.equal([]);
  });

  it('accepts a two-letter country for "other" and sends it', async () => {
    await fillValid();
    await fixture.page.selectOption('#pn-verification-type', 'other');
    await fixture.page.fill('#pn-verification-number', 'MMC-55821');
    await fixture.page.fill('#pn-verification-country', 'MY');
    await fixture.page.click('[component="physician-network/verification-submit"]');
    await fixture.page.waitForFunction(() => (window as unknown as { __calls: unknown[][] }).__calls.some(c => c[0] === 'api.post'));
    expect((await posts())[0]?.[2]).to.deep.include.members([['registrationType', 'other'], ['country', 'MY'], ['registrationNumber', 'MMC-55821']]);
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
  /** The member's request as the service returns it; the tab's data is built from it as the controller does. */
  function memberRequest(overrides: Partial<RequestView>): RequestView {
    return {
      rid: 7, uid: 4, status: 'needs-info', fullName: 'Ayu Lestari', registrationType: 'other', registrationNumber: 'MMC-55821',
      country: 'MY', specialties: ['cardiology', 'oncology'], inTraining: true, institution: 'Hospital Kuala Lumpur',
      licenceExpiry: '2031-06-30', submittedAt: Date.UTC(2026, 0, 5), updatedAt: Date.UTC(2026, 0, 6), submissions: 1,
      documents: [], documentsDeletedAt: null, decidedAt: null, decidedBy: 3, reasonCode: '', reasonText: '',
      infoRequest: 'Your licence scan is cut off at the bottom: which council issued it?', infoAnswer: '', confirmedSpecialties: [], memberActedAt: Date.UTC(2026, 0, 5),
      ...overrides,
    };
  }

  function tabFor(request: RequestView, flags: Record<string, boolean>): object {
    return {
      ...FORM_DATA,
      verificationStatus: request.status,
      verificationStatusLabel: `[[physician-network:verification.status.${request.status}]]`,
      current: { ...request, typeLabel: `[[physician-network:verification.type.${request.registrationType}]]` },
      form: formPrefill(request),
      registrationTypes: TYPES.map(value => ({ value, label: `[[physician-network:verification.type.${value}]]`, selected: value === request.registrationType })),
      specialties: SPECIALTIES.map(sp => ({ ...sp, selected: request.specialties.includes(sp.slug) })),
      canSubmit: false, canResubmit: false, needsInfo: false, lastRejected: false, canWithdraw: false, showForm: true,
      ...flags,
    };
  }

  /** The fixture has no Bootstrap stylesheet, so "shown" is the absence of its d-none class. */
  async function countryShown(): Promise<boolean> {
    const classes = await fixture.page.getAttribute('[component="physician-network/verification-country"]', 'class');
    return !(classes ?? '').split(/\s+/).includes('d-none');
  }

  async function selectedValues(selector: string): Promise<string[]> {
    return fixture.page.$$eval(`${selector} option:checked`, options => options.map(o => (o as HTMLOptionElement).value));
  }

  describe('answering a reviewer (needs-info)', () => {
    beforeEach(async () => {
      await fixture.page.close();
      await openTab(tabFor(memberRequest({}), { needsInfo: true, canResubmit: true, canWithdraw: true }));
    });

    it('shows the question and the whole form filled in from the open request', async () => {
      const { page } = fixture;
      expect(await page.locator('[component="physician-network/verification-question"]').textContent()).to.contain('which council issued it?');
      expect(await page.locator('[component="physician-network/verification-form"]').count()).to.equal(0);
      expect(await page.inputValue('#pn-verification-full-name')).to.equal('Ayu Lestari');
      expect(await page.inputValue('#pn-verification-type')).to.equal('other');
      expect(await countryShown()).to.equal(true);
      expect(await page.inputValue('#pn-verification-country')).to.equal('MY');
      expect(await page.inputValue('#pn-verification-number')).to.equal('MMC-55821');
      expect(await selectedValues('#pn-verification-specialties')).to.deep.equal(['cardiology', 'oncology']);
      expect(await page.isChecked('#pn-verification-in-training')).to.equal(true);
      expect(await page.inputValue('#pn-verification-institution')).to.equal('Hospital Kuala Lumpur');
      expect(await page.inputValue('#pn-verification-expiry')).to.equal('2031-06-30');
      // Documents are optional replacements here; consent is given again.
      expect(await page.getAttribute('#pn-verification-licence', 'required')).to.equal(null);
      expect(await page.isChecked('#pn-verification-consent')).to.equal(false);
      expect(await page.locator('[component="physician-network/verification-submit"]').textContent()).to.equal('Answer and resubmit');
    });

    it('sends the answer with the corrected fields to the request\'s resubmit route, without documents', async () => {
      const { page } = fixture;
      await page.fill('#pn-verification-answer', 'The Malaysian Medical Council; a full scan follows if needed.');
      await page.fill('#pn-verification-institution', 'Hospital Pulau Pinang');
      await page.check('#pn-verification-consent');
      await page.click('[component="physician-network/verification-submit"]');
      await page.waitForFunction(() => (window as unknown as { __calls: unknown[][] }).__calls.some(c => c[0] === 'api.post'));
      const [call] = await posts();
      expect(call?.[1]).to.equal('/plugins/physician-network/verification/requests/7/resubmit');
      const entries = call?.[2] as [string, string][];
      expect(entries).to.deep.equal([
        ['answer', 'The Malaysian Medical Council; a full scan follows if needed.'],
        ['fullName', 'Ayu Lestari'],
        ['registrationType', 'other'],
        ['country', 'MY'],
        ['registrationNumber', 'MMC-55821'],
        ['specialties', 'cardiology'],
        ['specialties', 'oncology'],
        ['inTraining', 'true'],
        ['institution', 'Hospital Pulau Pinang'],
        ['licenceExpiry', '2031-06-30'],
        ['consent', 'true'],
      ]);
    });

    it('checks the corrected number with the server\'s rules and asks for the answer, sending nothing', async () => {
      const { page } = fixture;
      await page.check('#pn-verification-consent');
      await page.selectOption('#pn-verification-type', 'npi');
      await page.fill('#pn-verification-number', '1234567890');
      await page.click('[component="physician-network/verification-submit"]');
      await page.waitForSelector('#pn-verification-number.is-invalid');
      expect(await feedbackFor('pn-verification-number')).to.equal('This NPI fails its check digit: please check the number.');
      expect(await page.getAttribute('#pn-verification-answer', 'aria-invalid')).to.equal('true');
      expect(await countryShown()).to.equal(false);
      expect(await posts()).to.deep.equal([]);
    });

    it('a new photo ID alone is refused: documents are replaced as a set with the licence', async () => {
      const { page } = fixture;
      await page.fill('#pn-verification-answer', 'New photo ID attached.');
      await page.check('#pn-verification-consent');
      await page.setInputFiles('#pn-verification-photo-id', { name: 'id.png', mimeType: 'image/png', buffer: Buffer.from('png') });
      await page.click('[component="physician-network/verification-submit"]');
      await page.waitForSelector('#pn-verification-licence.is-invalid');
      expect(await feedbackFor('pn-verification-licence')).to.equal('New documents replace all earlier ones: add your licence scan as well.');
      expect(await posts()).to.deep.equal([]);
      await page.setInputFiles('#pn-verification-licence', PDF);
      await page.click('[component="physician-network/verification-submit"]');
      await page.waitForFunction(() => (window as unknown as { __calls: unknown[][] }).__calls.some(c => c[0] === 'api.post'));
      const entries = (await posts())[0]?.[2] as [string, string][];
      expect(entries).to.deep.include.members([['licence', 'file:licence.pdf:application/pdf'], ['photoId', 'file:id.png:image/png'], ['answer', 'New photo ID attached.']]);
    });
  });

  describe('after a rejection', () => {
    beforeEach(async () => {
      await fixture.page.close();
      const rejected = memberRequest({
        status: 'rejected', registrationType: 'gmc', registrationNumber: '7012345', country: 'GB', infoRequest: '',
        reasonCode: 'name-mismatch', reasonText: 'Use the name exactly as on the register.', specialties: ['neurology'], inTraining: false, licenceExpiry: '',
      });
      await openTab(tabFor(rejected, { canSubmit: true, lastRejected: true }));
    });

    it('shows the reason and a new-request form filled in from the rejected request', async () => {
      const { page } = fixture;
      expect(await page.locator('[component="physician-network/verification-reason"]').textContent())
        .to.contain('The name does not match').and.contain('Use the name exactly as on the register.');
      expect(await page.isVisible('[component="physician-network/verification-rejected"]')).to.equal(true);
      expect(await page.inputValue('#pn-verification-type')).to.equal('gmc');
      expect(await countryShown()).to.equal(false);
      expect(await page.inputValue('#pn-verification-number')).to.equal('7012345');
      expect(await selectedValues('#pn-verification-specialties')).to.deep.equal(['neurology']);
      expect(await page.getAttribute('#pn-verification-licence', 'required')).to.not.equal(null);
      await page.fill('#pn-verification-full-name', 'Ayu Lestari Putri');
      await page.setInputFiles('#pn-verification-licence', PDF);
      await page.check('#pn-verification-consent');
      await page.click('[component="physician-network/verification-submit"]');
      await page.waitForFunction(() => (window as unknown as { __calls: unknown[][] }).__calls.some(c => c[0] === 'api.post'));
      const [call] = await posts();
      expect(call?.[1]).to.equal('/plugins/physician-network/verification/requests');
      expect(call?.[2]).to.deep.include.members([['fullName', 'Ayu Lestari Putri'], ['registrationNumber', '7012345'], ['specialties', 'neurology']]);
    });
  });
});
