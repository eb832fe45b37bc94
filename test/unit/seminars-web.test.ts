/**
 * The seminar API and calendar routes as NodeBB would mount them, over real Redis: who may
 * call what, that a refused form leaves no topic, RSVP and waitlist through the routes, feed
 * tokens, and the topic lifecycle hooks.
 */
import { expect } from 'chai';
import type { Request, Response, Router } from 'express';
import ICAL from 'ical.js';

import { nodebb, provideForTests } from '../../lib/nodebb';
import type { HostMiddleware } from '../../lib/nodebb';
import { SETTINGS_HASH } from '../../lib/settings/fields';
import { purgeSeminarWithTopic, hideSeminarWithTopic, showSeminarWithTopic, renameSeminarWithTopic, registerSeminarNotificationTypes } from '../../lib/seminars/hooks';
import { plainTitle } from '../../lib/seminars/model';
import { addSeminarApiRoutes, addCalendarRoutes } from '../../lib/seminars/routes';
import { seminarCategoriesFor } from '../../lib/seminars/service';
import { provisionSeminars, seminarCategoryCids } from '../../lib/seminars/provision';
import { listUpcoming } from '../../lib/seminars/listing';
import { SEMINAR_NOTIFICATION_TYPES } from '../../lib/seminars/notify';
import { ORGANISERS_GROUP } from '../../lib/seminars/provision';
import { getSeminar } from '../../lib/seminars/store';
import { setVerifiedSpecialties } from '../../lib/specialties/membership';
import { provisionStructure } from '../../lib/specialties/structure';
import { getSpecialty } from '../../lib/specialties/taxonomy';
import { testDatabase } from '../harness/root-hooks';
import { documentedRoutes } from '../harness/openapi-routes';
import { captureApiRoutes, type CapturedRoutes, type SentAnswer } from '../harness/api-routes';
import { installSpecialtyStandIns, seedTaxonomy, type SpecialtyStandIns } from '../harness/specialties-stand-ins';
import { recordedNotifications, recordingNotifications } from '../harness/seminars-stand-ins';
import { seminarForm } from '../harness/seminars-fixtures';
import { makePostQueueStandIn } from '../harness/post-queue-stand-in';

type Sent = SentAnswer;
interface CalendarReply { status: number; headers: Record<string, string>; body: string }
type CalendarHandler = (req: Request, res: Response) => void;

const ADMIN = 1;
const VERIFIED = 10;
const MEMBER = 11;
const ORGANISER = 12;
const CARDIOLOGIST = 13;

describe('seminars: API and calendar routes', () => {
  let world: SpecialtyStandIns;
  let routes: CapturedRoutes;
  const calendar = new Map<string, CalendarHandler>();
  let seminarsCid = 0;
  let closedCid = 0;
  let mainPidsEdited: { pid: number; title?: string; content: string | null }[] = [];

  before(() => {
    world = installSpecialtyStandIns(testDatabase());
    const queue = makePostQueueStandIn(testDatabase(), () => world.topics);
    provideForTests({
      api: queue.api,
      postQueue: queue.postQueue,
      notifications: recordingNotifications,
      posts: {
        getPostFields: async (pid, fields) => testDatabase().getObjectFields(`post:${pid}`, fields),
        getPostField: async (pid, field) => testDatabase().getObjectField(`post:${pid}`, field),
        edit: async (data) => {
          mainPidsEdited.push({ pid: data.pid, title: data.title, content: data.content });
          const tid = Number(await testDatabase().getObjectField(`post:${data.pid}`, 'tid'));
          if (data.title !== undefined) {
            // Core stores titles HTML-escaped and fires action:topic.edit with the new title.
            const stored = data.title.replace(/&/g, '&amp;');
            await testDatabase().setObjectField(`topic:${tid}`, 'title', stored);
            await renameSeminarWithTopic({ topic: { tid, title: stored } });
          }
          return {};
        },
      },
    });
    routes = captureApiRoutes(addSeminarApiRoutes);
    const router = {
      get: (path: string, ...handlers: unknown[]) => {
        calendar.set(path, handlers.at(-1) as CalendarHandler);
      },
    };
    addCalendarRoutes(router as unknown as Router, { authenticateRequest: () => undefined } as unknown as HostMiddleware);
  });

  beforeEach(async () => {
    await testDatabase().flushAll();
    routes.sent.length = 0;
    mainPidsEdited = [];
    recordedNotifications.length = 0;
    await seedTaxonomy(['cardiology', 'emergency-medicine']);
    await provisionStructure();
    for (const uid of [ADMIN, VERIFIED, MEMBER, ORGANISER, CARDIOLOGIST]) {
      await world.createUser(uid);
    }
    await world.groups.join('administrators', ADMIN);
    await provisionSeminars();
    await world.groups.join(ORGANISERS_GROUP, ORGANISER);
    await setVerifiedSpecialties(VERIFIED, ['emergency-medicine']);
    await setVerifiedSpecialties(CARDIOLOGIST, ['cardiology']);
    seminarsCid = (await seminarCategoryCids())[0] ?? 0;
    // The closed cardiology category also hosts seminars: the unverified cannot read it.
    closedCid = (await getSpecialty('cardiology'))?.cid ?? 0;
    await nodebb.meta.settings.set(SETTINGS_HASH, { seminarsCategories: `${seminarsCid},${closedCid}` });
  });

  async function fetchCalendar(path: string, req: Partial<Request> & { uid?: number }): Promise<CalendarReply> {
    const handler = calendar.get(path);
    if (!handler) {
      throw new Error(`no calendar route ${path}`);
    }
    return new Promise((resolve) => {
      const reply: CalendarReply = { status: 0, headers: {}, body: '' };
      const res = {
        headersSent: false,
        status(code: number) { reply.status = code; return this; },
        set(headers: Record<string, string> | string, value?: string) {
          Object.assign(reply.headers, typeof headers === 'string' ? { [headers]: value ?? '' } : headers);
          return this;
        },
        send(body: string) { reply.body = body; resolve(reply); return this; },
      };
      handler({ params: {}, query: {}, method: 'GET', originalUrl: path, ...req } as unknown as Request, res as unknown as Response);
    });
  }

  /** The response payload, to be read as the shape the route documents. */
  function payload(result: Sent): object {
    return result.payload as object;
  }

  async function create(uid: number, overrides: Record<string, unknown> = {}): Promise<Sent> {
    return routes.call('post /physician-network/seminars', {
      uid, body: { cid: seminarsCid, title: 'ATLS Provider Course', content: 'Two days, Yogyakarta.', ...seminarForm(), ...overrides },
    });
  }

  async function topicCount(): Promise<number> {
    return Number(await testDatabase().getObjectField('global', 'nextTid') ?? 0);
  }

  it('mounts exactly the seminar routes of the OpenAPI file', () => {
    const seminarRoutes = [...routes.mounted.keys()].filter(route => route.includes('/seminars')).sort();
    expect(seminarRoutes).to.deep.equal(documentedRoutes('seminars'));
    expect(seminarRoutes).to.have.length(10);
  });

  it('provisions the Organisers group and a Seminars category everyone reads and only verified physicians and organisers start topics in', async () => {
    const before = await testDatabase().sortedSetCard('categories:cid');
    await provisionSeminars();
    expect(await testDatabase().sortedSetCard('categories:cid')).to.equal(before);
    const cid = Number(await testDatabase().getObjectField('physician-network:seminars', 'cid'));
    expect(await world.can('topics:read', cid, 0)).to.equal(true);
    expect(await world.can('topics:create', cid, MEMBER)).to.equal(false);
    expect(await world.can('topics:create', cid, VERIFIED)).to.equal(true);
    expect(await world.can('topics:create', cid, ORGANISER)).to.equal(true);
    expect((await seminarCategoriesFor(MEMBER)).map(c => c.cid)).to.deep.equal([]);
    // Specialty categories are closed to the unverified (the default policy), open to every verified physician.
    expect((await seminarCategoriesFor(VERIFIED)).map(c => c.cid)).to.deep.equal([seminarsCid, closedCid]);
    expect((await seminarCategoriesFor(ORGANISER)).map(c => c.cid)).to.deep.equal([seminarsCid]);
  });

  it('refuses guests (401) and unverified members (403) and creates nothing', async () => {
    expect((await create(0)).status).to.equal(401);
    const refused = await create(MEMBER);
    expect(refused.status).to.equal(403);
    expect(await topicCount()).to.equal(0);
  });

  it('a refused form creates no topic and no seminar', async () => {
    const refused = await create(VERIFIED, { end: '2030-03-12T08:00' });
    expect(refused.status).to.equal(400);
    expect((refused.payload as Error).message).to.contain('error.seminars-end-before-start');
    const wrongCategory = await create(VERIFIED, { cid: 999 });
    expect(wrongCategory.status).to.equal(400);
    expect(await topicCount()).to.equal(0);
    expect((await listUpcoming({}, { uid: ADMIN, limit: 10, now: Date.UTC(2029, 0, 1) })).seminars).to.have.length(0);
  });

  it('NodeBB\'s own refusal (title too short) reaches the member as its token, and nothing is stored', async () => {
    const refused = await create(VERIFIED, { title: 'AB' });
    expect(refused.status).to.equal(400);
    expect((refused.payload as Error).message).to.equal('[[error:title-too-short, 3]]');
    expect((await listUpcoming({}, { uid: ADMIN, limit: 10, now: Date.UTC(2029, 0, 1) })).seminars).to.have.length(0);
  });

  it('a verified physician and an organiser create seminars; the topic and the seminar agree', async () => {
    const made = await create(VERIFIED);
    expect(made.status).to.equal(200);
    const { tid, path } = (payload(made) as { tid: number; path: string });
    expect(path).to.equal(`/topic/${tid}/atls-provider-course`);
    const seminar = await getSeminar(tid);
    expect(seminar?.cid).to.equal(seminarsCid);
    expect(seminar?.uid).to.equal(VERIFIED);
    expect(seminar?.title).to.equal('ATLS Provider Course');
    expect(new Date(seminar?.start ?? 0).toISOString()).to.equal('2030-03-12T02:00:00.000Z'); // 09:00 WIB
    expect((await create(ORGANISER, { title: 'ACLS refresher' })).status).to.equal(200);
  });

  it('shows a closed-category seminar only to those who may read the category, on the API and the .ics route', async () => {
    const { tid } = (payload(await create(CARDIOLOGIST, { cid: closedCid, title: 'Echo workshop' })) as { tid: number });
    for (const uid of [0, MEMBER, ORGANISER]) {
      expect((await routes.call('get /physician-network/seminars/:tid', { uid, params: { tid: String(tid) } })).status).to.equal(404);
    }
    const seen = await routes.call('get /physician-network/seminars/:tid', { uid: CARDIOLOGIST, params: { tid: String(tid) } });
    expect(seen.status).to.equal(200);
    expect((payload(seen) as { seminar: { title: string }; canEdit: boolean }).canEdit).to.equal(true);
    expect((payload(await routes.call('get /physician-network/seminars/:tid', { uid: ADMIN, params: { tid: String(tid) } })) as { canEdit: boolean }).canEdit).to.equal(true);
    const guestIcs = await fetchCalendar('/seminars/:tid/ics', { uid: 0, params: { tid: String(tid) } });
    expect(guestIcs.status).to.equal(404);
    expect(guestIcs.body).to.not.contain('Echo');
    const memberIcs = await fetchCalendar('/seminars/:tid/ics', { uid: CARDIOLOGIST, params: { tid: String(tid) } });
    expect(memberIcs.status).to.equal(200);
    expect(memberIcs.headers['Content-Type']).to.equal('text/calendar; charset=utf-8');
    const event = new ICAL.Component(ICAL.parse(memberIcs.body) as unknown[]).getFirstSubcomponent('vevent');
    expect(event?.getFirstPropertyValue('summary')).to.equal('Echo workshop');
    const publicFeed = await fetchCalendar('/seminars.ics', { uid: 0 });
    expect(publicFeed.status).to.equal(200);
    expect(publicFeed.body).to.not.contain('Echo workshop');
  });

  it('the public feed keeps to the specialties asked for, ignoring ones that are not offered', async () => {
    expect((await create(VERIFIED)).status).to.equal(200); // emergency medicine, in the public Seminars category
    const summaryCount = (body: string): number => body.split('SUMMARY:ATLS Provider Course').length - 1;
    expect(summaryCount((await fetchCalendar('/seminars.ics', { uid: 0, query: { specialties: 'emergency-medicine' } })).body)).to.equal(1);
    expect(summaryCount((await fetchCalendar('/seminars.ics', { uid: 0, query: { specialties: 'cardiology' } })).body)).to.equal(0);
    // Nothing offered among those asked for: the whole public feed.
    expect(summaryCount((await fetchCalendar('/seminars.ics', { uid: 0, query: { specialties: 'no-such,also-not' } })).body)).to.equal(1);
  });

  it('lets the author, category moderators and admins edit and cancel; others get 403', async () => {
    const { tid } = (payload(await create(VERIFIED)) as { tid: number });
    const params = { tid: String(tid) };
    expect((await routes.call('put /physician-network/seminars/:tid', { uid: CARDIOLOGIST, params, body: seminarForm() })).status).to.equal(403);
    expect((await routes.call('post /physician-network/seminars/:tid/cancel', { uid: CARDIOLOGIST, params })).status).to.equal(403);
    expect((await routes.call('post /physician-network/seminars/:tid/cancel', { uid: 0, params })).status).to.equal(401);
    const edited = await routes.call('put /physician-network/seminars/:tid', {
      uid: VERIFIED, params, body: { ...seminarForm({ start: '2030-03-12T10:00', end: '2030-03-12T18:00' }), title: 'ATLS & ACLS' },
    });
    expect(edited.status).to.equal(200);
    expect(mainPidsEdited.map(e => e.title)).to.deep.equal(['ATLS & ACLS']);
    const seminar = await getSeminar(tid);
    expect(seminar?.title).to.equal('ATLS & ACLS');
    expect(new Date(seminar?.start ?? 0).toISOString()).to.equal('2030-03-12T03:00:00.000Z');
    const cancelled = await routes.call('post /physician-network/seminars/:tid/cancel', { uid: ADMIN, params });
    expect(cancelled.status).to.equal(200);
    expect((await getSeminar(tid))?.status).to.equal('cancelled');
  });

  it('RSVP through the routes: capacity 1 puts the second on the waitlist; withdrawing promotes and notifies them', async () => {
    const { tid } = (payload(await create(ADMIN, { capacity: '1' })) as { tid: number });
    const params = { tid: String(tid) };
    expect((await routes.call('put /physician-network/seminars/:tid/rsvp', { uid: 0, params, body: { choice: 'going' } })).status).to.equal(401);
    const first = await routes.call('put /physician-network/seminars/:tid/rsvp', { uid: VERIFIED, params, body: { choice: 'going' } });
    expect((payload(first) as { state: string }).state).to.equal('going');
    const second = await routes.call('put /physician-network/seminars/:tid/rsvp', { uid: MEMBER, params, body: { choice: 'going' } });
    expect(payload(second)).to.deep.include({ state: 'waitlisted' });
    expect((payload(second) as { counts: { going: number; waitlisted: number } }).counts).to.deep.include({ going: 1 });
    const bad = await routes.call('put /physician-network/seminars/:tid/rsvp', { uid: MEMBER, params, body: { choice: 'maybe' } });
    expect(bad.status).to.equal(400);
    const withdrawn = await routes.call('delete /physician-network/seminars/:tid/rsvp', { uid: VERIFIED, params });
    expect((payload(withdrawn) as { promoted: number[] }).promoted).to.deep.equal([MEMBER]);
    expect(recordedNotifications.some(n => n.uids.includes(MEMBER) && String(n.notification.type) === 'seminar-waitlist')).to.equal(true);
    const mine = await routes.call('get /physician-network/seminars/:tid', { uid: MEMBER, params });
    expect((payload(mine) as { rsvp: { state: string } }).rsvp.state).to.equal('going');
  });

  it('feed tokens: the URL works until regenerated or revoked, and carries only what the member may read', async () => {
    expect((await create(CARDIOLOGIST, { cid: closedCid, title: 'Echo workshop' })).status).to.equal(200);
    expect((await routes.call('post /physician-network/seminars/feed/token', { uid: 0 })).status).to.equal(403);
    const issued = (payload(await routes.call('post /physician-network/seminars/feed/token', { uid: CARDIOLOGIST })) as { url: string });
    const file = issued.url.split('/').at(-1) ?? '';
    expect(file).to.match(/^[\w-]{43}\.ics$/);
    const feed = await fetchCalendar('/seminars/feed/:file', { params: { file } });
    expect(feed.status).to.equal(200);
    expect(feed.body).to.contain('Echo workshop');
    const again = (payload(await routes.call('post /physician-network/seminars/feed/token', { uid: CARDIOLOGIST })) as { url: string });
    expect((await fetchCalendar('/seminars/feed/:file', { params: { file } })).status).to.equal(404);
    const second = again.url.split('/').at(-1) ?? '';
    expect((await fetchCalendar('/seminars/feed/:file', { params: { file: second } })).status).to.equal(200);
    await routes.call('delete /physician-network/seminars/feed/token', { uid: CARDIOLOGIST });
    expect((await fetchCalendar('/seminars/feed/:file', { params: { file: second } })).status).to.equal(404);
    for (const uid of [MEMBER, ORGANISER]) {
      const token = (payload(await routes.call('post /physician-network/seminars/feed/token', { uid })) as { url: string }).url.split('/').at(-1) ?? '';
      const theirs = await fetchCalendar('/seminars/feed/:file', { params: { file: token } });
      expect(theirs.status).to.equal(200);
      expect(theirs.body).to.not.contain('Echo workshop');
    }
    const chosen = await routes.call('put /physician-network/seminars/feed/specialties', { uid: MEMBER, body: { specialties: ['no-such-specialty'] } });
    expect(chosen.status).to.equal(400);
    const ok = await routes.call('put /physician-network/seminars/feed/specialties', { uid: MEMBER, body: { specialties: ['cardiology'] } });
    expect((payload(ok) as { specialties: string[] }).specialties).to.deep.equal(['cardiology']);
  });

  it('topic hooks: delete hides, restore shows, purge removes the seminar', async () => {
    const { tid } = (payload(await create(VERIFIED)) as { tid: number });
    const now = Date.UTC(2029, 0, 1);
    // As core: the topic changes first, then the hook fires.
    await testDatabase().setObjectField(`topic:${tid}`, 'deleted', 1);
    await hideSeminarWithTopic({ topic: { tid } });
    expect((await listUpcoming({}, { uid: ADMIN, limit: 10, now })).seminars).to.have.length(0);
    await testDatabase().setObjectField(`topic:${tid}`, 'deleted', 0);
    await showSeminarWithTopic({ topic: { tid } });
    expect((await listUpcoming({}, { uid: ADMIN, limit: 10, now })).seminars.map(s => s.tid)).to.deep.equal([tid]);
    await world.topics.purgePostsAndTopic(tid, ADMIN);
    await purgeSeminarWithTopic({ topic: { tid } });
    expect(await getSeminar(tid)).to.equal(null);
    expect((await listUpcoming({}, { uid: ADMIN, limit: 10, now })).seminars).to.have.length(0);
  });

  it('registers the three seminar notification types once', async () => {
    const data = await registerSeminarNotificationTypes(await registerSeminarNotificationTypes({ types: [] }));
    expect(data.types).to.deep.equal(SEMINAR_NOTIFICATION_TYPES.map(t => `notificationType_${t}`));
  });

  it('decodes NodeBB\'s escaped titles to plain text', () => {
    expect(plainTitle('ATLS &amp; ACLS &lt;2030&gt; &#39;Jakarta&#x27;')).to.equal('ATLS & ACLS <2030> \'Jakarta\'');
    expect(plainTitle('&bogus; stays')).to.equal('&bogus; stays');
  });
});
