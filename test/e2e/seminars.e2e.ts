/**
 * Seminars in a real NodeBB:
 * - a verified physician creates a seminar through the real form page in Chromium (browser
 *   in Europe/Stockholm, event in Asia/Jakarta), lands on the topic and sees its panel;
 * - it is listed on /seminars with the event's time and the reader's (pn_tz cookie);
 * - the edit page shows the times in the event's zone;
 * - its .ics parses with ical.js, with the right start (TZID or UTC);
 * - public seminars carry schema.org JSON-LD; a seminar in a closed specialty category is
 *   invisible to guests on /seminars, /api/seminars, /seminars.ics and its own .ics;
 * - two members RSVP "going" through the panel's buttons on a one-place seminar: the second
 *   waits, and takes the place when the first withdraws.
 */
import { expect } from 'chai';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { launchBrowser } from '../harness/browser';
import { NodeBBSession, requireE2EConfig, type ApiResponse } from './nodebb-session';

const API = '/api/v3/plugins/physician-network';
const EVENT_ZONE = 'Asia/Jakarta';
const READER_ZONE = 'Europe/Stockholm';

interface Member { uid: number; username: string; session: NodeBBSession }
interface Saved { tid: number; slug: string; path: string }
interface Details { rsvp: { state: string; counts: { going: number; waitlisted: number } } }

function api<T>(response: ApiResponse<{ response: T }>): T {
  if (response.status !== 200) {
    throw new Error(`unexpected ${response.status}: ${response.text.slice(0, 300)}`);
  }
  return response.body.response;
}

/** Two days ahead in the event's zone: upcoming, and early in the listing. */
const eventDate = DateTime.now().setZone(EVENT_ZONE).plus({ days: 2 }).toISODate() ?? '';
const startLocal = `${eventDate}T09:00`;
const startInstant = DateTime.fromISO(startLocal, { zone: EVENT_ZONE });
const readerStart = startInstant.setZone(READER_ZONE).toFormat('HH:mm');

/** The body the form sends (see static/src/seminar-form.ts), for seminars made without the browser. */
function seminarBody(cid: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cid,
    title: `E2E seminar ${Math.random().toString(36).slice(2, 8)}`,
    content: 'A seminar made by the end-to-end tests.',
    type: 'seminar',
    timezone: EVENT_ZONE,
    allDay: false,
    start: startLocal,
    end: `${eventDate}T12:00`,
    attendance: 'online',
    venue: '', city: '', country: '',
    onlineUrl: 'https://meet.example.org/e2e',
    organiser: 'E2E organiser',
    contact: '',
    specialties: ['all'],
    creditsAmount: '', creditsBody: '', creditsArea: '',
    free: true, feeAmount: '', feeCurrency: '',
    registrationUrl: '', registrationDeadline: '',
    capacity: '',
    language: 'en',
    status: 'scheduled',
    ...overrides,
  };
}

describe('seminars (real NodeBB)', function () {
  this.timeout(180_000);
  const config = requireE2EConfig();
  let admin: NodeBBSession;
  let guest: NodeBBSession;
  let doctor: Member;
  let browser: Browser;
  let doctorContext: BrowserContext;
  let seminarsCid = 0;
  const created: { tid: number; path: string; title: string } = { tid: 0, path: '', title: '' };

  async function contextFor(member: Member): Promise<BrowserContext> {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: READER_ZONE, viewport: { width: 1280, height: 1000 } });
    await member.session.shareWith(context);
    return context;
  }

  before(async () => {
    admin = await NodeBBSession.login(config.url, config.admin.username, config.admin.password);
    guest = await NodeBBSession.guest(config.url);
    guest.setCookie('pn_tz', READER_ZONE);
    doctor = await admin.createMember('e2e-seminar-doctor');
    const verified = await admin.request('PUT', `${API}/members/${doctor.uid}/specialties`, { specialties: ['emergency-medicine'] });
    expect(verified.status).to.equal(200);
    browser = await launchBrowser();
    doctorContext = await contextFor(doctor);
  });

  after(async () => {
    await browser.close();
  });

  it('a verified physician creates a seminar through the form page', async () => {
    const page = await doctorContext.newPage();
    await page.goto(`${config.url}/seminars/new`, { waitUntil: 'networkidle' });
    await page.waitForSelector('[component="physician-network/seminar-form"]');
    seminarsCid = Number(await page.locator('#pn-seminar-cid option').first().getAttribute('value'));
    expect(seminarsCid).to.be.greaterThan(0);
    created.title = `ATLS Provider Course ${Math.random().toString(36).slice(2, 8)}`;
    await page.selectOption('#pn-seminar-cid', String(seminarsCid));
    await page.selectOption('#pn-seminar-type', 'course');
    await page.fill('#pn-seminar-title', created.title);
    await page.fill('#pn-seminar-content', 'Two days of trauma life support for doctors on call.');
    await page.selectOption('#pn-seminar-timezone', EVENT_ZONE);
    await page.fill('#pn-seminar-start', startLocal);
    await page.fill('#pn-seminar-end', `${eventDate}T17:00`);
    await page.fill('#pn-seminar-venue', 'RSUP Dr. Sardjito');
    await page.fill('#pn-seminar-city', 'Yogyakarta');
    await page.selectOption('#pn-seminar-country', 'ID');
    await page.fill('#pn-seminar-organiser', 'IDI Cabang Sleman');
    await page.selectOption('#pn-seminar-specialties', ['emergency-medicine']);
    await page.fill('#pn-seminar-credits', '12');
    await page.fill('#pn-seminar-credits-body', 'IDI');
    await page.uncheck('#pn-seminar-free');
    await page.fill('#pn-seminar-fee', '2500000');
    await page.fill('#pn-seminar-currency', 'IDR');
    await page.fill('#pn-seminar-registration-url', 'https://example.org/atls');
    await page.fill('#pn-seminar-capacity', '30');

    // The client refuses an end before the start, and sends nothing.
    await page.fill('#pn-seminar-end', `${eventDate}T08:00`);
    await page.click('[component="physician-network/seminar-submit"]');
    await page.waitForSelector('#pn-seminar-end.is-invalid');
    expect(page.url()).to.contain('/seminars/new');
    await page.fill('#pn-seminar-end', `${eventDate}T17:00`);

    await page.click('[component="physician-network/seminar-submit"]');
    await page.waitForURL(/\/topic\/\d+/);
    created.tid = Number(/\/topic\/(\d+)/.exec(page.url())?.[1]);
    created.path = new URL(page.url()).pathname;
    expect(created.tid).to.be.greaterThan(0);
    // The topic page shows the seminar panel, in the event's zone and the reader's.
    const panel = page.locator('[component="physician-network/seminar-panel"]');
    await panel.waitFor();
    const when = await page.locator('[component="physician-network/seminar-when"]').textContent() ?? '';
    expect(when).to.contain('09:00–17:00 WIB');
    expect(when).to.contain(`${readerStart}–`);
    expect(when).to.contain('your time');
    await page.close();
  });

  it('lists it on /seminars with the event\'s time and the reader\'s (pn_tz cookie)', async () => {
    doctor.session.setCookie('pn_tz', READER_ZONE);
    const listing = await doctor.session.request('GET', '/seminars');
    expect(listing.status).to.equal(200);
    expect(listing.text).to.contain(created.title);
    expect(listing.text).to.contain('09:00 WIB');
    expect(listing.text).to.contain(`${readerStart} your time`);
    const json = await doctor.session.request('GET', '/api/seminars');
    expect(json.status).to.equal(200);
    expect(json.text).to.match(new RegExp(`"tid":${created.tid}\\b`));

    // The browser's own cookie (set by the time-zone script) gives the same.
    const page = await doctorContext.newPage();
    await page.goto(`${config.url}/seminars`, { waitUntil: 'networkidle' });
    const cookie = (await doctorContext.cookies()).find(c => c.name === 'pn_tz');
    expect(decodeURIComponent(cookie?.value ?? '')).to.equal(READER_ZONE);
    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.content()).to.contain(`${readerStart} your time`);
    await page.close();
  });

  it('opens the edit page with the times in the event\'s zone', async () => {
    const page = await doctorContext.newPage();
    await page.goto(`${config.url}/seminars/${created.tid}/edit`, { waitUntil: 'networkidle' });
    await page.waitForSelector('[component="physician-network/seminar-form"][data-mode="edit"]');
    expect(await page.inputValue('#pn-seminar-start')).to.equal(startLocal);
    expect(await page.inputValue('#pn-seminar-timezone')).to.equal(EVENT_ZONE);
    expect(await page.inputValue('#pn-seminar-title')).to.equal(created.title);
    await page.close();
  });

  it('offers a .ics that ical.js reads, starting at 09:00 in Jakarta', async () => {
    const ics = await doctor.session.download(`/seminars/${created.tid}/ics`);
    expect(ics.status).to.equal(200);
    expect(ics.headers.get('content-type') ?? '').to.contain('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(ics.bytes.toString('utf8')) as unknown[]);
    const events = calendar.getAllSubcomponents('vevent');
    expect(events).to.have.length(1);
    const [component] = events;
    if (!component) {
      throw new Error('no event');
    }
    const event = new ICAL.Event(component);
    expect(event.summary).to.equal(created.title);
    const tzid = component.getFirstProperty('dtstart')?.getParameter('tzid');
    if (tzid) {
      // A local time with its zone: 09:00 in Asia/Jakarta.
      expect(tzid).to.equal(EVENT_ZONE);
      expect(event.startDate.toString()).to.equal(`${startLocal}:00`);
    } else {
      // A UTC time: 02:00Z.
      expect(event.startDate.zone.tzid).to.equal('UTC');
      expect(event.startDate.toUnixTime() * 1000).to.equal(startInstant.toMillis());
    }
  });

  it('gives a public seminar schema.org Event JSON-LD in its topic page', async () => {
    const page = await guest.request('GET', created.path);
    if (page.status !== 200) {
      // The seminars category is not open to guests here: then the seminar is not public, and gets none.
      expect(page.text).to.not.contain('application/ld+json" data-physician-network');
      return;
    }
    const match = /<script type="application\/ld\+json" data-physician-network="seminar">([\s\S]*?)<\/script>/.exec(page.text);
    expect(match, 'JSON-LD').to.not.equal(null);
    const event = JSON.parse(match?.[1] ?? '{}') as Record<string, unknown>;
    expect(event).to.include({ '@type': 'EducationEvent', name: created.title, eventStatus: 'https://schema.org/EventScheduled' });
    expect(event.startDate).to.equal(`${startLocal}:00+07:00`);
  });

  describe('a seminar in a closed specialty category', () => {
    let cardiologyCid = 0;
    let closed: Saved;
    let originalCategories = '';
    let acp: Page;

    async function settings(values?: Record<string, string>): Promise<Record<string, string>> {
      return acp.evaluate(async (payload) => new Promise<Record<string, string>>((resolve, reject) => {
        const socket = (window as unknown as { socket: { emit(event: string, data: unknown, cb: (err: { message: string } | null, result?: Record<string, string>) => void): void } }).socket;
        const event = payload ? 'admin.settings.set' : 'admin.settings.get';
        socket.emit(event, payload ? { hash: 'physician-network', values: payload } : { hash: 'physician-network' }, (err, result) => {
          if (err) {
            reject(new Error(err.message));
          } else {
            resolve(result ?? {});
          }
        });
      }), values ?? null);
    }

    before(async () => {
      const listing = api<{ specialties: { slug: string; cid: number }[] }>(await admin.request('GET', `${API}/specialties`));
      cardiologyCid = listing.specialties.find(s => s.slug === 'cardiology')?.cid ?? 0;
      expect(cardiologyCid).to.be.greaterThan(0);
      // Let the cardiology category host seminars too, for this test only.
      const context = await browser.newContext({ locale: 'en-GB' });
      await admin.shareWith(context);
      acp = await context.newPage();
      await acp.goto(`${config.url}/admin/plugins/physician-network`, { waitUntil: 'networkidle' });
      originalCategories = (await settings()).seminarsCategories ?? '';
      const cids = new Set([...originalCategories.split(',').map(s => s.trim()).filter(Boolean), String(seminarsCid), String(cardiologyCid)]);
      await settings({ seminarsCategories: [...cids].join(',') });
      closed = api<Saved>(await admin.request('POST', `${API}/seminars`, seminarBody(cardiologyCid, { title: `Closed cardiology seminar ${Math.random().toString(36).slice(2, 8)}`, specialties: ['cardiology'] })));
    });

    after(async () => {
      await settings({ seminarsCategories: originalCategories });
      await acp.context().close();
    });

    it('is not shown to guests on /seminars, /api/seminars, /seminars.ics or its own .ics', async () => {
      const title = api<{ seminar: { title: string } }>(await admin.request('GET', `${API}/seminars/${closed.tid}`)).seminar.title;
      const page = await guest.request('GET', '/seminars');
      expect(page.status).to.equal(200);
      expect(page.text).to.not.contain(title);
      expect(page.text).to.not.contain(`/topic/${closed.slug}`);
      const json = await guest.request('GET', '/api/seminars');
      expect(json.text).to.not.match(new RegExp(`"tid":${closed.tid}\\b`));
      expect(json.text).to.not.contain(title);
      const feed = await guest.download('/seminars.ics');
      expect(feed.status).to.equal(200);
      const text = feed.bytes.toString('utf8');
      expect(text).to.not.contain(title);
      expect(text).to.not.match(new RegExp(`seminar-${closed.tid}@`));
      expect((await guest.download(`/seminars/${closed.tid}/ics`)).status).to.equal(404);
      expect((await guest.request('GET', `${API}/seminars/${closed.tid}`)).status).to.equal(404);
      // The admin (who may read it) does see it listed.
      expect((await admin.request('GET', '/api/seminars')).text).to.match(new RegExp(`"tid":${closed.tid}\\b`));
    });
  });

  describe('RSVP through the panel on a one-place seminar', () => {
    let first: Member;
    let second: Member;
    let seminar: Saved;

    before(async () => {
      first = await admin.createMember('e2e-rsvp-first');
      second = await admin.createMember('e2e-rsvp-second');
      seminar = api<Saved>(await doctor.session.request('POST', `${API}/seminars`, seminarBody(seminarsCid, { capacity: '1' })));
    });

    async function panelOf(member: Member): Promise<{ page: Page; context: BrowserContext }> {
      const context = await contextFor(member);
      const page = await context.newPage();
      await page.goto(`${config.url}/topic/${seminar.slug}`, { waitUntil: 'networkidle' });
      await page.locator('[component="physician-network/seminar-panel"]').waitFor();
      return { page, context };
    }

    async function stateOf(member: Member): Promise<Details['rsvp']> {
      return api<Details>(await member.session.request('GET', `${API}/seminars/${seminar.tid}`)).rsvp;
    }

    it('the second "going" waits, and takes the place when the first withdraws', async () => {
      const one = await panelOf(first);
      await one.page.click('[data-rsvp="going"]');
      await one.page.waitForSelector('[data-rsvp="going"][aria-pressed="true"]');
      expect(await one.page.locator('[component="physician-network/seminar-waitlisted"]').count()).to.equal(0);
      expect((await stateOf(first)).state).to.equal('going');

      const two = await panelOf(second);
      await two.page.click('[data-rsvp="going"]');
      await two.page.waitForSelector('[component="physician-network/seminar-waitlisted"]');
      expect((await stateOf(second)).state).to.equal('waitlisted');
      expect((await stateOf(second)).counts).to.include({ going: 1, waitlisted: 1 });

      await one.page.reload({ waitUntil: 'networkidle' });
      await one.page.locator('[data-rsvp="withdraw"]').click();
      await one.page.waitForSelector('[data-rsvp="going"][aria-pressed="false"]');
      expect((await stateOf(first)).state).to.equal('none');

      await two.page.reload({ waitUntil: 'networkidle' });
      await two.page.waitForSelector('[data-rsvp="going"][aria-pressed="true"]');
      expect(await two.page.locator('[component="physician-network/seminar-waitlisted"]').count()).to.equal(0);
      expect(await stateOf(second)).to.deep.include({ state: 'going' });
      expect((await stateOf(second)).counts).to.include({ going: 1, waitlisted: 0 });
      await one.context.close();
      await two.context.close();
    });

    it('guests see the details and a login prompt instead of RSVP buttons', async () => {
      const context = await browser.newContext({ locale: 'en-GB', timezoneId: READER_ZONE });
      const page = await context.newPage();
      const response = await page.goto(`${config.url}/topic/${seminar.slug}`, { waitUntil: 'networkidle' });
      if (response?.status() === 200) {
        await page.locator('[component="physician-network/seminar-panel"]').waitFor();
        expect(await page.locator('[component="physician-network/seminar-login"]').count()).to.equal(1);
        expect(await page.locator('[data-rsvp]').count()).to.equal(0);
      }
      await context.close();
    });
  });
});
