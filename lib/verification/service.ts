/**
 * The verification service: what API v3 routes, pages and jobs call. Every public function
 * takes the Caller first and checks its permission before it reads or changes anything,
 * so a route only builds the Caller, passes the body and formats the answer.
 *
 * The use cases live in one file per group, each taking the service's context (its
 * dependencies and clock) before the caller: member-requests.ts (submit, resubmit, withdraw),
 * decisions.ts (approve, reject, ask, revoke), reading.ts (status, requests, documents, queue,
 * audit log) and housekeeping.ts (daily jobs, account deletion). Every status change goes
 * through transition.ts, every database access through store.ts.
 */
import { translationToken } from '../common/user-error';
import type { DecisionBodies, Unchecked } from '../shared/verification-shapes';
import type { DecryptedDocument, IncomingDocument } from './documents';
import type { Caller, MemberStatus } from './model';
import { serviceContext, type VerificationServiceOptions } from './context';
import { resubmit, submit, withdraw } from './member-requests';
import { approve, reject, requestInfo, revoke } from './decisions';
import { canReview } from './policy';
import { getMyStatus, getRequest, listQueue, pendingCount, readAuditLog, readDocument } from './reading';
import { deleteAccountData, runExpiryJob, runInactivityJob, runRecoveryJob, runRetentionJob } from './housekeeping';
import type { AuditView, MyStatus, Page, QueueItem, QueueQuery, RequestView, ResubmitInput, ReviewerRequestView } from './views';

export { API_PREFIX, PAGE_SIZE_MAX } from './context';
export type { VerificationServiceOptions } from './context';
export type { AuditView, DocumentView, MyStatus, Page, QueueItem, QueueQuery, RequestView, ResubmitInput, ReviewerRequestView } from './views';

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
  approve(caller: Caller, rid: unknown, input?: Unchecked<DecisionBodies['approve']>): Promise<RequestView>;
  reject(caller: Caller, rid: unknown, input: Unchecked<DecisionBodies['reject']>): Promise<RequestView>;
  requestInfo(caller: Caller, rid: unknown, input: Unchecked<DecisionBodies['request-info']>): Promise<RequestView>;
  revoke(caller: Caller, rid: unknown, input: Unchecked<DecisionBodies['revoke']>): Promise<RequestView>;
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


export function createVerificationService(options: VerificationServiceOptions): VerificationService {
  const ctx = serviceContext(options);
  return {
    submit: async (caller, form, documents) => submit(ctx, caller, form, documents),
    resubmit: async (caller, rid, input) => resubmit(ctx, caller, rid, input),
    withdraw: async (caller, rid) => withdraw(ctx, caller, rid),
    getMyStatus: async (caller, page) => getMyStatus(ctx, caller, page),
    getRequest,
    readDocument,
    listQueue,
    pendingCount,
    approve: async (caller, rid, input) => approve(ctx, caller, rid, input),
    reject: async (caller, rid, input) => reject(ctx, caller, rid, input),
    requestInfo: async (caller, rid, input) => requestInfo(ctx, caller, rid, input),
    revoke: async (caller, rid, input) => revoke(ctx, caller, rid, input),
    readAuditLog,
    canReview,
    runExpiryJob: async () => runExpiryJob(ctx),
    runRetentionJob: async () => runRetentionJob(ctx),
    runInactivityJob: async () => runInactivityJob(ctx),
    runRecoveryJob: async () => runRecoveryJob(ctx),
    deleteAccountData,
  };
}

/** For messages: the translated name of a status. */
export function statusLabel(status: MemberStatus): string {
  return translationToken(`verification.status.${status}`);
}
