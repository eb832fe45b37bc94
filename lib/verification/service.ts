/**
 * The verification service: what API v3 routes, pages and jobs call. Every public function
 * takes the Caller first and checks its permission before it reads or changes anything,
 * so a route only builds the Caller, passes the body and formats the answer.
 */
import { nodebb, log } from '../nodebb';
import { UserFacingError, isUserFacingError, translationToken } from '../common/user-error';
import { getSettings } from '../settings';
import { isReviewer, requireOwnerOrReviewer, requireReviewer, requireSignedIn } from './access';
import { forgetSubject, readAuditPage, recordAudit } from './audit';
import {
  deleteDocumentFiles, prepareDocuments, readStoredDocument, retryDocumentDeletions, storeDocuments,
  type DecryptedDocument, type IncomingDocument,
} from './documents';
import { parseIntent, type RoundIntent } from './intent';
import { keys } from './keys';
import {
  INACTIVITY_REASON, OPEN_STATUSES, REGISTRATION_TYPES, REJECTION_REASONS, REQUEST_STATUSES, isLegalTransition,
  type AuditAction, type AuditEntry, type Caller, type MemberStatus, type MembershipPort, type RegistrationType,
  type RequestStatus, type SpecialtyLookup, type StoredDocument, type VerificationRequest,
} from './model';
import { notifyMember, type NotificationEvent } from './notify';
import { DAY_MS, type FormRules, boundedText, licenceExpiresAt, validateSpecialties, validateVerificationForm, type VerificationForm } from './registration';
import { registryLookupLink, type RegistryLink } from './registry-links';
import {
  STALE_ROUND_MS, addToQueues, awaitNewerRound, claimRound, claimStep, forgetRound, loadRequest, queueScore, readRoundState,
  recordIntent, removeFromAllQueues, sealRound, toStored, unlistInflight,
  type LoadedRequest, type RequestFields,
} from './store';

export const API_PREFIX = '/api/v3/plugins/physician-network/verification';
export const PAGE_SIZE_MAX = 100;
/** Statuses that are a reviewer's decision, for "already decided by". */
const DECIDED_STATUSES: readonly RequestStatus[] = ['approved', 'rejected', 'revoked'];
/** A submission takes seconds; a claim this old without a request is a crash's leftover. */
const STALE_CLAIM_MS = 10 * 60 * 1000;

export interface VerificationServiceOptions {
  membership: MembershipPort;
  isKnownSpecialty: SpecialtyLookup;
  /** Milliseconds since the epoch; tests move time forward. */
  now?: () => number;
}

export interface DocumentView extends StoredDocument {
  url: string;
}

export interface RequestView extends Omit<VerificationRequest, 'documents'> {
  documents: DocumentView[];
}

export interface ReviewerRequestView extends RequestView {
  member: { uid: number; username: string; userslug: string };
  registryLink: RegistryLink | null;
  history: RequestView[];
}

export interface QueueItem {
  rid: number;
  uid: number;
  username: string;
  userslug: string;
  status: RequestStatus;
  fullName: string;
  registrationType: RegistrationType;
  country: string;
  specialties: string[];
  inTraining: boolean;
  submittedAt: number;
  updatedAt: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  perPage: number;
  total: number;
  pageCount: number;
}

export interface QueueQuery {
  status?: unknown;
  type?: unknown;
  page?: unknown;
  perPage?: unknown;
}

export interface ResubmitInput {
  answer: unknown;
  /** A corrected form; when absent the request keeps what it had. */
  form?: unknown;
  /** New documents replace the old ones; when absent the old ones stay. */
  documents?: readonly IncomingDocument[];
}

export interface MyStatus {
  status: MemberStatus;
  current: RequestView | null;
  history: RequestView[];
  /** Submissions still allowed in the next 24 hours. */
  submissionsLeft: number;
}

export interface AuditView extends AuditEntry {
  actorName: string;
  subjectName: string;
  /** False once the request is gone (the member deleted their account): the entry outlives it. */
  requestExists: boolean;
}

export interface VerificationService {
  /** Member: none → pending, with 1–2 documents. */
  submit(caller: Caller, form: unknown, documents: readonly IncomingDocument[] | undefined): Promise<RequestView>;
  /** Member: needs-info → pending, with an answer (and optionally a corrected form or new documents). */
  resubmit(caller: Caller, rid: unknown, input: ResubmitInput): Promise<RequestView>;
  /** Member: pending (or needs-info) → withdrawn; documents are deleted at once. */
  withdraw(caller: Caller, rid: unknown): Promise<RequestView>;
  getMyStatus(caller: Caller, page?: unknown): Promise<MyStatus>;
  /** The member their own; reviewers any, with member, history and registry link. */
  getRequest(caller: Caller, rid: unknown): Promise<RequestView | ReviewerRequestView>;
  readDocument(caller: Caller, rid: unknown, documentId: unknown): Promise<DecryptedDocument>;
  listQueue(caller: Caller, query?: QueueQuery): Promise<Page<QueueItem>>;
  pendingCount(caller: Caller): Promise<number>;
  approve(caller: Caller, rid: unknown, input?: { specialties?: unknown }): Promise<RequestView>;
  reject(caller: Caller, rid: unknown, input: { reasonCode?: unknown; reasonText?: unknown }): Promise<RequestView>;
  requestInfo(caller: Caller, rid: unknown, input: { message?: unknown }): Promise<RequestView>;
  revoke(caller: Caller, rid: unknown, input: { reasonText?: unknown }): Promise<RequestView>;
  readAuditLog(caller: Caller, query?: { rid?: unknown; page?: unknown; perPage?: unknown }): Promise<Page<AuditView>>;
  canReview(caller: Caller): Promise<boolean>;
  runExpiryJob(): Promise<{ warned: number[]; expired: number[] }>;
  runRetentionJob(): Promise<{ deleted: number[] }>;
  /** Open requests the member left alone past the retention period expire, documents deleted. */
  runInactivityJob(): Promise<{ expired: number[] }>;
  /** Finishes rounds left claimed by a dead process; retries failed document deletions. */
  runRecoveryJob(): Promise<{ healed: number[]; filesDeleted: number; filesFailing: number }>;
  deleteAccountData(uid: unknown): Promise<void>;
}

function toView(request: VerificationRequest): RequestView {
  return {
    ...request,
    documents: request.documents.map(d => ({ ...d, url: `${API_PREFIX}/requests/${request.rid}/documents/${d.id}` })),
  };
}

function statusToken(status: MemberStatus): string {
  return `[[physician-network:verification.status.${status}]]`;
}

function pageNumber(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === null || value === '') {
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new UserFacingError('error.verification-invalid-page');
  }
  return n;
}

function requestId(value: unknown): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new UserFacingError('error.verification-request-not-found', [], 404);
  }
  return n;
}

async function usernames(uids: number[]): Promise<Map<number, { username: string; userslug: string }>> {
  const unique = [...new Set(uids.filter(uid => uid > 0))];
  const found = new Map<number, { username: string; userslug: string }>();
  if (!unique.length) {
    return found;
  }
  const rows = await nodebb.user.getUsersFields(unique, ['username', 'userslug']);
  unique.forEach((uid, i) => {
    const row = rows[i] ?? {};
    found.set(uid, { username: typeof row.username === 'string' ? row.username : '', userslug: typeof row.userslug === 'string' ? row.userslug : '' });
  });
  return found;
}

export function createVerificationService(options: VerificationServiceOptions): VerificationService {
  const now = options.now ?? (() => Date.now());

  async function formRules(): Promise<FormRules> {
    const settings = await getSettings();
    return { maxSpecialties: settings.specialtiesMaxPerMember, isKnownSpecialty: options.isKnownSpecialty, now: now() };
  }

  async function mustLoad(rid: number): Promise<LoadedRequest> {
    const loaded = await loadRequest(rid);
    if (!loaded) {
      throw new UserFacingError('error.verification-request-not-found', [], 404);
    }
    return loaded;
  }

  async function submissionsInLastDay(uid: number): Promise<number> {
    return nodebb.db.sortedSetCount(keys.memberSubmissions(uid), now() - DAY_MS + 1, '+inf');
  }

  async function assertWithinSubmissionLimit(uid: number): Promise<void> {
    const { verificationSubmissionsPerDay } = await getSettings();
    if (await submissionsInLastDay(uid) >= verificationSubmissionsPerDay) {
      throw new UserFacingError('error.verification-rate-limited', [verificationSubmissionsPerDay], 429);
    }
  }

  async function recordSubmission(uid: number, rid: number, count: number): Promise<void> {
    await nodebb.db.sortedSetAdd(keys.memberSubmissions(uid), now(), `${rid}:${count}`);
  }

  /**
   * The member's single open slot. `openSeq` counts released slots; claiming increments
   * `openClaim:<openSeq>`, which only one caller sees at 1.
   */
  async function claimOpenSlot(uid: number): Promise<number> {
    const member = await nodebb.db.getObjectFields(keys.member(uid), ['openSeq', 'openRequestId', 'verifiedRequestId']);
    if (Number(member.verifiedRequestId) > 0) {
      throw new UserFacingError('error.verification-already-verified', [], 409);
    }
    if (Number(member.openRequestId) > 0) {
      throw new UserFacingError('error.verification-already-open', [], 409);
    }
    const seq = Number(member.openSeq) || 0;
    if (await nodebb.db.incrObjectField(keys.member(uid), `openClaim:${seq}`) !== 1) {
      // A claim with no request after STALE_CLAIM_MS is left over from a crash: release it once.
      const claimedAt = Number(await nodebb.db.getObjectField(keys.member(uid), `openClaimedAt:${seq}`)) || 0;
      if (claimedAt > 0 && now() - claimedAt > STALE_CLAIM_MS && await nodebb.db.incrObjectField(keys.member(uid), `openHeal:${seq}`) === 1) {
        log.warn(`released a stale verification claim of uid ${uid}`);
        await nodebb.db.setObject(keys.member(uid), { openRequestId: 0, openSeq: seq + 1 });
        return claimOpenSlot(uid);
      }
      throw new UserFacingError('error.verification-already-open', [], 409);
    }
    await nodebb.db.setObjectField(keys.member(uid), `openClaimedAt:${seq}`, now());
    return seq;
  }

  async function releaseOpenSlot(uid: number): Promise<void> {
    const seq = Number(await nodebb.db.getObjectField(keys.member(uid), 'openSeq')) || 0;
    await nodebb.db.setObject(keys.member(uid), { openRequestId: 0, openSeq: seq + 1 });
  }

  function formFields(form: VerificationForm): RequestFields {
    return {
      fullName: form.fullName,
      registrationType: form.registrationType,
      registrationNumber: form.registrationNumber,
      country: form.country,
      specialties: form.specialties,
      inTraining: form.inTraining,
      institution: form.institution,
      licenceExpiry: form.licenceExpiry,
    };
  }

  async function submit(caller: Caller, formInput: unknown, incoming: readonly IncomingDocument[] | undefined): Promise<RequestView> {
    const uid = requireSignedIn(caller);
    const settings = await getSettings();
    // Everything is checked in memory before a claim is taken or a byte is written.
    const form = await validateVerificationForm(formInput, await formRules());
    const prepared = await prepareDocuments(incoming, settings.verificationDocumentMaxMb);
    await claimOpenSlot(uid);
    let stored: StoredDocument[] = [];
    let rid = 0;
    try {
      await assertWithinSubmissionLimit(uid);
      rid = await nodebb.db.incrObjectField(keys.counters, 'nextRequestId');
      stored = await storeDocuments(rid, prepared);
      const at = now();
      await nodebb.db.setObject(keys.request(rid), toStored({
        rid, uid, status: 'pending', round: 0, lastActorUid: uid, submittedAt: at, updatedAt: at, memberActedAt: at, submissions: 1, documents: stored, ...formFields(form),
      }));
      await nodebb.db.sortedSetAdd(keys.memberRequests(uid), at, String(rid));
      await addToQueues(rid, 'pending', form.registrationType, at);
      await nodebb.db.setObjectField(keys.member(uid), 'openRequestId', rid);
      await recordSubmission(uid, rid, 1);
      await recordAudit({
        rid, action: 'submit', actorUid: uid, subjectUid: uid, at, fromStatus: 'none', toStatus: 'pending',
        registrationType: form.registrationType, specialties: form.specialties,
      });
    } catch (error) {
      await deleteDocumentFiles(stored);
      if (rid > 0) {
        await removeFromAllQueues(rid, form.registrationType);
        await nodebb.db.sortedSetRemove(keys.memberRequests(uid), String(rid));
        await nodebb.db.sortedSetRemove(keys.memberSubmissions(uid), `${rid}:1`);
        await nodebb.db.delete(keys.request(rid));
      }
      await releaseOpenSlot(uid);
      throw error;
    }
    return toView((await mustLoad(rid)).request);
  }

  /** What a status change does outside the record, before its status is written. */
  type Effect = { kind: 'grant'; specialties: string[] } | { kind: 'remove' };

  interface TransitionPlan {
    to: RequestStatus;
    actorUid: number;
    action: AuditAction;
    /** Reviewer decisions say who won; member and system changes say the state moved on. */
    byReviewer: boolean;
    fields?: RequestFields;
    effect?: Effect;
    reasonCode?: string;
    reasonText?: string;
    specialties?: string[];
    /** The member's notification, sent once the change is written. */
    notify?: { event: NotificationEvent; args: string[] };
    /** Files the written change no longer needs (withdrawn, replaced, expired): deleted, or retried daily. */
    deleteDocuments?: readonly StoredDocument[];
  }

  async function alreadyDecidedError(loaded: LoadedRequest | null): Promise<UserFacingError> {
    const actor = loaded?.request.decidedBy ?? loaded?.lastActorUid ?? 0;
    const name = (await usernames([actor])).get(actor)?.username;
    return new UserFacingError('error.verification-already-decided', [name !== undefined && name !== '' ? name : '[[physician-network:verification.another-reviewer]]'], 409);
  }

  function buildIntent(request: VerificationRequest, plan: TransitionPlan, at: number, restore: RoundIntent['restore']): RoundIntent {
    const newType = (plan.fields?.registrationType as RegistrationType | undefined) ?? request.registrationType;
    return {
      rid: request.rid,
      uid: request.uid,
      from: request.status,
      to: plan.to,
      action: plan.action,
      actorUid: plan.actorUid,
      at,
      registrationType: request.registrationType,
      newType,
      submittedAt: request.submittedAt,
      fields: toStored({ ...plan.fields }),
      reasonCode: plan.reasonCode ?? '',
      reasonText: plan.reasonText ?? '',
      specialties: plan.specialties ?? [],
      effect: plan.effect?.kind ?? 'none',
      grant: plan.effect?.kind === 'grant' ? plan.effect.specialties : [],
      restore,
      notify: plan.notify ?? null,
      deleteDocuments: [...(plan.deleteDocuments ?? [])],
    };
  }

  async function applyEffect(intent: RoundIntent): Promise<void> {
    if (intent.effect === 'grant') {
      await options.membership.grantVerification(intent.uid, intent.grant);
    } else if (intent.effect === 'remove') {
      await options.membership.removeVerification(intent.uid);
    }
  }

  /** Puts membership back as it was when the round was claimed, so the unchanged status is true again. */
  async function undoEffect(intent: RoundIntent): Promise<void> {
    if (intent.effect === 'none' || !intent.restore) {
      return;
    }
    if (intent.restore.verified) {
      await options.membership.grantVerification(intent.uid, intent.restore.specialties);
    } else {
      await options.membership.removeVerification(intent.uid);
    }
  }

  /** Whether the record still shows the round (nobody has written it yet). */
  async function stillAtRound(rid: number, round: number): Promise<boolean> {
    return Number(await nodebb.db.getObjectField(keys.request(rid), 'round') ?? 0) === round;
  }

  /**
   * Writes a sealed "commit": audit entry first (a later change can start only once the
   * status is written, so the log's order is the order of changes), then status, queues, the
   * open slot, and what the change means elsewhere. Every step is idempotent or claimed once,
   * so whoever finds a sealed round unwritten can run it again.
   */
  async function finishCommit(round: number, intent: RoundIntent): Promise<void> {
    const { rid, uid } = intent;
    if (!await stillAtRound(rid, round)) {
      return;
    }
    if (await claimStep(rid, round, 'audited')) {
      await recordAudit({
        rid, action: intent.action, actorUid: intent.actorUid, subjectUid: uid, at: intent.at,
        fromStatus: intent.from, toStatus: intent.to, registrationType: intent.newType,
        reasonCode: intent.reasonCode, reasonText: intent.reasonText, specialties: intent.specialties,
      });
    }
    if (intent.deleteDocuments.length) {
      // Listed before the record forgets them, so a crash after the write still gets them deleted (daily retry).
      await nodebb.db.sortedSetAddBulk(intent.deleteDocuments.map(d => [keys.fileDeletions, intent.at, d.id] as [string, number, string]));
    }
    await unlistInflight(rid);
    await nodebb.db.setObject(keys.request(rid), {
      ...intent.fields, status: intent.to, round: round + 1, lastActorUid: intent.actorUid, updatedAt: intent.at,
    });
    await removeFromAllQueues(rid, intent.registrationType);
    await addToQueues(rid, intent.to, intent.newType, queueScore(intent.to, intent.submittedAt, intent.at));
    if (OPEN_STATUSES.includes(intent.from) && !OPEN_STATUSES.includes(intent.to) && await claimStep(rid, round, 'released')) {
      await releaseOpenSlot(uid);
    }
    await afterCommit(round, intent);
    await forgetRound(rid, round);
  }

  /** What a written change means outside the request record. */
  async function afterCommit(round: number, intent: RoundIntent): Promise<void> {
    const { rid, uid, at } = intent;
    if (intent.to === 'approved') {
      await nodebb.db.setObject(keys.member(uid), { verifiedRequestId: rid });
      // Read after writing: a revocation written meanwhile has cleared the field before this
      // write (and is seen here), or clears it after; either way the last word matches the status.
      const current = await loadRequest(rid);
      if (current?.request.status !== 'approved') {
        await nodebb.db.setObject(keys.member(uid), { verifiedRequestId: 0 });
      }
      await nodebb.db.sortedSetAdd(keys.retention, at, String(rid));
      const expiresAt = current ? licenceExpiresAt(current.request.licenceExpiry) : null;
      if (expiresAt !== null && current?.request.status === 'approved') {
        await nodebb.db.sortedSetAdd(keys.expiry, expiresAt, String(rid));
      }
    } else if (intent.to === 'rejected') {
      await nodebb.db.sortedSetAdd(keys.retention, at, String(rid));
    } else if (intent.from === 'approved') {
      await nodebb.db.setObject(keys.member(uid), { verifiedRequestId: 0 });
      await nodebb.db.sortedSetRemove(keys.expiry, String(rid));
    }
    if (intent.action === 'resubmit') {
      await recordSubmission(uid, rid, Number(intent.fields.submissions) || 1);
    }
    if (intent.deleteDocuments.length) {
      await deleteDocumentFiles(intent.deleteDocuments, at);
    }
    if (intent.notify && await claimStep(rid, round, 'notified')) {
      await notifyMember({ rid, uid, event: intent.notify.event, occurrence: at, fromUid: intent.actorUid, args: intent.notify.args });
    }
  }

  /** An abandoned round: membership put back, the round moved on with the status unchanged (decidable again). */
  async function finishAbandon(rid: number, round: number, intent: RoundIntent | null): Promise<void> {
    if (!await stillAtRound(rid, round)) {
      return;
    }
    if (intent) {
      await undoEffect(intent);
    }
    await unlistInflight(rid);
    await nodebb.db.setObject(keys.request(rid), { round: round + 1 });
    await forgetRound(rid, round);
  }

  /**
   * A round claimed STALE_ROUND_MS ago and still unwritten: its claimant died or hangs.
   * Unsealed, it is abandoned (effect undone); sealed, it is finished as its outcome says.
   * Returns whether it was stale (and is now written).
   */
  async function healStaleRound(rid: number, round: number): Promise<boolean> {
    const at = now();
    const state = await readRoundState(rid, round, at);
    if (!state.claimed || at - state.since < STALE_ROUND_MS) {
      return false;
    }
    const intent = parseIntent(state.intent);
    const outcome = !state.sealed && await sealRound(rid, round, 'abandon') ? 'abandon' : (await readRoundState(rid, round, at)).outcome;
    log.warn(`verification request ${rid}: round ${round} was claimed ${Math.round((at - state.since) / 1000)} s ago and never written; finishing it as "${outcome || 'abandon'}"`);
    if (outcome === 'commit' && intent) {
      await finishCommit(round, intent);
    } else {
      await finishAbandon(rid, round, intent);
    }
    return true;
  }

  /**
   * The round read is claimed by someone who has not written yet: wait briefly for them, or
   * take over a stale claim. Returns the fresher record, or null if nothing is in flight.
   * Throws "busy, try again" when the other change is still under way.
   */
  async function settleInflight(loaded: LoadedRequest): Promise<LoadedRequest | null> {
    const { rid } = loaded.request;
    const state = await readRoundState(rid, loaded.round, now());
    if (!state.claimed) {
      return null;
    }
    const newer = await awaitNewerRound(rid, loaded.round);
    if (newer && newer.round > loaded.round) {
      return newer;
    }
    if (await healStaleRound(rid, loaded.round)) {
      return mustLoad(rid);
    }
    throw new UserFacingError('error.verification-busy', [], 409);
  }

  /**
   * Changes a request's status once, with its effect, indexes and audit entry: the round is
   * claimed, the intent recorded, the effect applied, the round sealed, then written. A failed
   * effect is undone and the request stays as it was, decidable again.
   */
  async function transition(loaded: LoadedRequest, plan: TransitionPlan, attempt = 0): Promise<VerificationRequest> {
    const { request, round } = loaded;
    const from = request.status;
    const rid = request.rid;
    if (!isLegalTransition(from, plan.to)) {
      // Another change may be on its way (an approval not yet written): decide on what it leaves.
      const fresher = attempt < 2 ? await settleInflight(loaded) : null;
      if (fresher) {
        return transition(fresher, plan, attempt + 1);
      }
      // A reviewer acting on a stale page learns who decided; other refusals name the statuses.
      if (plan.byReviewer && request.decidedBy !== null && DECIDED_STATUSES.includes(from)) {
        throw await alreadyDecidedError(loaded);
      }
      throw new UserFacingError('error.verification-illegal-transition', [statusToken(from), statusToken(plan.to)], 409);
    }
    const at = now();
    if (!await claimRound(rid, round, at)) {
      const newer = await awaitNewerRound(rid, round);
      if (newer && newer.round > round) {
        if (plan.byReviewer) {
          throw await alreadyDecidedError(newer);
        }
        throw new UserFacingError('error.verification-state-changed', [], 409);
      }
      if (attempt < 2 && await healStaleRound(rid, round)) {
        return transition(await mustLoad(rid), plan, attempt + 1);
      }
      throw new UserFacingError('error.verification-busy', [], 409);
    }
    let intent: RoundIntent | null = null;
    try {
      const restore = plan.effect ? await options.membership.verificationOf(request.uid) : null;
      intent = buildIntent(request, plan, at, restore);
      await recordIntent(rid, round, at, JSON.stringify(intent));
      await applyEffect(intent);
    } catch (error) {
      log.warn(`verification request ${rid}: ${plan.action} failed and was undone: ${error instanceof Error ? error.message : String(error)}`);
      if (await sealRound(rid, round, 'abandon')) {
        try {
          await finishAbandon(rid, round, intent);
        } catch (undoError) {
          // Left sealed as "abandon": whoever finds it stale finishes the undo.
          log.error(`verification request ${rid}: undoing ${plan.action} failed, retried later: ${undoError instanceof Error ? undoError.message : String(undoError)}`);
        }
      }
      throw isUserFacingError(error) ? error : new UserFacingError('error.verification-change-failed', [], 503);
    }
    if (!await sealRound(rid, round, 'commit')) {
      // Taken over as stale while the effect ran (this process hung): the taker abandoned the
      // round. Our effect may have landed after its undo, so undo it again while nothing newer stands.
      const after = await awaitNewerRound(rid, round);
      if (after?.request.status === from) {
        await undoEffect(intent);
      }
      throw new UserFacingError('error.verification-busy', [], 409);
    }
    await finishCommit(round, intent);
    return (await mustLoad(rid)).request;
  }

  async function withdraw(caller: Caller, ridInput: unknown): Promise<RequestView> {
    const uid = requireSignedIn(caller);
    const loaded = await mustLoad(requestId(ridInput));
    if (loaded.request.uid !== uid) {
      // Only the member withdraws; to anyone else the request does not exist.
      throw new UserFacingError('error.verification-request-not-found', [], 404);
    }
    // A withdrawn request needs no documents: they go at once (or are retried daily).
    const updated = await transition(loaded, {
      to: 'withdrawn', actorUid: uid, action: 'withdraw', byReviewer: false,
      fields: { documents: [], documentsDeletedAt: now() }, deleteDocuments: loaded.request.documents,
    });
    return toView(updated);
  }

  async function resubmit(caller: Caller, ridInput: unknown, input: ResubmitInput): Promise<RequestView> {
    const uid = requireSignedIn(caller);
    const loaded = await mustLoad(requestId(ridInput));
    if (loaded.request.uid !== uid) {
      throw new UserFacingError('error.verification-request-not-found', [], 404);
    }
    if (loaded.request.status !== 'needs-info') {
      throw new UserFacingError('error.verification-illegal-transition', [statusToken(loaded.request.status), statusToken('pending')], 409);
    }
    const answer = boundedText(input.answer, 'error.verification-answer-required');
    const form = input.form === undefined ? null : await validateVerificationForm(input.form, await formRules());
    const settings = await getSettings();
    const prepared = input.documents?.length ? await prepareDocuments(input.documents, settings.verificationDocumentMaxMb) : null;
    await assertWithinSubmissionLimit(uid);
    const stored = prepared ? await storeDocuments(loaded.request.rid, prepared) : null;
    try {
      const updated = await transition(loaded, {
        to: 'pending', actorUid: uid, action: 'resubmit', byReviewer: false,
        fields: {
          ...(form ? formFields(form) : {}),
          ...(stored ? { documents: stored } : {}),
          infoAnswer: answer,
          submissions: loaded.request.submissions + 1,
          memberActedAt: now(),
        },
        reasonText: answer,
        specialties: form?.specialties ?? loaded.request.specialties,
        // Replaced documents go once the new ones are on record.
        deleteDocuments: stored ? loaded.request.documents : [],
      });
      return toView(updated);
    } catch (error) {
      await deleteDocumentFiles(stored ?? []);
      throw error;
    }
  }
  async function getMyStatus(caller: Caller, pageInput?: unknown): Promise<MyStatus> {
    const uid = requireSignedIn(caller);
    const page = pageNumber(pageInput, 1, 10_000);
    const perPage = 20;
    const rids = await nodebb.db.getSortedSetRevRange(keys.memberRequests(uid), (page - 1) * perPage, page * perPage - 1);
    const loaded = await Promise.all(rids.map(rid => loadRequest(Number(rid))));
    const history = loaded.filter((l): l is LoadedRequest => l !== null).map(l => toView(l.request));
    const latestRid = (await nodebb.db.getSortedSetRevRange(keys.memberRequests(uid), 0, 0))[0];
    const latest = latestRid ? await loadRequest(Number(latestRid)) : null;
    const settings = await getSettings();
    return {
      status: latest?.request.status ?? 'none',
      current: latest ? toView(latest.request) : null,
      history,
      submissionsLeft: Math.max(0, settings.verificationSubmissionsPerDay - await submissionsInLastDay(uid)),
    };
  }

  async function getRequest(caller: Caller, ridInput: unknown): Promise<RequestView | ReviewerRequestView> {
    requireSignedIn(caller);
    const loaded = await mustLoad(requestId(ridInput));
    const { reviewer } = await requireOwnerOrReviewer(caller, loaded.request.uid);
    const view = toView(loaded.request);
    if (!reviewer) {
      return view;
    }
    const names = await usernames([loaded.request.uid]);
    const historyRids = await nodebb.db.getSortedSetRevRange(keys.memberRequests(loaded.request.uid), 0, 19);
    const history = (await Promise.all(historyRids.map(rid => loadRequest(Number(rid)))))
      .filter((l): l is LoadedRequest => l !== null && l.request.rid !== loaded.request.rid)
      .map(l => toView(l.request));
    return {
      ...view,
      member: { uid: loaded.request.uid, ...(names.get(loaded.request.uid) ?? { username: '', userslug: '' }) },
      registryLink: registryLookupLink(loaded.request.registrationType, loaded.request.registrationNumber),
      history,
    };
  }

  /**
   * Documents: the member's own, and any for reviewers. Everyone else (guests included) gets
   * the same 404 and message whether or not the request or document exists, so a document
   * URL reveals nothing.
   */
  async function readDocument(caller: Caller, ridInput: unknown, documentId: unknown): Promise<DecryptedDocument> {
    const notFound = new UserFacingError('error.verification-document-not-found', [], 404);
    const rid = Number(ridInput);
    if (!(caller.uid > 0) || !Number.isSafeInteger(rid) || rid <= 0) {
      throw notFound;
    }
    const loaded = await loadRequest(rid);
    if (!loaded || (loaded.request.uid !== caller.uid && !await isReviewer(caller.uid))) {
      throw notFound;
    }
    const document = loaded.request.documents.find(d => d.id === documentId);
    if (!document) {
      throw notFound;
    }
    return readStoredDocument(rid, document);
  }

  async function listQueue(caller: Caller, query: QueueQuery = {}): Promise<Page<QueueItem>> {
    await requireReviewer(caller);
    const status = query.status ?? 'pending';
    if (typeof status !== 'string' || !(REQUEST_STATUSES as readonly string[]).includes(status)) {
      throw new UserFacingError('error.verification-filter-invalid');
    }
    const type = query.type ?? '';
    if (typeof type !== 'string' || (type !== '' && !(REGISTRATION_TYPES as readonly string[]).includes(type))) {
      throw new UserFacingError('error.verification-filter-invalid');
    }
    const page = pageNumber(query.page, 1, 100_000);
    const perPage = pageNumber(query.perPage, 20, PAGE_SIZE_MAX);
    const setKey = type === '' ? keys.queue(status as RequestStatus) : keys.queueByType(status as RequestStatus, type as RegistrationType);
    const start = (page - 1) * perPage;
    const stop = start + perPage - 1;
    // Open requests oldest first (fair order); decided ones newest first.
    const oldestFirst = status === 'pending' || status === 'needs-info';
    const [rids, total] = await Promise.all([
      oldestFirst ? nodebb.db.getSortedSetRange(setKey, start, stop) : nodebb.db.getSortedSetRevRange(setKey, start, stop),
      nodebb.db.sortedSetCard(setKey),
    ]);
    const fields = ['rid', 'uid', 'status', 'fullName', 'registrationType', 'country', 'specialties', 'inTraining', 'submittedAt', 'updatedAt'];
    const rows = await nodebb.db.getObjectsFields(rids.map(rid => keys.request(Number(rid))), fields);
    const names = await usernames(rows.map(row => Number(row.uid)));
    const items = rows.filter(row => Number(row.rid) > 0).map((row): QueueItem => {
      const uid = Number(row.uid);
      let specialties: string[] = [];
      try {
        // JSON text as written; a database that keeps types (Mongo) may hand back the array itself.
        const parsed: unknown = Array.isArray(row.specialties) ? row.specialties : JSON.parse(typeof row.specialties === 'string' && row.specialties ? row.specialties : '[]');
        specialties = Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === 'string') : [];
      } catch {
        specialties = [];
      }
      return {
        rid: Number(row.rid),
        uid,
        username: names.get(uid)?.username ?? '',
        userslug: names.get(uid)?.userslug ?? '',
        status: String(row.status) as RequestStatus,
        fullName: String(row.fullName ?? ''),
        registrationType: String(row.registrationType) as RegistrationType,
        country: String(row.country ?? ''),
        specialties,
        inTraining: row.inTraining === true || String(row.inTraining) === '1',
        submittedAt: Number(row.submittedAt),
        updatedAt: Number(row.updatedAt),
      };
    });
    return { items, page, perPage, total, pageCount: Math.ceil(total / perPage) };
  }

  async function pendingCount(caller: Caller): Promise<number> {
    await requireReviewer(caller);
    return nodebb.db.sortedSetCard(keys.queue('pending'));
  }

  /** A reviewer deciding: the request must exist, and must not be their own. */
  async function loadForDecision(caller: Caller, ridInput: unknown): Promise<{ reviewerUid: number; loaded: LoadedRequest }> {
    const reviewerUid = await requireReviewer(caller);
    const loaded = await mustLoad(requestId(ridInput));
    if (loaded.request.uid === reviewerUid) {
      throw new UserFacingError('error.verification-own-request', [], 403);
    }
    return { reviewerUid, loaded };
  }

  async function approve(caller: Caller, ridInput: unknown, input: { specialties?: unknown } = {}): Promise<RequestView> {
    const { reviewerUid, loaded } = await loadForDecision(caller, ridInput);
    let specialties = loaded.request.specialties;
    if (input.specialties !== undefined) {
      // The reviewer confirms (or corrects) the specialties with the same rules as the form.
      specialties = await validateSpecialties(input.specialties, await formRules());
    }
    const at = now();
    const updated = await transition(loaded, {
      to: 'approved', actorUid: reviewerUid, action: 'approve', byReviewer: true, specialties,
      fields: { decidedAt: at, decidedBy: reviewerUid, confirmedSpecialties: specialties },
      effect: { kind: 'grant', specialties },
      notify: { event: 'approved', args: [] },
    });
    return toView(updated);
  }

  async function reject(caller: Caller, ridInput: unknown, input: { reasonCode?: unknown; reasonText?: unknown }): Promise<RequestView> {
    const { reviewerUid, loaded } = await loadForDecision(caller, ridInput);
    const reasonCode = input.reasonCode;
    if (typeof reasonCode !== 'string' || !(REJECTION_REASONS as readonly string[]).includes(reasonCode)) {
      throw new UserFacingError('error.verification-reason-invalid');
    }
    // "Other" needs words; the preset reasons may stand alone.
    const reasonText = boundedText(input.reasonText, 'error.verification-reason-required', { required: reasonCode === 'other' });
    const at = now();
    const updated = await transition(loaded, {
      to: 'rejected', actorUid: reviewerUid, action: 'reject', byReviewer: true, reasonCode, reasonText,
      fields: { decidedAt: at, decidedBy: reviewerUid, reasonCode, reasonText },
      notify: { event: 'rejected', args: [`[[physician-network:verification.reason.${reasonCode}]]`, reasonText] },
    });
    return toView(updated);
  }

  async function requestInfo(caller: Caller, ridInput: unknown, input: { message?: unknown }): Promise<RequestView> {
    const { reviewerUid, loaded } = await loadForDecision(caller, ridInput);
    const message = boundedText(input.message, 'error.verification-message-required');
    const updated = await transition(loaded, {
      to: 'needs-info', actorUid: reviewerUid, action: 'needs-info', byReviewer: true, reasonText: message,
      fields: { decidedBy: reviewerUid, infoRequest: message, infoAnswer: '' },
      notify: { event: 'needs-info', args: [message] },
    });
    return toView(updated);
  }

  async function endVerification(loaded: LoadedRequest, to: 'revoked' | 'expired', actorUid: number, reasonText: string, byReviewer: boolean): Promise<VerificationRequest> {
    return transition(loaded, {
      to, actorUid, action: to === 'revoked' ? 'revoke' : 'expire', byReviewer, reasonText,
      fields: { reasonText, ...(to === 'revoked' ? { decidedBy: actorUid } : {}) },
      effect: { kind: 'remove' },
      notify: to === 'revoked' ? { event: 'revoked', args: [reasonText] } : { event: 'expired', args: [loaded.request.licenceExpiry] },
    });
  }

  async function revoke(caller: Caller, ridInput: unknown, input: { reasonText?: unknown }): Promise<RequestView> {
    const { reviewerUid, loaded } = await loadForDecision(caller, ridInput);
    const reasonText = boundedText(input.reasonText, 'error.verification-reason-required');
    return toView(await endVerification(loaded, 'revoked', reviewerUid, reasonText, true));
  }

  async function readAuditLog(caller: Caller, query: { rid?: unknown; page?: unknown; perPage?: unknown } = {}): Promise<Page<AuditView>> {
    await requireReviewer(caller);
    const page = pageNumber(query.page, 1, 100_000);
    const perPage = pageNumber(query.perPage, 50, PAGE_SIZE_MAX);
    const setKey = query.rid === undefined || query.rid === '' ? keys.audit : keys.auditByRequest(requestId(query.rid));
    const { entries, total } = await readAuditPage(setKey, (page - 1) * perPage, page * perPage - 1);
    const rids = [...new Set(entries.map(e => e.rid))];
    const [names, exist] = await Promise.all([
      usernames(entries.flatMap(e => [e.actorUid, e.subjectUid])),
      rids.length ? nodebb.db.exists(rids.map(rid => keys.request(rid))) : Promise.resolve([]),
    ]);
    const existing = new Set(rids.filter((_rid, i) => exist[i] === true));
    const items = entries.map(e => ({
      ...e,
      actorName: names.get(e.actorUid)?.username ?? '',
      subjectName: names.get(e.subjectUid)?.username ?? '',
      requestExists: existing.has(e.rid),
    }));
    return { items, page, perPage, total, pageCount: Math.ceil(total / perPage) };
  }

  async function deleteDocumentsOf(request: VerificationRequest, actorUid: number, audit: boolean): Promise<void> {
    if (!request.documents.length) {
      return;
    }
    const at = now();
    // The record forgets the files only once they are listed for deletion (done or retried daily).
    await deleteDocumentFiles(request.documents, at);
    await nodebb.db.setObject(keys.request(request.rid), toStored({ documents: [], documentsDeletedAt: at }));
    await nodebb.db.sortedSetRemove(keys.retention, String(request.rid));
    if (audit) {
      await recordAudit({
        rid: request.rid, action: 'documents-deleted', actorUid, subjectUid: request.uid, at,
        fromStatus: request.status, toStatus: request.status, registrationType: request.registrationType,
      });
    }
  }

  /**
   * Daily (the caller runs it only where nconf runJobs is true): warns members whose given
   * licence expiry is within verificationExpiryWarningDays, and ends verifications at expiry.
   * Each warning and each expiry is claimed atomically, so a rerun never acts twice.
   */
  async function runExpiryJob(): Promise<{ warned: number[]; expired: number[] }> {
    const { verificationExpiryWarningDays } = await getSettings();
    const at = now();
    const due = await nodebb.db.getSortedSetRangeByScore(keys.expiry, 0, -1, '-inf', at + verificationExpiryWarningDays * DAY_MS);
    const warned: number[] = [];
    const expired: number[] = [];
    for (const member of due) {
      const rid = Number(member);
      const loaded = await loadRequest(rid);
      const expiresAt = loaded?.request.status === 'approved' ? licenceExpiresAt(loaded.request.licenceExpiry) : null;
      if (!loaded || expiresAt === null) {
        await nodebb.db.sortedSetRemove(keys.expiry, member);
        continue;
      }
      try {
        if (expiresAt <= at) {
          await endVerification(loaded, 'expired', 0, '', false);
          expired.push(rid);
        } else if (await nodebb.db.incrObjectField(keys.request(rid), 'expiryWarningClaim') === 1) {
          await nodebb.db.setObjectField(keys.request(rid), 'expiryWarnedAt', at);
          await recordAudit({
            rid, action: 'expiry-warning', actorUid: 0, subjectUid: loaded.request.uid, at,
            fromStatus: 'approved', toStatus: 'approved', registrationType: loaded.request.registrationType,
          });
          await notifyMember({ rid, uid: loaded.request.uid, event: 'expiry-warning', occurrence: 0, args: [loaded.request.licenceExpiry] });
          warned.push(rid);
        }
      } catch (error) {
        // Another process or a reviewer got there first; the next run sees the new state.
        log.warn(`expiry job skipped request ${rid}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { warned, expired };
  }

  /** Daily: deletes documents verificationRetentionDays after the decision. The audit log stays. */
  async function runRetentionJob(): Promise<{ deleted: number[] }> {
    const { verificationRetentionDays } = await getSettings();
    const cutoff = now() - verificationRetentionDays * DAY_MS;
    const due = await nodebb.db.getSortedSetRangeByScore(keys.retention, 0, -1, '-inf', cutoff);
    const deleted: number[] = [];
    for (const member of due) {
      const loaded = await loadRequest(Number(member));
      if (loaded) {
        await deleteDocumentsOf(loaded.request, 0, true);
        deleted.push(loaded.request.rid);
      }
      await nodebb.db.sortedSetRemove(keys.retention, member);
    }
    return { deleted };
  }

  /**
   * Daily: a request left pending or needing information for longer than
   * verificationRetentionDays after the member's last action (submission or answer) expires,
   * with reason "inactive": its documents are deleted and the member is told.
   */
  async function runInactivityJob(): Promise<{ expired: number[] }> {
    const { verificationRetentionDays } = await getSettings();
    const at = now();
    const cutoff = at - verificationRetentionDays * DAY_MS;
    const expired: number[] = [];
    for (const status of OPEN_STATUSES) {
      // Open queues are scored by submission time, which is never after the last action.
      const candidates = await nodebb.db.getSortedSetRangeByScore(keys.queue(status), 0, -1, '-inf', cutoff);
      for (const member of candidates) {
        const loaded = await loadRequest(Number(member));
        if (!loaded || !OPEN_STATUSES.includes(loaded.request.status) || loaded.request.memberActedAt > cutoff) {
          continue;
        }
        try {
          await transition(loaded, {
            to: 'expired', actorUid: 0, action: 'expire', byReviewer: false, reasonCode: INACTIVITY_REASON,
            fields: { reasonCode: INACTIVITY_REASON, reasonText: '', documents: [], documentsDeletedAt: at },
            deleteDocuments: loaded.request.documents,
            notify: { event: 'request-expired', args: [String(verificationRetentionDays)] },
          });
          expired.push(loaded.request.rid);
        } catch (error) {
          // The member or a reviewer acted meanwhile; the next run sees the new state.
          log.warn(`inactivity job skipped request ${loaded.request.rid}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    return { expired };
  }

  /**
   * Daily: finishes rounds a dead process left claimed and unwritten (so those requests are
   * decidable again) and retries document files whose deletion failed.
   */
  async function runRecoveryJob(): Promise<{ healed: number[]; filesDeleted: number; filesFailing: number }> {
    const at = now();
    const healed: number[] = [];
    const listed = await nodebb.db.getSortedSetRangeByScore(keys.inflight, 0, -1, '-inf', at - STALE_ROUND_MS);
    for (const member of listed) {
      const loaded = await loadRequest(Number(member));
      if (!loaded) {
        await nodebb.db.sortedSetRemove(keys.inflight, member);
        continue;
      }
      try {
        if (await healStaleRound(loaded.request.rid, loaded.round)) {
          healed.push(loaded.request.rid);
        } else if (!(await readRoundState(loaded.request.rid, loaded.round, at)).claimed) {
          // Listed by a caller that lost its claim or finished: nothing is in flight.
          await nodebb.db.sortedSetRemove(keys.inflight, member);
        }
      } catch (error) {
        log.warn(`could not finish the stale change of verification request ${member}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const files = await retryDocumentDeletions();
    return { healed, filesDeleted: files.deleted.length, filesFailing: files.failed.length };
  }

  /**
   * `static:user.delete`: documents go at once, requests and the member's plugin keys are
   * purged, and audit entries keep the decision without the member's personal data.
   */
  async function deleteAccountData(uidInput: unknown): Promise<void> {
    const uid = Number(uidInput);
    if (!Number.isSafeInteger(uid) || uid <= 0) {
      return;
    }
    const rids = await nodebb.db.getSortedSetRange(keys.memberRequests(uid), 0, -1);
    for (const member of rids) {
      const rid = Number(member);
      const loaded = await loadRequest(rid);
      if (loaded) {
        await deleteDocumentFiles(loaded.request.documents);
        await removeFromAllQueues(rid, loaded.request.registrationType);
      }
      await nodebb.db.sortedSetRemove([keys.expiry, keys.retention, keys.inflight], member);
      // The request's audit index stays: it holds entry ids only, and the entries outlive the request.
      await nodebb.db.delete(keys.request(rid));
    }
    await forgetSubject(uid);
    await nodebb.db.deleteAll([keys.member(uid), keys.memberRequests(uid), keys.memberSubmissions(uid)]);
  }

  /** Whether this member may see the reviewer side at all (for navigation and pages). */
  async function canReview(caller: Caller): Promise<boolean> {
    return caller.uid > 0 && isReviewer(caller.uid);
  }

  return {
    submit,
    resubmit,
    withdraw,
    getMyStatus,
    getRequest,
    readDocument,
    listQueue,
    pendingCount,
    approve,
    reject,
    requestInfo,
    revoke,
    readAuditLog,
    canReview,
    runExpiryJob,
    runRetentionJob,
    runInactivityJob,
    runRecoveryJob,
    deleteAccountData,
  };
}


/** For messages: the translated name of a status. */
export function statusLabel(status: MemberStatus): string {
  return translationToken(`verification.status.${status}`);
}
