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
import type { RequestView } from '../../lib/verification';
import { keys } from '../../lib/verification/keys';
import {
  addVerificationApiRoutes, defaultNotificationsToEmail, registerNotificationType, renderMemberTab, verificationService, NOTIFICATION_SETTING,
  type FormPrefill,
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

  /** Admin 1, global moderator 2, reviewer-group member 3, the member 4, another member 5; the default specialties. */
  async function castAndTaxonomy(): Promise<void> {
    for (const [uid, name] of [[1, 'alice'], [2, 'gary'], [3, 'rita'], [4, 'mia'], [5, 'otto']] as const) {
      await world.addUser(uid, name);
    }
    await world.joinGroup(1, 'administrators');
    await world.joinGroup(2, 'Global Moderators');
    await world.joinGroup(3, 'Verification reviewers');
    await nodebb.meta.settings.set(SETTINGS_HASH, { verificationReviewerGroup: 'Verification reviewers', verificationSubmissionsPerDay: 3 });
    await seedDefaultTaxonomy();
  }

  async function submitAsMember(overrides: Record<string, unknown> = {}): Promise<RequestView> {
    return verificationService.submit({ uid: 4 }, {
      fullName: 'Dr. Mia Jansen', registrationType: 'big', registrationNumber: '19012345601',
      specialties: ['cardiology'], institution: 'Amsterdam UMC', consent: true, ...overrides,
    }, [{ kind: 'licence', bytes: pdfBytes() }]);
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
      await castAndTaxonomy();
      const request = await submitAsMember();
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

  describe('the member\'s profile tab', () => {
    interface TabData {
      showForm: boolean; canSubmit: boolean; canResubmit: boolean; limitReached: boolean; needsInfo: boolean; lastRejected: boolean;
      form: FormPrefill;
      registrationTypes: { value: string; selected: boolean }[];
      specialties: { slug: string; selected: boolean }[];
      current: { rid: number; infoRequest: string; reasonCode: string; reasonText: string } | null;
    }

    /** The member's own tab, as NodeBB's account middlewares would hand it over; returns what it renders. */
    async function tab(uid = 4): Promise<TabData> {
      let rendered: { template: string; data: unknown } | null = null;
      const res = {
        locals: { userData: { uid, username: 'mia', userslug: 'mia' } },
        render: (template: string, data: unknown) => { rendered = { template, data }; },
      };
      await renderMemberTab({ uid, query: {} } as unknown as Request, res as unknown as Response);
      const page = rendered as { template: string; data: unknown } | null;
      expect(page?.template).to.equal('account/physician-verification');
      return page?.data as TabData;
    }

    const selectedTypes = (data: TabData) => data.registrationTypes.filter(t => t.selected).map(t => t.value);
    const selectedSpecialties = (data: TabData) => data.specialties.filter(t => t.selected).map(t => t.slug);

    it('a first request: an empty new-request form', async () => {
      await castAndTaxonomy();
      const data = await tab();
      expect(data).to.deep.include({ showForm: true, canSubmit: true, canResubmit: false, needsInfo: false, lastRejected: false });
      expect(data.form).to.deep.equal({ fullName: '', registrationNumber: '', country: '', isOther: false, inTraining: false, institution: '', licenceExpiry: '' });
      expect(selectedTypes(data)).to.deep.equal([]);
      expect(selectedSpecialties(data)).to.deep.equal([]);
    });

    it('needs-info: the question, and the form filled in from the open request for a resubmission', async () => {
      await castAndTaxonomy();
      const request = await submitAsMember({
        registrationType: 'other', registrationNumber: 'KKI-778899', country: 'MY', specialties: ['cardiology', 'radiology'],
        inTraining: true, licenceExpiry: '2099-12-31',
      });
      await verificationService.requestInfo({ uid: 3 }, request.rid, { message: 'Which hospital issued this?' });
      const data = await tab();
      expect(data).to.deep.include({ showForm: true, canSubmit: false, canResubmit: true, needsInfo: true });
      expect(data.current).to.deep.include({ rid: request.rid, infoRequest: 'Which hospital issued this?' });
      expect(data.form).to.deep.equal({
        fullName: 'Dr. Mia Jansen', registrationNumber: 'KKI-778899', country: 'MY', isOther: true,
        inTraining: true, institution: 'Amsterdam UMC', licenceExpiry: '2099-12-31',
      });
      expect(selectedTypes(data)).to.deep.equal(['other']);
      expect(selectedSpecialties(data).sort()).to.deep.equal(['cardiology', 'radiology']);
    });

    it('after a rejection: a new-request form filled in from the rejected request, its reason at hand', async () => {
      await castAndTaxonomy();
      const request = await submitAsMember();
      await verificationService.reject({ uid: 2 }, request.rid, { reasonCode: 'name-mismatch', reasonText: 'Use the name on the licence.' });
      const data = await tab();
      expect(data).to.deep.include({ showForm: true, canSubmit: true, canResubmit: false, lastRejected: true });
      expect(data.current).to.deep.include({ reasonCode: 'name-mismatch', reasonText: 'Use the name on the licence.' });
      // A national type implies its country: nothing to fill in.
      expect(data.form).to.deep.include({ fullName: 'Dr. Mia Jansen', registrationNumber: '19012345601', country: '', isOther: false });
      expect(selectedTypes(data)).to.deep.equal(['big']);
    });

    it('no form once the daily limit is used up, and none for a verified member', async () => {
      await castAndTaxonomy();
      for (let i = 0; i < 3; i += 1) {
        const request = await submitAsMember();
        await verificationService.withdraw({ uid: 4 }, request.rid);
      }
      expect(await tab()).to.deep.include({ showForm: false, canSubmit: false, limitReached: true });
      await testDatabase().flushAll();
      await castAndTaxonomy();
      // Approval itself needs provisioned specialty groups (tested with the service); the tab reads only the status.
      const approved = await submitAsMember();
      await testDatabase().setObjectField(keys.request(approved.rid), 'status', 'approved');
      expect(await tab()).to.deep.include({ showForm: false, canSubmit: false, canResubmit: false, limitReached: false });
    });

    it('refuses anyone but the profile\'s owner', async () => {
      await castAndTaxonomy();
      const res = { locals: { userData: { uid: 4 } }, render: () => { throw new Error('rendered'); } };
      for (const uid of [0, 5, 1]) {
        sent = [];
        await renderMemberTab({ uid, query: {} } as unknown as Request, res as unknown as Response);
        expect(sent.map(s => s.status)).to.deep.equal([403]);
      }
    });
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
