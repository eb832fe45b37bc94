/**
 * Verification state under failure and concurrency, on real Redis: an approval whose
 * membership step fails half-way, a change whose process died between claim and write, a
 * revocation racing an approval, open requests the member left alone past the retention
 * period, and document files that cannot be deleted.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { nodebb, provideForTests } from '../../lib/nodebb';
import type { NodeBBCore } from '../../lib/nodebb';
import { UserFacingError } from '../../lib/common/user-error';
import { SETTINGS_HASH } from '../../lib/settings';
import type { Caller, MembershipPort } from '../../lib/verification/model';
import type { IncomingDocument } from '../../lib/verification/documents';
import { createVerificationService, type RequestView, type VerificationService } from '../../lib/verification/service';
import { createVerificationHooks } from '../../lib/verification/hooks';
import { keys } from '../../lib/verification/keys';
import { provisionStructure } from '../../lib/specialties/structure';
import { getMember, removeVerification, setVerifiedSpecialties } from '../../lib/specialties/membership';
import { VERIFIED_PHYSICIANS_GROUP } from '../../lib/specialties/policy';
import { keys as specialtyKeys } from '../../lib/specialties/keys';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { installSpecialtyStandIns, seedTaxonomy } from '../harness/specialties-stand-ins';
import { installVerificationWorld, type VerificationWorld } from '../harness/verification-stand-ins';
import { pdfBytes } from '../harness/verification-fixtures';
import { seededRandom } from '../harness/seeded-random';
import type { RedisTestDatabase } from '../harness/redis-db';

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;
const START = Date.UTC(2026, 10, 22, 9);

const ADMIN: Caller = { uid: 1 };
const GLOBAL_MOD: Caller = { uid: 2 };
const REVIEWER: Caller = { uid: 3 };
const MEMBER: Caller = { uid: 4 };
const OTHER: Caller = { uid: 5 };
const REVIEWER_GROUP = 'Verification reviewers';

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

async function refusalOf(work: Promise<unknown>): Promise<UserFacingError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof UserFacingError) {
      return error;
    }
    throw new Error(`expected a translated refusal, got ${error instanceof Error ? error.message : String(error)}`);
  }
  throw new Error('expected a translated refusal');
}

/** The request's audit trail in the order it was written. */
async function auditTrail(service: VerificationService, rid: number): Promise<{ action: string; from: string; to: string; reasonCode: string }[]> {
  const page = await service.readAuditLog(ADMIN, { rid, perPage: 100 });
  return page.items.sort((a, b) => a.eid - b.eid).map(e => ({ action: e.action, from: e.fromStatus, to: e.toStatus, reasonCode: e.reasonCode }));
}

/** Each entry starts where the one before ended, from "none", and the last ends in the request's status. */
async function expectConsistentTrail(service: VerificationService, rid: number, status: string): Promise<void> {
  const trail = (await auditTrail(service, rid)).filter(e => e.from !== e.to);
  let at = 'none';
  for (const entry of trail) {
    expect(entry.from, `audit of request ${rid}: ${JSON.stringify(trail)}`).to.equal(at);
    at = entry.to;
  }
  expect(at, `audit of request ${rid} ends in the status`).to.equal(status);
}

/** A database whose every call waits a little first, as a busy server would: long pauses now and then. */
function pausingDatabase(db: RedisTestDatabase, seed: number): RedisTestDatabase {
  const random = seededRandom(seed);
  return new Proxy(db, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'constructor') {
        return value;
      }
      const method = value as (...args: unknown[]) => unknown;
      return async (...args: unknown[]) => {
        const roll = random();
        const wait = roll < 0.8 ? Math.floor(roll * 3) : 8 + Math.floor(random() * 30);
        await new Promise(resolve => setTimeout(resolve, wait));
        return method.apply(target, args);
      };
    },
  });
}

describe('verification: state under failure and concurrency', function () {
  this.timeout(60_000);
  let world: VerificationWorld;
  let clock = START;
  const db = () => testDatabase();

  before(() => {
    installSpecialtyStandIns(testDatabase());
    world = installVerificationWorld(testDatabase());
  });
  after(() => {
    world.restore();
    provideTestNodeBB(testDatabase());
  });

  async function freshStart(): Promise<void> {
    clock = START;
    world.pushed.length = 0;
    world.membership.calls.length = 0;
    world.membership.verified.clear();
    world.membership.failNext = false;
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

  function documentPath(id: string): string {
    return join(world.documentsDir, `${id}.enc`);
  }

  describe('an approval whose membership step fails half-way (real membership)', () => {
    let service: VerificationService;
    /** When set, the third step of membership (watching the specialty categories) fails or hangs. */
    let watchStep: 'ok' | 'fail' | 'hang' = 'ok';
    let reachedWatchStep = false;
    let savedUser: NodeBBCore['user'];

    before(() => {
      savedUser = nodebb.user;
      provideForTests({
        user: {
          ...savedUser,
          setCategoryWatchState: async () => {
            reachedWatchStep = true;
            if (watchStep === 'fail') {
              throw new Error('database unavailable');
            }
            if (watchStep === 'hang') {
              // The process died here: the promise never settles.
              await new Promise(() => undefined);
            }
          },
        },
      });
      const membership: MembershipPort = {
        grantVerification: async (uid, slugs) => { await setVerifiedSpecialties(uid, slugs); },
        removeVerification,
        verificationOf: async (uid) => {
          const member = await getMember(uid);
          return { verified: member.verified, specialties: member.specialties };
        },
      };
      service = createVerificationService({ membership, isKnownSpecialty: async slug => ['cardiology', 'radiology'].includes(slug), now: () => clock });
    });
    after(() => { provideForTests({ user: savedUser }); });

    beforeEach(async () => {
      watchStep = 'ok';
      reachedWatchStep = false;
      await freshStart();
      await seedTaxonomy(['cardiology', 'radiology']);
      await provisionStructure();
    });

    async function groupsOf(uid: number): Promise<string[]> {
      const names = [VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians', 'Radiology physicians'];
      const held = await Promise.all(names.map(name => nodebb.groups.isMember(uid, name)));
      return names.filter((_name, i) => held[i]);
    }

    it('is undone: the member is not verified, the request stays pending, the reviewer gets a translated error', async () => {
      const request = await service.submit(MEMBER, form(), licence());
      watchStep = 'fail';
      const error = await refusalOf(service.approve(REVIEWER, request.rid));
      expect(reachedWatchStep, 'the failure came after the groups were joined').to.equal(true);
      expect([error.key, error.status]).to.deep.equal(['error.verification-change-failed', 503]);

      expect((await service.getRequest(ADMIN, request.rid)).status).to.equal('pending');
      expect((await getMember(4)).verified).to.equal(false);
      expect(await groupsOf(4)).to.deep.equal([]);
      expect(await db().isSortedSetMember(specialtyKeys.verifiedMembers, '4')).to.equal(false);
      expect(await db().getObjectField(keys.member(4), 'verifiedRequestId')).to.not.equal(String(request.rid));
      expect(await auditTrail(service, request.rid)).to.deep.equal([{ action: 'submit', from: 'none', to: 'pending', reasonCode: '' }]);
      expect(world.pushed).to.deep.equal([]);

      // Decidable again, and this time it holds.
      watchStep = 'ok';
      expect((await service.approve(REVIEWER, request.rid)).status).to.equal('approved');
      expect(await groupsOf(4)).to.deep.equal([VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians']);
      expect((await getMember(4)).specialties).to.deep.equal(['cardiology']);
      await expectConsistentTrail(service, request.rid, 'approved');
    });

    it('puts back what the member held before (verified by an admin directly)', async () => {
      await setVerifiedSpecialties(4, ['radiology']);
      const request = await service.submit(MEMBER, form({ specialties: ['cardiology'] }), licence());
      watchStep = 'fail';
      await refusalOf(service.approve(REVIEWER, request.rid));
      expect((await getMember(4)).specialties).to.deep.equal(['radiology']);
      expect(await groupsOf(4)).to.deep.equal([VERIFIED_PHYSICIANS_GROUP, 'Radiology physicians']);
      expect((await service.getRequest(ADMIN, request.rid)).status).to.equal('pending');
    });

    it('a claim whose process died is "busy" at first, then taken over after the timeout: undone, decidable again', async () => {
      const request = await service.submit(MEMBER, form(), licence());
      watchStep = 'hang';
      void service.approve(REVIEWER, request.rid);
      while (!reachedWatchStep) {
        await new Promise(resolve => setTimeout(resolve, 5));
      }
      watchStep = 'ok';
      // Half-way: the groups are joined, nothing is written.
      expect(await groupsOf(4)).to.deep.equal([VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians']);

      const busy = await refusalOf(service.reject(GLOBAL_MOD, request.rid, { reasonCode: 'name-mismatch' }));
      expect([busy.key, busy.status]).to.deep.equal(['error.verification-busy', 409]);
      expect((await service.getRequest(ADMIN, request.rid)).status).to.equal('pending');

      clock += 6 * MINUTE;
      const rejected = await service.reject(GLOBAL_MOD, request.rid, { reasonCode: 'name-mismatch' });
      expect(rejected.status).to.equal('rejected');
      expect(await groupsOf(4)).to.deep.equal([]);
      expect((await getMember(4)).verified).to.equal(false);
      expect(await auditTrail(service, request.rid)).to.deep.equal([
        { action: 'submit', from: 'none', to: 'pending', reasonCode: '' },
        { action: 'reject', from: 'pending', to: 'rejected', reasonCode: 'name-mismatch' },
      ]);
      // The member's slot is free again.
      expect((await service.submit(MEMBER, form(), licence())).status).to.equal('pending');
    });

    it('the daily job finishes a stale claim by itself', async () => {
      const request = await service.submit(MEMBER, form(), licence());
      watchStep = 'hang';
      void service.approve(REVIEWER, request.rid);
      while (!reachedWatchStep) {
        await new Promise(resolve => setTimeout(resolve, 5));
      }
      watchStep = 'ok';
      const hooks = createVerificationHooks(service);
      await hooks.runDailyJobs();
      // Too recent to be stale: left alone.
      expect(await groupsOf(4)).to.deep.equal([VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians']);

      clock += 6 * MINUTE;
      await hooks.runDailyJobs();
      expect(await groupsOf(4)).to.deep.equal([]);
      expect((await service.getRequest(ADMIN, request.rid)).status).to.equal('pending');
      expect((await service.approve(GLOBAL_MOD, request.rid)).status).to.equal('approved');
      expect(await groupsOf(4)).to.deep.equal([VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians']);
      await expectConsistentTrail(service, request.rid, 'approved');
    });
  });

  describe('a revocation racing an approval', () => {
    let service: VerificationService;
    const ROUNDS = 16;

    before(() => {
      service = createVerificationService({ membership: world.membership, isKnownSpecialty: async () => true, now: () => clock });
    });
    beforeEach(freshStart);
    afterEach(() => { provideForTests({ db: testDatabase() }); });

    async function memberState(uid: number, rid: number): Promise<{ status: string; verified: boolean; verifiedRequestId: boolean }> {
      return {
        status: (await service.getRequest(ADMIN, rid)).status,
        verified: world.membership.verified.has(uid),
        verifiedRequestId: Number(await db().getObjectField(keys.member(uid), 'verifiedRequestId')) === rid,
      };
    }

    it('a revocation sent once the approval is written wins, whatever the interleaving', async () => {
      provideForTests({ db: pausingDatabase(testDatabase(), 7) });
      for (let round = 0; round < ROUNDS; round += 1) {
        const uid = 100 + round;
        await world.addUser(uid, `member${uid}`);
        const request = await service.submit({ uid }, form(), licence());
        const approval = service.approve(REVIEWER, request.rid);
        // The reviewer sees "approved" as soon as the status is written, and revokes.
        while ((await db().getObjectField(keys.request(request.rid), 'status')) !== 'approved') {
          await new Promise(resolve => setTimeout(resolve, 1));
        }
        const revoked = await service.revoke(ADMIN, request.rid, { reasonText: 'Struck off.' });
        expect(revoked.status).to.equal('revoked');
        await approval;
        expect(await memberState(uid, request.rid), `round ${round}`).to.deep.equal({ status: 'revoked', verified: false, verifiedRequestId: false });
        await expectConsistentTrail(service, request.rid, 'revoked');
        // Nothing says they are still verified: they may apply again.
        expect((await service.submit({ uid }, form(), licence())).status, `round ${round}`).to.equal('pending');
      }
    });

    it('sent at the same moment, it is applied after the approval or refused with "try again"; never lost or overwritten', async () => {
      provideForTests({ db: pausingDatabase(testDatabase(), 11) });
      const outcomes = new Set<string>();
      for (let round = 0; round < ROUNDS; round += 1) {
        const uid = 200 + round;
        await world.addUser(uid, `member${uid}`);
        const request = await service.submit({ uid }, form(), licence());
        const [approval, revocation] = await Promise.allSettled([
          service.approve(REVIEWER, request.rid),
          service.revoke(ADMIN, request.rid, { reasonText: 'Struck off.' }),
        ]);
        expect(approval.status, `round ${round}`).to.equal('fulfilled');
        const state = await memberState(uid, request.rid);
        if (revocation.status === 'fulfilled') {
          outcomes.add('revoked');
          expect(state, `round ${round}`).to.deep.equal({ status: 'revoked', verified: false, verifiedRequestId: false });
        } else {
          const error = revocation.reason as unknown;
          expect(error, `round ${round}`).to.be.instanceOf(UserFacingError);
          // Sent before the approval was claimed, it is a plain "pending cannot become revoked".
          expect(['error.verification-busy', 'error.verification-illegal-transition']).to.include((error as UserFacingError).key);
          outcomes.add((error as UserFacingError).key);
          expect(state, `round ${round}`).to.deep.equal({ status: 'approved', verified: true, verifiedRequestId: true });
          // Nothing is stuck: sent again, it applies.
          expect((await service.revoke(ADMIN, request.rid, { reasonText: 'Struck off.' })).status).to.equal('revoked');
          expect(await memberState(uid, request.rid), `round ${round}`).to.deep.equal({ status: 'revoked', verified: false, verifiedRequestId: false });
        }
        await expectConsistentTrail(service, request.rid, 'revoked');
      }
      expect(outcomes.has('revoked'), `outcomes: ${[...outcomes].join(', ')}`).to.equal(true);
    });
  });

  describe('open requests the member left alone', () => {
    let service: VerificationService;
    before(() => {
      service = createVerificationService({ membership: world.membership, isKnownSpecialty: async () => true, now: () => clock });
    });
    beforeEach(freshStart);

    it('expire (reason "inactive") a retention period after the member\'s last action, documents deleted, member told', async () => {
      const hooks = createVerificationHooks(service);
      await world.addUser(6, 'nina');
      await world.addUser(7, 'ivo');
      const untouched = await service.submit(MEMBER, form(), licence());
      const unanswered = await service.submit(OTHER, form(), licence());
      const answered = await service.submit({ uid: 6 }, form(), licence());
      const approved = await service.submit({ uid: 7 }, form(), licence());
      clock = START + DAY;
      await service.requestInfo(REVIEWER, unanswered.rid, { message: 'Which hospital?' });
      await service.requestInfo(REVIEWER, answered.rid, { message: 'Which hospital?' });
      await service.approve(REVIEWER, approved.rid);
      clock = START + 20 * DAY;
      await service.resubmit({ uid: 6 }, answered.rid, { answer: 'Amsterdam UMC.' });
      const files = (request: RequestView) => request.documents.map(d => existsSync(documentPath(d.id)));

      // 30 days (the default) after submitting, less an hour: nothing yet.
      clock = START + 30 * DAY - 60 * MINUTE;
      await hooks.runDailyJobs();
      expect((await service.getRequest(ADMIN, untouched.rid)).status).to.equal('pending');

      clock = START + 30 * DAY + 60 * MINUTE;
      world.pushed.length = 0;
      await hooks.runDailyJobs();
      for (const request of [untouched, unanswered]) {
        const now = await service.getRequest(ADMIN, request.rid);
        expect([now.status, now.reasonCode, now.documents.length], `request ${request.rid}`).to.deep.equal(['expired', 'inactive', 0]);
        expect(files(request)).to.deep.equal([false]);
        const trail = await auditTrail(service, request.rid);
        expect(trail.at(-1)).to.deep.include({ action: 'expire', to: 'expired', reasonCode: 'inactive' });
      }
      expect((await service.getRequest(ADMIN, answered.rid)).status).to.equal('pending');
      expect(files(answered)).to.deep.equal([true]);
      expect((await service.getRequest(ADMIN, approved.rid)).status).to.equal('approved');

      // The member sees it in their tab, the reviewer in the queue, and each was told once.
      const mine = await service.getMyStatus(MEMBER);
      expect([mine.status, mine.current?.reasonCode]).to.deep.equal(['expired', 'inactive']);
      expect((await service.listQueue(REVIEWER, { status: 'expired' })).items.map(i => i.rid).sort()).to.deep.equal([untouched.rid, unanswered.rid].sort());
      expect((await service.listQueue(REVIEWER, { status: 'pending' })).items.map(i => i.rid)).to.deep.equal([answered.rid]);
      expect(world.pushed.map(p => [p.uids, p.notification.type, p.notification.bodyShort])).to.deep.equal([
        [[4], 'physician-network-verification', '[[physician-network:verification.notification.request-expired, 30]]'],
        [[5], 'physician-network-verification', '[[physician-network:verification.notification.request-expired, 30]]'],
      ]);
      // Its slot is free: the member may start again.
      clock += DAY;
      expect((await service.submit(MEMBER, form(), licence())).status).to.equal('pending');

      // A rerun does nothing more; the answered one goes 30 days after its answer.
      world.pushed.length = 0;
      await hooks.runDailyJobs();
      expect(world.pushed).to.deep.equal([]);
      clock = START + 50 * DAY + 60 * MINUTE;
      await hooks.runDailyJobs();
      expect((await service.getRequest(ADMIN, answered.rid)).status).to.equal('expired');
      expect(files(answered)).to.deep.equal([false]);
    });
  });

  describe('document files that cannot be deleted', () => {
    let service: VerificationService;
    before(() => {
      service = createVerificationService({ membership: world.membership, isKnownSpecialty: async () => true, now: () => clock });
    });
    beforeEach(freshStart);

    /** The disk refuses to delete this file: a directory stands at its path. */
    function blockDeletion(id: string): void {
      rmSync(documentPath(id));
      mkdirSync(documentPath(id));
      writeFileSync(join(documentPath(id), 'held'), 'x');
    }
    /** The disk is well again, with the file still there. */
    function unblock(id: string): void {
      rmSync(documentPath(id), { recursive: true });
      writeFileSync(documentPath(id), 'left behind');
    }

    it('withdrawing succeeds; a file the disk would not delete is retried by the daily job until it is gone', async () => {
      const hooks = createVerificationHooks(service);
      const request = await service.submit(MEMBER, form(), [{ kind: 'licence', bytes: pdfBytes() }, { kind: 'photo-id', bytes: pdfBytes() }]);
      const [stuck, other] = request.documents.map(d => d.id) as [string, string];
      blockDeletion(stuck);

      const withdrawn = await service.withdraw(MEMBER, request.rid);
      expect([withdrawn.status, withdrawn.documents]).to.deep.equal(['withdrawn', []]);
      expect(existsSync(documentPath(other))).to.equal(false);
      expect(existsSync(documentPath(stuck))).to.equal(true);

      await hooks.runDailyJobs();
      expect(existsSync(documentPath(stuck)), 'still failing, still there, still listed').to.equal(true);
      unblock(stuck);
      await hooks.runDailyJobs();
      expect(existsSync(documentPath(stuck))).to.equal(false);
    });

    it('resubmitting with new documents succeeds; the old file is retried until gone, the new ones stay', async () => {
      const hooks = createVerificationHooks(service);
      const request = await service.submit(MEMBER, form(), licence());
      await service.requestInfo(REVIEWER, request.rid, { message: 'The scan is cut off.' });
      const old = request.documents[0]?.id ?? '';
      blockDeletion(old);

      const again = await service.resubmit(MEMBER, request.rid, { answer: 'A full scan.', documents: licence() });
      expect(again.status).to.equal('pending');
      const fresh = again.documents[0]?.id ?? '';
      expect(fresh).to.not.equal(old);
      expect(existsSync(documentPath(fresh))).to.equal(true);
      expect((await service.readDocument(REVIEWER, request.rid, fresh)).contentType).to.equal('application/pdf');

      unblock(old);
      await hooks.runDailyJobs();
      expect(existsSync(documentPath(old))).to.equal(false);
      expect(existsSync(documentPath(fresh))).to.equal(true);
    });
  });
});
