/**
 * A seminar in step with its topic, over real Redis, with core's hooks fired through
 * plugin.json: creation through NodeBB's post queue (held until accepted, discarded when
 * rejected), merges, owner changes, a failed hook repaired, reconciliation on start, and
 * banned members (feed and RSVP shut while banned, everything back when the ban is lifted).
 */
import { expect } from 'chai';
import type { Request, Response, Router } from 'express';

import { nodebb, provideForTests } from '../../lib/nodebb';
import type { HostMiddleware } from '../../lib/nodebb';
import { SETTINGS_HASH } from '../../lib/settings/fields';
import { addCalendarRoutes, addSeminarApiRoutes } from '../../lib/seminars/routes';
import { provisionSeminars, seminarCategoryCids } from '../../lib/seminars/provision';
import { listUpcoming } from '../../lib/seminars/listing';
import { SEMINAR_LOCK_TIMINGS } from '../../lib/seminars/lock';
import { type Seminar } from '../../lib/seminars/model';
import { canEditSeminar } from '../../lib/seminars/policy';
import { ORGANISERS_GROUP } from '../../lib/seminars/provision';
import { getRsvpState } from '../../lib/seminars/rsvp';
import { getSeminar } from '../../lib/seminars/store';
import { getPendingSeminar, pendingSeminarIds } from '../../lib/seminars/pending';
import { PENDING_GRACE_MS, reconcileSeminarsWithTopics, repairOutOfStepSeminars } from '../../lib/seminars/reconcile';
import { VERIFIED_PHYSICIANS_GROUP } from '../../lib/specialties/policy';
import { setVerifiedSpecialties } from '../../lib/specialties/membership';
import { provisionStructure } from '../../lib/specialties/structure';
import { testDatabase } from '../harness/root-hooks';
import { captureApiRoutes, type CapturedRoutes, type SentAnswer } from '../harness/api-routes';
import { installSpecialtyStandIns, seedTaxonomy, type SpecialtyStandIns } from '../harness/specialties-stand-ins';
import { recordingNotifications } from '../harness/seminars-stand-ins';
import { seminarForm } from '../harness/seminars-fixtures';
import { makePostQueueStandIn, type PostQueueStandIn } from '../harness/post-queue-stand-in';
import { fireAction, fireFilter } from '../harness/plugin-hooks';
import { keys as seminarKeys } from '../../lib/seminars/keys';

const ADMIN = 1;
const VERIFIED = 10;
const MEMBER = 11;
const ORGANISER = 12;
const NOW = Date.UTC(2029, 0, 1);
const IMAGE = 'Programme: ![poster](/assets/uploads/files/1700000000000-poster.png)';

interface CalendarReply { status: number; body: string }
type CalendarHandler = (req: Request, res: Response) => void;

describe('seminars: in step with their topics', () => {
  let world: SpecialtyStandIns;
  let queue: PostQueueStandIn;
  let routes: CapturedRoutes;
  const calendar = new Map<string, CalendarHandler>();
  let seminarsCid = 0;
  let otherCid = 0;

  before(() => {
    world = installSpecialtyStandIns(testDatabase());
    queue = makePostQueueStandIn(testDatabase(), () => world.topics);
    // Core fires these around topic creation and the queue; the plugin's listeners come from plugin.json.
    queue.shouldQueueFilters.push(async payload => fireFilter('filter:post.shouldQueue', payload));
    queue.topicCreateFilters.push(async payload => fireFilter('filter:topic.create', payload));
    queue.topicPostActions.push(async payload => fireAction('action:topic.post', payload));
    queue.removeFromQueueActions.push(async payload => fireAction('action:post-queue:removeFromQueue', payload));
    provideForTests({ api: queue.api, postQueue: queue.postQueue, notifications: recordingNotifications });
    routes = captureApiRoutes(addSeminarApiRoutes);
    const router = { get: (path: string, ...handlers: unknown[]) => { calendar.set(path, handlers.at(-1) as CalendarHandler); } };
    addCalendarRoutes(router as unknown as Router, { authenticateRequest: () => undefined } as unknown as HostMiddleware);
  });

  beforeEach(async () => {
    await testDatabase().flushAll();
    queue.queuedByCore.clear();
    await seedTaxonomy(['cardiology', 'emergency-medicine']);
    await provisionStructure();
    for (const uid of [ADMIN, VERIFIED, MEMBER, ORGANISER]) {
      await world.createUser(uid);
    }
    await world.groups.join('administrators', ADMIN);
    await provisionSeminars();
    await world.groups.join(ORGANISERS_GROUP, ORGANISER);
    await setVerifiedSpecialties(VERIFIED, ['emergency-medicine']);
    seminarsCid = (await seminarCategoryCids())[0] ?? 0;
    otherCid = (await world.categories.create({ name: 'Courses elsewhere' })).cid;
    await nodebb.meta.settings.set(SETTINGS_HASH, { seminarsCategories: `${seminarsCid},${otherCid}` });
  });

  async function create(uid: number, overrides: Record<string, unknown> = {}): Promise<SentAnswer> {
    return routes.call('post /physician-network/seminars', {
      uid, body: { cid: seminarsCid, title: 'ATLS Provider Course', content: 'Two days, Yogyakarta.', ...seminarForm(), ...overrides },
    });
  }

  async function listed(uid = ADMIN): Promise<number[]> {
    return (await listUpcoming({}, { uid, limit: 50, now: NOW })).seminars.map(s => s.tid);
  }

  /** The category index the listings read. */
  async function listedIn(cid: number): Promise<number[]> {
    return (await testDatabase().getSortedSetRange(seminarKeys.index.category(cid), 0, -1)).map(Number);
  }

  async function seminarOf(tid: number): Promise<Seminar> {
    const seminar = await getSeminar(tid);
    if (!seminar) {
      throw new Error(`no seminar ${tid}`);
    }
    return seminar;
  }

  async function topicCount(): Promise<number> {
    return Number(await testDatabase().getObjectField('global', 'nextTid') ?? 0);
  }

  async function fetchCalendar(path: string, req: Partial<Request>): Promise<CalendarReply> {
    const handler = calendar.get(path);
    if (!handler) {
      throw new Error(`no calendar route ${path}`);
    }
    return new Promise((resolve) => {
      const reply: CalendarReply = { status: 0, body: '' };
      const res = {
        headersSent: false,
        status(code: number) { reply.status = code; return this; },
        set() { return this; },
        send(body: string) { reply.body = body; resolve(reply); return this; },
      };
      handler({ params: {}, query: {}, method: 'GET', originalUrl: path, ...req } as unknown as Request, res as unknown as Response);
    });
  }

  describe('through NodeBB\'s post queue', () => {
    it('a seminar core queues waits unlisted, and the member is told it awaits review (translated)', async () => {
      queue.queuedByCore.add(VERIFIED);
      const answer = await create(VERIFIED);
      expect(answer.status).to.equal(200);
      expect(answer.payload).to.deep.equal({ queued: true, message: '[[physician-network:seminars.form.queued]]' });
      expect(await topicCount()).to.equal(0);
      expect(await queue.queuedIds()).to.have.length(1);
      expect(await listed()).to.deep.equal([]);
      const feed = await fetchCalendar('/seminars.ics', {});
      expect(feed.body).to.not.contain('ATLS');
    });

    it('accepted: the topic gets its tid and the seminar is listed with every field', async () => {
      queue.queuedByCore.add(VERIFIED);
      await create(VERIFIED, { capacity: '40' });
      const [queued] = await queue.queuedIds();
      const tid = await queue.accept(queued ?? '');
      const seminar = await getSeminar(tid);
      expect(seminar).to.deep.include({ tid, cid: seminarsCid, uid: VERIFIED, title: 'ATLS Provider Course', capacity: 40, city: 'Yogyakarta' });
      expect(await listed()).to.deep.equal([tid]);
      expect(await pendingSeminarIds()).to.deep.equal([]);
    });

    it('rejected: the held seminar is discarded with its fields, and nothing is listed', async () => {
      queue.queuedByCore.add(VERIFIED);
      await create(VERIFIED);
      const held = await pendingSeminarIds();
      expect(held).to.have.length(1);
      expect((await getPendingSeminar(held[0] ?? ''))?.fields.city).to.equal('Yogyakarta');
      const [queued] = await queue.queuedIds();
      await queue.reject(queued ?? '');
      expect(await pendingSeminarIds()).to.deep.equal([]);
      expect(await getPendingSeminar(held[0] ?? '')).to.equal(null);
      expect(await topicCount()).to.equal(0);
      expect(await listed()).to.deep.equal([]);
    });

    it('the plugin\'s own image review queues a seminar whose description shows an image; reviewers publish at once', async () => {
      await nodebb.meta.settings.set(SETTINGS_HASH, { seminarsCategories: `${seminarsCid},${otherCid}`, redactionReviewCategories: String(seminarsCid) });
      const member = await create(VERIFIED, { content: IMAGE });
      expect((member.payload as { queued?: boolean }).queued).to.equal(true);
      expect(await listed()).to.deep.equal([]);
      const admin = await create(ADMIN, { content: IMAGE, title: 'Echo workshop' });
      const { tid } = admin.payload as { tid: number };
      expect(await listed()).to.deep.equal([tid]);
    });

    it('a seminar published at once leaves nothing held', async () => {
      const { tid } = (await create(VERIFIED)).payload as { tid: number };
      expect(await listed()).to.deep.equal([tid]);
      expect(await pendingSeminarIds()).to.deep.equal([]);
    });
  });

  describe('topic lifecycle', () => {
    it('a merge (core deletes the merged topic without action:topic.delete) takes the merged topic\'s seminar out of every listing', async () => {
      const kept = ((await create(VERIFIED)).payload as { tid: number }).tid;
      const merged = ((await create(VERIFIED, { title: 'ATLS day two' })).payload as { tid: number }).tid;
      // As src/topics/merge.js: the merged topic is deleted and marked, then only action:topic.merge fires.
      await testDatabase().setObject(`topic:${merged}`, { deleted: 1, mergeIntoTid: kept, mainPid: 0 });
      await fireAction('action:topic.merge', { uid: ADMIN, tids: [kept, merged], mergeIntoTid: kept, otherTids: [merged] });
      expect(await listed()).to.deep.equal([kept]);
      expect((await getSeminar(merged))?.hidden).to.equal(true);
    });

    it('an owner change makes the new owner the seminar\'s author (who may then edit it)', async () => {
      const tid = ((await create(VERIFIED)).payload as { tid: number }).tid;
      expect(await canEditSeminar(await seminarOf(tid), ORGANISER)).to.equal(false);
      // As src/posts/user.js: the topic's uid changes, then action:topic.changeOwner fires.
      await testDatabase().setObjectField(`topic:${tid}`, 'uid', ORGANISER);
      await fireAction('action:topic.changeOwner', { topics: [{ tid, cid: seminarsCid, uid: VERIFIED }], toUid: ORGANISER });
      const seminar = await seminarOf(tid);
      expect(seminar.uid).to.equal(ORGANISER);
      expect(await canEditSeminar(seminar, ORGANISER)).to.equal(true);
    });

    describe('a hook that fails', () => {
      const saved = { ...SEMINAR_LOCK_TIMINGS };
      beforeEach(() => { Object.assign(SEMINAR_LOCK_TIMINGS, { ttlSeconds: 30, maxWaitMs: 300 }); });
      afterEach(() => { Object.assign(SEMINAR_LOCK_TIMINGS, saved); });

      it('a move whose hook could not take the lock is repaired by the repair job', async () => {
        const tid = ((await create(VERIFIED)).payload as { tid: number }).tid;
        await world.topics.tools.move(tid, { cid: otherCid, uid: ADMIN });
        // Someone else holds the seminar's lock: the hook gives up (core would log it and go on).
        await testDatabase().incrObjectField(seminarKeys.lock(tid), 'holders');
        await fireAction('action:topic.move', { tid, fromCid: seminarsCid, toCid: otherCid, uid: ADMIN });
        expect((await getSeminar(tid))?.cid).to.equal(seminarsCid);
        await testDatabase().delete(seminarKeys.lock(tid));
        expect(await repairOutOfStepSeminars()).to.equal(1);
        expect((await getSeminar(tid))?.cid).to.equal(otherCid);
        expect(await listedIn(otherCid)).to.deep.equal([tid]);
        expect(await listedIn(seminarsCid)).to.deep.equal([]);
      });

      it('a delete whose hook failed is repaired by reconciliation on start', async () => {
        const tid = ((await create(VERIFIED)).payload as { tid: number }).tid;
        await testDatabase().setObjectField(`topic:${tid}`, 'deleted', 1);
        await testDatabase().incrObjectField(seminarKeys.lock(tid), 'holders');
        await fireAction('action:topic.delete', { topic: { tid }, uid: ADMIN });
        expect(await listed()).to.deep.equal([tid]);
        await testDatabase().delete(seminarKeys.lock(tid));
        await reconcileSeminarsWithTopics(NOW);
        expect(await listed()).to.deep.equal([]);
      });
    });

    it('reconciliation on start checks every seminar against its topic: gone, deleted, moved, renamed, new owner, lost index entries', async () => {
      const ids: number[] = [];
      for (const title of ['Purged', 'Deleted', 'Moved', 'Renamed', 'Owner', 'Unindexed', 'Untouched']) {
        ids.push(((await create(VERIFIED, { title })).payload as { tid: number }).tid);
      }
      const [purged, deleted, moved, renamed, owner, unindexed, untouched] = ids as [number, number, number, number, number, number, number];
      // Changes made while the plugin was off, or whose hooks never ran.
      await world.topics.purgePostsAndTopic(purged, ADMIN);
      await testDatabase().setObjectField(`topic:${deleted}`, 'deleted', 1);
      await world.topics.tools.move(moved, { cid: otherCid, uid: ADMIN });
      await testDatabase().setObject(`topic:${renamed}`, { title: 'ATLS &amp; ACLS', slug: `${renamed}/atls-acls` });
      await testDatabase().setObjectField(`topic:${owner}`, 'uid', ORGANISER);
      await testDatabase().sortedSetRemove([seminarKeys.index.all, seminarKeys.index.category(seminarsCid)], String(unindexed));
      const before = await getSeminar(untouched);

      const summary = await reconcileSeminarsWithTopics(NOW);
      expect(summary).to.deep.include({ checked: 7, deleted: 1, updated: 4, failed: 0 });
      expect(await getSeminar(purged)).to.equal(null);
      expect((await listed()).sort((a, b) => a - b)).to.deep.equal([moved, renamed, owner, unindexed, untouched]);
      expect((await getSeminar(deleted))?.hidden).to.equal(true);
      expect((await getSeminar(moved))?.cid).to.equal(otherCid);
      expect(await getSeminar(renamed)).to.deep.include({ title: 'ATLS & ACLS', slug: `${renamed}/atls-acls` });
      expect((await getSeminar(owner))?.uid).to.equal(ORGANISER);
      expect(await listedIn(seminarsCid)).to.include(unindexed);
      // A seminar already in step is left as it was (no new SEQUENCE for calendars).
      expect((await getSeminar(untouched))?.sequence).to.equal(before?.sequence);
      // Restoring the deleted topic later brings its seminar back, found through the every-seminar index.
      await testDatabase().setObjectField(`topic:${deleted}`, 'deleted', 0);
      await reconcileSeminarsWithTopics(NOW);
      expect(await listed()).to.include(deleted);
    });

    it('reconciliation settles held seminars: an accepted topic whose hook failed is published, a stale one discarded, a queued one kept', async () => {
      queue.queuedByCore.add(VERIFIED);
      await create(VERIFIED, { title: 'Accepted while the hook failed' });
      await create(VERIFIED, { title: 'Still in the queue' });
      const [acceptedId, waitingId] = await queue.queuedIds();
      // The acceptance's action:topic.post listener never runs (core fires it without waiting; the process died).
      const actions = queue.topicPostActions.splice(0);
      const tid = await queue.accept(acceptedId ?? '');
      queue.topicPostActions.push(...actions);
      expect(await getSeminar(tid)).to.equal(null);
      // A create that died after holding the fields and before core queued anything.
      expect(await pendingSeminarIds()).to.have.length(2);
      await testDatabase().setObject(seminarKeys.pending('00000000-0000-4000-8000-000000000000'), {
        id: '00000000-0000-4000-8000-000000000000', uid: VERIFIED, cid: seminarsCid, title: 'Lost', fields: '{}', held: NOW - PENDING_GRACE_MS - 1,
      });
      await testDatabase().sortedSetAdd(seminarKeys.pendingIndex, NOW - PENDING_GRACE_MS - 1, '00000000-0000-4000-8000-000000000000');

      const summary = await reconcileSeminarsWithTopics(NOW);
      expect(summary).to.deep.include({ published: 1, discarded: 1, waiting: 1 });
      expect(await getSeminar(tid)).to.deep.include({ title: 'Accepted while the hook failed', uid: VERIFIED });
      expect(await listed()).to.deep.equal([tid]);
      expect(await pendingSeminarIds()).to.have.length(1);
      const waiting = await getPendingSeminar((await pendingSeminarIds())[0] ?? '');
      expect(waiting?.title).to.equal('Still in the queue');
      expect(waiting?.queueId).to.equal(waitingId);
    });
  });

  describe('a banned member', () => {
    async function ban(uid: number, expire = 0): Promise<void> {
      // As src/user/bans.js.
      await testDatabase().setObject(`user:${uid}`, { banned: 1, 'banned:expire': expire });
    }
    async function unban(uid: number): Promise<void> {
      await testDatabase().setObject(`user:${uid}`, { banned: 0, 'banned:expire': 0 });
    }

    it('keeps feed token and verified groups; while banned the personal feed is 404 and RSVPs are refused; unban restores both', async () => {
      const tid = ((await create(ADMIN)).payload as { tid: number }).tid;
      const params = { tid: String(tid) };
      const issued = (await routes.call('post /physician-network/seminars/feed/token', { uid: VERIFIED })).payload as { url: string };
      const file = issued.url.split('/').at(-1) ?? '';
      expect((await fetchCalendar('/seminars/feed/:file', { params: { file } })).status).to.equal(200);
      expect((await routes.call('put /physician-network/seminars/:tid/rsvp', { uid: VERIFIED, params, body: { choice: 'going' } })).status).to.equal(200);

      await ban(VERIFIED);
      expect((await fetchCalendar('/seminars/feed/:file', { params: { file } })).status).to.equal(404);
      const refused = await routes.call('put /physician-network/seminars/:tid/rsvp', { uid: VERIFIED, params, body: { choice: 'interested' } });
      expect(refused.status).to.equal(403);
      expect((refused.payload as Error).message).to.contain('error.seminars-rsvp-banned');
      const shown = (await routes.call('get /physician-network/seminars/:tid', { uid: VERIFIED, params })).payload as { canRsvp: boolean };
      expect(shown.canRsvp).to.equal(false);
      // Nothing was taken away.
      expect(await getRsvpState(tid, VERIFIED)).to.equal('going');
      expect(await world.groups.isMember(VERIFIED, VERIFIED_PHYSICIANS_GROUP)).to.equal(true);

      await unban(VERIFIED);
      expect((await fetchCalendar('/seminars/feed/:file', { params: { file } })).status).to.equal(200);
      const again = await routes.call('put /physician-network/seminars/:tid/rsvp', { uid: VERIFIED, params, body: { choice: 'interested' } });
      expect(again.status).to.equal(200);
      expect(await getRsvpState(tid, VERIFIED)).to.equal('interested');
    });

    it('a ban that has expired counts as lifted', async () => {
      const issued = (await routes.call('post /physician-network/seminars/feed/token', { uid: VERIFIED })).payload as { url: string };
      const file = issued.url.split('/').at(-1) ?? '';
      await ban(VERIFIED, Date.now() - 1000);
      expect((await fetchCalendar('/seminars/feed/:file', { params: { file } })).status).to.equal(200);
      await ban(VERIFIED, Date.now() + 60_000);
      expect((await fetchCalendar('/seminars/feed/:file', { params: { file } })).status).to.equal(404);
    });
  });
});
