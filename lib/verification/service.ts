/**
 * The verification service: what API v3 routes, pages and jobs call. Every public function
 * takes the Caller first and checks its permission before it reads or changes anything,
 * so a route only builds the Caller, passes the body and formats the answer.
 */
import { nodebb, log } from '../nodebb';
import { UserFacingError, translationToken } from '../common/user-error';
import { getSettings } from '../settings';
import { isReviewer, requireOwnerOrReviewer, requireReviewer, requireSignedIn } from './access';
import { forgetSubject, readAuditPage, recordAudit } from './audit';
import {
  deleteDocumentFiles, prepareDocuments, readStoredDocument, storeDocuments,
  type DecryptedDocument, type IncomingDocument,
} from './documents';
import { keys } from './keys';
import {
  OPEN_STATUSES, REGISTRATION_TYPES, REJECTION_REASONS, REQUEST_STATUSES, isLegalTransition,
  type AuditAction, type AuditEntry, type Caller, type MemberStatus, type MembershipPort, type RegistrationType,
  type RequestStatus, type SpecialtyLookup, type StoredDocument, type VerificationRequest,
} from './model';
import { notifyMember, type NotificationEvent } from './notify';
import { DAY_MS, type FormRules, boundedText, licenceExpiresAt, validateSpecialties, validateVerificationForm, type VerificationForm } from './registration';
import { registryLookupLink, type RegistryLink } from './registry-links';
import {
  addToQueues, awaitNewerRound, claimRound, loadRequest, queueScore, removeFromAllQueues, toStored,
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
        rid, uid, status: 'pending', round: 0, lastActorUid: uid, submittedAt: at, updatedAt: at, submissions: 1, documents: stored, ...formFields(form),
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

  interface TransitionPlan {
    to: RequestStatus;
    actorUid: number;
    action: AuditAction;
    /** Reviewer decisions say who won; member and system changes say the state moved on. */
    byReviewer: boolean;
    fields?: RequestFields;
    /** Runs after the claim is won and before the status is written; a throw leaves the status as it was. */
    beforeWrite?: (request: VerificationRequest) => Promise<void>;
    reasonCode?: string;
    reasonText?: string;
    specialties?: string[];
  }

  async function alreadyDecidedError(loaded: LoadedRequest | null): Promise<UserFacingError> {
    const actor = loaded?.request.decidedBy ?? loaded?.lastActorUid ?? 0;
    const name = (await usernames([actor])).get(actor)?.username;
    return new UserFacingError('error.verification-already-decided', [name !== undefined && name !== '' ? name : '[[physician-network:verification.another-reviewer]]'], 409);
  }

  /** Changes a request's status once, atomically, with its indexes and audit entry. */
  async function transition(loaded: LoadedRequest, plan: TransitionPlan): Promise<VerificationRequest> {
    const { request, round } = loaded;
    const from = request.status;
    if (!isLegalTransition(from, plan.to)) {
      // A reviewer acting on a stale page learns who decided; other refusals name the statuses.
      if (plan.byReviewer && request.decidedBy !== null && DECIDED_STATUSES.includes(from)) {
        throw await alreadyDecidedError(loaded);
      }
      throw new UserFacingError('error.verification-illegal-transition', [statusToken(from), statusToken(plan.to)], 409);
    }
    if (!await claimRound(request.rid, round)) {
      if (plan.byReviewer) {
        throw await alreadyDecidedError(await awaitNewerRound(request.rid, round));
      }
      throw new UserFacingError('error.verification-state-changed', [], 409);
    }
    const at = now();
    try {
      await plan.beforeWrite?.(request);
    } catch (error) {
      // Move the round on with the status unchanged, so the request can be decided again.
      await nodebb.db.setObject(keys.request(request.rid), { round: round + 1 });
      throw error;
    }
    await nodebb.db.setObject(keys.request(request.rid), toStored({
      ...plan.fields, status: plan.to, round: round + 1, lastActorUid: plan.actorUid, updatedAt: at,
    }));
    const type = (plan.fields?.registrationType as RegistrationType | undefined) ?? request.registrationType;
    await removeFromAllQueues(request.rid, request.registrationType);
    await addToQueues(request.rid, plan.to, type, queueScore(plan.to, request.submittedAt, at));
    if (OPEN_STATUSES.includes(from) && !OPEN_STATUSES.includes(plan.to)) {
      await releaseOpenSlot(request.uid);
    }
    await recordAudit({
      rid: request.rid, action: plan.action, actorUid: plan.actorUid, subjectUid: request.uid, at,
      fromStatus: from, toStatus: plan.to, registrationType: type,
      reasonCode: plan.reasonCode, reasonText: plan.reasonText, specialties: plan.specialties,
    });
    return (await mustLoad(request.rid)).request;
  }

  async function withdraw(caller: Caller, ridInput: unknown): Promise<RequestView> {
    const uid = requireSignedIn(caller);
    const loaded = await mustLoad(requestId(ridInput));
    if (loaded.request.uid !== uid) {
      // Only the member withdraws; to anyone else the request does not exist.
      throw new UserFacingError('error.verification-request-not-found', [], 404);
    }
    const updated = await transition(loaded, { to: 'withdrawn', actorUid: uid, action: 'withdraw', byReviewer: false });
    // A withdrawn request needs no documents: they go at once.
    await deleteDocumentsOf(updated, uid, false);
    return toView((await mustLoad(updated.rid)).request);
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
    const old = loaded.request.documents;
    const stored = prepared ? await storeDocuments(loaded.request.rid, prepared) : null;
    let updated: VerificationRequest;
    try {
      updated = await transition(loaded, {
        to: 'pending', actorUid: uid, action: 'resubmit', byReviewer: false,
        fields: {
          ...(form ? formFields(form) : {}),
          ...(stored ? { documents: stored } : {}),
          infoAnswer: answer,
          submissions: loaded.request.submissions + 1,
        },
        reasonText: answer,
        specialties: form?.specialties ?? loaded.request.specialties,
      });
    } catch (error) {
      await deleteDocumentFiles(stored ?? []);
      throw error;
    }
    if (stored) {
      await deleteDocumentFiles(old);
    }
    await recordSubmission(uid, updated.rid, updated.submissions);
    return toView(updated);
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

  async function notify(request: VerificationRequest, event: NotificationEvent, fromUid: number, args: string[] = []): Promise<void> {
    await notifyMember({ rid: request.rid, uid: request.uid, event, occurrence: request.updatedAt, fromUid, args });
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
      beforeWrite: async request => options.membership.grantVerification(request.uid, specialties),
    });
    await nodebb.db.setObject(keys.member(updated.uid), { verifiedRequestId: updated.rid });
    await nodebb.db.sortedSetAdd(keys.retention, at, String(updated.rid));
    const expiresAt = licenceExpiresAt(updated.licenceExpiry);
    if (expiresAt !== null) {
      await nodebb.db.sortedSetAdd(keys.expiry, expiresAt, String(updated.rid));
    }
    await notify(updated, 'approved', reviewerUid);
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
    });
    await nodebb.db.sortedSetAdd(keys.retention, at, String(updated.rid));
    await notify(updated, 'rejected', reviewerUid, [`[[physician-network:verification.reason.${reasonCode}]]`, reasonText]);
    return toView(updated);
  }

  async function requestInfo(caller: Caller, ridInput: unknown, input: { message?: unknown }): Promise<RequestView> {
    const { reviewerUid, loaded } = await loadForDecision(caller, ridInput);
    const message = boundedText(input.message, 'error.verification-message-required');
    const updated = await transition(loaded, {
      to: 'needs-info', actorUid: reviewerUid, action: 'needs-info', byReviewer: true, reasonText: message,
      fields: { decidedBy: reviewerUid, infoRequest: message, infoAnswer: '' },
    });
    await notify(updated, 'needs-info', reviewerUid, [message]);
    return toView(updated);
  }

  async function endVerification(loaded: LoadedRequest, to: 'revoked' | 'expired', actorUid: number, reasonText: string, byReviewer: boolean): Promise<VerificationRequest> {
    const updated = await transition(loaded, {
      to, actorUid, action: to === 'revoked' ? 'revoke' : 'expire', byReviewer, reasonText,
      fields: { reasonText, ...(to === 'revoked' ? { decidedBy: actorUid } : {}) },
      beforeWrite: async request => options.membership.removeVerification(request.uid),
    });
    await nodebb.db.setObject(keys.member(updated.uid), { verifiedRequestId: 0 });
    await nodebb.db.sortedSetRemove(keys.expiry, String(updated.rid));
    return updated;
  }

  async function revoke(caller: Caller, ridInput: unknown, input: { reasonText?: unknown }): Promise<RequestView> {
    const { reviewerUid, loaded } = await loadForDecision(caller, ridInput);
    const reasonText = boundedText(input.reasonText, 'error.verification-reason-required');
    const updated = await endVerification(loaded, 'revoked', reviewerUid, reasonText, true);
    await notify(updated, 'revoked', reviewerUid, [reasonText]);
    return toView(updated);
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
    await deleteDocumentFiles(request.documents);
    const at = now();
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
          const updated = await endVerification(loaded, 'expired', 0, '', false);
          await notify(updated, 'expired', 0, [loaded.request.licenceExpiry]);
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
      await nodebb.db.sortedSetRemove([keys.expiry, keys.retention], member);
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
    deleteAccountData,
  };
}


/** For messages: the translated name of a status. */
export function statusLabel(status: MemberStatus): string {
  return translationToken(`verification.status.${status}`);
}
