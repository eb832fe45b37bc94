/**
 * The seminar listing pages and widget, on real Redis: what each controller renders for a
 * viewer (privileges, filters from the address, cursor paging, time zones), and that the
 * templates render that data (escaped, with the viewer's zone named).
 */
import { expect } from 'chai';

import { calendarPageData, type CalendarPageData } from '../../lib/seminars/calendar-view';
import { filterQueryString, parseListingQuery } from '../../lib/seminars/listing-query';
import { listingClock, listingPageData, type ListingPageData } from '../../lib/seminars/listing-view';
import { renderCalendar, renderPast, renderUpcoming } from '../../lib/seminars/routes';
import { renderSeminarsWidget, addSeminarsWidget, widgetSettings, SEMINARS_WIDGET } from '../../lib/seminars/widget';
import { type Seminar } from '../../lib/seminars/model';
import { submitSeminar } from '../../lib/seminars/save';
import { seedDefaultTaxonomy } from '../../lib/specialties/taxonomy';
import { addNavigationEntries } from '../../lib/common/navigation';
import { testDatabase } from '../harness/root-hooks';
import { provideSeminarStandIns, grantToGroup, joinGroup } from '../harness/seminars-stand-ins';
import { seminarForm, storeSeminar, topicFor } from '../harness/seminars-fixtures';
import { capturingResponse, pageRequest, providePageStandIns, queryOf, renderPluginTemplate } from '../harness/seminars-pages-stand-ins';
import { keys as seminarKeys } from '../../lib/seminars/keys';

const NOW = Date.UTC(2030, 0, 1);
const GUEST = 0;
const MEMBER = 10;
const SURGEON = 11;
const ADMIN = 1;
const OPEN_CID = 1;
const CLOSED_CID = 2;

function day(n: number, hour = 9): string {
  const date = new Date(Date.UTC(2030, 2, 1 + n));
  return `${date.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

async function seminarOn(tid: number, n: number, overrides: Record<string, unknown> = {}, cid = OPEN_CID): Promise<Seminar> {
  return storeSeminar(tid, { start: day(n), end: day(n, 17), registrationDeadline: '', ...overrides }, cid);
}

function tids(data: ListingPageData): number[] {
  return data.seminars.map(s => s.tid);
}

function calendarTids(data: CalendarPageData, date: string): number[] {
  const cell = data.weeks.flatMap(w => w.days).find(d => d.date === date);
  return cell ? cell.seminars.map(s => s.tid) : [];
}

function datesOf(data: CalendarPageData, tid: number): string[] {
  return data.weeks.flatMap(w => w.days).filter(d => d.seminars.some(s => s.tid === tid)).map(d => d.date);
}

describe('seminars: listing pages, calendar and widget', () => {
  const realClock = listingClock.now;

  before(() => {
    provideSeminarStandIns(testDatabase());
    providePageStandIns();
  });

  after(() => {
    listingClock.now = realClock;
  });

  beforeEach(async () => {
    const db = testDatabase();
    await db.flushAll();
    listingClock.now = () => NOW;
    await seedDefaultTaxonomy();
    await db.setObject('settings:physician-network', { seminarsPageSize: 5 });
    await grantToGroup(db, OPEN_CID, 'topics:read', 'guests');
    await grantToGroup(db, OPEN_CID, 'topics:read', 'registered-users');
    await grantToGroup(db, CLOSED_CID, 'topics:read', 'surgeons');
    await joinGroup(db, MEMBER, 'registered-users');
    await joinGroup(db, SURGEON, 'registered-users');
    await joinGroup(db, SURGEON, 'surgeons');
    await joinGroup(db, ADMIN, 'administrators');
  });

  describe('privileges', () => {
    beforeEach(async () => {
      await seminarOn(1, 10);
      await seminarOn(2, 11, {}, CLOSED_CID);
    });

    it('a guest does not get a seminar in a closed category on /seminars; a member who may read it does', async () => {
      expect(tids(await listingPageData(pageRequest({ uid: GUEST }), 'upcoming'))).to.deep.equal([1]);
      expect(tids(await listingPageData(pageRequest({ uid: MEMBER }), 'upcoming'))).to.deep.equal([1]);
      expect(tids(await listingPageData(pageRequest({ uid: SURGEON }), 'upcoming'))).to.deep.equal([1, 2]);
    });

    it('nor in the archive', async () => {
      listingClock.now = () => Date.UTC(2030, 5, 1);
      expect(tids(await listingPageData(pageRequest({ uid: GUEST }), 'past'))).to.deep.equal([1]);
      expect(tids(await listingPageData(pageRequest({ uid: SURGEON }), 'past'))).to.deep.equal([2, 1]);
    });

    it('nor on the calendar', async () => {
      const params = { year: '2030', month: '3' };
      const guest = await calendarPageData(pageRequest({ uid: GUEST, params }));
      expect(calendarTids(guest, '2030-03-11')).to.deep.equal([1]);
      expect(calendarTids(guest, '2030-03-12')).to.deep.equal([]);
      const surgeon = await calendarPageData(pageRequest({ uid: SURGEON, params }));
      expect(calendarTids(surgeon, '2030-03-12')).to.deep.equal([2]);
    });

    it('nor in the widget', async () => {
      const guest = await renderSeminarsWidget({ uid: GUEST, data: {}, req: pageRequest() });
      expect(guest.html).to.contain('data-tid="1"').and.not.contain('data-tid="2"');
      const surgeon = await renderSeminarsWidget({ uid: SURGEON, data: {}, req: pageRequest({ uid: SURGEON }) });
      expect(surgeon.html).to.contain('data-tid="1"').and.contain('data-tid="2"');
    });

    it('renders through res.render with the page templates NodeBB will look for', async () => {
      const { res, rendered } = capturingResponse();
      await renderUpcoming(pageRequest(), res);
      await renderPast(pageRequest(), res);
      await renderCalendar(pageRequest({ params: { year: '2030', month: '3' } }), res);
      expect(rendered.map(r => r.template)).to.deep.equal(['seminars', 'seminars', 'seminars-calendar']);
      expect(rendered[0]?.data.title).to.equal('[[physician-network:seminars.list.title]]');
      expect(rendered[1]?.data.isPast).to.equal(true);
    });
  });

  describe('filters in the address', () => {
    const known = new Set(['cardiology', 'general-surgery']);

    it('reads every filter it understands', () => {
      const request = parseListingQuery({
        specialty: 'cardiology', type: 'workshop', country: 'se', city: 'Stockholm', online: '1', credits: 'on', free: 'true',
        from: '2030-03-01', to: '2030-03-31', after: '1900000000000_12',
      }, known);
      expect(request.filters).to.deep.equal({ specialty: 'cardiology', type: 'workshop', country: 'SE', city: 'Stockholm', online: true, credits: true, free: true });
      expect([request.fromDate, request.toDate, request.cursor]).to.deep.equal(['2030-03-01', '2030-03-31', '1900000000000_12']);
    });

    it('drops each value it cannot read and keeps the rest', () => {
      const request = parseListingQuery({
        specialty: 'astrology', type: 'party', country: 'XX', city: '  ', online: 'maybe', from: '2030-02-30', to: 'soon', after: "1_1' OR 1=1",
      }, known);
      expect(request.filters).to.deep.equal({});
      expect([request.fromDate, request.toDate, request.month, request.cursor]).to.deep.equal(['', '', '', null]);
      expect(parseListingQuery({ specialty: ['cardiology', 'general-surgery'], type: { nested: 'x' } }, known).filters).to.deep.equal({});
      expect(parseListingQuery({ from: '2030-04-01', to: '2030-03-01', type: 'course' }, known)).to.include({ fromDate: '', toDate: '' });
      expect(parseListingQuery({ from: '2030-04-01', to: '2030-03-01', type: 'course' }, known).filters).to.deep.equal({ type: 'course' });
    });

    it('takes a month as its first to last day, over from/to', () => {
      const request = parseListingQuery({ month: '2030-02', from: '2030-01-01' }, known);
      expect([request.fromDate, request.toDate, request.month]).to.deep.equal(['2030-02-01', '2030-02-28', '2030-02']);
      expect(parseListingQuery({ month: '2030-13' }, known).month).to.equal('');
      expect(filterQueryString(request)).to.equal('month=2030-02');
    });

    it('shows the unfiltered default for a bad address, no error', async () => {
      await seminarOn(1, 1, { type: 'workshop', specialties: ['cardiology'] });
      await seminarOn(2, 2, { type: 'course', specialties: ['general-surgery'] });
      const bad = await listingPageData(pageRequest({ query: { specialty: 'nope', type: 'party', month: 'later', country: '??', after: 'x' } }), 'upcoming');
      expect(tids(bad)).to.deep.equal([1, 2]);
      expect(bad.filters.active).to.equal(false);
      const calendar = await calendarPageData(pageRequest({ params: { year: '20x0', month: '99' } }));
      expect([calendar.year, calendar.month]).to.deep.equal([2030, 1]);
    });

    it('applies filters from the address and keeps them in every link', async () => {
      await seminarOn(1, 1, { type: 'workshop', specialties: ['cardiology'] });
      await seminarOn(2, 2, { type: 'course', specialties: ['cardiology'], attendance: 'online', onlineUrl: 'https://meet.example.org/a', feeAmount: '', feeCurrency: '' });
      await seminarOn(3, 3, { type: 'course', specialties: ['general-surgery'], creditsAmount: '' });
      const page = async (query: Record<string, string>): Promise<number[]> => tids(await listingPageData(pageRequest({ query }), 'upcoming'));
      expect(await page({ specialty: 'cardiology' })).to.deep.equal([1, 2]);
      expect(await page({ type: 'course' })).to.deep.equal([2, 3]);
      expect(await page({ online: '1' })).to.deep.equal([2]);
      expect(await page({ free: '1' })).to.deep.equal([2]);
      expect(await page({ credits: '1' })).to.deep.equal([1, 2]);
      expect(await page({ city: 'yogyakarta', country: 'id' })).to.deep.equal([1, 3]);
      expect(await page({ from: '2030-03-03', to: '2030-03-03' })).to.deep.equal([2]);
      expect(await page({ month: '2030-04' })).to.deep.equal([]);
      const data = await listingPageData(pageRequest({ query: { specialty: 'cardiology', free: '1' } }), 'upcoming');
      expect(data.filters.specialtyOptions.find(o => o.selected)?.slug).to.equal('cardiology');
      expect(data.pastPath).to.equal('/seminars/past?specialty=cardiology&free=1');
      expect(data.calendarPath).to.equal('/seminars/calendar?specialty=cardiology&free=1');
    });

    it('reads a date range in the viewer\'s zone, and an all-day event on its own date', async () => {
      // 09:00 in Jakarta on 12 March is still 11 March in New York.
      await seminarOn(1, 11, { timezone: 'Asia/Jakarta' });
      await storeSeminar(2, { allDay: true, timezone: 'Asia/Jayapura', start: '2030-03-12', end: '2030-03-12', registrationDeadline: '' });
      const on12 = { from: '2030-03-12', to: '2030-03-12' };
      expect(tids(await listingPageData(pageRequest({ query: on12, zone: 'Asia/Jakarta' }), 'upcoming'))).to.deep.equal([2, 1]);
      expect(tids(await listingPageData(pageRequest({ query: on12, zone: 'America/New_York' }), 'upcoming'))).to.deep.equal([2]);
      expect(tids(await listingPageData(pageRequest({ query: { from: '2030-03-11', to: '2030-03-11' }, zone: 'America/New_York' }), 'upcoming'))).to.deep.equal([1]);
    });
  });

  describe('paging', () => {
    it('follows the next-page link through every seminar once, soonest first, keeping the filters', async () => {
      for (let tid = 1; tid <= 13; tid += 1) {
        await seminarOn(tid, (tid * 5) % 13, { type: tid === 7 ? 'webinar' : 'course' });
      }
      await seminarOn(20, 4, {}, CLOSED_CID);
      const seen: number[] = [];
      let query: Record<string, string> = { type: 'course' };
      let pages = 0;
      for (;;) {
        const data = await listingPageData(pageRequest({ query }), 'upcoming');
        seen.push(...tids(data));
        pages += 1;
        if (!data.nextPath || pages > 10) {
          break;
        }
        expect(data.nextPath).to.match(/^\/seminars\?type=course&after=/);
        query = queryOf(data.nextPath);
        expect(data.seminars.length).to.equal(5);
      }
      expect(pages).to.equal(3);
      expect(seen).to.have.length(12);
      expect(new Set(seen).size).to.equal(12);
      expect(seen).to.not.include(7).and.not.include(20);
      const order = seen.map(tid => (tid * 5) % 13);
      expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    });

    it('pages the archive newest first the same way', async () => {
      for (let tid = 1; tid <= 7; tid += 1) {
        await seminarOn(tid, tid);
      }
      listingClock.now = () => Date.UTC(2030, 5, 1);
      const first = await listingPageData(pageRequest(), 'past');
      expect(tids(first)).to.deep.equal([7, 6, 5, 4, 3]);
      expect(first.firstPath).to.equal('');
      const second = await listingPageData(pageRequest({ query: queryOf(first.nextPath) }), 'past');
      expect(tids(second)).to.deep.equal([2, 1]);
      expect(second.nextPath).to.equal('');
      expect(second.firstPath).to.equal('/seminars/past');
    });
  });

  describe('time zones', () => {
    it('shows the event\'s time and the viewer\'s, and names the viewer\'s zone (UTC until the cookie says otherwise)', async () => {
      await seminarOn(1, 11, { timezone: 'Asia/Jakarta' });
      const row = async (zone?: string) => {
        const data = await listingPageData(pageRequest(zone ? { zone } : {}), 'upcoming');
        return { zone: data.viewerZone, when: data.seminars[0]?.when };
      };
      const firstVisit = await row();
      expect(firstVisit.zone).to.equal('UTC');
      expect(firstVisit.when).to.include({ startLabel: '09:00 WIB', endLabel: '17:00 WIB', viewerLabel: '02:00', startDate: '2030-03-12' });
      expect(await row('Europe/Stockholm')).to.deep.include({ zone: 'Europe/Stockholm' });
      expect((await row('Europe/Stockholm')).when?.viewerLabel).to.equal('03:00');
      // New York is already on daylight time (10 March 2030) and a day behind.
      expect((await row('America/New_York')).when?.viewerLabel).to.equal('2030-03-11 22:00');
      expect((await row('Asia/Jakarta')).when?.viewerLabel).to.equal('');
      expect((await row('Not/AZone')).zone).to.equal('UTC');
    });

    for (const zone of ['America/New_York', 'Asia/Jayapura']) {
      it(`puts all-day events on their own dates in the grid for a viewer in ${zone}`, async () => {
        await storeSeminar(1, { allDay: true, timezone: 'Asia/Jayapura', start: '2030-03-12', end: '2030-03-12', registrationDeadline: '' });
        await storeSeminar(2, { allDay: true, timezone: 'America/New_York', start: '2030-03-12', end: '2030-03-12', registrationDeadline: '' });
        await storeSeminar(3, { allDay: true, timezone: 'Asia/Jayapura', start: '2030-03-30', end: '2030-04-01', registrationDeadline: '' });
        await storeSeminar(4, { allDay: true, timezone: 'Asia/Jayapura', start: '2030-04-01', end: '2030-04-01', registrationDeadline: '' });
        const march = await calendarPageData(pageRequest({ zone, params: { year: '2030', month: '3' } }));
        expect(march.viewerZone).to.equal(zone);
        expect(datesOf(march, 1)).to.deep.equal(['2030-03-12']);
        expect(datesOf(march, 2)).to.deep.equal(['2030-03-12']);
        // March 2030 ends on a Sunday, so its grid stops there; April's starts on Monday the 1st.
        expect(datesOf(march, 3)).to.deep.equal(['2030-03-30', '2030-03-31']);
        expect(datesOf(march, 4)).to.deep.equal([]);
        const april = await calendarPageData(pageRequest({ zone, params: { year: '2030', month: '4' } }));
        expect(datesOf(april, 3)).to.deep.equal(['2030-04-01']);
        expect(datesOf(april, 4)).to.deep.equal(['2030-04-01']);
        expect(datesOf(april, 1)).to.deep.equal([]);
      });
    }

    it('opens on the viewer\'s current month and links the months either side', async () => {
      // 1 January 2030 00:30 UTC is still 31 December 2029 in New York.
      listingClock.now = () => Date.UTC(2030, 0, 1, 0, 30);
      const ny = await calendarPageData(pageRequest({ zone: 'America/New_York', query: { type: 'course' } }));
      expect([ny.year, ny.month]).to.deep.equal([2029, 12]);
      expect(ny.prevPath).to.equal('/seminars/calendar/2029/11?type=course');
      expect(ny.nextPath).to.equal('/seminars/calendar/2030/1?type=course');
      const jakarta = await calendarPageData(pageRequest({ zone: 'Asia/Jakarta' }));
      expect([jakarta.year, jakarta.month]).to.deep.equal([2030, 1]);
    });
  });

  describe('what a viewer may do', () => {
    it('offers "Create a seminar" to verified physicians, organisers and admins only', async () => {
      const db = testDatabase();
      await db.setObject('physician-network:member:12', { verified: 1 });
      await db.setObject('settings:physician-network', { seminarsPageSize: 5, seminarsOrganiserGroup: 'Organisers' });
      await joinGroup(db, 13, 'Organisers');
      const canCreate = async (uid: number): Promise<boolean> => (await listingPageData(pageRequest({ uid }), 'upcoming')).canCreate;
      expect(await canCreate(GUEST)).to.equal(false);
      expect(await canCreate(MEMBER)).to.equal(false);
      expect(await canCreate(12)).to.equal(true);
      expect(await canCreate(13)).to.equal(true);
      expect(await canCreate(ADMIN)).to.equal(true);
    });

    it('shows the calendar subscription form to members only, with their saved choice', async () => {
      const db = testDatabase();
      expect((await listingPageData(pageRequest({ uid: GUEST }), 'upcoming')).feed).to.equal(null);
      await db.setObject(seminarKeys.feedMember(MEMBER), { specialties: 'cardiology,neurology', tokenHash: 'abc' });
      const feed = (await listingPageData(pageRequest({ uid: MEMBER }), 'upcoming')).feed;
      expect(feed).to.include({ hasToken: true, all: false });
      expect(feed?.specialties.filter(s => s.selected).map(s => s.slug)).to.deep.equal(['cardiology', 'neurology']);
      expect((await listingPageData(pageRequest({ uid: MEMBER }), 'past')).feed).to.equal(null);
    });
  });

  describe('templates', () => {
    it('render the listing: escaped titles, status marks, online or place, fee or free, the viewer\'s zone named', async () => {
      await submitSeminar({ ...topicFor(1), title: '<img src=x onerror=alert(1)> [[global:home]] ATLS' }, seminarForm({ start: day(2), end: day(2, 17), registrationDeadline: '', status: 'cancelled' }));
      await seminarOn(2, 3, { status: 'postponed', attendance: 'online', onlineUrl: 'https://meet.example.org/z', feeAmount: '', feeCurrency: '' });
      await storeSeminar(3, { allDay: true, timezone: 'Asia/Jayapura', start: '2030-03-20', end: '2030-03-22', registrationDeadline: '' });
      const { res, rendered } = capturingResponse();
      await renderUpcoming(pageRequest({ uid: MEMBER, zone: 'Europe/Amsterdam' }), res);
      const html = await renderPluginTemplate('seminars', { ...rendered[0]?.data, config: { relative_path: '/forum' } });
      expect(html, 'no template syntax left over').to.not.match(/\{\{\{|\{\.\/|<!-- IMPORT/);
      expect(html).to.not.contain('<img src=x');
      expect(html).to.not.contain('[[global:home]]');
      expect(html).to.contain('&lsqb;&lsqb;global:home&rsqb;&rsqb; ATLS');
      expect(html).to.contain('[[physician-network:seminars.list.your-zone, Europe/Amsterdam]]');
      expect(html).to.contain('href="/forum/topic/1/seminar-1"');
      expect(html).to.match(/data-tid="1"[\s\S]*text-bg-danger[^>]*>\[\[physician-network:seminars\.status\.cancelled\]\]/);
      expect(html).to.match(/data-tid="2"[\s\S]*text-bg-warning[^>]*>\[\[physician-network:seminars\.status\.postponed\]\]/);
      expect(html).to.contain('data-pn-amount="2500000" data-pn-currency="IDR"');
      expect(html).to.contain('[[physician-network:seminars.time-yours, 03:00]]');
      expect(html).to.contain('component="physician-network/seminar-feed-form"');
      expect(html).to.contain('href="/forum/seminars.ics"');
      const allDay = html.slice(html.indexOf('data-tid="3"'));
      expect(allDay).to.contain('data-pn-date="2030-03-20"').and.contain('data-pn-date="2030-03-22"').and.contain('[[physician-network:seminars.list.all-day]]');
      expect(allDay.slice(0, allDay.indexOf('</li>'))).to.not.contain('time-yours');
    });

    it('render the calendar and the widget forms', async () => {
      await seminarOn(1, 4);
      const { res, rendered } = capturingResponse();
      await renderCalendar(pageRequest({ params: { year: '2030', month: '3' } }), res);
      const html = await renderPluginTemplate('seminars-calendar', { ...rendered[0]?.data, config: { relative_path: '' } });
      expect(html, 'no template syntax left over').to.not.match(/\{\{\{|\{\.\/|<!-- IMPORT/);
      expect(html).to.match(/data-date="2030-03-05"[\s\S]*?data-tid="1"/);
      expect(html).to.contain('href="/seminars/calendar/2030/4"');
      expect(html).to.contain('data-pn-month="2030-03"');
      const [widget] = await addSeminarsWidget([]);
      expect(widget?.widget).to.equal(SEMINARS_WIDGET);
      expect(widget?.content).to.contain('name="count"').and.contain('value="cardiology"');
    });
  });

  describe('widget', () => {
    it('shows the next N the viewer may read, optionally in one specialty', async () => {
      for (let tid = 1; tid <= 8; tid += 1) {
        await seminarOn(tid, tid, { specialties: [tid % 2 ? 'cardiology' : 'neurology'] });
      }
      await seminarOn(9, 0, { specialties: ['all'] });
      const shown = (html: string | undefined): number[] => [...(html ?? '').matchAll(/data-tid="(\d+)"/g)].map(m => Number(m[1]));
      expect(shown((await renderSeminarsWidget({ uid: GUEST, data: { count: '3' } })).html)).to.deep.equal([9, 1, 2]);
      expect(shown((await renderSeminarsWidget({ uid: GUEST, data: { count: '3', specialty: 'neurology' } })).html)).to.deep.equal([9, 2, 4]);
      const all = await renderSeminarsWidget({ uid: GUEST, data: { count: 'lots', specialty: 'neurology' } });
      expect(shown(all.html)).to.have.length(5);
      // The page model escapes "=" in every string; the browser reads it back.
      expect(all.html).to.contain('href="/seminars?specialty&#61;neurology"');
    });

    it('reads its ACP settings safely', () => {
      const known = new Set(['cardiology']);
      expect(widgetSettings({ count: '7', specialty: 'cardiology' }, known)).to.deep.equal({ count: 7, specialty: 'cardiology' });
      expect(widgetSettings({ count: '500', specialty: 'x' }, known)).to.deep.equal({ count: 20, specialty: '' });
      expect(widgetSettings({ count: '-1' }, known)).to.deep.equal({ count: 5, specialty: '' });
      expect(widgetSettings({}, known)).to.deep.equal({ count: 5, specialty: '' });
    });
  });

  it('offers "Seminars" in the navigation editor', async () => {
    const entries = await addNavigationEntries([]);
    expect(entries.find(e => e.route === '/seminars')).to.include({ text: '[[physician-network:seminars.list.title]]' });
  });
});
