import { expect } from 'chai';

import { submitSeminar } from '../../lib/seminars/save';
import { getSeminar } from '../../lib/seminars/store';
import { validateSeminarInput, SEMINAR_LIMITS } from '../../lib/seminars/validation';
import { testDatabase } from '../harness/root-hooks';
import { provideSeminarStandIns } from '../harness/seminars-stand-ins';
import { seminarForm, topicFor } from '../harness/seminars-fixtures';
import { refusal } from '../harness/refusal';
import { keys as seminarKeys } from '../../lib/seminars/keys';

async function refusedKey(overrides: Record<string, unknown>): Promise<string> {
  return (await refusal(validateSeminarInput(seminarForm(overrides)))).key;
}

describe('seminars: validation', () => {
  before(() => { provideSeminarStandIns(testDatabase()); });
  beforeEach(async () => { await testDatabase().flushAll(); });

  it('accepts a full form and normalises it to instants, codes and numbers', async () => {
    const fields = await validateSeminarInput(seminarForm({ country: 'id', feeCurrency: 'idr', language: 'EN-gb', specialties: 'Emergency-Medicine, surgery' }));
    expect(fields.start).to.equal(Date.UTC(2030, 2, 12, 2, 0)); // 09:00 WIB = 02:00 UTC
    expect(fields.end).to.equal(Date.UTC(2030, 2, 12, 10, 0));
    expect(fields.timezone).to.equal('Asia/Jakarta');
    expect(fields.country).to.equal('ID');
    expect(fields.feeCurrency).to.equal('IDR');
    expect(fields.feeAmount).to.equal(2500000);
    expect(fields.free).to.equal(false);
    expect(fields.creditsAmount).to.equal(12);
    expect(fields.language).to.equal('en-GB');
    expect(fields.specialties).to.deep.equal(['emergency-medicine', 'surgery']);
    // A date-only deadline means the end of that day in the event's zone.
    expect(fields.registrationDeadline).to.equal(Date.UTC(2030, 2, 1, 16, 59, 59, 999));
    expect(fields.capacity).to.equal(0);
  });

  it('keeps all-day events as local dates, end inclusive', async () => {
    const fields = await validateSeminarInput(seminarForm({ allDay: 'on', timezone: 'Asia/Jayapura', start: '2030-03-12', end: '2030-03-14', registrationDeadline: '' }));
    expect(fields.allDay).to.equal(true);
    expect(fields.startDate).to.equal('2030-03-12');
    expect(fields.endDate).to.equal('2030-03-14');
    expect(fields.start).to.equal(Date.UTC(2030, 2, 11, 15, 0)); // midnight WIT = 15:00 UTC the day before
    expect(fields.end).to.equal(Date.UTC(2030, 2, 14, 15, 0));
  });

  it('"all" specialties and free events', async () => {
    const fields = await validateSeminarInput(seminarForm({ specialties: ['surgery', 'all'], feeAmount: '', feeCurrency: '' }));
    expect(fields.specialties).to.deep.equal(['all']);
    expect(fields.free).to.equal(true);
    expect(fields.feeCurrency).to.equal('');
  });

  const rules: [string, Record<string, unknown>, string][] = [
    ['the end before the start', { end: '2030-03-12T08:00' }, 'error.seminars-end-before-start'],
    ['the end equal to the start', { end: '2030-03-12T09:00' }, 'error.seminars-end-before-start'],
    ['an all-day end before its start', { allDay: true, start: '2030-03-12', end: '2030-03-11', registrationDeadline: '' }, 'error.seminars-end-before-start'],
    ['an unknown time zone', { timezone: 'Asia/Atlantis' }, 'error.seminars-timezone-unknown'],
    ['a fixed offset instead of a zone', { timezone: '+07:00' }, 'error.seminars-timezone-unknown'],
    ['a time skipped by daylight saving', { timezone: 'Europe/Stockholm', start: '2030-03-31T02:30', end: '2030-03-31T05:00', registrationDeadline: '' }, 'error.seminars-time-not-in-zone'],
    ['an unreadable start', { start: 'next tuesday' }, 'error.seminars-start-invalid'],
    ['an impossible date', { start: '2030-02-30T09:00' }, 'error.seminars-start-invalid'],
    ['an event longer than the limit', { end: '2030-09-12T09:00' }, 'error.seminars-duration-too-long'],
    ['a javascript: registration URL', { registrationUrl: 'javascript:alert(1)' }, 'error.seminars-url-not-http'],
    ['an ftp online URL', { attendance: 'online', onlineUrl: 'ftp://example.org/x' }, 'error.seminars-url-not-http'],
    ['a URL that does not parse', { registrationUrl: 'http://' }, 'error.seminars-url-invalid'],
    ['a URL with credentials', { registrationUrl: 'https://user:pw@example.org/' }, 'error.seminars-url-invalid'],
    ['a deadline after the start', { registrationDeadline: '2030-03-12T10:00' }, 'error.seminars-deadline-after-start'],
    ['a deadline at the start', { registrationDeadline: '2030-03-12T09:00' }, 'error.seminars-deadline-after-start'],
    ['an unreadable deadline', { registrationDeadline: 'soon' }, 'error.seminars-deadline-invalid'],
    ['negative credits', { creditsAmount: '-1' }, 'error.seminars-credits-negative'],
    ['credits that are not a number', { creditsAmount: 'twelve' }, 'error.seminars-credits-invalid'],
    ['credits beyond the limit', { creditsAmount: '5000' }, 'error.seminars-credits-too-large'],
    ['a venue that is too long', { venue: 'x'.repeat(SEMINAR_LIMITS.venue + 1) }, 'error.seminars-text-too-long'],
    ['an organiser that is too long', { organiser: 'x'.repeat(SEMINAR_LIMITS.organiser + 1) }, 'error.seminars-text-too-long'],
    ['a URL that is too long', { registrationUrl: `https://example.org/${'a'.repeat(SEMINAR_LIMITS.url)}` }, 'error.seminars-text-too-long'],
    ['control characters', { contact: 'a\u0000b' }, 'error.seminars-text-invalid'],
    ['an unknown type', { type: 'party' }, 'error.seminars-type-invalid'],
    ['an unknown attendance', { attendance: 'telepathy' }, 'error.seminars-attendance-invalid'],
    ['in person without a city', { city: '' }, 'error.seminars-location-required'],
    ['hybrid without an online link', { attendance: 'hybrid' }, 'error.seminars-online-url-required'],
    ['a country that is not ISO 3166-1', { country: 'XX' }, 'error.seminars-country-invalid'],
    ['no organiser', { organiser: '  ' }, 'error.seminars-organiser-required'],
    ['no specialties', { specialties: [] }, 'error.seminars-specialties-required'],
    ['a malformed specialty slug', { specialties: ['Heart Surgery!'] }, 'error.seminars-specialty-invalid'],
    ['a fee without a currency', { feeCurrency: '' }, 'error.seminars-fee-currency-invalid'],
    ['a fee in a made-up currency', { feeCurrency: 'ABC' }, 'error.seminars-fee-currency-invalid'],
    ['a negative fee', { feeAmount: '-5' }, 'error.seminars-fee-invalid'],
    ['a fractional capacity', { capacity: '2.5' }, 'error.seminars-capacity-invalid'],
    ['a made-up language', { language: 'not a language' }, 'error.seminars-language-invalid'],
    ['an unknown status', { status: 'maybe' }, 'error.seminars-status-invalid'],
  ];
  for (const [what, overrides, key] of rules) {
    it(`refuses ${what} with ${key}`, async () => {
      expect(await refusedKey(overrides)).to.equal(key);
    });
  }

  it('checks specialties against the taxonomy when one is given', async () => {
    const known = new Set(['surgery']);
    const err = await refusal(validateSeminarInput(seminarForm({ specialties: ['surgery', 'astrology'] }), { isKnownSpecialty: slug => known.has(slug) }));
    expect(err.key).to.equal('error.seminars-specialty-invalid');
    expect(err.message).to.equal('[[physician-network:error.seminars-specialty-invalid, astrology]]');
  });

  it('saves nothing when any rule fails', async () => {
    await refusal(submitSeminar(topicFor(5), seminarForm({ registrationUrl: 'javascript:alert(1)' })));
    expect(await getSeminar(5)).to.equal(null);
    expect(await testDatabase().sortedSetCard(seminarKeys.index.all)).to.equal(0);
    await submitSeminar(topicFor(5), seminarForm());
    const before = await getSeminar(5);
    await refusal(submitSeminar(topicFor(5), seminarForm({ creditsAmount: '-3', venue: 'Elsewhere' })));
    expect(await getSeminar(5)).to.deep.equal(before);
  });
});
