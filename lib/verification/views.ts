/**
 * What the verification API answers (requests as members and reviewers see them, queue pages,
 * the member's status, audit entries with names): written once in lib/shared/verification-shapes.ts.
 * The inputs the routes hand the service stay here.
 */
import type { IncomingDocument } from './documents';

export type {
  DocumentView, RequestView, ReviewerRequestView, QueueItem, Page, MyStatus, AuditView,
} from '../shared/verification-shapes';

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
