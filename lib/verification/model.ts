/**
 * The verification vocabulary: registration types, statuses, the legal status changes,
 * who is calling, and the record shapes the service returns.
 */

/** Prefix of the plugin's database keys, nconf keys and notification ids (written joined with ':'). */
export const PLUGIN_KEY_PREFIX = 'physician-network';

export {
  REGISTRATION_TYPES, REQUEST_STATUSES, DOCUMENT_KINDS, DOCUMENT_TYPES, AUDIT_ACTIONS,
  type RegistrationType, type RequestStatus, type MemberStatus, type DocumentKind, type DocumentContentType,
  type StoredDocument, type VerificationRequest, type AuditAction, type AuditEntry,
} from '../shared/verification-shapes';
import { positiveId } from '../common/ids';
import type { RegistrationType, RequestStatus } from '../shared/verification-shapes';

/** The country each national registration belongs to (ISO 3166-1 alpha-2); "other" names its own. */
export const REGISTRATION_COUNTRY: Readonly<Record<Exclude<RegistrationType, 'other'>, string>> = {
  str: 'ID',
  npi: 'US',
  gmc: 'GB',
  big: 'NL',
  'se-legitimation': 'SE',
};

/** Statuses in which a request is still open: a member may hold at most one. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['pending', 'needs-info'];

/**
 * Every legal status change. "none → pending" is the submission itself.
 * needs-info → withdrawn is allowed too, so a member asked for information they cannot give is not stuck.
 */
export const TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  // An open request expires (reason INACTIVITY_REASON) when the member leaves it past the retention period.
  pending: ['approved', 'rejected', 'needs-info', 'withdrawn', 'expired'],
  'needs-info': ['pending', 'withdrawn', 'expired'],
  approved: ['revoked', 'expired'],
  rejected: [],
  withdrawn: [],
  revoked: [],
  expired: [],
};

export function isLegalTransition(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Preset reasons a reviewer picks from when rejecting; free text is added to any of them. */
export const REJECTION_REASONS = [
  'number-not-found',
  'name-mismatch',
  'document-unreadable',
  'document-mismatch',
  'licence-expired',
  'not-a-physician',
  'other',
] as const;
export type RejectionReason = typeof REJECTION_REASONS[number];

/** Reason code of an open request that expired because the member left it alone (set by the daily job, never by a reviewer). */
export const INACTIVITY_REASON = 'inactive';

/** Who is calling a service function: uid 0 is a guest. Routes build it from req.uid. */
export interface Caller {
  readonly uid: number;
}

export function callerFromUid(uid: unknown): Caller {
  return { uid: positiveId(uid) };
}

/** The membership functions of the specialties capability; injected so it can plug in later. */
export interface MembershipPort {
  grantVerification(uid: number, specialties: string[]): Promise<void>;
  removeVerification(uid: number): Promise<void>;
  /** The member's verification as membership holds it now (what undoing a change restores). */
  verificationOf(uid: number): Promise<{ verified: boolean; specialties: string[] }>;
}

/** The specialty taxonomy as far as verification needs it. */
export type SpecialtyLookup = (slug: string) => Promise<boolean>;
