/**
 * The seminar form page (/seminars/new, /seminars/:tid/edit) on real Redis: who may open it,
 * which categories it offers, and that an edit shows the stored times as wall-clock times in
 * the event's own zone (whatever the editor's zone), safely escaped, and round-trips to the
 * same instants.
 */
import { expect } from 'chai';

import { nodebb } from '../../lib/nodebb';
import { SETTINGS_HASH } from '../../lib/settings';
import { ORGANISERS_GROUP } from '../../lib/seminars/provision';
import { submitSeminar } from '../../lib/seminars/save';
import { getSeminar } from '../../lib/seminars/store';
import { validateSeminarInput } from '../../lib/seminars/validation';
import { formValuesOf } from '../../lib/seminars/form-view';
import { renderNewSeminar, renderEditSeminar } from '../../lib/seminars/routes';
import { escapeText } from '../../lib/common/page';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { provideSeminarStandIns, grantToGroup, joinGroup } from '../harness/seminars-stand-ins';
import { provideSeminarFormStandIns, recordingResponse, pageRequest, type RecordedResponse } from '../harness/seminars-form-stand-ins';
import { seminarForm } from '../harness/seminars-fixtures';
import { renderTemplate } from '../harness/browser';

const ADMIN = 1;
const AUTHOR = 20;
const OTHER_DOCTOR = 21;
const MEMBER = 30;
const ORGANISER = 31;
const MODERATOR = 40;
const SEMINARS_CID = 5;
const CLOSED_CID = 6;

/** What the browser shows for text the page escaped with character references. */
/** What the browser shows for the page model's references. */
function decoded(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', lsqb: '[', rsqb: ']' };
  return text.replace(/&(#\d+|[a-z]+);/g, (whole, ref: string) => (ref.startsWith('#') ? String.fromCharCode(Number(ref.slice(1))) : named[ref] ?? whole));
}

describe('seminars: the form page', () => {
  const refusals: number[] = [];

  before(() => {
    provideSeminarStandIns(testDatabase());
    provideSeminarFormStandIns(testDatabase(), (status) => { refusals.push(status); });
  });
  after(() => { provideTestNodeBB(testDatabase()); });

  beforeEach(async () => {
    const db = testDatabase();
    await db.flushAll();
    refusals.length = 0;
    await joinGroup(db, ADMIN, 'administrators');
    for (const uid of [AUTHOR, OTHER_DOCTOR]) {
      await db.setObject(`physician-network:member:${uid}`, { verified: 1 });
      await joinGroup(db, uid, 'verified-physicians');
    }
    await nodebb.meta.settings.set(SETTINGS_HASH, { seminarsCategories: `${SEMINARS_CID},${CLOSED_CID}` });
    await db.setObject(`category:${SEMINARS_CID}`, { cid: SEMINARS_CID, name: 'Seminars & <Courses>' });
    await db.setObject(`category:${CLOSED_CID}`, { cid: CLOSED_CID, name: 'Cardiology' });
    await grantToGroup(db, SEMINARS_CID, 'topics:create', 'verified-physicians');
    await grantToGroup(db, SEMINARS_CID, 'topics:create', ORGANISERS_GROUP);
    await grantToGroup(db, SEMINARS_CID, 'moderate', 'seminar-moderators');
    await joinGroup(db, MODERATOR, 'seminar-moderators');
  });

  async function openNew(uid: number, cookies: Record<string, string> = {}): Promise<RecordedResponse> {
    const response = recordingResponse({ config: { userLang: 'en-GB' } });
    await renderNewSeminar(pageRequest(uid, { cookies }), response.res);
    return response;
  }

  async function openEdit(uid: number, tid: number, cookies: Record<string, string> = {}): Promise<RecordedResponse> {
    const response = recordingResponse({ config: { userLang: 'en-GB' } });
    await renderEditSeminar(pageRequest(uid, { params: { tid: String(tid) }, cookies }), response.res);
    return response;
  }

  async function storeTopicSeminar(tid: number, form: Record<string, unknown>, title = 'ATLS Provider Course'): Promise<void> {
    const db = testDatabase();
    await db.setObject(`topic:${tid}`, { tid, cid: SEMINARS_CID, uid: AUTHOR, title, mainPid: tid * 10, slug: `${tid}/atls` });
    await db.setObject(`post:${tid * 10}`, { pid: tid * 10, tid, content: 'Programme: **day 1** theory & <b>skills</b> [[global:home]]' });
    await submitSeminar({ tid, cid: SEMINARS_CID, uid: AUTHOR, title, slug: `${tid}/atls` }, seminarForm(form));
  }

  it('is refused to guests and to members who are neither verified, organisers nor admins', async () => {
    expect((await openNew(0)).rendered).to.equal(null);
    expect((await openNew(MEMBER)).rendered).to.equal(null);
    expect(refusals).to.have.length(2);
  });

  it('opens for verified physicians, admins and (when configured) the organiser group, offering only categories they may post in', async () => {
    const doctor = await openNew(AUTHOR);
    expect(doctor.rendered?.template).to.equal('seminar-form');
    expect(doctor.rendered?.data.isEdit).to.equal(false);
    // NodeBB gives category names HTML-escaped; the page passes them on as they are.
    expect(doctor.rendered?.data.categories).to.deep.equal([{ cid: SEMINARS_CID, name: 'Seminars &amp; &lt;Courses&gt;', selected: true }]);
    const admin = await openNew(ADMIN);
    expect((admin.rendered?.data.categories as { cid: number }[]).map(c => c.cid)).to.deep.equal([SEMINARS_CID, CLOSED_CID]);

    await joinGroup(testDatabase(), ORGANISER, ORGANISERS_GROUP);
    await nodebb.meta.settings.set(SETTINGS_HASH, { seminarsOrganiserGroup: '' });
    expect((await openNew(ORGANISER)).rendered).to.equal(null);
    await nodebb.meta.settings.set(SETTINGS_HASH, { seminarsOrganiserGroup: ORGANISERS_GROUP });
    expect((await openNew(ORGANISER)).rendered?.data.noCategories).to.equal(false);
  });

  it('says so when no seminar category takes the caller\'s topics', async () => {
    await nodebb.meta.settings.set(SETTINGS_HASH, { seminarsCategories: String(CLOSED_CID) });
    const page = await openNew(AUTHOR);
    expect(page.rendered?.data.noCategories).to.equal(true);
  });

  it('starts a new seminar in the viewer\'s zone from the pn_tz cookie, else leaves it to the browser', async () => {
    const fromCookie = await openNew(AUTHOR, { pn_tz: 'Europe/Stockholm' });
    const values = fromCookie.rendered?.data.values as Record<string, unknown>;
    expect(values.timezone).to.equal('Europe/Stockholm');
    expect((fromCookie.rendered?.data.zones as { value: string; selected: boolean }[]).filter(z => z.selected).map(z => z.value)).to.deep.equal(['Europe/Stockholm']);
    expect(fromCookie.rendered?.data.zoneFromBrowser).to.equal(false);

    for (const cookies of [{}, { pn_tz: 'Mars/Olympus' }, { pn_tz: '+07:00' }] as Record<string, string>[]) {
      const page = await openNew(AUTHOR, cookies);
      expect((page.rendered?.data.values as Record<string, unknown>).timezone).to.equal('');
      expect(page.rendered?.data.zoneFromBrowser).to.equal(true);
    }
  });

  it('lets the author, the category\'s moderators and admins edit; nobody else; unknown seminars are 404', async () => {
    await storeTopicSeminar(7, {});
    for (const uid of [AUTHOR, MODERATOR, ADMIN]) {
      const page = await openEdit(uid, 7);
      expect(page.rendered?.template, `uid ${uid}`).to.equal('seminar-form');
      expect(page.rendered?.data.isEdit).to.equal(true);
      expect(page.rendered?.data.tid).to.equal(7);
    }
    expect((await openEdit(OTHER_DOCTOR, 7)).rendered).to.equal(null);
    expect((await openEdit(0, 7)).rendered).to.equal(null);
    expect(refusals).to.have.length(2);
    const missing = await openEdit(AUTHOR, 999);
    expect(missing.statusCode).to.equal(404);
    expect(missing.rendered?.template).to.equal('404');
  });

  it('shows an edit\'s times in the event\'s zone, whatever zone the editor is in', async () => {
    await storeTopicSeminar(7, { timezone: 'Asia/Jakarta', start: '2030-03-12T09:00', end: '2030-03-12T17:00', registrationDeadline: '2030-03-01' });
    const page = await openEdit(AUTHOR, 7, { pn_tz: 'Europe/Stockholm' });
    const values = page.rendered?.data.values as Record<string, unknown>;
    expect(values).to.include({
      timezone: 'Asia/Jakarta', allDay: false, start: '2030-03-12T09:00', end: '2030-03-12T17:00',
      // A date-only deadline means the end of that day in the event's zone.
      registrationDeadline: '2030-03-01T23:59:59',
    });
    expect((page.rendered?.data.zones as { value: string; selected: boolean }[]).filter(z => z.selected).map(z => z.value)).to.deep.equal(['Asia/Jakarta']);
  });

  it('keeps daylight-saving zones and all-day dates exact', async () => {
    // The morning after Europe's spring switch (2030-03-31 02:00 → 03:00).
    await storeTopicSeminar(8, { timezone: 'Europe/Stockholm', start: '2030-03-31T09:00', end: '2030-03-31T12:30', registrationDeadline: '' });
    const timed = (await openEdit(AUTHOR, 8)).rendered?.data.values as Record<string, unknown>;
    expect(timed).to.include({ start: '2030-03-31T09:00', end: '2030-03-31T12:30' });

    await storeTopicSeminar(9, { timezone: 'America/New_York', allDay: true, start: '2030-11-02', end: '2030-11-04', registrationDeadline: '' });
    const allDay = (await openEdit(AUTHOR, 9, { pn_tz: 'Asia/Jayapura' })).rendered?.data as { values: Record<string, unknown>; show: Record<string, boolean> };
    expect(allDay.values).to.include({ allDay: true, startDate: '2030-11-02', endDate: '2030-11-04', start: '', end: '' });
    expect(allDay.show).to.include({ times: false, dates: true });
  });

  it('prefills values that round-trip through the validation to the same seminar', async () => {
    const forms = [
      { timezone: 'Asia/Makassar', start: '2030-06-01T08:15', end: '2030-06-02T16:00', registrationDeadline: '2030-05-20T12:00', capacity: '25' },
      { timezone: 'America/New_York', start: '2030-11-03T01:30', end: '2030-11-03T03:00', registrationDeadline: '' },
      { timezone: 'Asia/Jakarta', allDay: true, start: '2030-07-01', end: '2030-07-01', attendance: 'hybrid', onlineUrl: 'https://meet.example.org/x' },
    ];
    for (const [i, form] of forms.entries()) {
      const tid = 20 + i;
      await storeTopicSeminar(tid, form);
      const seminar = await getSeminar(tid);
      if (!seminar) {
        throw new Error('not stored');
      }
      const values = formValuesOf(seminar, { title: 't', content: 'c' });
      const again = await validateSeminarInput({
        ...values,
        start: values.allDay ? values.startDate : values.start,
        end: values.allDay ? values.endDate : values.end,
      });
      expect({ start: again.start, end: again.end, deadline: again.registrationDeadline !== null ? Math.floor(again.registrationDeadline / 1000) : null }, `form ${i}`)
        .to.deep.equal({ start: seminar.start, end: seminar.end, deadline: seminar.registrationDeadline !== null ? Math.floor(seminar.registrationDeadline / 1000) : null });
    }
  });

  it('escapes the title and description for the page (HTML and translator brackets) and shows the original text', async () => {
    const title = 'ATLS <b>"Provider"</b> [[global:home]]';
    await storeTopicSeminar(7, { organiser: 'IDI [[x:y]] & co' }, title);
    const data = (await openEdit(AUTHOR, 7)).rendered?.data as { values: Record<string, string> };
    for (const field of ['title', 'content', 'organiser']) {
      expect(data.values[field], field).to.not.match(/[<>"[\]]/);
    }
    expect(decoded(data.values.title ?? '')).to.equal(title);
    expect(decoded(data.values.content ?? '')).to.equal('Programme: **day 1** theory & <b>skills</b> [[global:home]]');
    expect(decoded(data.values.organiser ?? '')).to.equal('IDI [[x:y]] & co');
    expect(escapeText('a</textarea>')).to.equal('a&lt;/textarea&gt;');
  });

  it('renders the real template with the event\'s times, the zone selected and no raw member text', async () => {
    await storeTopicSeminar(7, { timezone: 'Asia/Jakarta', start: '2030-03-12T09:00', end: '2030-03-12T17:00' }, 'Kursus <script>alert(1)</script>');
    const data = (await openEdit(AUTHOR, 7, { pn_tz: 'Europe/Stockholm' })).rendered?.data ?? {};
    const html = await renderTemplate('seminar-form', data);
    expect(html).to.contain('name="start" value="2030-03-12T09:00"');
    expect(html).to.contain('name="end" value="2030-03-12T17:00"');
    expect(html).to.match(/<option value="Asia\/Jakarta" selected>/);
    expect(html).to.not.contain('<script>');
    expect(html).to.contain('data-mode="edit"');
    expect(html).to.contain('component="physician-network/seminar-cancel"');
    expect(html).to.not.contain('name="cid"');
  });
});
