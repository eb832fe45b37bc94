/**
 * The seminar panel on a topic page in real Chromium (the real partial template rendered by
 * Benchpress, the compiled client module): times in the event's zone and the reader's,
 * all-day dates unshifted, a login prompt for guests, RSVP buttons that call the API and
 * redraw (the waitlist said plainly), withdraw, and nothing member-typed left unescaped.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';

import { languageStrings, launchBrowser, openFixture, renderTemplate, translate, type FixturePage } from '../harness/browser';

const zoned = (date: string, time: string, zone: string, abbreviation: string, iso: string) => ({ date, time, zone, abbreviation, label: `${time} ${abbreviation}`, iso });

function details(overrides: { seminar?: Record<string, unknown>; rsvp?: Record<string, unknown>; canEdit?: boolean; canRsvp?: boolean } = {}) {
  return {
    seminar: {
      tid: 7, title: 'ATLS', path: '/topic/7/atls', icsPath: '/seminars/7/ics', icsFilename: 'atls.ics',
      typeLabel: '[[physician-network:seminars.type.course]]', statusLabel: '[[physician-network:seminars.status.scheduled]]',
      attendanceLabel: '[[physician-network:seminars.attendance.in-person]]', isCancelled: false, isPostponed: false, isOnline: false,
      place: 'RSUP <b>Sardjito</b>, Yogyakarta', country: 'ID', onlineUrl: '', organiser: 'IDI [[x:y]]', contact: 'panitia@example.org',
      forAllSpecialties: false, specialties: ['emergency-medicine'], hasCredits: true, credits: '12', creditsBody: 'IDI', creditsArea: 'Pembelajaran',
      isFree: false, fee: '2500000 IDR', registrationUrl: 'https://example.org/atls', registrationDeadline: '2030-03-01T16:59:59.999Z',
      capacity: 1, language: 'id',
      time: {
        allDay: false, multiDay: false, startDate: '2030-03-12', endDate: '2030-03-12',
        event: {
          start: zoned('2030-03-12', '09:00', 'Asia/Jakarta', 'WIB', '2030-03-12T09:00:00+07:00'),
          end: zoned('2030-03-12', '17:00', 'Asia/Jakarta', 'WIB', '2030-03-12T17:00:00+07:00'),
        },
        viewer: {
          start: zoned('2030-03-12', '03:00', 'Europe/Stockholm', 'CET', '2030-03-12T03:00:00+01:00'),
          end: zoned('2030-03-12', '11:00', 'Europe/Stockholm', 'CET', '2030-03-12T11:00:00+01:00'),
          dayShift: 0,
        },
      },
      ...overrides.seminar,
    },
    rsvp: { state: 'none', counts: { going: 1, waitlisted: 0, interested: 2, notGoing: 0, capacity: 1, seatsLeft: 0 }, ...overrides.rsvp },
    canEdit: overrides.canEdit ?? false,
    canRsvp: overrides.canRsvp ?? true,
  };
}

describe('seminar panel on the topic page (browser)', function () {
  this.timeout(30_000);
  let browser: Browser;
  let fixture: FixturePage;
  const strings = languageStrings();

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser.close();
  });

  afterEach(async () => {
    await fixture.page.close();
  });

  /** A topic page with the panel module installed; the API first answers `first`. */
  async function open(first: unknown, loggedIn: boolean): Promise<void> {
    fixture = await openFixture(browser, '<div class="posts-container"><ul component="topic"><li component="post">First post</li></ul></div>', ['page-text', 'seminar-panel']);
    // NodeBB's app.parseAndTranslate, done by the harness: the real template through Benchpress and the language file.
    await fixture.page.exposeFunction('renderPanelTemplate', async (data: object) => translate(await renderTemplate('partials/physician-network/seminar-panel', data), strings));
    await fixture.page.evaluate(({ answer, member }) => {
      const w = window as unknown as Record<string, unknown> & { app: Record<string, unknown>; ajaxify: { data: unknown }; requireModule(name: string): unknown };
      w.config = { relative_path: '', userLang: 'en-GB', loggedIn: member };
      w.__apiResult = answer;
      w.app.parseAndTranslate = async (_template: string, data: object) => {
        const html = await (w.renderPanelTemplate as (d: object) => Promise<string>)(data);
        return (w.$ as (h: string) => unknown)(html);
      };
      w.ajaxify.data = { template: { topic: true }, physicianNetworkSeminar: { tid: 7 } };
      (w.requireModule('physician-network/seminar-panel') as { install(hooks: unknown): void }).install(w.requireModule('hooks'));
    }, { answer: first, member: loggedIn });
    await fixture.page.waitForSelector('[component="physician-network/seminar-panel"]');
  }

  const panel = '[component="physician-network/seminar-panel"]';

  it('shows the event\'s time and the reader\'s, escaped member text, and a login prompt for guests', async () => {
    await open(details({ canRsvp: false }), false);
    const { page } = fixture;
    // Placed above the first post, outside the post list.
    expect(await page.evaluate(() => document.querySelector('[component="topic"]')?.previousElementSibling?.getAttribute('component'))).to.equal('physician-network/seminar-panel');
    const when = await page.locator('[component="physician-network/seminar-when"]').textContent();
    expect(when).to.contain('09:00–17:00 WIB');
    expect(when).to.contain('(03:00–11:00 your time)');
    expect(await page.locator(`${panel} time`).getAttribute('datetime')).to.equal('2030-03-12T09:00:00+07:00');
    const text = await page.locator(panel).textContent() ?? '';
    expect(text).to.contain('RSUP <b>Sardjito</b>, Yogyakarta, Indonesia');
    expect(text).to.contain('IDI [[x:y]]');
    // The deadline in the event's zone (23:59 in Jakarta), the fee as money.
    expect(text).to.match(/register by 1 Mar 2030, 23:59/);
    expect(text).to.match(/IDR\s?2,500,000/);
    expect(await page.locator(`${panel} b`).count()).to.equal(0);
    expect(await page.locator('[component="physician-network/seminar-login"]').isVisible()).to.equal(true);
    expect(await page.locator('[data-rsvp]').count()).to.equal(0);
    expect(await page.locator('[component="physician-network/seminar-ics"]').getAttribute('href')).to.equal('/seminars/7/ics');
    expect(await page.locator('[component="physician-network/seminar-edit"]').count()).to.equal(0);
  });

  it('names both of the reader\'s dates for an event over several days', async () => {
    await open(details({
      seminar: {
        time: {
          allDay: false, multiDay: true, startDate: '2030-03-12', endDate: '2030-03-13',
          event: {
            start: zoned('2030-03-12', '09:00', 'Asia/Jakarta', 'WIB', '2030-03-12T09:00:00+07:00'),
            end: zoned('2030-03-13', '17:00', 'Asia/Jakarta', 'WIB', '2030-03-13T17:00:00+07:00'),
          },
          viewer: {
            start: zoned('2030-03-12', '03:00', 'Europe/Stockholm', 'CET', '2030-03-12T03:00:00+01:00'),
            end: zoned('2030-03-13', '11:00', 'Europe/Stockholm', 'CET', '2030-03-13T11:00:00+01:00'),
            dayShift: 0,
          },
        },
      },
    }), true);
    const when = await fixture.page.locator('[component="physician-network/seminar-when"]').textContent() ?? '';
    expect(when).to.match(/\(.*12 March 2030 03:00 – .*13 March 2030 11:00 your time\)/);
  });

  it('shows an all-day event on its own dates, with no converted time', async () => {
    await open(details({
      seminar: {
        time: { allDay: true, multiDay: true, startDate: '2030-11-02', endDate: '2030-11-04', event: { start: null, end: null }, viewer: null },
      },
    }), true);
    const when = await fixture.page.locator('[component="physician-network/seminar-when"]').textContent() ?? '';
    expect(when).to.contain('2 November 2030');
    expect(when).to.contain('4 November 2030');
    expect(when).to.not.contain('your time');
  });

  it('RSVPs going on a full seminar, says the member is on the waitlist, and withdraws', async () => {
    await open(details(), true);
    const { page } = fixture;
    expect(await page.locator('[component="physician-network/seminar-counts"]').textContent()).to.contain('1 of 1 places taken');
    await page.evaluate(() => {
      (window as unknown as { __apiResult: unknown }).__apiResult = { state: 'waitlisted', counts: { going: 1, waitlisted: 1, interested: 2, notGoing: 0, capacity: 1, seatsLeft: 0 }, promoted: [] };
    });
    await page.click('[data-rsvp="going"]');
    await page.waitForSelector('[component="physician-network/seminar-waitlisted"]');
    expect(await page.locator('[component="physician-network/seminar-waitlisted"]').textContent()).to.contain('you are on the waitlist');
    expect(await page.locator('[component="physician-network/seminar-counts"]').textContent()).to.contain('1 on the waitlist');
    expect(await page.locator('[data-rsvp="going"]').getAttribute('aria-pressed')).to.equal('true');
    expect(await page.locator(panel).count()).to.equal(1);

    await page.evaluate(() => {
      (window as unknown as { __apiResult: unknown }).__apiResult = { state: 'none', counts: { going: 1, waitlisted: 0, interested: 2, notGoing: 0, capacity: 1, seatsLeft: 0 }, promoted: [] };
    });
    await page.click('[data-rsvp="withdraw"]');
    await page.waitForSelector('[component="physician-network/seminar-waitlisted"]', { state: 'detached' });
    const calls = (await fixture.calls()).filter(call => String(call[0]).startsWith('api.'));
    expect(calls).to.deep.equal([
      ['api.get', '/plugins/physician-network/seminars/7', null],
      ['api.put', '/plugins/physician-network/seminars/7/rsvp', { choice: 'going' }],
      ['api.del', '/plugins/physician-network/seminars/7/rsvp', null],
    ]);
  });

  it('shows a cancellation prominently and offers Edit to those allowed', async () => {
    await open(details({
      seminar: { isCancelled: true, statusLabel: '[[physician-network:seminars.status.cancelled]]' },
      canEdit: true,
    }), true);
    const { page } = fixture;
    expect(await page.locator('[component="physician-network/seminar-status"]').textContent()).to.equal('Cancelled');
    expect(await page.locator(`${panel} .alert-danger`).textContent()).to.equal('This seminar has been cancelled.');
    expect(await page.locator('[component="physician-network/seminar-edit"]').getAttribute('href')).to.equal('/seminars/7/edit');
    expect(await page.locator('[component="physician-network/seminar-panel-cancel"]').count()).to.equal(0);
  });
});
