/**
 * Who may do what. Every service function starts with one of these checks.
 * Reviewers are admins, global moderators and members of the ACP-chosen reviewer group.
 */
import { nodebb } from '../nodebb';
import { UserFacingError } from '../common/user-error';
import { isAdminOrGlobalModerator } from '../common/policy';
import { getSettings } from '../settings';
import type { Caller } from './model';

export async function isReviewer(uid: number): Promise<boolean> {
  if (uid <= 0) {
    return false;
  }
  if (await isAdminOrGlobalModerator(uid)) {
    return true;
  }
  const { verificationReviewerGroup } = await getSettings();
  return verificationReviewerGroup !== '' && nodebb.groups.isMember(uid, verificationReviewerGroup);
}

/** Guests get 401: every verification function needs a signed-in member. */
export function requireSignedIn(caller: Caller): number {
  if (!Number.isInteger(caller.uid) || caller.uid <= 0) {
    throw new UserFacingError('error.verification-sign-in', [], 401);
  }
  return caller.uid;
}

export async function requireReviewer(caller: Caller): Promise<number> {
  const uid = requireSignedIn(caller);
  if (!await isReviewer(uid)) {
    throw new UserFacingError('error.verification-not-allowed', [], 403);
  }
  return uid;
}

/**
 * The member themselves or a reviewer. Anyone else is told the request does not exist,
 * so request ids reveal nothing.
 */
export async function requireOwnerOrReviewer(caller: Caller, ownerUid: number): Promise<{ uid: number; reviewer: boolean }> {
  const uid = requireSignedIn(caller);
  const reviewer = await isReviewer(uid);
  if (uid !== ownerUid && !reviewer) {
    throw new UserFacingError('error.verification-request-not-found', [], 404);
  }
  return { uid, reviewer };
}
