/**
 * Review before publication: in the categories the ACP lists (none by default), a post that
 * carries an image waits in NodeBB's own post queue until a moderator accepts it.
 * Exempt are the reviewers themselves (./policy.ts `isImageReviewer`).
 */
import { UserFacingError } from '../common/user-error';
import { clinicalCategoryCids, isImageReviewer, reviewCategoryCids } from './policy';
import { lacksPatientConfirmation } from './confirmation';
import type { CONFIRMATION_FIELD } from './confirmation';
import { containsImage, imagesOrUploadsAdded } from './images-in-content';
import { categoryOfSubmission, editedPost, uploadUrl, type PostEditPayload } from './post-context';

export interface ShouldQueuePayload {
  shouldQueue: boolean;
  uid: number;
  data: { cid?: unknown; tid?: unknown; content?: unknown; [CONFIRMATION_FIELD]?: unknown; [key: string]: unknown };
}

/**
 * filter:post.shouldQueue (src/posts/queue.js), fired for every new topic and reply before core
 * either queues or publishes it.
 *
 * It also refuses, right here, an image post in a clinical category that lacks the member's
 * confirmation: otherwise a queued one would only fail when a moderator accepts it.
 */
export async function queueImagePostsForReview(payload: ShouldQueuePayload): Promise<ShouldQueuePayload> {
  const cid = await categoryOfSubmission(payload.data);
  if (cid === null) {
    return payload;
  }
  if (lacksPatientConfirmation({ ...payload.data, cid }, await clinicalCategoryCids())) {
    throw new UserFacingError('error.redaction-confirmation-required');
  }
  if (payload.shouldQueue || !(await reviewCategoryCids()).includes(cid) || !containsImage(payload.data.content, uploadUrl())) {
    return payload;
  }
  if (await isImageReviewer(payload.uid, cid)) {
    return payload;
  }
  return { ...payload, shouldQueue: true };
}

/**
 * filter:post.edit: an edit cannot slip an image past review. NodeBB's queue holds only new
 * posts, so in a review category a member's edit that adds an image (or a link to an uploaded
 * image) is refused; the member posts the image in a new reply, which is queued.
 */
export async function keepEditedImagesInReview(payload: PostEditPayload): Promise<PostEditPayload> {
  const reviewed = await reviewCategoryCids();
  if (!reviewed.length) {
    return payload;
  }
  const edit = await editedPost(payload);
  if (!edit || !reviewed.includes(edit.cid)) {
    return payload;
  }
  if (!imagesOrUploadsAdded(edit.oldContent, edit.newContent, uploadUrl()).length) {
    return payload;
  }
  if (await isImageReviewer(Number(payload.uid ?? payload.data.uid), edit.cid)) {
    return payload;
  }
  throw new UserFacingError('error.redaction-review-edit-image');
}
