import { expect } from 'chai';

import { SEMINAR_NOTIFICATION_TYPES } from '../../lib/seminars/notify';
import { sendDueReminders } from '../../lib/seminars/reminders';
import { setRsvp } from '../../lib/seminars/rsvp';
import { submitSeminar, cancelAndNotify } from '../../lib/seminars/save';
import { nodebb } from '../../lib/nodebb';
import { SETTINGS_HASH } from '../../lib/settings';
import { testDatabase } from '../harness/root-hooks';
import { provideSeminarStandIns, grantToGroup, joinGroup, recordedNotifications } from '../harness/seminars-stand-ins';
import { seminarForm, storeSeminar, topicFor } from '../harness/seminars-fixtures';

const H = 3_600_000;
// 09:00 WIB on 12 March 2030, the fixture's start.
const START = Date.UTC(2030, 2, 12, 2);

function remindersTo(tid: number): number[] {
  return recordedNotifications
    .filter(n => n.notification.type === 'seminar-reminder' && n.notification.tid === tid)
    .flatMap(n => n.uids)
    .sort((a, b) => a - b);
}

describe('seminars: reminders and change notices', () => {
  before(() => { provideSeminarStandIns(testDatabase()); });
  beforeEach(async () => {
    const db = testDatabase();
    await db.flushAll();
    recordedNotifications.length = 0;
    await grantToGroup(db, 1, 'topics:read', 'registered-users');
    for (const uid of [1, 2, 3, 4]) {
      await joinGroup(db, uid, 'registered-users');
    }
  });

  it('declares its notification types', () => {
    expect(SEMINAR_NOTIFICATION_TYPES).to.deep.equal(['seminar-reminder', 'seminar-change', 'seminar-waitlist']);
  });

  it('reminds going members who may read the seminar, once, within the configured hours', async () => {
    await storeSeminar(1);
    await setRsvp(1, 1, 'going', START - 48 * H);
    await setRsvp(1, 2, 'going', START - 48 * H);
    await setRsvp(1, 3, 'interested', START - 48 * H);
    await setRsvp(1, 9, 'going', START - 48 * H); // not a reader of category 1
    await nodebb.meta.settings.set(SETTINGS_HASH, { seminarsReminderHours: '6' });

    expect(await sendDueReminders(START - 7 * H)).to.deep.equal([]);
    expect(await sendDueReminders(START - 5 * H)).to.deep.equal([{ tid: 1, uids: [1, 2] }]);
    expect(remindersTo(1)).to.deep.equal([1, 2]);
    // Later runs, and a restart (state lives only in the database), send nothing again.
    expect(await sendDueReminders(START - 4 * H)).to.deep.equal([]);
    expect(await sendDueReminders(START - 1 * H, 24)).to.deep.equal([]);
    // A member who RSVPs after the first run still gets their own reminder.
    await setRsvp(1, 4, 'going', START - 2 * H);
    expect(await sendDueReminders(START - 1 * H)).to.deep.equal([{ tid: 1, uids: [4] }]);
    expect(remindersTo(1)).to.deep.equal([1, 2, 4]);
    // Nothing once it has started.
    await setRsvp(1, 3, 'going', START - 1);
    expect(await sendDueReminders(START + 1)).to.deep.equal([]);
  });

  it('sends each reminder exactly once when several processes run the job at the same moment', async () => {
    for (const tid of [1, 2, 3]) {
      await storeSeminar(tid, { start: `2030-03-12T0${6 + tid}:00`, end: '2030-03-12T18:00', registrationDeadline: '' });
      for (const uid of [1, 2, 3, 4]) {
        await setRsvp(tid, uid, 'going', START - 48 * H);
      }
    }
    const runs = await Promise.all(Array.from({ length: 8 }, () => sendDueReminders(START - 10 * H, 24)));
    const sent = runs.flat();
    for (const tid of [1, 2, 3]) {
      expect(remindersTo(tid), `seminar ${tid}`).to.deep.equal([1, 2, 3, 4]);
      expect(sent.filter(r => r.tid === tid).flatMap(r => r.uids).sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4]);
    }
  });

  it('skips cancelled and postponed seminars', async () => {
    await storeSeminar(1, { status: 'postponed' });
    await storeSeminar(2);
    await setRsvp(1, 1, 'going', START - 48 * H);
    await setRsvp(2, 1, 'going', START - 48 * H);
    await cancelAndNotify(2, START - 30 * H);
    expect(await sendDueReminders(START - 2 * H, 24)).to.deep.equal([]);
  });

  it('tells going members of a new time, and reminds them again for it', async () => {
    await storeSeminar(1);
    await setRsvp(1, 1, 'going', START - 48 * H);
    await setRsvp(1, 2, 'interested', START - 48 * H);
    await sendDueReminders(START - 3 * H, 24);
    expect(remindersTo(1)).to.deep.equal([1]);

    const moved = await submitSeminar(topicFor(1), seminarForm({ start: '2030-03-12T13:00', end: '2030-03-12T17:00' }));
    expect(moved.change.timeChanged).to.equal(true);
    expect(moved.notified).to.deep.equal({ kind: 'rescheduled', uids: [1] });
    const notice = recordedNotifications.find(n => n.notification.type === 'seminar-change');
    expect(notice?.uids).to.deep.equal([1]);
    expect(notice?.notification.bodyShort).to.equal('[[physician-network:seminars.notification.rescheduled, Seminar 1, 2030-03-12 13:00 WIB]]');

    // The same edit again changes nothing anyone must hear about.
    expect((await submitSeminar(topicFor(1), seminarForm({ start: '2030-03-12T13:00', end: '2030-03-12T17:00', venue: 'Aula' }))).notified).to.equal(null);
    // The new time gets its own reminder.
    expect(await sendDueReminders(START, 24)).to.deep.equal([{ tid: 1, uids: [1] }]);
  });

  it('tells going members of a cancellation', async () => {
    await storeSeminar(1);
    await setRsvp(1, 1, 'going', START - 48 * H);
    await setRsvp(1, 2, 'going', START - 48 * H);
    const cancelled = await cancelAndNotify(1, START - 24 * H);
    expect(cancelled.seminar.status).to.equal('cancelled');
    expect(cancelled.notified).to.deep.equal({ kind: 'cancelled', uids: [1, 2] });
    expect(recordedNotifications.map(n => n.notification.nid)).to.deep.equal([`physician-network:seminar-cancelled:1:${cancelled.seminar.sequence}`]);
  });
});
