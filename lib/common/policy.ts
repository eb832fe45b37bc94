/**
 * Forum-wide roles every capability's policy builds on: one definition of "administrator" and
 * "global moderator" for routes, pages, feeds, widgets and jobs alike. Capability rules (who
 * reviews verifications, who organises seminars…) live in each capability's policy.ts.
 */
import { nodebb } from '../nodebb';
import { UserFacingError } from './user-error';

/** A uid from anywhere (request, hook payload, job): a positive integer, or 0 for nobody. */
export function memberUid(uid: unknown): number {
  const id = Number(uid);
  return Number.isInteger(id) && id > 0 ? id : 0;
}

export async function isAdmin(uid: unknown): Promise<boolean> {
  const id = memberUid(uid);
  return id > 0 && nodebb.user.isAdministrator(id);
}

/** Administrators and global moderators: the forum's staff. */
export async function isAdminOrGlobalModerator(uid: unknown): Promise<boolean> {
  const id = memberUid(uid);
  if (id === 0) {
    return false;
  }
  const [admin, globalModerator] = await Promise.all([nodebb.user.isAdministrator(id), nodebb.user.isGlobalModerator(id)]);
  return admin || globalModerator;
}

/** Refuses anyone but an administrator with the translated "not allowed": 401 for guests, 403 for members. */
export async function requireAdministrator(uid: unknown): Promise<void> {
  if (!await isAdmin(uid)) {
    throw new UserFacingError('error.not-allowed', [], memberUid(uid) > 0 ? 403 : 401);
  }
}
