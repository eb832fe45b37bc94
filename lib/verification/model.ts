/**
 * The verification vocabulary: registration types, statuses, the legal status changes,
 * who is calling, and the record shapes the service returns.
 */

/** Prefix of the plugin's database keys, nconf keys and notification ids (written joined with ':'). */
export const PLUGIN_KEY_PREFIX = 'physician-network';

export const REGISTRATION_TYPES = ['str', 'npi', 'gmc', 'big', 'se-legitimation', 'other'] as const;
export type RegistrationType = typeof REGISTRATION_TYPES[number];

/** The country each national registration belongs to (ISO 3166-1 alpha-2); "other" names its own. */
export const REGISTRATION_COUNTRY: Readonly<Record<Exclude<RegistrationType, 'other'>, string>> = {
  str: 'ID',
  npi: 'US',
  gmc: 'GB',
  big: 'NL',
  'se-legitimation': 'SE',
};

/** "none" is not stored: a member without requests has status none. */
export const REQUEST_STATUSES = ['pending', 'needs-info', 'approved', 'rejected', 'withdrawn', 'revoked', 'expired'] as const;
export type RequestStatus = typeof REQUEST_STATUSES[number];
export type MemberStatus = RequestStatus | 'none';

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

export const DOCUMENT_KINDS = ['licence', 'photo-id'] as const;
export type DocumentKind = typeof DOCUMENT_KINDS[number];

export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentContentType = typeof DOCUMENT_TYPES[number];

/** Who is calling a service function: uid 0 is a guest. Routes build it from req.uid. */
export interface Caller {
  readonly uid: number;
}

export function callerFromUid(uid: unknown): Caller {
  const n = typeof uid === 'number' ? uid : Number(uid);
  return { uid: Number.isInteger(n) && n > 0 ? n : 0 };
}

export interface StoredDocument {
  /** 32 hex characters; also the file name on disk. */
  id: string;
  kind: DocumentKind;
  contentType: DocumentContentType;
  size: number;
}

export interface VerificationRequest {
  rid: number;
  uid: number;
  status: RequestStatus;
  fullName: string;
  registrationType: RegistrationType;
  registrationNumber: string;
  country: string;
  specialties: string[];
  inTraining: boolean;
  institution: string;
  /** YYYY-MM-DD, or '' when none was given. */
  licenceExpiry: string;
  submittedAt: number;
  updatedAt: number;
  submissions: number;
  documents: StoredDocument[];
  documentsDeletedAt: number | null;
  decidedAt: number | null;
  decidedBy: number | null;
  reasonCode: string;
  reasonText: string;
  /** What the reviewer asked for (needs-info) and the member's answer. */
  infoRequest: string;
  infoAnswer: string;
  confirmedSpecialties: string[];
  /** When the member last submitted or answered: open requests expire a retention period after it. */
  memberActedAt: number;
}

export const AUDIT_ACTIONS = ['submit', 'resubmit', 'withdraw', 'approve', 'reject', 'needs-info', 'revoke', 'expire', 'expiry-warning', 'documents-deleted'] as const;
export type AuditAction = typeof AUDIT_ACTIONS[number];

export interface AuditEntry {
  eid: number;
  rid: number;
  action: AuditAction;
  /** 0 for the system (jobs). */
  actorUid: number;
  /** 0 once the member deleted their account. */
  subjectUid: number;
  at: number;
  fromStatus: MemberStatus;
  toStatus: MemberStatus;
  registrationType: RegistrationType | '';
  reasonCode: string;
  reasonText: string;
  specialties: string[];
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
