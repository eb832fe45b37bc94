import { expect } from 'chai';

import { withSeminarLock, SEMINAR_LOCK_TIMINGS } from '../../lib/seminars/lock';
import { setRsvp, removeRsvp, getRsvpState, getRsvpCounts, getGoingUids, getWaitlistUids, getMemberRsvpTids, removeMemberRsvps } from '../../lib/seminars/rsvp';
import { submitSeminar, cancelAndNotify } from '../../lib/seminars/save';
import { testDatabase } from '../harness/root-hooks';
import { provideSeminarStandIns, grantToGroup, joinGroup, recordedNotifications } from '../harness/seminars-stand-ins';
import { seminarForm, storeSeminar, topicFor } from '../harness/seminars-fixtures';
import { refusal } from '../harness/refusal';
import { keys as seminarKeys } from '../../lib/seminars/keys';

const NOW = Date.UTC(2030, 0, 1);
const members = (from: number, count: number): number[] => Array.from({ length: count }, (_v, i) => from + i);

describe('seminars: RSVP, capacity and waitlist', () => {
  before(() => { provideSeminarStandIns(testDatabase()); });
  beforeEach(async () => {
    const db = testDatabase();
    await db.flushAll();
    recordedNotifications.length = 0;
    await grantToGroup(db, 1, 'topics:read', 'registered-users');
    for (const uid of members(1, 60)) {
      await joinGroup(db, uid, 'registered-users');
    }
  });

  it('records going, interested and not going, with counts, idempotently', async () => {
    await storeSeminar(1);
    expect(await setRsvp(1, 1, 'going', NOW)).to.deep.equal({ state: 'going', promoted: [] });
    expect(await setRsvp(1, 1, 'going', NOW)).to.deep.equal({ state: 'going', promoted: [] });
    await setRsvp(1, 2, 'interested', NOW);
    await setRsvp(1, 3, 'not-going', NOW);
    expect(await getRsvpCounts(1)).to.deep.equal({ going: 1, waitlisted: 0, interested: 1, notGoing: 1, capacity: 0, seatsLeft: null });
    await setRsvp(1, 2, 'going', NOW);
    expect(await getRsvpState(1, 2)).to.equal('going');
    expect((await getRsvpCounts(1)).interested).to.equal(0);
    await removeRsvp(1, 3, NOW);
    expect(await getRsvpState(1, 3)).to.equal('none');
    expect(await getMemberRsvpTids(1)).to.deep.equal([1]);
    expect(await getMemberRsvpTids(3)).to.deep.equal([]);
  });

  it('refuses bad choices, guests, and RSVPs to cancelled or finished seminars', async () => {
    await storeSeminar(1);
    expect((await refusal(setRsvp(1, 1, 'maybe', NOW))).key).to.equal('error.seminars-rsvp-invalid');
    expect((await refusal(setRsvp(1, 0, 'going', NOW))).key).to.equal('error.seminars-rsvp-members-only');
    expect((await refusal(setRsvp(99, 1, 'going', NOW))).key).to.equal('error.seminars-not-found');
    expect((await refusal(setRsvp(1, 1, 'going', Date.UTC(2031, 0, 1)))).key).to.equal('error.seminars-rsvp-closed');
    await cancelAndNotify(1);
    expect((await refusal(setRsvp(1, 1, 'interested', NOW))).key).to.equal('error.seminars-rsvp-closed');
    expect((await setRsvp(1, 1, 'not-going', NOW)).state).to.equal('not-going');
  });

  it('puts "going" beyond capacity on the waitlist in order, and promotes the first when someone withdraws', async () => {
    await storeSeminar(1, { capacity: '2' });
    for (const uid of [1, 2, 3, 4, 5]) {
      await setRsvp(1, uid, 'going', NOW);
    }
    expect(await getGoingUids(1)).to.deep.equal([1, 2]);
    expect(await getWaitlistUids(1)).to.deep.equal([3, 4, 5]);
    expect(await getRsvpState(1, 4)).to.equal('waitlisted');
    expect((await getRsvpCounts(1)).seatsLeft).to.equal(0);
    // Leaving the waitlist promotes nobody.
    expect((await setRsvp(1, 4, 'interested', NOW)).promoted).to.deep.equal([]);
    // Leaving "going" gives the seat to the first waiting member.
    expect(await setRsvp(1, 1, 'not-going', NOW)).to.deep.equal({ state: 'not-going', promoted: [3] });
    expect(await getGoingUids(1)).to.have.members([2, 3]);
    expect(await getWaitlistUids(1)).to.deep.equal([5]);
    expect((await removeRsvp(1, 2, NOW)).promoted).to.deep.equal([5]);
    expect((await removeRsvp(1, 3, NOW)).promoted).to.deep.equal([]);
  });

  it('never exceeds capacity and loses nobody when 40 members RSVP at once', async () => {
    await storeSeminar(1, { capacity: '7' });
    const uids = members(1, 40);
    const results = await Promise.all(uids.map(uid => setRsvp(1, uid, 'going', NOW)));
    const going = await getGoingUids(1);
    const waiting = await getWaitlistUids(1);
    expect(going).to.have.length(7);
    expect(waiting).to.have.length(33);
    expect([...going, ...waiting].sort((a, b) => a - b)).to.deep.equal(uids);
    expect(results.filter(r => r.state === 'going').map((_r, i) => i)).to.have.length(7);
    // Each caller was told the truth about where they ended up.
    results.forEach((result, index) => {
      expect(result.state).to.equal(going.includes(uids[index] ?? -1) ? 'going' : 'waitlisted');
    });
  });

  it('promotes waiting members in order under a burst of withdrawals and new RSVPs', async () => {
    await storeSeminar(1, { capacity: '5' });
    for (const uid of members(1, 15)) {
      await setRsvp(1, uid, 'going', NOW); // 1–5 going, 6–15 waiting in that order
    }
    await setRsvp(1, 9, 'not-going', NOW); // someone in the middle of the waitlist leaves it
    const withdrawals = [1, 2, 3, 4];
    const newcomers = members(40, 6);
    const results = await Promise.all([
      ...withdrawals.map(uid => removeRsvp(1, uid, NOW)),
      ...newcomers.map(uid => setRsvp(1, uid, 'going', NOW)),
    ]);
    const promoted = results.flatMap(r => r.promoted);
    const going = await getGoingUids(1);
    const waiting = await getWaitlistUids(1);
    expect(going).to.have.length(5);
    expect(new Set(promoted).size).to.equal(promoted.length);
    // Four seats freed: the four earliest still waiting got them, in order.
    expect(promoted).to.have.members([6, 7, 8, 10]);
    expect(going).to.have.members([5, 6, 7, 8, 10]);
    // Everyone else still going-minded is waiting, original order first, newcomers after.
    expect(waiting.slice(0, 5)).to.deep.equal([11, 12, 13, 14, 15]);
    expect(waiting.slice(5).sort((a, b) => a - b)).to.deep.equal(newcomers);
  });

  it('seats waiting members when capacity grows, and tells them', async () => {
    await storeSeminar(1, { capacity: '1' });
    for (const uid of [1, 2, 3, 4]) {
      await setRsvp(1, uid, 'going', NOW);
    }
    const saved = await submitSeminar(topicFor(1), seminarForm({ capacity: '3' }));
    expect(saved.promoted).to.deep.equal([2, 3]);
    expect(await getWaitlistUids(1)).to.deep.equal([4]);
    const notice = recordedNotifications.find(n => n.notification.type === 'seminar-waitlist');
    expect(notice?.uids).to.deep.equal([2, 3]);
    expect(notice?.notification.bodyShort).to.contain('physician-network:seminars.notification.promoted');
  });

  it('withdraws every RSVP of a deleted account, promoting others', async () => {
    await storeSeminar(1, { capacity: '1' });
    await storeSeminar(2);
    await setRsvp(1, 1, 'going', NOW);
    await setRsvp(1, 2, 'going', NOW);
    await setRsvp(2, 1, 'interested', NOW);
    const results = await removeMemberRsvps(1);
    expect(results).to.deep.equal([{ tid: 1, promoted: [2] }, { tid: 2, promoted: [] }]);
    expect(await getRsvpState(2, 1)).to.equal('none');
    expect(await getMemberRsvpTids(1)).to.deep.equal([]);
  });

  describe('a lock left by a crashed holder', () => {
    const saved = { ...SEMINAR_LOCK_TIMINGS };
    beforeEach(() => { Object.assign(SEMINAR_LOCK_TIMINGS, { ttlSeconds: 1, maxWaitMs: 8000 }); });
    afterEach(() => { Object.assign(SEMINAR_LOCK_TIMINGS, saved); });

    it('expires instead of blocking the seminar', async () => {
      await storeSeminar(1);
      await testDatabase().incrObjectField(seminarKeys.lock(1), 'holders');
      await testDatabase().expire(seminarKeys.lock(1), 1);
      expect((await setRsvp(1, 1, 'going', NOW)).state).to.equal('going');
    });

    it('is given an expiry when the holder died before setting one', async () => {
      await storeSeminar(1);
      await testDatabase().incrObjectField(seminarKeys.lock(1), 'holders');
      expect(await testDatabase().ttl(seminarKeys.lock(1))).to.equal(-1);
      expect((await setRsvp(1, 1, 'going', NOW)).state).to.equal('going');
    });

    it('keeps callers out while held, then lets them in', async () => {
      await storeSeminar(1);
      const order: string[] = [];
      await Promise.all([
        withSeminarLock(1, async () => {
          order.push('holder in');
          await new Promise((resolve) => { setTimeout(resolve, 200); });
          order.push('holder out');
        }),
        (async () => {
          await new Promise((resolve) => { setTimeout(resolve, 20); });
          await withSeminarLock(1, async () => { order.push('second'); });
        })(),
      ]);
      expect(order).to.deep.equal(['holder in', 'holder out', 'second']);
    });

    it('is released only by its holder: one that outlived the expiry leaves the next holder\'s lock in place', async () => {
      await storeSeminar(1);
      const sleep = (ms: number) => new Promise((resolve) => { setTimeout(resolve, ms); });
      const order: string[] = [];
      // The first holder works past the 1 s expiry, so a second caller takes the lock meanwhile.
      const slow = withSeminarLock(1, async () => { order.push('slow in'); await sleep(1600); order.push('slow out'); });
      await sleep(50);
      const second = withSeminarLock(1, async () => {
        order.push('second in');
        await slow;
        // The slow holder has finished and "released": the second must still hold the lock.
        order.push(`lock kept: ${String(await testDatabase().exists(seminarKeys.lock(1)))}`);
        await sleep(300);
        order.push('second out');
      });
      await slow;
      const third = withSeminarLock(1, async () => { order.push('third'); });
      await Promise.all([second, third]);
      expect(order).to.deep.equal(['slow in', 'second in', 'slow out', 'lock kept: true', 'second out', 'third']);
    });
  });
});
