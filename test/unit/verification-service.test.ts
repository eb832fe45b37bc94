/**
 * The verification service on real Redis: submission and its refusals (no record, no file),
 * the status machine with every illegal change, concurrent decisions, notifications,
 * the queue, the audit log, the expiry and retention jobs, and account deletion.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { nodebb } from '../../lib/nodebb';
import { UserFacingError } from '../../lib/common/user-error';
import { SETTINGS_HASH } from '../../lib/settings';
import { TRANSITIONS, type Caller, type RequestStatus } from '../../lib/verification/model';
import type { IncomingDocument } from '../../lib/verification/documents';
import { createVerificationService, type RequestView, type VerificationService } from '../../lib/verification/service';
import { createVerificationHooks } from '../../lib/verification/hooks';
import { keys } from '../../lib/verification/keys';
import { testDatabase } from '../harness/root-hooks';
import { installVerificationWorld, setNconf, type VerificationWorld } from '../harness/verification-stand-ins';
import { PLAINTEXT_MARKER, gifBytes, jpegWithExif, pdfBytes } from '../harness/verification-fixtures';

const DAY = 24 * 60 * 60 * 1000;
const START = Date.UTC(2026, 10, 22, 9);

const ADMIN: Caller = { uid: 1 };
const GLOBAL_MOD: Caller = { uid: 2 };
const REVIEWER: Caller = { uid: 3 };
const MEMBER: Caller = { uid: 4 };
const OTHER: Caller = { uid: 5 };
const GUEST: Caller = { uid: 0 };
const REVIEWER_GROUP = 'Verification reviewers';

const SPECIALTIES = new Set(['cardiology', 'radiology', 'paediatrics', 'general-practice']);

function form(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    fullName: 'Dr. Mia Jansen',
    registrationType: 'big',
    registrationNumber: '19012345601',
    specialties: ['cardiology'],
    institution: 'Amsterdam UMC',
    consent: true,
    ...overrides,
  };
}

function licence(): IncomingDocument[] {
  return [{ kind: 'licence', bytes: pdfBytes() }];
}

async function refusal(work: Promise<unknown>, key?: string): Promise<UserFacingError> {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof UserFacingError)) {
      throw error;
    }
    if (key !== undefined) {
      expect(error.key).to.equal(key);
    }
    return error;
  }
  throw new Error(`expected a refusal${key ? ` (${key})` : ''}`);
}

describe('verification: requests, decisions and jobs', () => {
  let world: VerificationWorld;
  let clock = START;
  let service: VerificationService;
  const db = () => testDatabase();

  function storedFiles(): string[] {
    return existsSync(world.documentsDir) ? readdirSync(world.documentsDir) : [];
  }

  before(() => {
    world = installVerificationWorld(testDatabase());
    service = createVerificationService({
      membership: world.membership,
      isKnownSpecialty: async slug => SPECIALTIES.has(slug),
      now: () => clock,
    });
  });

  after(() => { world.restore(); });

  beforeEach(async () => {
    clock = START;
    world.pushed.length = 0;
    world.membership.calls.length = 0;
    world.membership.verified.clear();
    world.membership.failNext = false;
    await freshStart();
  });

  /** An empty database and documents folder, with the cast of users. */
  async function freshStart(): Promise<void> {
    await db().flushAll();
    rmSync(world.documentsDir, { recursive: true, force: true });
    for (const [uid, name] of [[1, 'alice'], [2, 'gary'], [3, 'rita'], [4, 'mia'], [5, 'otto']] as const) {
      await world.addUser(uid, name);
    }
    await world.joinGroup(1, 'administrators');
    await world.joinGroup(2, 'Global Moderators');
    await world.joinGroup(3, REVIEWER_GROUP);
    await nodebb.meta.settings.set(SETTINGS_HASH, { verificationReviewerGroup: REVIEWER_GROUP });
  }

  async function submitted(caller: Caller = MEMBER, overrides: Record<string, unknown> = {}): Promise<RequestView> {
    return service.submit(caller, form(overrides), licence());
  }

  describe('submitting', () => {
    it('creates a pending request, queued oldest first, audited, with its documents encrypted', async () => {
      const photo = await jpegWithExif();
      const request = await service.submit(MEMBER, form({ inTraining: true }), [
        { kind: 'licence', bytes: pdfBytes() },
        { kind: 'photo-id', bytes: photo },
      ]);
      expect(request).to.deep.include({ uid: 4, status: 'pending', registrationType: 'big', country: 'NL', inTraining: true });
      expect(request.documents.map(d => [d.kind, d.contentType])).to.deep.equal([['licence', 'application/pdf'], ['photo-id', 'image/jpeg']]);
      expect(request.documents[0]?.url).to.equal(`/api/v3/plugins/physician-network/verification/requests/${request.rid}/documents/${request.documents[0]?.id ?? ''}`);
      expect(storedFiles()).to.have.length(2);

      const mine = await service.getMyStatus(MEMBER);
      expect(mine.status).to.equal('pending');
      expect(mine.history.map(r => r.rid)).to.deep.equal([request.rid]);
      expect(mine.submissionsLeft).to.equal(2);
      expect(await service.pendingCount(REVIEWER)).to.equal(1);

      const audit = await service.readAuditLog(ADMIN);
      expect(audit.items.map(e => [e.action, e.actorName, e.subjectName, e.toStatus])).to.deep.equal([['submit', 'mia', 'mia', 'pending']]);

      // The photo was re-encoded before encryption: its EXIF marker is gone.
      const photoDoc = await service.readDocument(REVIEWER, request.rid, request.documents[1]?.id);
      expect(photoDoc.contentType).to.equal('image/jpeg');
      expect(photoDoc.bytes.includes(PLAINTEXT_MARKER)).to.equal(false);
      const licenceDoc = await service.readDocument(MEMBER, request.rid, request.documents[0]?.id);
      expect(licenceDoc.bytes.includes(PLAINTEXT_MARKER)).to.equal(true);
    });

    it('status is "none" before any request', async () => {
      const mine = await service.getMyStatus(MEMBER);
      expect(mine).to.deep.include({ status: 'none', current: null, history: [], submissionsLeft: 3 });
    });

    const badInputs: [string, () => Promise<unknown>, string][] = [
      ['a wrong number format', () => service.submit(MEMBER, form({ registrationNumber: '1234' }), licence()), 'error.verification-big-format'],
      ['missing consent', () => service.submit(MEMBER, form({ consent: false }), licence()), 'error.verification-consent-required'],
      ['a wrong file type', async () => service.submit(MEMBER, form(), [{ kind: 'licence', bytes: await gifBytes() }]), 'error.verification-document-type'],
      ['an oversized file', () => service.submit(MEMBER, form(), [{ kind: 'licence', bytes: Buffer.concat([pdfBytes(), Buffer.alloc(10 * 1024 * 1024)]) }]), 'error.verification-document-too-large'],
      ['no document', () => service.submit(MEMBER, form(), []), 'error.verification-document-required'],
      ['an unknown specialty', () => service.submit(MEMBER, form({ specialties: ['astrology'] }), licence()), 'error.verification-specialty-unknown'],
    ];
    for (const [name, attempt, key] of badInputs) {
      it(`refuses ${name}: translated, no record, no file`, async () => {
        await refusal(attempt(), key);
        expect(await db().exists(keys.request(1))).to.equal(false);
        expect(await db().sortedSetCard(keys.memberRequests(4))).to.equal(0);
        expect(await db().sortedSetCard(keys.queue('pending'))).to.equal(0);
        expect(storedFiles()).to.deep.equal([]);
        // And the member can still submit properly.
        expect((await submitted()).status).to.equal('pending');
      });
    }

    it('cleans up when storage fails half way: no record, no file, slot released', async () => {
      // A file where the documents folder should be makes every write fail.
      const blocker = join(world.baseDir, 'blocked');
      writeFileSync(blocker, 'not a folder');
      const undo = setNconf({ 'physician-network:documents_path': blocker });
      let failed = false;
      try {
        await submitted();
      } catch {
        failed = true;
      } finally {
        undo();
      }
      expect(failed).to.equal(true);
      expect(await db().sortedSetCard(keys.memberRequests(4))).to.equal(0);
      expect(await db().sortedSetCard(keys.queue('pending'))).to.equal(0);
      expect(await db().sortedSetCard(keys.audit)).to.equal(0);
      expect((await submitted()).status).to.equal('pending');
    });

    it('allows one open request per member, even when two arrive at once', async () => {
      await submitted();
      await refusal(submitted(), 'error.verification-already-open');
      await freshStart();
      const results = await Promise.allSettled([submitted(), submitted(), submitted()]);
      expect(results.filter(r => r.status === 'fulfilled')).to.have.length(1);
      for (const result of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
        expect((result.reason as UserFacingError).key).to.equal('error.verification-already-open');
      }
      expect(await db().sortedSetCard(keys.memberRequests(4))).to.equal(1);
      expect(storedFiles().length).to.be.greaterThan(0);
    });

    it('releases a claim a crash left behind, but only once it is stale', async () => {
      // As if a submission died between taking the slot and writing the request.
      await db().incrObjectField(keys.member(4), 'openClaim:0');
      await db().setObjectField(keys.member(4), 'openClaimedAt:0', START - 60_000);
      await refusal(submitted(), 'error.verification-already-open');
      clock = START + 11 * 60_000;
      expect((await submitted()).status).to.equal('pending');
      await refusal(submitted(), 'error.verification-already-open');
    });

    it('refuses a member who is already verified', async () => {
      const request = await submitted();
      await service.approve(REVIEWER, request.rid);
      await refusal(submitted(), 'error.verification-already-verified');
    });

    it('limits submissions to verificationSubmissionsPerDay in 24 hours', async () => {
      for (let i = 0; i < 3; i += 1) {
        const request = await submitted();
        await service.reject(REVIEWER, request.rid, { reasonCode: 'name-mismatch' });
        clock += 60_000;
      }
      const limited = await refusal(submitted(), 'error.verification-rate-limited');
      expect(limited.message).to.equal('[[physician-network:error.verification-rate-limited, 3]]');
      expect(limited.status).to.equal(429);
      expect(storedFiles().length).to.equal(3);
      clock = START + DAY;
      expect((await submitted()).status).to.equal('pending');
    });
  });

  describe('the status machine', () => {
    /** Brings a fresh request of the member's into the given status through the service. */
    async function requestIn(status: RequestStatus): Promise<RequestView> {
      const request = await submitted(MEMBER, { licenceExpiry: '2027-06-30' });
      switch (status) {
        case 'pending': return request;
        case 'needs-info': return service.requestInfo(REVIEWER, request.rid, { message: 'Please send a clearer scan.' });
        case 'approved': return service.approve(REVIEWER, request.rid);
        case 'rejected': return service.reject(REVIEWER, request.rid, { reasonCode: 'number-not-found', reasonText: 'Not in the BIG-register.' });
        case 'withdrawn': return service.withdraw(MEMBER, request.rid);
        case 'revoked': {
          await service.approve(REVIEWER, request.rid);
          return service.revoke(ADMIN, request.rid, { reasonText: 'Struck off.' });
        }
        case 'expired': {
          await service.approve(REVIEWER, request.rid);
          clock = Date.UTC(2027, 6, 1);
          await service.runExpiryJob();
          const mine = await service.getMyStatus(MEMBER);
          expect(mine.status).to.equal('expired');
          if (!mine.current) {
            throw new Error('no current request');
          }
          return mine.current;
        }
      }
    }

    const operations: Record<string, { to: RequestStatus; run: (rid: number) => Promise<unknown> }> = {
      approve: { to: 'approved', run: rid => service.approve(GLOBAL_MOD, rid) },
      reject: { to: 'rejected', run: rid => service.reject(GLOBAL_MOD, rid, { reasonCode: 'other', reasonText: 'No.' }) },
      'ask for information': { to: 'needs-info', run: rid => service.requestInfo(GLOBAL_MOD, rid, { message: 'Which hospital?' }) },
      withdraw: { to: 'withdrawn', run: rid => service.withdraw(MEMBER, rid) },
      resubmit: { to: 'pending', run: rid => service.resubmit(MEMBER, rid, { answer: 'Here it is.' }) },
      revoke: { to: 'revoked', run: rid => service.revoke(GLOBAL_MOD, rid, { reasonText: 'Licence suspended.' }) },
    };

    const statuses: RequestStatus[] = ['pending', 'needs-info', 'approved', 'rejected', 'withdrawn', 'revoked', 'expired'];
    for (const from of statuses) {
      for (const [name, operation] of Object.entries(operations)) {
        const legal = TRANSITIONS[from].includes(operation.to);
        it(`${from} → ${operation.to} (${name}) is ${legal ? 'allowed' : 'refused'}`, async () => {
          const request = await requestIn(from);
          if (legal) {
            await operation.run(request.rid);
            expect((await service.getRequest(ADMIN, request.rid)).status).to.equal(operation.to);
          } else {
            const error = await refusal(operation.run(request.rid));
            const decided = ['approved', 'rejected', 'revoked'].includes(from) && !['withdraw', 'resubmit'].includes(name);
            expect(error.key).to.equal(decided ? 'error.verification-already-decided' : 'error.verification-illegal-transition');
            expect(error.status).to.equal(409);
            expect((await service.getRequest(ADMIN, request.rid)).status).to.equal(from);
          }
        });
      }
    }

    it('the expiry job ends only approved verifications', async () => {
      for (const status of ['pending', 'needs-info', 'rejected'] as const) {
        await freshStart();
        clock = START;
        const request = await requestIn(status);
        // Even if an index pointed at it, the job leaves a non-approved request alone.
        await db().sortedSetAdd(keys.expiry, START, String(request.rid));
        clock = Date.UTC(2027, 6, 1);
        expect(await service.runExpiryJob()).to.deep.equal({ warned: [], expired: [] });
        expect((await service.getRequest(ADMIN, request.rid)).status).to.equal(status);
      }
    });

    it('resubmission answers the reviewer and may replace the documents, deleting the old ones', async () => {
      const asked = await requestIn('needs-info');
      const oldFiles = storedFiles();
      const again = await service.resubmit(MEMBER, asked.rid, {
        answer: 'A clearer scan is attached.',
        documents: [{ kind: 'licence', bytes: pdfBytes('second scan') }],
      });
      expect(again).to.deep.include({ status: 'pending', infoAnswer: 'A clearer scan is attached.', infoRequest: 'Please send a clearer scan.', submissions: 2 });
      expect(storedFiles().some(file => oldFiles.includes(file))).to.equal(false);
      expect(storedFiles()).to.have.length(1);
      const doc = await service.readDocument(REVIEWER, again.rid, again.documents[0]?.id);
      expect(doc.bytes.toString()).to.contain('second scan');
      await refusal(service.resubmit(MEMBER, asked.rid, { answer: '' }), 'error.verification-illegal-transition');
    });

    it('a withdrawn request loses its documents at once and frees the slot', async () => {
      const request = await requestIn('pending');
      await service.withdraw(MEMBER, request.rid);
      expect(storedFiles()).to.deep.equal([]);
      expect((await submitted()).status).to.equal('pending');
    });
  });

  describe('decisions', () => {
    it('two reviewers deciding at the same moment: exactly one decision, the other told who decided', async () => {
      for (let round = 0; round < 10; round += 1) {
        await freshStart();
        world.membership.calls.length = 0;
        const request = await submitted();
        const results = await Promise.allSettled([
          service.approve(ADMIN, request.rid),
          service.reject(GLOBAL_MOD, request.rid, { reasonCode: 'name-mismatch', reasonText: 'Different surname.' }),
        ]);
        const won = results.filter(r => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).to.have.length(1);
        expect(lost).to.have.length(1);
        const winnerName = results[0].status === 'fulfilled' ? 'alice' : 'gary';
        const error = lost[0]?.reason as UserFacingError;
        expect(error.key).to.equal('error.verification-already-decided');
        expect(error.args).to.deep.equal([winnerName]);
        const final = await service.getRequest(ADMIN, request.rid);
        expect(final.status).to.equal(winnerName === 'alice' ? 'approved' : 'rejected');
        expect(world.membership.calls.filter(c => c.op === 'grant')).to.have.length(winnerName === 'alice' ? 1 : 0);
        const decisions = (await service.readAuditLog(ADMIN)).items.filter(e => e.action !== 'submit');
        expect(decisions).to.have.length(1);
      }
    });

    it('a member withdrawing while a reviewer approves: exactly one of them happens', async () => {
      for (let round = 0; round < 10; round += 1) {
        await freshStart();
        world.membership.calls.length = 0;
        const request = await submitted();
        const [approval, withdrawal] = await Promise.allSettled([service.approve(REVIEWER, request.rid), service.withdraw(MEMBER, request.rid)]);
        expect([approval.status, withdrawal.status].filter(s => s === 'fulfilled')).to.have.length(1);
        const final = (await service.getRequest(ADMIN, request.rid)).status;
        expect(final).to.equal(approval.status === 'fulfilled' ? 'approved' : 'withdrawn');
        expect(world.membership.calls).to.have.length(approval.status === 'fulfilled' ? 1 : 0);
        if (withdrawal.status === 'rejected') {
          expect((withdrawal.reason as UserFacingError).key).to.equal('error.verification-state-changed');
        }
      }
    });

    it('a revocation racing the expiry job removes membership once', async () => {
      const request = await submitted(MEMBER, { licenceExpiry: '2027-01-31' });
      await service.approve(REVIEWER, request.rid);
      clock = Date.UTC(2027, 1, 2);
      const [revocation, job] = await Promise.allSettled([service.revoke(ADMIN, request.rid, { reasonText: 'Suspended.' }), service.runExpiryJob()]);
      expect(job.status).to.equal('fulfilled');
      const final = (await service.getRequest(ADMIN, request.rid)).status;
      expect(final).to.equal(revocation.status === 'fulfilled' ? 'revoked' : 'expired');
      expect(world.membership.calls.filter(c => c.op === 'remove')).to.have.length(1);
    });

    it('two identical approvals at once grant membership once', async () => {
      const request = await submitted();
      const results = await Promise.allSettled([service.approve(ADMIN, request.rid), service.approve(REVIEWER, request.rid), service.approve(GLOBAL_MOD, request.rid)]);
      expect(results.filter(r => r.status === 'fulfilled')).to.have.length(1);
      expect(world.membership.calls).to.have.length(1);
    });

    it('a later decision on a decided request names the reviewer who decided', async () => {
      const request = await submitted();
      await service.reject(REVIEWER, request.rid, { reasonCode: 'document-unreadable' });
      const error = await refusal(service.approve(ADMIN, request.rid), 'error.verification-already-decided');
      expect(error.message).to.equal('[[physician-network:error.verification-already-decided, rita]]');
    });

    it('approval confirms the specialties, grants membership and notifies the member', async () => {
      const request = await submitted(MEMBER, { specialties: ['cardiology', 'radiology'] });
      await refusal(service.approve(REVIEWER, request.rid, { specialties: ['astrology'] }), 'error.verification-specialty-unknown');
      const approved = await service.approve(REVIEWER, request.rid, { specialties: ['cardiology'] });
      expect(approved).to.deep.include({ status: 'approved', decidedBy: 3, confirmedSpecialties: ['cardiology'] });
      expect(world.membership.calls).to.deep.equal([{ op: 'grant', uid: 4, specialties: ['cardiology'] }]);
      expect(world.pushed).to.have.length(1);
      expect(world.pushed[0]?.uids).to.deep.equal([4]);
      expect(world.pushed[0]?.notification).to.deep.include({
        bodyShort: '[[physician-network:verification.notification.approved]]',
        type: 'physician-network-verification',
        from: 3,
      });
      expect((await service.getMyStatus(MEMBER)).status).to.equal('approved');
    });

    it('a failing membership call leaves the request pending, to be decided again', async () => {
      const request = await submitted();
      world.membership.failNext = true;
      let failed = false;
      try {
        await service.approve(REVIEWER, request.rid);
      } catch {
        failed = true;
      }
      expect(failed).to.equal(true);
      expect((await service.getRequest(ADMIN, request.rid)).status).to.equal('pending');
      expect((await service.approve(REVIEWER, request.rid)).status).to.equal('approved');
    });

    it('rejection needs a preset reason (and words for "other") and tells the member both', async () => {
      const request = await submitted();
      await refusal(service.reject(REVIEWER, request.rid, { reasonCode: 'because' }), 'error.verification-reason-invalid');
      await refusal(service.reject(REVIEWER, request.rid, { reasonCode: 'other', reasonText: '  ' }), 'error.verification-reason-required');
      await refusal(service.reject(REVIEWER, request.rid, { reasonCode: 'other', reasonText: 'x'.repeat(2001) }), 'error.verification-text-too-long');
      await service.reject(REVIEWER, request.rid, { reasonCode: 'name-mismatch', reasonText: 'Surname differs, [see] 50%, ok' });
      expect(world.pushed[0]?.notification.bodyShort).to.equal(
        '[[physician-network:verification.notification.rejected, [[physician-network:verification.reason.name-mismatch]], Surname differs&#44; &lsqb;see&rsqb; 50&#37;&#44; ok]]',
      );
      const mine = await service.getMyStatus(MEMBER);
      expect(mine.current).to.deep.include({ status: 'rejected', reasonCode: 'name-mismatch', reasonText: 'Surname differs, [see] 50%, ok' });
    });

    it('asking for information and revoking notify the member with the reviewer\'s words', async () => {
      const request = await submitted();
      await refusal(service.requestInfo(REVIEWER, request.rid, {}), 'error.verification-message-required');
      await service.requestInfo(REVIEWER, request.rid, { message: 'Which hospital issued this?' });
      await service.resubmit(MEMBER, request.rid, { answer: 'Amsterdam UMC.' });
      await service.approve(REVIEWER, request.rid);
      await refusal(service.revoke(ADMIN, request.rid, {}), 'error.verification-reason-required');
      await service.revoke(ADMIN, request.rid, { reasonText: 'Registration suspended.' });
      expect(world.pushed.map(p => p.notification.bodyShort)).to.deep.equal([
        '[[physician-network:verification.notification.needs-info, Which hospital issued this?]]',
        '[[physician-network:verification.notification.approved]]',
        '[[physician-network:verification.notification.revoked, Registration suspended.]]',
      ]);
      expect(world.membership.calls.map(c => c.op)).to.deep.equal(['grant', 'remove']);
      // Revoked: the member may apply again.
      expect((await submitted()).status).to.equal('pending');
    });

    it('no reviewer decides their own request', async () => {
      const own = await submitted(REVIEWER);
      await refusal(service.approve(REVIEWER, own.rid), 'error.verification-own-request');
      expect((await service.approve(ADMIN, own.rid)).status).to.equal('approved');
    });
  });

  describe('the queue', () => {
    let nextUid = 100;
    beforeEach(() => { nextUid = 100; });

    async function seed(count: number, type: 'big' | 'npi' = 'big'): Promise<number[]> {
      const rids: number[] = [];
      for (let i = 0; i < count; i += 1) {
        const uid = nextUid;
        nextUid += 1;
        await world.addUser(uid, `member${uid}`);
        clock += 1000;
        const overrides = type === 'npi' ? { registrationType: 'npi', registrationNumber: '1234567893' } : {};
        rids.push((await submitted({ uid }, overrides)).rid);
      }
      return rids;
    }

    it('lists pending requests oldest first, paginated, filtered by status and type', async () => {
      const big = await seed(5, 'big');
      const npi = await seed(3, 'npi');
      const first = await service.listQueue(REVIEWER, { perPage: 3 });
      expect(first).to.deep.include({ page: 1, perPage: 3, total: 8, pageCount: 3 });
      expect(first.items.map(i => i.rid)).to.deep.equal(big.slice(0, 3));
      expect(first.items[0]).to.deep.include({ username: `member100`, fullName: 'Dr. Mia Jansen', registrationType: 'big', specialties: ['cardiology'] });
      const third = await service.listQueue(REVIEWER, { perPage: 3, page: 3 });
      expect(third.items.map(i => i.rid)).to.deep.equal(npi.slice(1));
      expect((await service.listQueue(REVIEWER, { type: 'npi' })).items.map(i => i.rid)).to.deep.equal(npi);

      await service.approve(ADMIN, big[1] ?? 0);
      await service.reject(ADMIN, npi[0] ?? 0, { reasonCode: 'number-not-found' });
      expect((await service.listQueue(REVIEWER)).total).to.equal(6);
      expect((await service.listQueue(REVIEWER, { status: 'approved' })).items.map(i => i.rid)).to.deep.equal([big[1]]);
      expect((await service.listQueue(REVIEWER, { status: 'rejected', type: 'npi' })).items.map(i => i.rid)).to.deep.equal([npi[0]]);
      expect((await service.listQueue(REVIEWER, { status: 'rejected', type: 'big' })).items).to.deep.equal([]);
      expect(await service.pendingCount(GLOBAL_MOD)).to.equal(6);

      await refusal(service.listQueue(REVIEWER, { status: 'sideways' }), 'error.verification-filter-invalid');
      await refusal(service.listQueue(REVIEWER, { type: 'dea' }), 'error.verification-filter-invalid');
      await refusal(service.listQueue(REVIEWER, { page: 0 }), 'error.verification-invalid-page');
      await refusal(service.listQueue(REVIEWER, { perPage: 1000 }), 'error.verification-invalid-page');
    });

    it('reads only the page it shows: the same round trips for 3 and for 40 pending requests', async () => {
      await seed(3);
      const before3 = db().roundTrips;
      await service.listQueue(REVIEWER, { perPage: 3 });
      const cost3 = db().roundTrips - before3;
      await seed(37);
      const before40 = db().roundTrips;
      const page = await service.listQueue(REVIEWER, { perPage: 3 });
      const cost40 = db().roundTrips - before40;
      expect(page.total).to.equal(40);
      expect(cost40).to.equal(cost3);
    });
  });

  describe('who may do what', () => {
    type Outcome = 'ok' | number;
    interface Row { name: string; run: (caller: Caller, rid: number, docId: string) => Promise<unknown>; expect: Record<string, Outcome> }
    const callers: Record<string, Caller> = { guest: GUEST, 'another member': OTHER, 'the member': MEMBER, reviewer: REVIEWER, 'global moderator': GLOBAL_MOD, admin: ADMIN };
    const rows: Row[] = [
      { name: 'submit', run: c => service.submit(c, form(), licence()), expect: { guest: 401, 'another member': 'ok', 'the member': 409, reviewer: 'ok', 'global moderator': 'ok', admin: 'ok' } },
      { name: 'withdraw', run: (c, rid) => service.withdraw(c, rid), expect: { guest: 401, 'another member': 404, 'the member': 'ok', reviewer: 404, 'global moderator': 404, admin: 404 } },
      { name: 'read own status and history', run: c => service.getMyStatus(c), expect: { guest: 401, 'another member': 'ok', 'the member': 'ok', reviewer: 'ok', 'global moderator': 'ok', admin: 'ok' } },
      { name: 'read the request', run: (c, rid) => service.getRequest(c, rid), expect: { guest: 401, 'another member': 404, 'the member': 'ok', reviewer: 'ok', 'global moderator': 'ok', admin: 'ok' } },
      { name: 'read a document', run: (c, rid, doc) => service.readDocument(c, rid, doc), expect: { guest: 404, 'another member': 404, 'the member': 'ok', reviewer: 'ok', 'global moderator': 'ok', admin: 'ok' } },
      { name: 'list the queue', run: c => service.listQueue(c), expect: { guest: 401, 'another member': 403, 'the member': 403, reviewer: 'ok', 'global moderator': 'ok', admin: 'ok' } },
      { name: 'count pending', run: c => service.pendingCount(c), expect: { guest: 401, 'another member': 403, 'the member': 403, reviewer: 'ok', 'global moderator': 'ok', admin: 'ok' } },
      { name: 'approve', run: (c, rid) => service.approve(c, rid), expect: { guest: 401, 'another member': 403, 'the member': 403, reviewer: 'ok', 'global moderator': 'ok', admin: 'ok' } },
      { name: 'reject', run: (c, rid) => service.reject(c, rid, { reasonCode: 'not-a-physician' }), expect: { guest: 401, 'another member': 403, 'the member': 403, reviewer: 'ok', 'global moderator': 'ok', admin: 'ok' } },
      { name: 'ask for information', run: (c, rid) => service.requestInfo(c, rid, { message: 'More, please.' }), expect: { guest: 401, 'another member': 403, 'the member': 403, reviewer: 'ok', 'global moderator': 'ok', admin: 'ok' } },
      { name: 'read the audit log', run: c => service.readAuditLog(c), expect: { guest: 401, 'another member': 403, 'the member': 403, reviewer: 'ok', 'global moderator': 'ok', admin: 'ok' } },
    ];
    for (const row of rows) {
      for (const [who, caller] of Object.entries(callers)) {
        const expected = row.expect[who];
        it(`${row.name}: ${who} → ${expected === 'ok' ? 'allowed' : String(expected)}`, async () => {
          const request = await submitted();
          const docId = request.documents[0]?.id ?? '';
          if (expected === 'ok') {
            await row.run(caller, request.rid, docId);
          } else {
            const error = await refusal(row.run(caller, request.rid, docId));
            expect(error.status).to.equal(expected);
          }
        });
      }
    }

    for (const [who, caller] of Object.entries(callers)) {
      const allowed = ['reviewer', 'global moderator', 'admin'].includes(who);
      it(`revoke: ${who} → ${allowed ? 'allowed' : 'refused'}`, async () => {
        const request = await submitted();
        await service.approve(who === 'admin' ? GLOBAL_MOD : ADMIN, request.rid);
        if (allowed) {
          expect((await service.revoke(caller, request.rid, { reasonText: 'Suspended.' })).status).to.equal('revoked');
        } else {
          const error = await refusal(service.revoke(caller, request.rid, { reasonText: 'Suspended.' }));
          expect([401, 403]).to.include(error.status);
          expect((await service.getRequest(ADMIN, request.rid)).status).to.equal('approved');
        }
      });
    }

    it('the reviewer group counts only while it is the configured group', async () => {
      expect(await service.canReview(REVIEWER)).to.equal(true);
      await nodebb.meta.settings.set(SETTINGS_HASH, { verificationReviewerGroup: '' });
      expect(await service.canReview(REVIEWER)).to.equal(false);
      expect(await service.canReview(GLOBAL_MOD)).to.equal(true);
      expect(await service.canReview(GUEST)).to.equal(false);
    });

    it('a document URL tells guests and other members the same thing whether or not the request exists', async () => {
      const request = await submitted();
      const docId = request.documents[0]?.id ?? '';
      const answers = [];
      for (const caller of [GUEST, OTHER]) {
        for (const [rid, id] of [[request.rid, docId], [request.rid + 1000, docId], [request.rid, 'f'.repeat(32)], ['abc', docId]] as const) {
          const error = await refusal(service.readDocument(caller, rid, id));
          answers.push({ key: error.key, status: error.status, message: error.message });
        }
      }
      expect(answers).to.have.length(8);
      expect(new Set(answers.map(a => JSON.stringify(a))).size).to.equal(1);
      expect(answers[0]).to.deep.equal({
        key: 'error.verification-document-not-found', status: 404, message: '[[physician-network:error.verification-document-not-found]]',
      });
    });

    it('unknown and malformed ids are "not found", never an error page', async () => {
      await refusal(service.getRequest(ADMIN, 999), 'error.verification-request-not-found');
      await refusal(service.getRequest(ADMIN, 'abc'), 'error.verification-request-not-found');
      const request = await submitted();
      await refusal(service.readDocument(ADMIN, request.rid, '../../etc/passwd'), 'error.verification-document-not-found');
      await refusal(service.readDocument(ADMIN, request.rid, 'f'.repeat(32)), 'error.verification-document-not-found');
    });
  });

  describe('jobs and deletion', () => {
    it('warns once, 30 days before the licence expiry, and expires once at expiry', async () => {
      const request = await submitted(MEMBER, { licenceExpiry: '2027-03-31' });
      await service.approve(REVIEWER, request.rid);
      world.pushed.length = 0;

      clock = Date.UTC(2027, 1, 28);
      expect(await service.runExpiryJob()).to.deep.equal({ warned: [], expired: [] });
      clock = Date.UTC(2027, 2, 2, 1);
      const [a, b] = await Promise.all([service.runExpiryJob(), service.runExpiryJob()]);
      expect([...a.warned, ...b.warned]).to.deep.equal([request.rid]);
      expect(await service.runExpiryJob()).to.deep.equal({ warned: [], expired: [] });
      expect(world.pushed.map(p => p.notification.bodyShort)).to.deep.equal(['[[physician-network:verification.notification.expiry-warning, 2027-03-31]]']);

      // Still valid on the expiry day itself.
      clock = Date.UTC(2027, 2, 31, 23, 59);
      expect((await service.runExpiryJob()).expired).to.deep.equal([]);
      clock = Date.UTC(2027, 3, 1);
      const [c, d] = await Promise.all([service.runExpiryJob(), service.runExpiryJob()]);
      expect([...c.expired, ...d.expired]).to.deep.equal([request.rid]);
      expect(await service.runExpiryJob()).to.deep.equal({ warned: [], expired: [] });
      expect((await service.getMyStatus(MEMBER)).status).to.equal('expired');
      expect(world.membership.calls.map(call => call.op)).to.deep.equal(['grant', 'remove']);
      expect(world.pushed.map(p => p.notification.bodyShort)).to.have.length(2);
      expect(world.pushed[1]?.notification.bodyShort).to.equal('[[physician-network:verification.notification.expired, 2027-03-31]]');
      const actions = (await service.readAuditLog(ADMIN)).items.map(e => e.action);
      expect(actions.filter(action => action === 'expire')).to.have.length(1);
      expect(actions.filter(action => action === 'expiry-warning')).to.have.length(1);
    });

    it('the daily job runs only where runJobs is true, and the user.delete hook purges', async () => {
      const hooks = createVerificationHooks(service);
      const request = await submitted(MEMBER, { licenceExpiry: '2027-01-31' });
      await service.approve(REVIEWER, request.rid);
      clock = Date.UTC(2027, 1, 2);
      const undo = setNconf({ runJobs: false });
      await hooks.runDailyJobs();
      undo();
      expect((await service.getMyStatus(MEMBER)).status).to.equal('approved');
      await hooks.runDailyJobs();
      expect((await service.getMyStatus(MEMBER)).status).to.equal('expired');
      await hooks.onUserDelete({ uid: '4' });
      expect((await service.getMyStatus(MEMBER)).status).to.equal('none');
      expect(storedFiles()).to.deep.equal([]);
    });

    it('a licence without an expiry date never expires', async () => {
      const request = await submitted();
      await service.approve(REVIEWER, request.rid);
      clock = Date.UTC(2090, 0, 1);
      expect(await service.runExpiryJob()).to.deep.equal({ warned: [], expired: [] });
      expect((await service.getMyStatus(MEMBER)).status).to.equal('approved');
    });

    it('deletes documents verificationRetentionDays after the decision, keeping the audit log', async () => {
      await nodebb.meta.settings.set(SETTINGS_HASH, { verificationRetentionDays: '30' });
      const decided = await submitted();
      await service.reject(REVIEWER, decided.rid, { reasonCode: 'name-mismatch' });
      await world.addUser(6, 'nina');
      const open = await submitted({ uid: 6 });
      expect(storedFiles()).to.have.length(2);

      clock = START + 29 * DAY;
      expect(await service.runRetentionJob()).to.deep.equal({ deleted: [] });
      clock = START + 30 * DAY + 1;
      expect(await service.runRetentionJob()).to.deep.equal({ deleted: [decided.rid] });
      expect(await service.runRetentionJob()).to.deep.equal({ deleted: [] });
      expect(storedFiles()).to.have.length(1);
      const after = await service.getRequest(ADMIN, decided.rid);
      expect(after.documents).to.deep.equal([]);
      expect(after.documentsDeletedAt).to.equal(START + 30 * DAY + 1);
      expect((await service.getRequest(ADMIN, open.rid)).documents).to.have.length(1);
      const actions = (await service.readAuditLog(ADMIN, { rid: decided.rid })).items.map(e => e.action);
      expect(actions).to.deep.equal(['documents-deleted', 'reject', 'submit']);
    });

    it('account deletion removes documents at once, purges requests and keys, and anonymises the audit log', async () => {
      const first = await submitted();
      await service.reject(REVIEWER, first.rid, { reasonCode: 'other', reasonText: 'Mia Jansen is not on the register' });
      clock += DAY;
      const second = await submitted(MEMBER, { licenceExpiry: '2030-01-01' });
      await service.approve(REVIEWER, second.rid);
      await world.addUser(6, 'nina');
      const someoneElse = await submitted({ uid: 6 });
      expect(storedFiles()).to.have.length(3);

      await service.deleteAccountData(4);

      expect(storedFiles()).to.have.length(1);
      for (const key of [keys.request(first.rid), keys.request(second.rid), keys.member(4), keys.memberRequests(4), keys.memberSubmissions(4), keys.auditBySubject(4)]) {
        expect(await db().exists(key), key).to.equal(false);
      }
      for (const key of [keys.queue('rejected'), keys.queue('approved'), keys.retention, keys.expiry]) {
        expect(await db().getSortedSetRange(key, 0, -1), key).to.not.include(String(first.rid)).and.not.include(String(second.rid));
      }
      const audit = (await service.readAuditLog(ADMIN)).items;
      const hers = audit.filter(e => e.rid === first.rid || e.rid === second.rid);
      expect(hers.map(e => e.action).sort()).to.deep.equal(['approve', 'reject', 'submit', 'submit']);
      for (const entry of hers) {
        expect(entry.subjectUid).to.equal(0);
        expect(entry.reasonText).to.equal('');
      }
      expect(hers.find(e => e.action === 'reject')).to.deep.include({ reasonCode: 'other', actorUid: 3, toStatus: 'rejected' });
      // Her entries stay, but no longer point at a request that could be opened.
      expect(hers.map(e => e.requestExists)).to.deep.equal([false, false, false, false]);
      expect(audit.filter(e => e.rid === someoneElse.rid).map(e => e.requestExists)).to.deep.equal([true]);
      expect(JSON.stringify(audit)).to.not.contain('Mia Jansen');
      expect((await service.getRequest(ADMIN, someoneElse.rid)).status).to.equal('pending');
    });
  });
});
