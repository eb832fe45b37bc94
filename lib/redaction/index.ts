/**
 * Image redaction, server side: one sanitiser in front of every NodeBB upload path.
 */
export { sanitiseImage, mimeOf, extensionOf } from './sanitise';
export type { SanitiseOptions, SanitisedImage, OutputFormat } from './sanitise';
export { sniffImageFormat } from './sniff';
export type { SniffedFormat } from './sniff';
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
