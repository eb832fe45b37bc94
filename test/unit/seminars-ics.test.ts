import { expect } from 'chai';
import ICAL from 'ical.js';

import { regenerateFeedToken, revokeFeedToken, resolveFeedToken, setFeedSpecialties, feedIcsForToken, publicFeedIcs, hasFeedToken } from '../../lib/seminars/feed';
import { seminarIcs, seminarsToIcs, seminarUid } from '../../lib/seminars/ics';
import { type Seminar } from '../../lib/seminars/model';
import { submitSeminar, cancelAndNotify } from '../../lib/seminars/save';
import { requireSeminar } from '../../lib/seminars/store';
import { testDatabase } from '../harness/root-hooks';
import { provideSeminarStandIns, grantToGroup, joinGroup } from '../harness/seminars-stand-ins';
import { seminarForm, storeSeminar, topicFor } from '../harness/seminars-fixtures';
import { keys as seminarKeys } from '../../lib/seminars/keys';

const BASE = 'https://forum.example.org';
const options = { baseUrl: BASE, calendarName: 'Seminars', now: Date.UTC(2029, 0, 1) };

interface ParsedEvent {
  uid: string;
  start: ICAL.Time;
  end: ICAL.Time;
  status: string;
  url: string;
  sequence: number;
}

function parseEvents(ics: string): ParsedEvent[] {
  const jcal = ICAL.parse(ics) as unknown[];
  const calendar = new ICAL.Component(jcal);
  expect(calendar.name).to.equal('vcalendar');
  expect(calendar.getFirstPropertyValue('version')).to.equal('2.0');
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      start: event.startDate,
      end: event.endDate,
      status: String(component.getFirstPropertyValue('status')),
      url: String(component.getFirstPropertyValue('url')),
      sequence: Number(component.getFirstPropertyValue('sequence')),
    };
  });
}

const zonedCases: [string, string, string][] = [
  ['Europe/Stockholm', '2030-03-31T03:00', '2030-03-31T04:30'],
  ['Europe/Stockholm', '2030-10-27T09:00', '2030-10-27T10:00'],
  ['Europe/Amsterdam', '2030-03-30T22:00', '2030-03-31T04:00'], // across the switch
  ['Europe/Amsterdam', '2030-10-27T01:00', '2030-10-27T05:00'],
  ['America/New_York', '2030-03-10T01:00', '2030-03-10T04:00'],
  ['America/New_York', '2030-11-03T00:30', '2030-11-03T03:30'],
  ['Asia/Jakarta', '2030-07-01T09:00', '2030-07-01T17:00'],
  ['Asia/Makassar', '2030-07-01T09:00', '2030-07-01T17:00'],
  ['Asia/Jayapura', '2030-07-01T09:00', '2030-07-01T17:00'],
];

describe('seminars: iCalendar and feeds', () => {
  before(() => { provideSeminarStandIns(testDatabase()); });
  beforeEach(async () => {
    const db = testDatabase();
    await db.flushAll();
    // Category 1 is open to guests and members; category 2 only to the group "surgeons".
    await grantToGroup(db, 1, 'topics:read', 'guests');
    await grantToGroup(db, 1, 'topics:read', 'registered-users');
    await grantToGroup(db, 2, 'topics:read', 'surgeons');
    for (const uid of [10, 11]) {
      await joinGroup(db, uid, 'registered-users');
    }
    await joinGroup(db, 11, 'surgeons');
  });

  it('writes exact UTC instants that an independent parser reads back, in zones with and without DST', async () => {
    const seminars: Seminar[] = [];
    for (const [index, [timezone, start, end]] of zonedCases.entries()) {
      seminars.push(await storeSeminar(100 + index, { timezone, start, end, registrationDeadline: '' }));
    }
    const events = parseEvents(seminarsToIcs(seminars, options));
    expect(events).to.have.length(zonedCases.length);
    for (const seminar of seminars) {
      const event = events.find(e => e.uid === seminarUid(seminar.tid, BASE));
      expect(event, `event ${seminar.tid}`).to.not.equal(undefined);
      expect(event?.start.isDate).to.equal(false);
      expect(event?.start.zone.tzid).to.equal('UTC');
      expect((event?.start.toUnixTime() ?? 0) * 1000).to.equal(seminar.start);
      expect((event?.end.toUnixTime() ?? 0) * 1000).to.equal(seminar.end);
    }
    // Spot checks against hand-computed instants: 03:00 CEST on the switch day is 01:00 UTC.
    expect(events[0]?.start.toString()).to.equal('2030-03-31T01:00:00Z');
    // 22:00 CET → 04:00 CEST the next morning is five real hours, not six.
    expect((events[2]?.end.toUnixTime() ?? 0) - (events[2]?.start.toUnixTime() ?? 0)).to.equal(5 * 3600);
    expect(events[6]?.start.toString()).to.equal('2030-07-01T02:00:00Z');
    expect(events[8]?.start.toString()).to.equal('2030-07-01T00:00:00Z');
  });

  it('writes all-day events as dates, end exclusive, unchanged by any zone', async () => {
    const seminar = await storeSeminar(7, { allDay: true, timezone: 'Asia/Jayapura', start: '2030-03-12', end: '2030-03-14', registrationDeadline: '' });
    const ics = seminarIcs(seminar, options);
    expect(ics).to.contain('DTSTART;VALUE=DATE:20300312');
    const [event] = parseEvents(ics);
    expect(event?.start.isDate).to.equal(true);
    expect(event?.start.toString()).to.equal('2030-03-12');
    expect(event?.end.toString()).to.equal('2030-03-15');
  });

  it('keeps a stable UID, links the topic, raises SEQUENCE on change and keeps cancelled seminars as CANCELLED', async () => {
    const first = await storeSeminar(9);
    const [before] = parseEvents(seminarIcs(first, options));
    expect(before?.uid).to.equal('seminar-9@forum.example.org');
    expect(before?.url).to.equal(`${BASE}/topic/9/seminar-9`);
    expect(before?.status).to.equal('CONFIRMED');
    await cancelAndNotify(9);
    const [after] = parseEvents(seminarIcs(await requireSeminar(9), options));
    expect(after?.uid).to.equal(before?.uid);
    expect(after?.status).to.equal('CANCELLED');
    expect(after?.sequence).to.be.greaterThan(before?.sequence ?? 0);
  });

  it('gives each member a secret feed token; regenerating revokes the old one at once', async () => {
    expect(await hasFeedToken(10)).to.equal(false);
    const first = await regenerateFeedToken(10);
    expect(first).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(await resolveFeedToken(first)).to.deep.equal({ uid: 10, specialties: 'all' });
    // Only a hash is stored: the token itself appears nowhere in the database.
    expect(JSON.stringify(await testDatabase().getObject(seminarKeys.feedMember(10)))).to.not.contain(first);

    const second = await regenerateFeedToken(10);
    expect(second).to.not.equal(first);
    expect(await resolveFeedToken(first)).to.equal(null);
    expect(await resolveFeedToken(second)).to.deep.equal({ uid: 10, specialties: 'all' });
    expect(await feedIcsForToken(first, options)).to.equal(null);

    await revokeFeedToken(10);
    expect(await resolveFeedToken(second)).to.equal(null);
    expect(await resolveFeedToken('not-a-token')).to.equal(null);
    expect(await resolveFeedToken(undefined)).to.equal(null);
  });

  it('a revoked token stays dead even if its old lookup survived (a crash mid-regeneration)', async () => {
    const first = await regenerateFeedToken(10);
    const lookup = Object.keys(await testDatabase().getObject(seminarKeys.feedMember(10)) ?? {});
    expect(lookup).to.include('tokenHash');
    const oldHash = String(await testDatabase().getObjectField(seminarKeys.feedMember(10), 'tokenHash'));
    await regenerateFeedToken(10);
    // Put the old lookup back, as if its deletion never happened.
    await testDatabase().setObject(seminarKeys.feedToken(oldHash), { uid: 10 });
    expect(await resolveFeedToken(first)).to.equal(null);
  });

  it('feeds carry only seminars the member may read, in the chosen specialties, cancelled ones included', async () => {
    const now = Date.UTC(2030, 0, 1);
    await storeSeminar(1, { specialties: ['surgery'] }, 1);
    await storeSeminar(2, { specialties: ['surgery'] }, 2); // closed category
    await storeSeminar(3, { specialties: ['cardiology'] }, 1);
    await storeSeminar(4, { specialties: ['all'] }, 1);
    await submitSeminar(topicFor(5, 1), seminarForm({ specialties: ['surgery'], start: '2030-04-01T09:00', end: '2030-04-01T10:00' }));
    await cancelAndNotify(5);
    const uidsIn = (ics: string): string[] => parseEvents(ics).map(e => e.uid.replace(/^seminar-(\d+)@.*$/, '$1')).sort();

    const member = await regenerateFeedToken(10);
    const surgeon = await regenerateFeedToken(11);
    expect(uidsIn(await feedIcsForToken(member, { ...options, now }) ?? '')).to.deep.equal(['1', '3', '4', '5']);
    expect(uidsIn(await feedIcsForToken(surgeon, { ...options, now }) ?? '')).to.deep.equal(['1', '2', '3', '4', '5']);

    await setFeedSpecialties(11, ['surgery']);
    const surgeryFeed = await feedIcsForToken(surgeon, { ...options, now }) ?? '';
    expect(uidsIn(surgeryFeed)).to.deep.equal(['1', '2', '4', '5']);
    expect(parseEvents(surgeryFeed).find(e => e.uid.startsWith('seminar-5@'))?.status).to.equal('CANCELLED');

    // Guests: the public feed leaves out the closed category.
    expect(uidsIn(await publicFeedIcs('all', { ...options, now }))).to.deep.equal(['1', '3', '4', '5']);
  });
});
