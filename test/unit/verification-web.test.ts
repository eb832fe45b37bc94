/**
 * The verification API routes as NodeBB would mount them: exactly the routes of the OpenAPI
 * file, and multipart temp files deleted on every path (guest, refusal), real Redis underneath.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request, Response } from 'express';

import { nodebb } from '../../lib/nodebb';
import type { RequestView } from '../../lib/verification/views';
import { keys } from '../../lib/verification/keys';
import { addVerificationApiRoutes, renderAuditPage, renderMemberTab } from '../../lib/verification/routes';
import { defaultNotificationsToEmail, registerNotificationType, NOTIFICATION_SETTING } from '../../lib/verification/hooks';
import { verificationService } from '../../lib/verification/instance';
import type { FormPrefill } from '../../lib/verification/view';
import { SETTINGS_HASH } from '../../lib/settings';
import { seedDefaultTaxonomy } from '../../lib/specialties/taxonomy';
import { languageStrings, renderTemplate, translate } from '../harness/browser';
import { testDatabase } from '../harness/root-hooks';
import { documentedRoutes } from '../harness/openapi-routes';
import { captureApiRoutes, type CapturedRoutes, type SentAnswer } from '../harness/api-routes';
import { PLAINTEXT_MARKER, pdfBytes, pngBytes } from '../harness/verification-fixtures';
import { installVerificationWorld, type VerificationWorld } from '../harness/verification-stand-ins';


describe('verification: API routes', () => {
  let world: VerificationWorld;
  let routes: CapturedRoutes;
  let sent: SentAnswer[];

  before(() => {
    world = installVerificationWorld(testDatabase());
    routes = captureApiRoutes(addVerificationApiRoutes);
    ({ sent } = routes);
  });

  after(() => {
    world.restore();
  });

  beforeEach(async () => {
    await testDatabase().flushAll();
    sent.length = 0;
  });

  function tempFiles(): { fieldname: string; path: string }[] {
    const dir = mkdtempSync(join(tmpdir(), 'pn-multer-'));
    const licence = join(dir, 'a');
    const photo = join(dir, 'b');
    writeFileSync(licence, 'not a pdf at all');
    writeFileSync(photo, 'nor an image');
    return [{ fieldname: 'licence', path: licence }, { fieldname: 'photoId', path: photo }];
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
    expect([...routes.mounted.keys()].sort()).to.deep.equal(documentedRoutes('verification'));
    expect(routes.mounted.size).to.equal(13);
  });

  it('a guest\'s upload is refused with 401 and its temp files are deleted', async () => {
    const files = tempFiles();
    const result = await routes.call('post /physician-network/verification/requests', { files, body: { consent: 'true' } } as Partial<Request>);
    expect(result.status).to.equal(401);
    expect(files.map(f => existsSync(f.path))).to.deep.equal([false, false]);
  });

  it('a member\'s refused upload (bytes that are no document) leaves no temp file and no request', async () => {
    await world.addUser(4, 'member');
    const files = tempFiles();
    const result = await routes.call('post /physician-network/verification/requests', { uid: 4, files, body: { consent: 'true' } } as Partial<Request>);
    expect(result.status).to.equal(400);
    expect(files.map(f => existsSync(f.path))).to.deep.equal([false, false]);
    expect((await verificationService.getMyStatus({ uid: 4 })).status).to.equal('none');
  });

  it('temp files sent to a route that takes none are deleted too', async () => {
    await world.addUser(4, 'member');
    const files = tempFiles();
    const result = await routes.call('post /physician-network/verification/requests/:rid/withdraw', { uid: 4, files, params: { rid: '1' } } as Partial<Request>);
    expect(result.status).to.equal(404);
    expect(files.map(f => existsSync(f.path))).to.deep.equal([false, false]);
  });

  describe('document URLs', () => {
    const route = 'get /physician-network/verification/requests/:rid/documents/:documentId';
    const callers: Record<string, number> = { guest: 0, 'another member': 5, 'the member': 4, reviewer: 3, 'global moderator': 2, admin: 1 };

    /** The document route with a response that records what the controller sends: bytes, or the API envelope. */
    async function download(uid: number, rid: string, documentId: string): Promise<{ status: number; bytes: Buffer | null; headers: Record<string, string> }> {
      const controller = routes.mounted.get(route);
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

    it('sends each document as a download page that can run nothing: nosniff, no-store, a sandbox CSP, a fixed ASCII filename', async () => {
      await castAndTaxonomy();
      // Whatever the member named the uploads, the download's name is the plugin's own.
      const request = await verificationService.submit({ uid: 4 }, {
        fullName: 'Dr. Mia Jansen', registrationType: 'big', registrationNumber: '19012345601',
        specialties: ['cardiology'], institution: 'Amsterdam UMC', consent: true,
      }, [{ kind: 'licence', bytes: pdfBytes() }, { kind: 'photo-id', bytes: await pngBytes() }]);
      const byKind = new Map(request.documents.map(d => [d.kind, d.id]));
      for (const [kind, type, extension] of [['licence', 'application/pdf', 'pdf'], ['photo-id', 'image/png', 'png']] as const) {
        const answer = await download(3, String(request.rid), byKind.get(kind) ?? '');
        expect(answer.status, kind).to.equal(200);
        expect(answer.headers['Content-Type'], kind).to.equal(type);
        expect(answer.headers['X-Content-Type-Options'], kind).to.equal('nosniff');
        expect(answer.headers['Cache-Control'], kind).to.equal('no-store');
        const policy = (answer.headers['Content-Security-Policy'] ?? '').split(';').map(d => d.trim());
        expect(policy, kind).to.include('sandbox').and.include('default-src \'none\'');
        expect(policy.some(d => /script-src|unsafe-eval/.test(d)), kind).to.equal(false);
        expect(answer.headers['Content-Disposition'], kind).to.equal(`inline; filename="verification-${request.rid}-${kind}.${extension}"`);
        expect(answer.headers['Content-Disposition'], kind).to.match(/^[\x20-\x7e]+$/);
      }
    });

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
    expect((await routes.call('get /physician-network/verification/queue', { uid: 4 } as Partial<Request>)).status).to.equal(403);
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
        sent.length = 0;
        await renderMemberTab({ uid, query: {} } as unknown as Request, res as unknown as Response);
        expect(sent.map(s => s.status)).to.deep.equal([403]);
      }
    });
  });

  describe('the audit page', () => {
    interface AuditRow { eid: number; rid: number; at: number; action: string; actorName: string; bySystem: boolean; subjectDeleted: boolean; requestExists: boolean; reasonLabel: string; reasonText: string }
    interface AuditPageData { items: AuditRow[]; total: number; page: number; pageCount: number; rid: string; pagination: { prev: string; next: string } }

    /** The page's controller as NodeBB would call it: what it rendered (template and data), or that it refused. */
    async function auditPage(uid: number, query: Record<string, string> = {}): Promise<{ template: string; status: number; data: AuditPageData } | 'not allowed'> {
      let rendered: { template: string; status: number; data: AuditPageData } | null = null;
      let status = 200;
      const res = {
        status(code: number) { status = code; return this; },
        render: (template: string, data: unknown) => { rendered = { template, status, data: data as AuditPageData }; },
      };
      const before = sent.length;
      await renderAuditPage({ uid, query } as unknown as Request, res as unknown as Response);
      if (sent.slice(before).some(s => s.status === 403)) {
        return 'not allowed';
      }
      const page = rendered as { template: string; status: number; data: AuditPageData } | null;
      if (!page) {
        throw new Error('neither rendered nor refused');
      }
      return page;
    }

    const callers: Record<string, [number, boolean]> = {
      guest: [0, false], member: [4, false], 'reviewer-group member': [3, true], 'global moderator': [2, true], admin: [1, true],
    };
    for (const [who, [uid, allowed]] of Object.entries(callers)) {
      it(`${who} → ${allowed ? 'the audit log' : 'NodeBB\'s not-allowed page'}`, async () => {
        await castAndTaxonomy();
        await submitAsMember();
        const page = await auditPage(uid);
        if (allowed) {
          expect(page).to.not.equal('not allowed');
          expect(page !== 'not allowed' && page.template).to.equal('physician-verification-audit');
          expect(page !== 'not allowed' && page.data.items.map(i => i.action)).to.deep.equal(['submit']);
        } else {
          expect(page).to.equal('not allowed');
        }
      });
    }

    it('newest first: who, what and why, a link only while the request exists, and ?rid= for one request', async () => {
      await castAndTaxonomy();
      const first = await submitAsMember();
      await verificationService.reject({ uid: 2 }, first.rid, { reasonCode: 'name-mismatch', reasonText: 'Spelling differs.' });
      await world.addUser(6, 'nina');
      const other = await verificationService.submit({ uid: 6 }, {
        fullName: 'Dr. Nina Berg', registrationType: 'gmc', registrationNumber: '7012345', specialties: ['cardiology'], institution: 'Guy’s', consent: true,
      }, [{ kind: 'licence', bytes: pdfBytes() }]);
      await verificationService.deleteAccountData(6);

      const page = await auditPage(2);
      if (page === 'not allowed') {
        throw new Error('refused');
      }
      expect(page.data.items.map(i => [i.rid, i.action])).to.deep.equal([[other.rid, 'submit'], [first.rid, 'reject'], [first.rid, 'submit']]);
      expect(page.data.items[0]).to.deep.include({ subjectDeleted: true, requestExists: false });
      expect(page.data.items[1]).to.deep.include({
        actorName: 'gary', requestExists: true, reasonText: 'Spelling differs.', reasonLabel: '[[physician-network:verification.reason.name-mismatch]]',
      });

      // The template links the request that still exists, and only that one.
      const html = translate(await renderTemplate('physician-verification-audit', { ...page.data, config: { relative_path: '' } }), languageStrings());
      expect(html).to.contain(`href="/physician-verification/requests/${first.rid}"`);
      expect(html).to.not.contain(`href="/physician-verification/requests/${other.rid}"`);
      expect(html).to.contain('Deleted member').and.contain('Spelling differs.').and.contain('The name does not match the register');
      expect(html).to.not.contain('[[physician-network:');

      const one = await auditPage(1, { rid: String(first.rid) });
      expect(one !== 'not allowed' && one.data.items.map(i => i.action)).to.deep.equal(['reject', 'submit']);
      expect(one !== 'not allowed' && one.data.rid).to.equal(String(first.rid));
    });

    it('pages of 50, with links that keep the filter; a bad page number shows the first page, a bad id the 404 page', async () => {
      await castAndTaxonomy();
      const request = await submitAsMember();
      for (let i = 0; i < 26; i += 1) {
        await verificationService.requestInfo({ uid: 3 }, request.rid, { message: `Question ${i}` });
        await verificationService.resubmit({ uid: 4 }, request.rid, { answer: `Answer ${i}` });
        await testDatabase().deleteAll([keys.memberSubmissions(4)]);
      }
      const first = await auditPage(1, { rid: String(request.rid) });
      if (first === 'not allowed') {
        throw new Error('refused');
      }
      expect(first.data).to.deep.include({ total: 53, page: 1, pageCount: 2 });
      expect(first.data.items).to.have.length(50);
      // Escaped by the page model; the browser reads the attribute back as ?rid=…&page=2.
      expect(first.data.pagination).to.deep.equal({ prev: '', next: `?rid&#61;${request.rid}&amp;page&#61;2` });
      const second = await auditPage(1, { rid: String(request.rid), page: '2' });
      if (second === 'not allowed') {
        throw new Error('refused');
      }
      expect(second.data.pagination).to.deep.equal({ prev: `?rid&#61;${request.rid}&amp;page&#61;1`, next: '' });
      // Together the pages hold every entry once, newest first throughout.
      const all = [...first.data.items, ...second.data.items];
      expect(new Set(all.map(i => i.eid)).size).to.equal(53);
      const times = all.map(i => i.at);
      expect(times).to.deep.equal([...times].sort((a, b) => b - a));
      expect(all.at(-1)?.action).to.be.oneOf(['submit', 'needs-info', 'resubmit']);
      const bad = await auditPage(1, { page: 'x' });
      expect(bad !== 'not allowed' && bad.data.page).to.equal(1);
      const missing = await auditPage(1, { rid: 'abc' });
      expect(missing !== 'not allowed' && [missing.template, missing.status]).to.deep.equal(['404', 404]);
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
