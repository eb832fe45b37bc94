/**
 * Who may do what with verification requests: used by the use cases (each starts with one of
 * these checks), the pages, the pending-count hook and nothing else decides it.
 * Reviewers are admins, global moderators (lib/common/policy.ts) and members of the
 * ACP-chosen reviewer group.
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

/** Whether this member may see the reviewer side at all (for navigation and pages). */
export async function canReview(caller: Caller): Promise<boolean> {
  return caller.uid > 0 && isReviewer(caller.uid);
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

/** Only the member changes their own request (withdraw, answer); to anyone else it does not exist. */
export function requireOwner(uid: number, ownerUid: number): void {
  if (uid !== ownerUid) {
    throw new UserFacingError('error.verification-request-not-found', [], 404);
  }
}

/** A reviewer never decides their own request. */
export function refuseOwnRequest(reviewerUid: number, ownerUid: number): void {
  if (reviewerUid === ownerUid) {
    throw new UserFacingError('error.verification-own-request', [], 403);
  }
}

/** Documents: the member's own, and any for reviewers (callers answer everyone else with one 404). */
export async function mayReadDocuments(caller: Caller, ownerUid: number): Promise<boolean> {
  return caller.uid > 0 && (ownerUid === caller.uid || isReviewer(caller.uid));
}
