/**
 * Verification shapes, written once for the server and the client: the vocabulary (registration
 * types, statuses, document kinds, audit actions), the request and audit records, what the API
 * answers, and what the reviewer's request page sends for each decision
 * (static/src/physician-verification-request.ts) and the service accepts
 * (lib/verification/decisions.ts). Dependency-free; client modules import its types only, so
 * no plugin.json "modules" entry is needed.
 */


/** The body of each decision, POST /api/v3/plugins/physician-network/verification/requests/:rid/<action>. */
export interface DecisionBodies {
  approve: { specialties: string[] };
  reject: { reasonCode: string; reasonText: string };
  'request-info': { message: string };
  revoke: { reasonText: string };
}

export type DecisionAction = keyof DecisionBodies;

/** A body as the server receives it: any field may be missing or of another type until checked. */
export type Unchecked<T> = { [K in keyof T]?: unknown };

export const REGISTRATION_TYPES = ['str', 'npi', 'gmc', 'big', 'se-legitimation', 'other'] as const;
export type RegistrationType = typeof REGISTRATION_TYPES[number];

/** "none" is not stored: a member without requests has status none. */
export const REQUEST_STATUSES = ['pending', 'needs-info', 'approved', 'rejected', 'withdrawn', 'revoked', 'expired'] as const;
export type RequestStatus = typeof REQUEST_STATUSES[number];
export type MemberStatus = RequestStatus | 'none';

export const DOCUMENT_KINDS = ['licence', 'photo-id'] as const;
export type DocumentKind = typeof DOCUMENT_KINDS[number];

export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentContentType = typeof DOCUMENT_TYPES[number];

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

export interface RegistryLink {
  /** Translation key naming the register. */
  labelKey: string;
  url: string;
  /** Whether the URL already carries the number (otherwise the reviewer types it in). */
  prefilled: boolean;
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
