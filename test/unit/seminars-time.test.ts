import { expect } from 'chai';

import { type Seminar } from '../../lib/seminars/model';
import { describeSeminarTime, zoneAbbreviation, monthGrid, seminarDatesIn } from '../../lib/seminars/time';
import { validateSeminarInput } from '../../lib/seminars/validation';
import { seminarForm } from '../harness/seminars-fixtures';

const H = 3_600_000;

async function fieldsAt(timezone: string, start: string, end: string): Promise<{ start: number; end: number }> {
  const fields = await validateSeminarInput(seminarForm({ timezone, start, end, registrationDeadline: '' }));
  return { start: fields.start, end: fields.end };
}

function asSeminar(fields: Partial<Seminar>): Seminar {
  return { tid: 1, title: 'x', ...fields } as Seminar;
}

describe('seminars: time zones', () => {
  // Local wall-clock time in the event's zone → the UTC instant stored.
  const cases: [string, string, number][] = [
    // Indonesia, no daylight saving: UTC+7, +8, +9 all year.
    ['Asia/Jakarta', '2030-07-01T09:00', Date.UTC(2030, 6, 1, 2)],
    ['Asia/Makassar', '2030-07-01T09:00', Date.UTC(2030, 6, 1, 1)],
    ['Asia/Jayapura', '2030-07-01T09:00', Date.UTC(2030, 6, 1, 0)],
    ['Asia/Jayapura', '2030-01-01T00:30', Date.UTC(2029, 11, 31, 15, 30)],
    // Stockholm: clocks go 02:00 → 03:00 on 31 March 2030, back 03:00 → 02:00 on 27 October 2030.
    ['Europe/Stockholm', '2030-03-30T09:00', Date.UTC(2030, 2, 30, 8)],
    ['Europe/Stockholm', '2030-03-31T01:59', Date.UTC(2030, 2, 31, 0, 59)],
    ['Europe/Stockholm', '2030-03-31T03:00', Date.UTC(2030, 2, 31, 1)],
    ['Europe/Stockholm', '2030-03-31T09:00', Date.UTC(2030, 2, 31, 7)],
    // Amsterdam: back to CET on 27 October 2030.
    ['Europe/Amsterdam', '2030-10-26T09:00', Date.UTC(2030, 9, 26, 7)],
    ['Europe/Amsterdam', '2030-10-27T09:00', Date.UTC(2030, 9, 27, 8)],
    ['Europe/Amsterdam', '2030-10-27T03:30', Date.UTC(2030, 9, 27, 2, 30)],
    // New York: EST → EDT on 10 March 2030, back on 3 November 2030.
    ['America/New_York', '2030-03-10T01:30', Date.UTC(2030, 2, 10, 6, 30)],
    ['America/New_York', '2030-03-10T03:30', Date.UTC(2030, 2, 10, 7, 30)],
    ['America/New_York', '2030-11-02T09:00', Date.UTC(2030, 10, 2, 13)],
    ['America/New_York', '2030-11-03T09:00', Date.UTC(2030, 10, 3, 14)],
  ];
  for (const [zone, local, instant] of cases) {
    it(`${local} in ${zone} is ${new Date(instant).toISOString()}`, async () => {
      const { start } = await fieldsAt(zone, local, `${local.slice(0, 10)}T23:30`);
      expect(start).to.equal(instant);
    });
  }

  it('a wall-clock time that occurs twice (clocks back) takes the later, standard-time instant', async () => {
    const { start } = await fieldsAt('America/New_York', '2030-11-03T01:30', '2030-11-03T04:00');
    expect(start).to.equal(Date.UTC(2030, 10, 3, 6, 30));
    const stockholm = await fieldsAt('Europe/Stockholm', '2030-10-27T02:30', '2030-10-27T05:00');
    expect(stockholm.start).to.equal(Date.UTC(2030, 9, 27, 1, 30));
  });

  it('names the Indonesian zones WIB, WITA and WIT, and others by their common abbreviations', () => {
    const t = Date.UTC(2030, 0, 15, 12);
    const summer = Date.UTC(2030, 6, 15, 12);
    expect(zoneAbbreviation('Asia/Jakarta', t)).to.equal('WIB');
    expect(zoneAbbreviation('Asia/Makassar', t)).to.equal('WITA');
    expect(zoneAbbreviation('Asia/Jayapura', t)).to.equal('WIT');
    expect(zoneAbbreviation('Europe/Stockholm', t)).to.equal('CET');
    expect(zoneAbbreviation('Europe/Stockholm', summer)).to.equal('CEST');
    expect(zoneAbbreviation('Europe/Amsterdam', summer)).to.equal('CEST');
    expect(zoneAbbreviation('America/New_York', t)).to.equal('EST');
    expect(zoneAbbreviation('America/New_York', summer)).to.equal('EDT');
    expect(zoneAbbreviation('UTC', t)).to.equal('UTC');
    expect(zoneAbbreviation('Asia/Kolkata', t)).to.match(/^(IST|UTC\+5:30)$/);
  });

  it('shows "09:00 WIB (03:00 your time)" for a Jakarta seminar seen from Stockholm in winter', async () => {
    const seminar = asSeminar({ ...await fieldsAt('Asia/Jakarta', '2030-03-12T09:00', '2030-03-12T17:00'), timezone: 'Asia/Jakarta', allDay: false });
    const display = describeSeminarTime(seminar, 'Europe/Stockholm');
    expect(display.event.start?.label).to.equal('09:00 WIB');
    expect(display.viewer?.start.label).to.equal('03:00 CET');
    expect(display.viewer?.dayShift).to.equal(0);
    expect(display.label).to.equal('09:00 WIB ([[physician-network:seminars.time-yours, 03:00]])');
    expect(display.multiDay).to.equal(false);
    // The same seminar seen from Jakarta: no second time.
    const local = describeSeminarTime(seminar, 'Asia/Jakarta');
    expect(local.viewer).to.equal(null);
    expect(local.label).to.equal('09:00 WIB');
  });

  it('says when the viewer\'s day differs, and follows daylight saving for the viewer', async () => {
    const seminar = asSeminar({ ...await fieldsAt('Asia/Makassar', '2030-07-01T08:00', '2030-07-01T10:00'), timezone: 'Asia/Makassar', allDay: false });
    const display = describeSeminarTime(seminar, 'America/New_York');
    expect(display.event.start?.label).to.equal('08:00 WITA');
    expect(display.viewer?.start.label).to.equal('20:00 EDT');
    expect(display.viewer?.start.date).to.equal('2030-06-30');
    expect(display.viewer?.dayShift).to.equal(-1);
  });

  it('falls back to UTC for a viewer zone that does not exist', async () => {
    const seminar = asSeminar({ ...await fieldsAt('Asia/Jayapura', '2030-07-01T09:00', '2030-07-01T10:00'), timezone: 'Asia/Jayapura', allDay: false });
    expect(describeSeminarTime(seminar, 'Mars/Olympus').viewer?.start.label).to.equal('00:00 UTC');
  });

  it('never moves an all-day event off its dates, in any viewer zone', async () => {
    const fields = await validateSeminarInput(seminarForm({ allDay: true, timezone: 'Asia/Jayapura', start: '2030-03-12', end: '2030-03-14', registrationDeadline: '' }));
    const seminar = asSeminar(fields);
    for (const viewer of ['America/New_York', 'Asia/Jayapura', 'Europe/Amsterdam', 'Pacific/Honolulu', 'Pacific/Kiritimati']) {
      const display = describeSeminarTime(seminar, viewer);
      expect(display.allDay).to.equal(true);
      expect(display.viewer).to.equal(null);
      expect([display.startDate, display.endDate]).to.deep.equal(['2030-03-12', '2030-03-14']);
      expect(seminarDatesIn(seminar, viewer)).to.deep.equal(['2030-03-12', '2030-03-13', '2030-03-14']);
    }
    expect(describeSeminarTime(seminar, 'UTC').multiDay).to.equal(true);
  });

  it('gives a multi-day timed event every local day it covers; an end at midnight belongs to the day before', async () => {
    const seminar = asSeminar({ ...await fieldsAt('Europe/Amsterdam', '2030-10-26T09:00', '2030-10-28T00:00'), timezone: 'Europe/Amsterdam', allDay: false });
    const display = describeSeminarTime(seminar, 'Europe/Amsterdam');
    expect(display.multiDay).to.equal(true);
    expect([display.startDate, display.endDate]).to.deep.equal(['2030-10-26', '2030-10-27']);
    expect(seminarDatesIn(seminar, 'Europe/Amsterdam')).to.deep.equal(['2030-10-26', '2030-10-27']);
    expect(seminar.end - seminar.start).to.equal(40 * H); // 39 wall-clock hours plus the hour gained
  });

  it('draws a month grid in whole weeks with each seminar on its days', async () => {
    const allDay = asSeminar({ ...await validateSeminarInput(seminarForm({ allDay: true, timezone: 'Asia/Jayapura', start: '2030-03-30', end: '2030-04-01', registrationDeadline: '' })), tid: 7, title: 'Congress' });
    const timed = asSeminar({ ...await fieldsAt('Asia/Jakarta', '2030-03-12T06:00', '2030-03-12T08:00'), timezone: 'Asia/Jakarta', allDay: false, tid: 8, title: 'ACLS', status: 'scheduled' });
    const grid = monthGrid(2030, 3, 'America/New_York', [timed, allDay], { today: Date.UTC(2030, 2, 12, 15) });
    const days = grid.weeks.flatMap(week => week.days);
    expect(grid.weeks.every(week => week.days.length === 7)).to.equal(true);
    expect(days[0]?.date).to.equal('2030-02-25'); // 1 March 2030 is a Friday; weeks start on Monday
    expect(days.filter(day => day.inMonth).length).to.equal(31);
    const on = (date: string): number[] => days.find(day => day.date === date)?.seminars.map(s => s.tid) ?? [];
    // 06:00 WIB on the 12th is 19:00 on the 11th in New York.
    expect(on('2030-03-11')).to.deep.equal([8]);
    expect(on('2030-03-12')).to.deep.equal([]);
    expect(on('2030-03-30')).to.deep.equal([7]);
    expect(on('2030-03-31')).to.deep.equal([7]);
    expect(days.find(day => day.date === '2030-03-31')?.seminars[0]?.continued).to.equal(true);
    expect(days.find(day => day.isToday)?.date).to.equal('2030-03-12');
    // 31 March 2030 is a Sunday: the grid ends there.
    expect(days[days.length - 1]?.date).to.equal('2030-03-31');
    const april = monthGrid(2030, 4, 'Asia/Jayapura', [allDay]).weeks.flatMap(week => week.days);
    expect(april.find(day => day.date === '2030-04-01')?.seminars.map(s => s.tid)).to.deep.equal([7]);
    expect(april[0]?.date).to.equal('2030-04-01');
  });
});
