/**
 * What the verification API answers: requests as members and reviewers see them, queue
 * pages, the member's status and audit entries with names.
 */
import type { AuditEntry, MemberStatus, RegistrationType, RequestStatus, StoredDocument, VerificationRequest } from './model';
import type { IncomingDocument } from './documents';
import type { RegistryLink } from './registry-links';

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
