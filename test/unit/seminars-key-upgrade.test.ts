import { expect } from 'chai';
import { createHash } from 'node:crypto';

import { resolveFeedToken } from '../../lib/seminars/feed';
import { listUpcoming } from '../../lib/seminars/listing';
import { seminarToStored, type Seminar } from '../../lib/seminars/model';
import { getRsvpState, getWaitlistUids, getMemberRsvpTids } from '../../lib/seminars/rsvp';
import { getSeminar } from '../../lib/seminars/store';
import { getPendingSeminar, pendingSeminarIds } from '../../lib/seminars/pending';
import { moveLegacySeminarKeys } from '../../lib/seminars/key-move';
import { keys as seminarKeys } from '../../lib/seminars/keys';
import { method as upgrade } from '../../lib/upgrades/physician-network-seminar-keys';
import { testDatabase } from '../harness/root-hooks';
import { provideSeminarStandIns, grantToGroup, joinGroup } from '../harness/seminars-stand-ins';
import { storeSeminar } from '../harness/seminars-fixtures';

const TID = 7;
const MEMBER = 3;
const WAITING = 5;
const NOW = Date.UTC(2030, 0, 1);
const TOKEN = 'A'.repeat(43);
const PENDING_ID = '00000000-0000-4000-8000-000000000007';
const LEGACY_PATTERNS = ['seminar:*', 'seminars:*', 'seminar-pending:*'];

let seminar: Seminar;

/** The keys of the layout before the move, spelled as the code of that time wrote them. */
async function forumBeforeTheMove(): Promise<void> {
  const db = testDatabase();
  const sha = createHash('sha256').update(TOKEN).digest('hex');
  await db.setObject(`seminar:${TID}`, seminarToStored(seminar));
  await db.sortedSetsAdd(['seminars:start', 'seminars:specialty:emergency-medicine', 'seminars:type:course', 'seminars:country:ID',
    'seminars:city:yogyakarta', 'seminars:cid:1', 'seminars:credits'], seminar.start, String(TID));
  await db.sortedSetAdd('seminars:every', seminar.created, String(TID));
  await db.sortedSetAdd(`seminar:${TID}:going`, NOW + 0.5, String(MEMBER));
  await db.sortedSetAdd(`seminar:${TID}:waitlist`, 1, String(WAITING));
  await db.setObject(`seminar:${TID}:rsvp`, { waitlistSeq: 1 });
  await db.sortedSetAdd(`seminars:member:${MEMBER}`, seminar.start, String(TID));
  await db.sortedSetAdd(`seminars:member:${WAITING}`, seminar.start, String(TID));
  await db.setObject(`seminar:${TID}:rsvp-lock`, { holders: 1, holder: 'old-process' });
  await db.expire(`seminar:${TID}:rsvp-lock`, 30);
  await db.setObject(`seminar:${TID}:reminders`, { [`${MEMBER}:${seminar.start}`]: 1 });
  await db.expire(`seminar:${TID}:reminders`, 86_400);
  await db.setObject(`seminars:feed:${MEMBER}`, { tokenHash: sha, specialties: 'cardiology,emergency-medicine', created: NOW });
  await db.setObject(`seminars:feed-token:${sha}`, { uid: MEMBER });
  await db.setObject(`seminar-pending:${PENDING_ID}`, { uid: MEMBER, cid: 1, title: 'Held', fields: JSON.stringify({}), held: NOW });
  await db.sortedSetAdd('seminars:pending', NOW, PENDING_ID);
  await db.sortedSetAdd('seminars:out-of-step', NOW, String(TID));
  // Not the seminar layout's: another plugin's keys that happen to share the word.
  await db.setObject('seminar:settings', { colour: 'blue' });
  await db.setAdd('seminars:other-plugin:tags', ['a', 'b']);
}

async function legacyKeysLeft(): Promise<string[]> {
  const found = await Promise.all(LEGACY_PATTERNS.map(async match => testDatabase().scan({ match })));
  return found.flat().sort();
}

describe('seminars: the upgrade script moving seminar keys under the plugin prefix (real Redis)', () => {
  before(() => { provideSeminarStandIns(testDatabase()); });
  /** An empty forum where members read category 1. */
  async function emptyForum(): Promise<void> {
    const db = testDatabase();
    await db.flushAll();
    await grantToGroup(db, 1, 'topics:read', 'registered-users');
    await joinGroup(db, MEMBER, 'registered-users');
  }

  beforeEach(async () => {
    await emptyForum();
    // A seminar as the form stores it, whose record is then written under the old key by hand.
    seminar = await storeSeminar(TID);
    await emptyForum();
    await forumBeforeTheMove();
  });

  it('before the move, today\'s code does not see the old keys (the move is needed)', async () => {
    expect(await getSeminar(TID)).to.equal(null);
  });

  it('moves every seminar key, and today\'s code then finds the seminar, its RSVPs, the feed and the held seminar', async () => {
    await upgrade.call(undefined);
    expect(await getSeminar(TID)).to.deep.equal(seminar);
    expect((await listUpcoming({ specialty: 'emergency-medicine' }, { uid: MEMBER, limit: 10, now: NOW })).seminars.map(s => s.tid)).to.deep.equal([TID]);
    expect(await getRsvpState(TID, MEMBER)).to.equal('going');
    expect(await getWaitlistUids(TID)).to.deep.equal([WAITING]);
    expect(await getMemberRsvpTids(MEMBER)).to.deep.equal([TID]);
    expect(await resolveFeedToken(TOKEN)).to.deep.equal({ uid: MEMBER, specialties: ['cardiology', 'emergency-medicine'] });
    expect(await pendingSeminarIds()).to.deep.equal([PENDING_ID]);
    expect((await getPendingSeminar(PENDING_ID))?.title).to.equal('Held');
    expect(await legacyKeysLeft()).to.deep.equal(['seminar:settings', 'seminars:other-plugin:tags']);
  });

  it('keeps scores, fields, types and expiries exactly', async () => {
    const db = testDatabase();
    await moveLegacySeminarKeys();
    expect(await db.getSortedSetRangeWithScores(seminarKeys.going(TID), 0, -1)).to.deep.equal([{ value: String(MEMBER), score: NOW + 0.5 }]);
    expect(await db.sortedSetScore(seminarKeys.index.every, String(TID))).to.equal(seminar.created);
    expect(await db.getObject(seminarKeys.rsvpCounters(TID))).to.deep.equal({ waitlistSeq: '1' });
    expect(await db.getObject(seminarKeys.lock(TID))).to.deep.equal({ holders: '1', holder: 'old-process' });
    const lockTtl = await db.ttl(seminarKeys.lock(TID));
    expect(lockTtl).to.be.within(1, 30);
    expect(await db.ttl(seminarKeys.reminderClaims(TID))).to.be.within(86_000, 86_400);
    expect(await db.type(seminarKeys.index.all)).to.equal('zset');
    expect(await db.type(seminarKeys.feedMember(MEMBER))).to.equal('hash');
    expect(await db.getSetMembers('seminars:other-plugin:tags')).to.have.members(['a', 'b']);
  });

  it('is idempotent: a second run moves nothing and changes nothing', async () => {
    const first = await moveLegacySeminarKeys();
    expect(first.renamed).to.be.greaterThan(15);
    const after = await getSeminar(TID);
    expect(await moveLegacySeminarKeys()).to.deep.equal({ renamed: 0, merged: 0 });
    expect(await getSeminar(TID)).to.deep.equal(after);
    expect(await getWaitlistUids(TID)).to.deep.equal([WAITING]);
  });

  it('resumes after an interrupted run, and merges what an old process wrote after a key had moved', async () => {
    const db = testDatabase();
    let moved = 0;
    const stopAfterFive = (): void => {
      moved += 1;
      if (moved === 5) {
        throw new Error('interrupted');
      }
    };
    let interrupted = '';
    try {
      await moveLegacySeminarKeys(stopAfterFive);
    } catch (err) {
      interrupted = err instanceof Error ? err.message : String(err);
    }
    expect(interrupted).to.equal('interrupted');
    expect((await legacyKeysLeft()).length).to.be.greaterThan(2);
    await moveLegacySeminarKeys();
    // An old process, still running, answers and indexes after the move.
    await db.sortedSetAdd(`seminar:${TID}:going`, NOW + 9, '11');
    await db.sortedSetAdd('seminars:start', seminar.start + 1, '8');
    await db.setObjectField(`seminar:${TID}:rsvp`, 'waitlistSeq', 2);
    await db.setAdd('seminar:9', ['not a hash']);
    const report = await moveLegacySeminarKeys();
    expect(report.merged).to.equal(3);
    expect(report.renamed).to.equal(1);
    expect(await db.getSortedSetRangeWithScores(seminarKeys.going(TID), 0, -1)).to.deep.equal([
      { value: String(MEMBER), score: NOW + 0.5 }, { value: '11', score: NOW + 9 },
    ]);
    expect(await db.getSortedSetRange(seminarKeys.index.all, 0, -1)).to.deep.equal([String(TID), '8']);
    expect(await db.getObjectField(seminarKeys.rsvpCounters(TID), 'waitlistSeq')).to.equal('2');
    expect(await db.getSetMembers(seminarKeys.seminar(9))).to.deep.equal(['not a hash']);
    expect(await legacyKeysLeft()).to.deep.equal(['seminar:settings', 'seminars:other-plugin:tags']);
  });
});
