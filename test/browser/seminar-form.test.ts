/**
 * The seminar form in real Chromium (the real template and compiled client modules): it
 * refuses what the server would refuse (end before start, a link that is not http(s), a
 * deadline after the start, negative credits) with the server's translated messages and
 * sends nothing; a valid form sends exactly the body the API takes (which the server's own
 * validation accepts) and then goes to the topic; an edit sends only what changed.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';

import { validateSeminarInput } from '../../lib/seminars/validation';
import { launchBrowser, openFixture, renderTemplate, type FixturePage } from '../harness/browser';

function formData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    isEdit: false,
    tid: 0,
    topicPath: '',
    isCancelled: false,
    noCategories: false,
    show: { times: true, dates: false, place: true, online: false, fee: false },
    categories: [{ cid: 5, name: 'Seminars', selected: true }, { cid: 9, name: 'Emergency medicine', selected: false }],
    categoryName: 'Seminars',
    types: ['seminar', 'workshop', 'course', 'certification', 'conference', 'congress', 'webinar']
      .map(value => ({ value, label: `[[physician-network:seminars.type.${value}]]`, selected: value === 'seminar' })),
    attendanceModes: ['in-person', 'online', 'hybrid'].map(value => ({ value, label: `[[physician-network:seminars.attendance.${value}]]`, selected: value === 'in-person' })),
    statuses: ['scheduled', 'postponed'].map(value => ({ value, label: `[[physician-network:seminars.status.${value}]]`, selected: value === 'scheduled' })),
    forAllSpecialties: false,
    specialties: [
      { slug: 'emergency-medicine', name: 'Emergency medicine', selected: false },
      { slug: 'cardiology', name: 'Cardiology', selected: false },
    ],
    zones: ['America/New_York', 'Asia/Jakarta', 'Europe/Stockholm', 'UTC'].map(value => ({ value, selected: false })),
    zoneFromBrowser: true,
    countries: [{ value: 'ID', label: 'Indonesia', selected: false }, { value: 'SE', label: 'Sweden', selected: false }],
    currencies: [{ value: 'IDR' }, { value: 'SEK' }],
    languages: [{ value: 'id', label: 'Indonesian', selected: true }, { value: 'en', label: 'English', selected: false }],
    values: {
      title: '', content: '', timezone: '', allDay: false, start: '', end: '', startDate: '', endDate: '',
      venue: '', city: '', onlineUrl: '', organiser: '', contact: '', creditsAmount: '', creditsBody: '', creditsArea: '',
      free: true, feeAmount: '', feeCurrency: '', registrationUrl: '', registrationDeadline: '', capacity: '',
    },
    limits: {
      venue: 200, city: 100, organiser: 200, contact: 200, creditsBody: 100, creditsArea: 100, url: 2048,
      specialties: 30, creditsMax: 1000, feeMax: 1_000_000_000, capacityMax: 1_000_000,
      titleMin: 3, titleMax: 255, contentMin: 8, contentMax: 32767,
    },
    ...overrides,
  };
}

type Calls = unknown[][];

describe('seminar form (browser)', function () {
  this.timeout(30_000);
  let browser: Browser;
  let fixture: FixturePage;

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser.close();
  });

  async function open(data: Record<string, unknown> = formData()): Promise<void> {
    const html = await renderTemplate('seminar-form', data);
    fixture = await openFixture(browser, html, ['form-validation', 'seminar-form', 'seminar-form-page']);
    await fixture.page.evaluate(() => {
      (window as unknown as { requireModule(name: string): { init(): void } }).requireModule('forum/seminar-form').init();
    });
  }

  afterEach(async () => {
    await fixture.page.close();
  });

  async function fillValid(): Promise<void> {
    const { page } = fixture;
    await page.selectOption('#pn-seminar-type', 'course');
    await page.fill('#pn-seminar-title', 'ATLS Provider Course');
    await page.fill('#pn-seminar-content', 'Two days of trauma life support.');
    await page.selectOption('#pn-seminar-timezone', 'Asia/Jakarta');
    await page.fill('#pn-seminar-start', '2030-03-12T09:00');
    await page.fill('#pn-seminar-end', '2030-03-12T17:00');
    await page.fill('#pn-seminar-venue', 'RSUP Dr. Sardjito');
    await page.fill('#pn-seminar-city', 'Yogyakarta');
    await page.selectOption('#pn-seminar-country', 'ID');
    await page.fill('#pn-seminar-organiser', 'IDI Cabang Sleman');
    await page.fill('#pn-seminar-contact', 'panitia@example.org');
    await page.selectOption('#pn-seminar-specialties', ['emergency-medicine']);
    await page.fill('#pn-seminar-credits', '12');
    await page.fill('#pn-seminar-credits-body', 'IDI');
    await page.fill('#pn-seminar-credits-area', 'Pembelajaran');
    await page.uncheck('#pn-seminar-free');
    await page.fill('#pn-seminar-fee', '2500000');
    await page.fill('#pn-seminar-currency', 'idr');
    await page.fill('#pn-seminar-registration-url', 'https://example.org/atls');
    await page.fill('#pn-seminar-deadline', '2030-03-01T23:59');
    await page.fill('#pn-seminar-capacity', '30');
  }

  async function apiCalls(): Promise<Calls> {
    return (await fixture.calls()).filter(call => String(call[0]).startsWith('api.'));
  }

  async function feedbackFor(id: string): Promise<string> {
    return (await fixture.page.locator(`#${id}`).locator('xpath=ancestor::*[contains(@class,"form-group")][1]').locator('[component="physician-network/field-error"]').textContent()) ?? '';
  }

  async function submitAndExpectRefusal(id: string): Promise<string> {
    await fixture.page.click('[component="physician-network/seminar-submit"]');
    await fixture.page.waitForSelector(`#${id}.is-invalid`);
    expect(await apiCalls()).to.deep.equal([]);
    return feedbackFor(id);
  }

  it('renders translated labels, no raw tokens, and takes the browser\'s zone when the server did not know it', async () => {
    await open();
    const html = await fixture.page.locator('[component="physician-network/seminar-form"]').innerHTML();
    expect(html).to.not.contain('[[physician-network:');
    expect(await fixture.page.locator('label[for="pn-seminar-timezone"]').textContent()).to.equal('Time zone of the event');
    const browserZone = await fixture.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(await fixture.page.inputValue('#pn-seminar-timezone')).to.equal(browserZone);
  });

  it('refuses an end before the start with the server\'s message', async () => {
    await open();
    await fillValid();
    await fixture.page.fill('#pn-seminar-end', '2030-03-12T08:00');
    expect(await submitAndExpectRefusal('pn-seminar-end')).to.equal('The end must come after the start.');
  });

  it('refuses a link that is not http(s)', async () => {
    await open();
    await fillValid();
    await fixture.page.fill('#pn-seminar-registration-url', 'ftp://example.org/atls');
    expect(await submitAndExpectRefusal('pn-seminar-registration-url')).to.equal('Registration link must be a web address starting with http:// or https://.');
    await fixture.page.fill('#pn-seminar-registration-url', 'javascript:alert(1)');
    expect(await submitAndExpectRefusal('pn-seminar-registration-url')).to.equal('Registration link must be a web address starting with http:// or https://.');
  });

  it('refuses a deadline after the start, negative credits, and an online event without a link', async () => {
    await open();
    await fillValid();
    await fixture.page.fill('#pn-seminar-deadline', '2030-03-12T10:00');
    await fixture.page.fill('#pn-seminar-credits', '-1');
    await fixture.page.selectOption('#pn-seminar-attendance', 'online');
    // Place fields are hidden (d-none) and disabled for online events, so they are neither checked nor sent.
    expect(await fixture.page.isDisabled('#pn-seminar-city')).to.equal(true);
    expect(await fixture.page.isDisabled('#pn-seminar-online-url')).to.equal(false);
    expect(await submitAndExpectRefusal('pn-seminar-deadline')).to.equal('The registration deadline must come before the start.');
    expect(await feedbackFor('pn-seminar-credits')).to.equal('Credits must be 0 or more.');
    expect(await feedbackFor('pn-seminar-online-url')).to.equal('Online link is required.');
  });

  it('sends a valid form as the body the API takes, then goes to the new topic', async () => {
    await open();
    await fixture.page.evaluate(() => { (window as unknown as { __apiResult: unknown }).__apiResult = { tid: 7, slug: '7/atls-provider-course', path: '/topic/7/atls-provider-course' }; });
    await fillValid();
    await fixture.page.click('[component="physician-network/seminar-submit"]');
    await fixture.page.waitForFunction(() => (window as unknown as { __calls: unknown[][] }).__calls.some(c => c[0] === 'ajaxify.go'));
    const calls = await fixture.calls();
    const [post] = calls.filter(call => call[0] === 'api.post');
    expect(post?.[1]).to.equal('/plugins/physician-network/seminars');
    const body = post?.[2] as Record<string, unknown>;
    expect(body).to.deep.equal({
      cid: 5,
      title: 'ATLS Provider Course',
      content: 'Two days of trauma life support.',
      type: 'course',
      timezone: 'Asia/Jakarta',
      allDay: false,
      start: '2030-03-12T09:00',
      end: '2030-03-12T17:00',
      attendance: 'in-person',
      venue: 'RSUP Dr. Sardjito',
      city: 'Yogyakarta',
      country: 'ID',
      onlineUrl: '',
      organiser: 'IDI Cabang Sleman',
      contact: 'panitia@example.org',
      specialties: ['emergency-medicine'],
      creditsAmount: '12',
      creditsBody: 'IDI',
      creditsArea: 'Pembelajaran',
      free: false,
      feeAmount: '2500000',
      feeCurrency: 'IDR',
      registrationUrl: 'https://example.org/atls',
      registrationDeadline: '2030-03-01T23:59',
      capacity: '30',
      language: 'id',
      status: 'scheduled',
    });
    // The server's own validation takes this body as it is.
    const fields = await validateSeminarInput(body);
    expect(fields.start).to.equal(Date.UTC(2030, 2, 12, 2, 0));
    expect(calls.find(call => call[0] === 'ajaxify.go')?.[1]).to.equal('topic/7/atls-provider-course');
  });

  it('sends an all-day event as dates, and shows the server\'s error without leaving the page', async () => {
    await open();
    await fixture.page.evaluate(() => { (window as unknown as { __apiError: string }).__apiError = 'The time zone "X" does not exist.'; });
    await fillValid();
    await fixture.page.check('#pn-seminar-all-day');
    // The dates were carried over from the times.
    expect(await fixture.page.inputValue('#pn-seminar-start-date')).to.equal('2030-03-12');
    await fixture.page.fill('#pn-seminar-end-date', '2030-03-14');
    await fixture.page.click('[component="physician-network/seminar-submit"]');
    await fixture.page.waitForFunction(() => (window as unknown as { __calls: unknown[][] }).__calls.some(c => c[0] === 'alerts.error'));
    const calls = await fixture.calls();
    const body = calls.find(call => call[0] === 'api.post')?.[2] as Record<string, unknown>;
    expect(body).to.include({ allDay: true, start: '2030-03-12', end: '2030-03-14' });
    expect(calls.find(call => call[0] === 'alerts.error')?.[1]).to.equal('The time zone "X" does not exist.');
    expect(calls.some(call => call[0] === 'ajaxify.go')).to.equal(false);
  });

  it('on edit sends an update without the unchanged title and description, and cancels only after confirming', async () => {
    const base = formData();
    await open(formData({
      isEdit: true,
      tid: 7,
      zoneFromBrowser: false,
      zones: (base.zones as { value: string }[]).map(z => ({ ...z, selected: z.value === 'Asia/Jakarta' })),
      countries: [{ value: 'ID', label: 'Indonesia', selected: true }],
      specialties: [{ slug: 'emergency-medicine', name: 'Emergency medicine', selected: true }],
      values: {
        ...(base.values as Record<string, unknown>),
        title: 'ATLS Provider Course', content: 'Two days of trauma life support.', timezone: 'Asia/Jakarta',
        start: '2030-03-12T09:00', end: '2030-03-12T17:00', city: 'Yogyakarta', organiser: 'IDI', language: 'id',
      },
    }));
    await fixture.page.fill('#pn-seminar-capacity', '40');
    await fixture.page.selectOption('#pn-seminar-status', 'postponed');
    await fixture.page.click('[component="physician-network/seminar-submit"]');
    await fixture.page.waitForFunction(() => (window as unknown as { __calls: unknown[][] }).__calls.some(c => c[0] === 'ajaxify.go'));
    const [put] = await apiCalls();
    expect(put?.slice(0, 2)).to.deep.equal(['api.put', '/plugins/physician-network/seminars/7']);
    const body = put?.[2] as Record<string, unknown>;
    expect(body).to.not.have.property('title');
    expect(body).to.not.have.property('content');
    expect(body).to.not.have.property('cid');
    expect(body).to.include({ capacity: '40', status: 'postponed', start: '2030-03-12T09:00', timezone: 'Asia/Jakarta' });

    await fixture.page.click('[component="physician-network/seminar-cancel"]');
    await fixture.page.waitForFunction(() => (window as unknown as { __calls: unknown[][] }).__calls.filter(c => c[0] === 'ajaxify.go').length === 2);
    const calls = await fixture.calls();
    expect(calls.some(call => call[0] === 'bootbox.confirm')).to.equal(true);
    expect(calls.filter(call => call[0] === 'api.post').map(call => call[1])).to.deep.equal(['/plugins/physician-network/seminars/7/cancel']);
    expect(calls.filter(call => call[0] === 'ajaxify.go').map(call => call[1])).to.deep.equal(['topic/7', 'topic/7']);
  });
});
