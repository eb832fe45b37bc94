/**
 * Image redaction, server side: one sanitiser in front of every NodeBB upload path.
 */
export { sanitiseImage, mimeOf, extensionOf } from './sanitise';
export type { SanitiseOptions, SanitisedImage, OutputFormat } from './sanitise';
export { sniffImageFormat, sniffFile, SNIFF_BYTES } from './sniff';
export type { SniffedFormat, SniffedFile } from './sniff';
export { judgeMarkup, MARKUP_SCAN_BYTES } from './markup';
export type { MarkupVerdict, ActiveMarkupReason } from './markup';
export {
  sanitiseUploadImage, storeUploadedImage, sanitiseUploadFile, storeUploadedFile,
  leaveExifToSanitiser, readImageSize, checkImageFileType, resizeImage, normaliseImage, LARGEST_UPLOAD_BYTES,
} from './upload-hooks';
export type { UploadedFile, UploadImagePayload, UploadFilePayload, StoredUpload, ResizeRequest } from './upload-hooks';
export { CONFIRMATION_FIELD, contentShowsImage, lacksPatientConfirmation, requirePatientConfirmation } from './confirmation';
export type { PostSubmission } from './confirmation';
export { clinicalCategoryCids, addClinicalCategoriesToConfig, checkNewTopicConfirmation, checkReplyConfirmation, checkEditConfirmation } from './clinical';
export { containsImage, imagesShown, uploadedImageLinks, imagesAdded, imagesOrUploadsAdded } from './images-in-content';
export { reviewCategoryCids, isImageReviewer, queueImagePostsForReview, keepEditedImagesInReview } from './review';
export type { ShouldQueuePayload } from './review';
export type { PostEditPayload } from './post-context';
