/**
 * Forum-wide roles every capability's policy builds on: one definition of "administrator" and
 * "global moderator" for routes, pages, feeds, widgets and jobs alike. Capability rules (who
 * reviews verifications, who organises seminars…) live in each capability's policy.ts.
 */
import { nodebb } from '../nodebb';
import { positiveId } from './ids';
import { UserFacingError } from './user-error';

export async function isAdmin(uid: unknown): Promise<boolean> {
  const id = positiveId(uid);
  return id > 0 && nodebb.user.isAdministrator(id);
}

/** Administrators and global moderators: the forum's staff. */
export async function isAdminOrGlobalModerator(uid: unknown): Promise<boolean> {
  const id = positiveId(uid);
  if (id === 0) {
    return false;
  }
  const [admin, globalModerator] = await Promise.all([nodebb.user.isAdministrator(id), nodebb.user.isGlobalModerator(id)]);
  return admin || globalModerator;
}

/** Refuses anyone but an administrator with the translated "not allowed": 401 for guests, 403 for members. */
export async function requireAdministrator(uid: unknown): Promise<void> {
  if (!await isAdmin(uid)) {
    throw new UserFacingError('error.not-allowed', [], positiveId(uid) > 0 ? 403 : 401);
  }
}
