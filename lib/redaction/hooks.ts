/**
 * Image redaction's NodeBB hook listeners, as plugin.json names them (`redaction.<name>`).
 *
 * Every upload path NodeBB gives a hook is sanitised before anything is stored: each upload
 * filter gets an early listener (priority 1) that sanitises the temp file in place and passes
 * the payload on to a storage plugin, and a late one (priority 1000) that stores it as core
 * would when nobody else did. Core's own image steps are taken over through their filters, and
 * posts with images are checked for the patient confirmation and held for review.
 */
import { addClinicalCategoriesToConfig, checkEditConfirmation, checkNewTopicConfirmation, checkReplyConfirmation } from './clinical';
import { checkImageFileType, leaveExifToSanitiser, normaliseImage, readImageSize, resizeImage } from './image-steps';
import { keepEditedImagesInReview, queueImagePostsForReview } from './review';
import { sanitiseFileUpload, sanitiseImageUpload } from './upload-sanitising';
import { storeFileUpload, storeImageUpload } from './upload-storage';

export const hooks = {
  /** filter:uploadImage, early (priority 1): post and chat images, thumbnails, pictures, covers, ACP images. */
  sanitiseUploadImage: sanitiseImageUpload,
  /** filter:uploadImage, late (priority 1000): local storage unless a storage plugin stored it. */
  storeUploadedImage: storeImageUpload,
  /** filter:uploadFile, early (priority 1): post and chat files sent with a non-image type. */
  sanitiseUploadFile: sanitiseFileUpload,
  /** filter:uploadFile, late (priority 1000): NodeBB's local storage for post files. */
  storeUploadedFile: storeFileUpload,
  /** filter:image.stripEXIF */
  leaveExifToSanitiser,
  /** filter:image.size */
  readImageSize,
  /** filter:image.isFileTypeAllowed */
  checkImageFileType,
  /** filter:image.resize */
  resizeImage,
  /** filter:image.normalise */
  normaliseImage,
  /** filter:config.get */
  addClinicalCategoriesToConfig,
  /** filter:topic.post */
  checkNewTopicConfirmation,
  /** filter:topic.reply */
  checkReplyConfirmation,
  /** filter:post.edit */
  checkEditConfirmation,
  /** filter:post.shouldQueue */
  queueImagePostsForReview,
  /** filter:post.edit */
  keepEditedImagesInReview,
};
