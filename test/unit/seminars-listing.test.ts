import { expect } from 'chai';

import { seminarJsonLd, jsonLdScriptBody } from '../../lib/seminars/jsonld';
import { listUpcoming, listPast, listBetween, listMonth, listSeminars, type SeminarFilters } from '../../lib/seminars/listing';
import { type Seminar } from '../../lib/seminars/model';
import { canViewSeminar } from '../../lib/seminars/policy';
import { setRsvp } from '../../lib/seminars/rsvp';
import { submitSeminar } from '../../lib/seminars/save';
import { requireSeminar, getSeminar, deleteSeminar, updateSeminarTopic } from '../../lib/seminars/store';
import { seminarView, upcomingForWidget, seminarPageSize } from '../../lib/seminars/view';
import { testDatabase } from '../harness/root-hooks';
import { provideSeminarStandIns, grantToGroup, joinGroup, privilegeCalls } from '../harness/seminars-stand-ins';
import { seminarForm, storeSeminar, topicFor } from '../harness/seminars-fixtures';
import { keys as seminarKeys } from '../../lib/seminars/keys';

const NOW = Date.UTC(2030, 0, 1);
const GUEST = 0;
const MEMBER = 10;
const SURGEON = 11;
const ADMIN = 1;

function day(n: number, hour = 9): string {
  const date = new Date(Date.UTC(2030, 2, 1 + n));
  return `${date.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

async function seminarOn(tid: number, n: number, overrides: Record<string, unknown> = {}, cid = 1): Promise<Seminar> {
  return storeSeminar(tid, { start: day(n), end: day(n, 17), registrationDeadline: '', ...overrides }, cid);
}

async function allPages(filters: SeminarFilters, uid: number, limit: number): Promise<number[][]> {
  const pages: number[][] = [];
  let cursor: string | null = null;
  do {
    const page = await listUpcoming(filters, { uid, limit, cursor, now: NOW });
    pages.push(page.seminars.map(s => s.tid));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe('seminars: storage, listings and privileges', () => {
  before(() => { provideSeminarStandIns(testDatabase()); });
  beforeEach(async () => {
    const db = testDatabase();
    await db.flushAll();
    await grantToGroup(db, 1, 'topics:read', 'guests');
    await grantToGroup(db, 1, 'topics:read', 'registered-users');
    await grantToGroup(db, 2, 'topics:read', 'surgeons');
    await joinGroup(db, MEMBER, 'registered-users');
    await joinGroup(db, SURGEON, 'registered-users');
    await joinGroup(db, SURGEON, 'surgeons');
    await joinGroup(db, ADMIN, 'administrators');
  });

  it('lists upcoming seminars soonest first, paged by cursor with nothing lost or repeated', async () => {
    for (let i = 1; i <= 23; i += 1) {
      await seminarOn(i, (i * 7) % 23); // stored out of order
    }
    const pages = await allPages({}, MEMBER, 5);
    expect(pages.map(p => p.length)).to.deep.equal([5, 5, 5, 5, 3]);
    const tids = pages.flat();
    expect(new Set(tids).size).to.equal(23);
    const starts = (await Promise.all(tids.map(getSeminar))).map(s => s?.start ?? 0);
    expect(starts).to.deep.equal([...starts].sort((a, b) => a - b));
  });

  it('keeps paging exact when several seminars share a start', async () => {
    for (let tid = 1; tid <= 12; tid += 1) {
      await seminarOn(tid, 3);
    }
    const pages = await allPages({}, MEMBER, 5);
    expect(pages.flat().sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('filters by specialty (with "all"), type, country, city, online, credits, free and dates', async () => {
    await seminarOn(1, 1, { specialties: ['surgery'], type: 'workshop' });
    await seminarOn(2, 2, { specialties: ['all'], attendance: 'online', onlineUrl: 'https://meet.example.org/x', creditsAmount: '' });
    await seminarOn(3, 3, { specialties: ['cardiology'], city: 'Stockholm', country: 'SE', timezone: 'Europe/Stockholm', feeAmount: '', feeCurrency: '' });
    await seminarOn(4, 4, { specialties: ['surgery', 'cardiology'], attendance: 'hybrid', onlineUrl: 'https://meet.example.org/y', creditsAmount: '0' });
    const tids = async (filters: SeminarFilters): Promise<number[]> => (await listUpcoming(filters, { uid: MEMBER, limit: 20, now: NOW })).seminars.map(s => s.tid);
    expect(await tids({ specialty: 'surgery' })).to.deep.equal([1, 2, 4]);
    expect(await tids({ specialty: 'cardiology' })).to.deep.equal([2, 3, 4]);
    expect(await tids({ type: 'workshop' })).to.deep.equal([1]);
    expect(await tids({ country: 'se' })).to.deep.equal([3]);
    expect(await tids({ city: 'YOGYAKARTA' })).to.deep.equal([1, 4]);
    expect(await tids({ online: true })).to.deep.equal([2, 4]);
    expect(await tids({ credits: true })).to.deep.equal([1, 3]);
    expect(await tids({ free: true })).to.deep.equal([3]);
    expect(await tids({ specialty: 'surgery', online: true, credits: false })).to.deep.equal([2, 4]);
    expect(await tids({ specialty: 'cardiology', country: 'ID' })).to.deep.equal([4]);
    const between = await listBetween({}, Date.UTC(2030, 2, 4), Date.UTC(2030, 2, 5, 23), { uid: MEMBER, limit: 10 });
    expect(between.seminars.map(s => s.tid)).to.deep.equal([3, 4]);
  });

  it('shows each viewer only seminars in categories they may read, and keeps pages full', async () => {
    // 30 closed-category seminars come first, then 6 open ones.
    for (let i = 1; i <= 30; i += 1) {
      await seminarOn(100 + i, 1, {}, 2);
    }
    for (let i = 1; i <= 6; i += 1) {
      await seminarOn(i, 2 + i, {}, 1);
    }
    const guestPage = await listUpcoming({}, { uid: GUEST, limit: 5, now: NOW });
    expect(guestPage.seminars.map(s => s.tid)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(guestPage.nextCursor).to.be.a('string');
    const rest = await listUpcoming({}, { uid: GUEST, limit: 5, now: NOW, cursor: guestPage.nextCursor });
    expect(rest.seminars.map(s => s.tid)).to.deep.equal([6]);
    expect(rest.nextCursor).to.equal(null);

    const surgeonPage = await listUpcoming({}, { uid: SURGEON, limit: 5, now: NOW });
    expect(surgeonPage.seminars.every(s => s.cid === 2)).to.equal(true);
    expect((await allPages({}, SURGEON, 10)).flat()).to.have.length(36);
    expect((await allPages({}, ADMIN, 10)).flat()).to.have.length(36);
    expect((await allPages({}, MEMBER, 10)).flat()).to.have.length(6);

    const closed = await requireSeminar(101);
    expect(await canViewSeminar(closed, GUEST)).to.equal(false);
    expect(await canViewSeminar(closed, SURGEON)).to.equal(true);
    // A disabled category is hidden from everyone, admins included (as NodeBB does).
    await testDatabase().setObject('category:1', { disabled: 1 });
    expect((await listUpcoming({}, { uid: ADMIN, limit: 50, now: NOW })).seminars.every(s => s.cid === 2)).to.equal(true);
  });

  it('asks for privileges once per batch of seminars, not once per seminar', async () => {
    for (let i = 1; i <= 15; i += 1) {
      await seminarOn(i, i, {}, 1 + (i % 2));
    }
    privilegeCalls.filterCids = 0;
    await listUpcoming({}, { uid: SURGEON, limit: 10, now: NOW });
    expect(privilegeCalls.filterCids).to.equal(1);
  });

  it('reads a page with the same number of database round trips for 40 or 400 seminars', async () => {
    const db = testDatabase();
    const seed = async (count: number): Promise<void> => {
      for (let tid = 1; tid <= count; tid += 1) {
        // Straight to the indexes, as the benchmark does: the listing under test is what matters.
        const seminar = await getSeminar(1);
        await db.setObject(seminarKeys.seminar(tid), { ...Object.fromEntries(Object.entries(await db.getObject(seminarKeys.seminar(1)) ?? {})), tid, start: (seminar?.start ?? 0) + tid * 60_000 });
        await db.sortedSetsAdd([seminarKeys.index.all, seminarKeys.index.specialty('emergency-medicine')], (seminar?.start ?? 0) + tid * 60_000, String(tid));
      }
    };
    const trips = async (): Promise<number> => {
      const before = db.roundTrips;
      const page = await listUpcoming({ specialty: 'emergency-medicine' }, { uid: MEMBER, limit: 10, now: NOW });
      expect(page.seminars).to.have.length(10);
      return db.roundTrips - before;
    };
    await seminarOn(1, 1);
    await seed(40);
    const small = await trips();
    await seed(400);
    expect(await trips()).to.equal(small);
  });

  it('lists the past newest first, and a month with events running into it', async () => {
    await seminarOn(1, 1);
    await seminarOn(2, 5);
    await seminarOn(3, 40, { end: day(45, 17) }); // into April
    await storeSeminar(4, { allDay: true, timezone: 'Asia/Jayapura', start: '2030-04-30', end: '2030-05-02', registrationDeadline: '' });
    const past = await listPast({}, { uid: MEMBER, limit: 10, now: Date.UTC(2030, 2, 20) });
    expect(past.seminars.map(s => s.tid)).to.deep.equal([2, 1]);
    const april = await listMonth(2030, 4, 'America/New_York', {}, { uid: MEMBER });
    expect(april.map(s => s.tid)).to.deep.equal([3, 4]);
    const may = await listMonth(2030, 5, 'Asia/Jakarta', {}, { uid: MEMBER });
    expect(may.map(s => s.tid)).to.deep.equal([4]);
  });

  it('moves a seminar between indexes when it changes, and ignores a stale index entry', async () => {
    await seminarOn(1, 1, { specialties: ['surgery'] });
    await seminarOn(1, 2, { specialties: ['cardiology'] });
    const db = testDatabase();
    expect(await db.isSortedSetMember(seminarKeys.index.specialty('surgery'), '1')).to.equal(false);
    expect(await db.isSortedSetMember(seminarKeys.index.specialty('cardiology'), '1')).to.equal(true);
    // As if a racing update left the old entry behind:
    await db.sortedSetAdd(seminarKeys.index.specialty('surgery'), 5, '1');
    expect((await listSeminars({ specialty: 'surgery', order: 'asc' }, { uid: MEMBER, limit: 10 })).seminars).to.deep.equal([]);
  });

  it('concurrent saves of one seminar leave exactly its final indexes', async () => {
    const specialties = Array.from({ length: 10 }, (_v, i) => `specialty-${i}`);
    await Promise.all(specialties.map(async (specialty, i) => seminarOn(1, 1 + i, { specialties: [specialty] })));
    const final = await requireSeminar(1);
    expect(final.sequence).to.equal(9);
    const db = testDatabase();
    const memberOf = await Promise.all(specialties.map(async specialty => db.isSortedSetMember(seminarKeys.index.specialty(specialty), '1')));
    expect(specialties.filter((_s, i) => memberOf[i])).to.deep.equal(final.specialties);
    expect(await db.sortedSetScore(seminarKeys.index.all, '1')).to.equal(final.start);
  });

  it('a deleted topic hides its seminar; restoring and moving keep the indexes right', async () => {
    await seminarOn(1, 1);
    await updateSeminarTopic(1, { hidden: true });
    expect((await listUpcoming({}, { uid: ADMIN, limit: 10, now: NOW })).seminars).to.deep.equal([]);
    await updateSeminarTopic(1, { hidden: false, cid: 2 });
    expect((await listUpcoming({}, { uid: MEMBER, limit: 10, now: NOW })).seminars).to.deep.equal([]);
    expect((await listUpcoming({}, { uid: SURGEON, limit: 10, now: NOW })).seminars.map(s => s.tid)).to.deep.equal([1]);
    expect(await testDatabase().isSortedSetMember(seminarKeys.index.category(1), '1')).to.equal(false);
    expect(await testDatabase().isSortedSetMember(seminarKeys.index.category(2), '1')).to.equal(true);
  });

  it('purging the topic purges the seminar, its indexes and its RSVPs', async () => {
    await seminarOn(1, 1, { specialties: ['surgery'], attendance: 'hybrid', onlineUrl: 'https://meet.example.org/z', feeAmount: '' });
    await setRsvp(1, MEMBER, 'going', NOW);
    await seminarOn(2, 2);
    await deleteSeminar(1);
    expect(await getSeminar(1)).to.equal(null);
    const db = testDatabase();
    for (const key of [seminarKeys.index.all, seminarKeys.index.specialty('surgery'), seminarKeys.index.online, seminarKeys.index.free, seminarKeys.index.credits, seminarKeys.index.type('course'), seminarKeys.index.country('ID'), seminarKeys.index.category(1), seminarKeys.index.city('yogyakarta')]) {
      expect(await db.isSortedSetMember(key, '1'), key).to.equal(false);
    }
    expect(await db.exists([seminarKeys.going(1), seminarKeys.memberRsvps(MEMBER)])).to.deep.equal([false, false]);
    expect((await listUpcoming({}, { uid: MEMBER, limit: 10, now: NOW })).seminars.map(s => s.tid)).to.deep.equal([2]);
  });

  it('builds schema.org Event JSON-LD with attendance mode, status and locations', async () => {
    const hybrid = (await submitSeminar(topicFor(3), seminarForm({ attendance: 'hybrid', onlineUrl: 'https://meet.example.org/a', status: 'postponed', capacity: '40' }))).seminar;
    const data = seminarJsonLd(hybrid, { baseUrl: 'https://forum.example.org' });
    expect(data['@type']).to.equal('EducationEvent');
    expect(data.eventAttendanceMode).to.equal('https://schema.org/MixedEventAttendanceMode');
    expect(data.eventStatus).to.equal('https://schema.org/EventPostponed');
    expect(data.startDate).to.equal('2030-03-12T09:00:00+07:00');
    expect(data.location).to.deep.equal([
      { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: 'Yogyakarta', addressCountry: 'ID' }, name: 'RSUP Dr. Sardjito' },
      { '@type': 'VirtualLocation', url: 'https://meet.example.org/a' },
    ]);
    expect(data.offers).to.deep.include({ price: 2500000, priceCurrency: 'IDR' });
    expect(data.maximumAttendeeCapacity).to.equal(40);
    const online = (await submitSeminar({ ...topicFor(4), title: '</script><b>x' }, seminarForm({ type: 'webinar', attendance: 'online', onlineUrl: 'https://meet.example.org/b', status: 'cancelled' }))).seminar;
    const onlineData = seminarJsonLd(online, { baseUrl: 'https://forum.example.org' });
    expect(onlineData['@type']).to.equal('Event');
    expect(onlineData.eventAttendanceMode).to.equal('https://schema.org/OnlineEventAttendanceMode');
    expect(onlineData.eventStatus).to.equal('https://schema.org/EventCancelled');
    expect(onlineData.location).to.deep.equal({ '@type': 'VirtualLocation', url: 'https://meet.example.org/b' });
    const body = jsonLdScriptBody(onlineData);
    expect(body).to.not.contain('</script>');
    expect(JSON.parse(body)).to.deep.equal(onlineData);
  });

  it('gives templates a view with translated labels and both times, and feeds the widget', async () => {
    const seminar = await seminarOn(1, 1, { specialties: ['all'], capacity: '30' });
    await seminarOn(2, 2, { specialties: ['surgery'] });
    await seminarOn(3, 3, { specialties: ['cardiology'] }, 2);
    const view = seminarView(seminar, 'Europe/Amsterdam');
    expect(view).to.deep.include({
      path: '/topic/1/seminar-1', typeLabel: '[[physician-network:seminars.type.course]]',
      statusLabel: '[[physician-network:seminars.status.scheduled]]', place: 'RSUP Dr. Sardjito, Yogyakarta',
      forAllSpecialties: true, fee: '2500000 IDR', credits: '12', capacity: 30, isOnline: false,
    });
    expect(view.time.event.start?.label).to.equal('09:00 WIB');
    expect(view.time.viewer?.start.label).to.equal('03:00 CET');
    expect((await upcomingForWidget(GUEST, { specialty: 'surgery', count: 5, now: NOW })).map(s => s.tid)).to.deep.equal([1, 2]);
    expect((await upcomingForWidget(SURGEON, { count: 2, now: NOW })).map(s => s.tid)).to.deep.equal([1, 2]);
    expect(await seminarPageSize()).to.equal(20);
  });
});
