/**
 * A seminar's members, over real Redis: banned members (feed and RSVP shut while banned,
 * everything back when the ban is lifted).
 */
import { expect } from 'chai';
import type { Request, Response, Router } from 'express';

import { nodebb, provideForTests } from '../../lib/nodebb';
import type { HostMiddleware } from '../../lib/nodebb';
import { SETTINGS_HASH } from '../../lib/settings/fields';
import { addCalendarRoutes, addSeminarApiRoutes } from '../../lib/seminars/web';
import { provisionSeminars, seminarCategoryCids } from '../../lib/seminars/provision';
import { getRsvpState, ORGANISERS_GROUP } from '../../lib/seminars';
import { VERIFIED_PHYSICIANS_GROUP } from '../../lib/specialties/policy';
import { setVerifiedSpecialties } from '../../lib/specialties/membership';
import { provisionStructure } from '../../lib/specialties/structure';
import { testDatabase } from '../harness/root-hooks';
import { captureApiRoutes, type CapturedRoutes, type SentAnswer } from '../harness/api-routes';
import { installSpecialtyStandIns, seedTaxonomy, type SpecialtyStandIns } from '../harness/specialties-stand-ins';
import { recordingNotifications } from '../harness/seminars-stand-ins';
import { seminarForm } from '../harness/seminars-fixtures';

const ADMIN = 1;
const VERIFIED = 10;
const MEMBER = 11;
const ORGANISER = 12;

interface CalendarReply { status: number; body: string }
type CalendarHandler = (req: Request, res: Response) => void;

describe('seminars: banned members', () => {
  let world: SpecialtyStandIns;
  let routes: CapturedRoutes;
  const calendar = new Map<string, CalendarHandler>();
  let seminarsCid = 0;
  let otherCid = 0;

  before(() => {
    world = installSpecialtyStandIns(testDatabase());
    provideForTests({ notifications: recordingNotifications });
    routes = captureApiRoutes(addSeminarApiRoutes);
    const router = { get: (path: string, ...handlers: unknown[]) => { calendar.set(path, handlers.at(-1) as CalendarHandler); } };
    addCalendarRoutes(router as unknown as Router, { authenticateRequest: () => undefined } as unknown as HostMiddleware);
  });

  beforeEach(async () => {
    await testDatabase().flushAll();
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
