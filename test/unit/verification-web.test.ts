/**
 * The verification API routes as NodeBB would mount them: exactly the routes of the OpenAPI
 * file, and multipart temp files deleted on every path (guest, refusal), real Redis underneath.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request, Response, Router } from 'express';

import { nodebb, provideForTests } from '../../lib/nodebb';
import type { PageController } from '../../lib/nodebb';
import {
  addVerificationApiRoutes, defaultNotificationsToEmail, registerNotificationType, verificationService, NOTIFICATION_SETTING,
} from '../../lib/verification/web';
import { SETTINGS_HASH } from '../../lib/settings';
import { seedDefaultTaxonomy } from '../../lib/specialties/taxonomy';
import { testDatabase } from '../harness/root-hooks';
import { PLAINTEXT_MARKER, pdfBytes } from '../harness/verification-fixtures';
import { installVerificationWorld, type VerificationWorld } from '../harness/verification-stand-ins';

interface Sent { status: number; payload: unknown }

const spec = readFileSync(join(__dirname, '..', '..', '..', 'openapi', 'physician-network.yaml'), 'utf8');

/** `/verification/...` paths and their verbs, as the OpenAPI file lists them. */
function documentedRoutes(): string[] {
  const routes: string[] = [];
  let path = '';
  for (const line of spec.split('\n')) {
    const pathMatch = /^ {2}(\/verification\S*):\s*$/.exec(line);
    if (pathMatch) {
      path = pathMatch[1] ?? '';
      continue;
    }
    if (/^ {2}\S/.test(line)) {
      path = '';
    }
    const verb = /^ {4}(get|post|put|delete):/.exec(line);
    if (path && verb) {
      routes.push(`${verb[1] ?? ''} /physician-network${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
  }
  return routes.sort();
}

describe('verification: API routes', () => {
  let world: VerificationWorld;
  const mounted = new Map<string, PageController>();
  let sent: Sent[] = [];

  before(() => {
    world = installVerificationWorld(testDatabase());
    provideForTests({
      routeHelpers: {
        setupPageRoute: () => undefined,
        setupAdminPageRoute: () => undefined,
        setupApiRoute: (_router: Router, verb: string, path: string, _middlewares: unknown[], controller: PageController) => {
          mounted.set(`${verb} ${path}`, controller);
        },
      },
      controllerHelpers: {
        formatApiResponse: async (status: number, _res: Response, payload?: unknown) => { sent.push({ status, payload }); },
        notAllowed: async () => { sent.push({ status: 403, payload: null }); },
        buildBreadcrumbs: () => [],
      },
    });
    addVerificationApiRoutes({} as Router);
  });

  after(() => {
    world.restore();
  });

  beforeEach(async () => {
    await testDatabase().flushAll();
    sent = [];
  });

  function tempFiles(): { fieldname: string; path: string }[] {
    const dir = mkdtempSync(join(tmpdir(), 'pn-multer-'));
    const licence = join(dir, 'a');
    const photo = join(dir, 'b');
    writeFileSync(licence, 'not a pdf at all');
    writeFileSync(photo, 'nor an image');
    return [{ fieldname: 'licence', path: licence }, { fieldname: 'photoId', path: photo }];
  }

  async function call(route: string, req: Partial<Request>): Promise<Sent> {
    const controller = mounted.get(route);
    if (!controller) {
      throw new Error(`no route ${route}`);
    }
    const res = { headersSent: false, req: { method: 'POST', originalUrl: route } } as unknown as Response;
    const request: unknown = { params: {}, query: {}, body: {}, ...req };
    await controller(request as Request, res, () => undefined);
    const last = sent.at(-1);
    if (!last) {
      throw new Error('nothing sent');
    }
    return last;
  }

  it('mounts exactly the routes of the OpenAPI file', () => {
    expect([...mounted.keys()].sort()).to.deep.equal(documentedRoutes());
    expect(mounted.size).to.equal(13);
  });

  it('a guest\'s upload is refused with 401 and its temp files are deleted', async () => {
    const files = tempFiles();
    const result = await call('post /physician-network/verification/requests', { files, body: { consent: 'true' } } as Partial<Request>);
    expect(result.status).to.equal(401);
    expect(files.map(f => existsSync(f.path))).to.deep.equal([false, false]);
  });

  it('a member\'s refused upload (bytes that are no document) leaves no temp file and no request', async () => {
    await world.addUser(4, 'member');
    const files = tempFiles();
    const result = await call('post /physician-network/verification/requests', { uid: 4, files, body: { consent: 'true' } } as Partial<Request>);
    expect(result.status).to.equal(400);
    expect(files.map(f => existsSync(f.path))).to.deep.equal([false, false]);
    expect((await verificationService.getMyStatus({ uid: 4 })).status).to.equal('none');
  });

  it('temp files sent to a route that takes none are deleted too', async () => {
    await world.addUser(4, 'member');
    const files = tempFiles();
    const result = await call('post /physician-network/verification/requests/:rid/withdraw', { uid: 4, files, params: { rid: '1' } } as Partial<Request>);
    expect(result.status).to.equal(404);
    expect(files.map(f => existsSync(f.path))).to.deep.equal([false, false]);
  });

  describe('document URLs', () => {
    const route = 'get /physician-network/verification/requests/:rid/documents/:documentId';
    const callers: Record<string, number> = { guest: 0, 'another member': 5, 'the member': 4, reviewer: 3, 'global moderator': 2, admin: 1 };

    /** The document route with a response that records what the controller sends: bytes, or the API envelope. */
    async function download(uid: number, rid: string, documentId: string): Promise<{ status: number; bytes: Buffer | null; headers: Record<string, string> }> {
      const controller = mounted.get(route);
      if (!controller) {
        throw new Error(`no route ${route}`);
      }
      const answer = { status: 0, bytes: null as Buffer | null, headers: {} as Record<string, string> };
      const res = {
        headersSent: false,
        req: { method: 'GET', originalUrl: route },
        status(code: number) { answer.status = code; return this; },
        set(headers: Record<string, string>) { Object.assign(answer.headers, headers); return this; },
        end(bytes: Buffer) { answer.bytes = bytes; this.headersSent = true; return this; },
      };
      const before = sent.length;
      await controller({ uid, params: { rid, documentId }, query: {}, body: {} } as unknown as Request, res as unknown as Response, () => undefined);
      const envelope = sent.slice(before).at(-1);
      if (envelope) {
        answer.status = envelope.status;
      }
      return answer;
    }

    async function requestWithDocument(): Promise<{ rid: string; documentId: string }> {
      for (const [uid, name] of [[1, 'alice'], [2, 'gary'], [3, 'rita'], [4, 'mia'], [5, 'otto']] as const) {
        await world.addUser(uid, name);
      }
      await world.joinGroup(1, 'administrators');
      await world.joinGroup(2, 'Global Moderators');
      await world.joinGroup(3, 'Verification reviewers');
      await nodebb.meta.settings.set(SETTINGS_HASH, { verificationReviewerGroup: 'Verification reviewers' });
      await seedDefaultTaxonomy();
      const request = await verificationService.submit({ uid: 4 }, {
        fullName: 'Dr. Mia Jansen', registrationType: 'big', registrationNumber: '19012345601',
        specialties: ['cardiology'], institution: 'Amsterdam UMC', consent: true,
      }, [{ kind: 'licence', bytes: pdfBytes() }]);
      return { rid: String(request.rid), documentId: request.documents[0]?.id ?? '' };
    }

    for (const [who, uid] of Object.entries(callers)) {
      const allowed = !['guest', 'another member'].includes(who);
      it(`${who} → ${allowed ? '200 with the bytes' : '404 and no bytes'}`, async () => {
        const { rid, documentId } = await requestWithDocument();
        const answer = await download(uid, rid, documentId);
        if (allowed) {
          expect(answer.status).to.equal(200);
          expect(answer.bytes?.toString('latin1')).to.contain(PLAINTEXT_MARKER);
          expect(answer.headers['Cache-Control']).to.equal('no-store');
        } else {
          expect(answer.status).to.equal(404);
          expect(answer.bytes).to.equal(null);
        }
      });
    }

    it('a guest gets what another member gets, for an existing request and for none', async () => {
      const { rid, documentId } = await requestWithDocument();
      const answers = [];
      for (const uid of [0, 5]) {
        for (const [r, d] of [[rid, documentId], ['999', documentId], [rid, 'f'.repeat(32)]]) {
          const before = sent.length;
          const answer = await download(uid, r ?? '', d ?? '');
          answers.push({ status: answer.status, bytes: answer.bytes, payload: String(sent.slice(before).at(-1)?.payload) });
        }
      }
      expect(new Set(answers.map(a => JSON.stringify(a))).size).to.equal(1);
      expect(answers[0]?.status).to.equal(404);
    });
  });

  it('the queue is for reviewers: a member gets 403', async () => {
    await world.addUser(4, 'member');
    expect((await call('get /physician-network/verification/queue', { uid: 4 } as Partial<Request>)).status).to.equal(403);
  });

  it('registers its notification type under the key NodeBB reads settings by, once', async () => {
    const data = await registerNotificationType(await registerNotificationType({ types: ['notificationType_upvote'] }));
    expect(data.types).to.deep.equal(['notificationType_upvote', 'notificationType_physician-network-verification']);
  });

  it('defaults the type to notification + email, and keeps an admin\'s choice', async () => {
    await defaultNotificationsToEmail();
    expect(await testDatabase().getObjectField('config', NOTIFICATION_SETTING)).to.equal('notificationemail');
    await testDatabase().setObjectField('config', NOTIFICATION_SETTING, 'none');
    await defaultNotificationsToEmail();
    expect(await testDatabase().getObjectField('config', NOTIFICATION_SETTING)).to.equal('none');
  });
});
