/**
 * NodeBB's multer writes any multipart body to temp files before a plugin's API controller
 * runs, on every route and for anyone. Every seminar and specialty route must delete them,
 * whatever the outcome: success, validation error, permission refusal, guest. Real Redis
 * underneath; real temp files on disk.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'chai';
import type { Request } from 'express';

import { provideForTests } from '../../lib/nodebb';
import { SETTINGS_HASH } from '../../lib/settings/fields';
import { addSeminarApiRoutes } from '../../lib/seminars/routes';
import { routes as specialtyRoutes } from '../../lib/specialties/routes';
import { provisionSeminars, seminarCategoryCids } from '../../lib/seminars/provision';
import { setVerifiedSpecialties } from '../../lib/specialties/membership';
import { provisionStructure } from '../../lib/specialties/structure';
import { nodebb } from '../../lib/nodebb';
import { testDatabase } from '../harness/root-hooks';
import { captureApiRoutes, type CapturedRoutes } from '../harness/api-routes';
import { installSpecialtyStandIns, seedTaxonomy, type SpecialtyStandIns } from '../harness/specialties-stand-ins';
import { makePostQueueStandIn } from '../harness/post-queue-stand-in';
import { recordingNotifications } from '../harness/seminars-stand-ins';
import { seminarForm } from '../harness/seminars-fixtures';

const ADMIN = 1;
const VERIFIED = 10;
const MEMBER = 11;

describe('multipart temp files on seminar and specialty API routes', () => {
  let world: SpecialtyStandIns;
  let routes: CapturedRoutes;
  let dir = '';
  let seminarsCid = 0;

  before(() => {
    world = installSpecialtyStandIns(testDatabase());
    const queue = makePostQueueStandIn(testDatabase(), () => world.topics);
    provideForTests({ api: queue.api, postQueue: queue.postQueue, notifications: recordingNotifications });
    routes = captureApiRoutes((router) => {
      addSeminarApiRoutes(router);
      specialtyRoutes.api(router);
    });
    dir = mkdtempSync(join(tmpdir(), 'pn-multer-'));
  });

  after(() => { rmSync(dir, { recursive: true, force: true }); });

  beforeEach(async () => {
    await testDatabase().flushAll();
    await seedTaxonomy(['cardiology', 'emergency-medicine']);
    await provisionStructure();
    for (const uid of [ADMIN, VERIFIED, MEMBER]) {
      await world.createUser(uid);
    }
    await world.groups.join('administrators', ADMIN);
    await provisionSeminars();
    await setVerifiedSpecialties(VERIFIED, ['emergency-medicine']);
    seminarsCid = (await seminarCategoryCids())[0] ?? 0;
    await nodebb.meta.settings.set(SETTINGS_HASH, { seminarsCategories: String(seminarsCid) });
  });

  let counter = 0;
  /** Two temp files as multer leaves them in req.files. */
  function tempFiles(): { fieldname: string; path: string; size: number }[] {
    return ['a', 'b'].map((field) => {
      counter += 1;
      const path = join(dir, `upload-${counter}`);
      writeFileSync(path, 'GIF89a not really');
      return { fieldname: field, path, size: 17 };
    });
  }

  const seminarAndSpecialtyRoutes = (): string[] => [...routes.mounted.keys()]
    .filter(route => /\/physician-network\/(seminars|specialties|members|directory)/.test(route));

  it('mounts every such route with no middleware of its own, so nothing answers before the controller cleans up', () => {
    const mounted = seminarAndSpecialtyRoutes();
    expect(mounted.length).to.be.greaterThan(20);
    for (const route of mounted) {
      expect(routes.middlewares.get(route), route).to.deep.equal([]);
    }
  });

  it('deletes them for a guest, a member refused, and an admin sending nonsense, on every route', async () => {
    const params = { tid: '999', slug: 'cardiology', uid: String(MEMBER) };
    for (const route of seminarAndSpecialtyRoutes()) {
      for (const uid of [0, MEMBER, ADMIN]) {
        const files = tempFiles();
        const answer = await routes.call(route, { uid, files, params, body: { nonsense: '[[x]]' } } as Partial<Request>);
        expect(answer.status, `${route} as ${uid}`).to.be.a('number');
        expect(files.map(file => existsSync(file.path)), `${route} as ${uid}`).to.deep.equal([false, false]);
      }
    }
  });

  it('deletes them when the request succeeds (a seminar created, a specialty listed, a directory choice saved)', async () => {
    const cases: [string, number, Record<string, unknown>][] = [
      ['post /physician-network/seminars', VERIFIED, { cid: seminarsCid, title: 'ATLS Provider Course', content: 'Two days.', ...seminarForm() }],
      ['get /physician-network/specialties', ADMIN, {}],
      ['put /physician-network/directory/listing', VERIFIED, { listed: 'true' }],
    ];
    for (const [route, uid, body] of cases) {
      const files = tempFiles();
      const answer = await routes.call(route, { uid, files, body } as Partial<Request>);
      expect(answer.status, route).to.equal(200);
      expect(files.map(file => existsSync(file.path)), route).to.deep.equal([false, false]);
    }
  });

  it('deletes them on a validation error of the seminar form, and creates nothing', async () => {
    const files = tempFiles();
    const answer = await routes.call('post /physician-network/seminars', {
      uid: VERIFIED, files, body: { cid: seminarsCid, title: 'ATLS', content: 'x', ...seminarForm({ end: '2030-03-12T08:00' }) },
    } as Partial<Request>);
    expect(answer.status).to.equal(400);
    expect(files.map(file => existsSync(file.path))).to.deep.equal([false, false]);
    expect(await testDatabase().getObjectField('global', 'nextTid')).to.equal(null);
  });
});
