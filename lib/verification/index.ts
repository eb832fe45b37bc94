/**
 * Physician verification: the public surface for library.ts (routes, hooks, jobs) and
 * for other capabilities. The Express layer stays thin: build a Caller from req.uid,
 * hand the body to the service, answer with its result or its UserFacingError.
 */
export { createVerificationService, API_PREFIX, PAGE_SIZE_MAX, statusLabel } from './service';
export type {
  VerificationService, VerificationServiceOptions, RequestView, ReviewerRequestView, DocumentView,
  QueueItem, QueueQuery, Page, ResubmitInput, MyStatus, AuditView,
} from './service';
export {
  REGISTRATION_TYPES, REGISTRATION_COUNTRY, REQUEST_STATUSES, OPEN_STATUSES, TRANSITIONS, REJECTION_REASONS,
  DOCUMENT_KINDS, DOCUMENT_TYPES, isLegalTransition, callerFromUid,
} from './model';
export type {
  Caller, RegistrationType, RequestStatus, MemberStatus, RejectionReason, DocumentKind, DocumentContentType,
  StoredDocument, VerificationRequest, AuditEntry, AuditAction, MembershipPort, SpecialtyLookup,
} from './model';
export { isReviewer } from './access';
export {
  documentsDirectory, documentResponseHeaders, readUploadedFile, assertDocumentSize, sanitiseImage, MAX_DOCUMENTS,
  documentsFromUploads, discardUploadedFiles, UPLOAD_FIELDS,
} from './documents';
export type { IncomingDocument, DecryptedDocument, UploadedTempFile } from './documents';
export { validateVerificationForm, normaliseRegistrationNumber, npiCheckDigitValid } from './registration';
export type { VerificationForm } from './registration';
export { registryLookupLink } from './registry-links';
export type { RegistryLink } from './registry-links';
export { NOTIFICATION_TYPE } from './notify';
export { createVerificationHooks } from './hooks';
export type { VerificationHooks } from './hooks';
