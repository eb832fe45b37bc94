/**
 * Who and where the redaction rules apply to: the clinical categories (the patient
 * confirmation is required there), the review categories (image posts wait in the post queue
 * there), and who is exempt from review. Builds on lib/common/policy.ts.
 *
 * Nobody is exempt from sanitising: every upload, an administrator's included, is sanitised.
 */
import { isAdminOrGlobalModerator } from '../common/policy';
import { nodebb } from '../nodebb';
import { getSettings } from '../settings';
import { getProvisionedState } from '../specialties/structure';
import { listSpecialties } from '../specialties/taxonomy';
import { parseCidList } from './post-context';

/**
 * Clinical categories: where the redaction editor cannot be skipped and a post with an image
 * needs the member's "identifies no patient" confirmation. Set in the ACP; by default every
 * specialty category and the Physicians' lounge.
 */
export async function clinicalCategoryCids(): Promise<number[]> {
  const chosen = parseCidList((await getSettings()).redactionClinicalCategories);
  if (chosen.length) {
    return chosen;
  }
  const [records, state] = await Promise.all([listSpecialties(), getProvisionedState()]);
  return [...records.map(r => r.cid), state.loungeCid].filter(cid => cid > 0);
}

/** Review before publication: the categories the ACP lists (none by default). */
export async function reviewCategoryCids(): Promise<number[]> {
  return parseCidList((await getSettings()).redactionReviewCategories);
}

/**
 * Administrators, global moderators and the category's moderators review; they are not reviewed.
 * NodeBB's "groups exempt from the post queue" are not exempt here: that setting is about trust
 * for posting at all, this one about what a picture may show.
 */
export async function isImageReviewer(uid: number, cid: number): Promise<boolean> {
  if (!(uid > 0)) {
    return false;
  }
  const [staff, categoryModerator] = await Promise.all([
    isAdminOrGlobalModerator(uid),
    nodebb.privileges.categories.isAdminOrMod(cid, uid),
  ]);
  return staff || categoryModerator;
}
