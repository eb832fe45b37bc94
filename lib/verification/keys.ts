/**
 * Every database key the verification capability owns, in one place so that account
 * deletion can find them all. All start with the plugin id, then `:verification`.
 */
import { PLUGIN_KEY_PREFIX } from './model';
import type { RegistrationType, RequestStatus } from './model';

const ROOT = `${PLUGIN_KEY_PREFIX}:verification`;

export const keys = {
  /** Hash of counters: nextRequestId, nextAuditId. */
  counters: `${ROOT}:counters`,
  request: (rid: number): string => `${ROOT}:request:${rid}`,
  /** Per-member hash: open (claim counter), openRequestId, verifiedRequestId. */
  member: (uid: number): string => `${ROOT}:member:${uid}`,
  /** Per-member history, score = first submission time. */
  memberRequests: (uid: number): string => `${ROOT}:member:${uid}:requests`,
  /** Per-member submission times, for the 24-hour limit. */
  memberSubmissions: (uid: number): string => `${ROOT}:member:${uid}:submissions`,
  /** Queue by status, score = time the request entered that status. */
  queue: (status: RequestStatus): string => `${ROOT}:queue:${status}`,
  queueByType: (status: RequestStatus, type: RegistrationType): string => `${ROOT}:queue:${status}:${type}`,
  /** Approved requests with an expiry date, score = the moment they expire. */
  expiry: `${ROOT}:expiry`,
  /** Decided requests whose documents still exist, score = decision time. */
  retention: `${ROOT}:retention`,
  /** Requests with a status change claimed and perhaps not finished, score = claim time (for the daily job). */
  inflight: `${ROOT}:inflight`,
  /** Document files whose deletion failed or is due, value = document id, score = since when (retried daily). */
  fileDeletions: `${ROOT}:file-deletions`,
  audit: `${ROOT}:audit`,
  auditEntry: (eid: number): string => `${ROOT}:audit:${eid}`,
  auditByRequest: (rid: number): string => `${ROOT}:audit:request:${rid}`,
  auditBySubject: (uid: number): string => `${ROOT}:audit:subject:${uid}`,
  /** NodeBB's own config hash, read only (its writes go through meta.configs). */
  siteConfig: 'config',
};
