/**
 * Who may read, create, edit and cancel seminars: one answer for routes, pages, feeds, the
 * widget, the topic page and jobs alike. Builds on lib/common/policy.ts for forum staff.
 *
 * - Read: whoever may read the topic's category (`topics:read`), while the topic is not deleted.
 * - Create: verified physicians, members of the organiser group named in the setting
 *   seminarsOrganiserGroup (empty: verified physicians only), and admins.
 * - Edit and cancel: the topic's author, the category's moderators and admins.
 */
import { nodebb } from '../nodebb';
import { isAdmin } from '../common/policy';
import { UserFacingError } from '../common/user-error';
import { getSettings } from '../settings';
import { isVerifiedPhysician } from '../specialties/membership';
import { getSeminar } from './store';
import type { Seminar } from './model';

/** Whether the member may read the seminar (uid 0: a guest, so "public": JSON-LD, public feeds). */
export async function canViewSeminar(seminar: Pick<Seminar, 'cid' | 'hidden'>, uid: number): Promise<boolean> {
  if (seminar.hidden) {
    return false;
  }
  const allowed = await nodebb.privileges.categories.filterCids('topics:read', [seminar.cid], uid);
  return allowed.map(Number).includes(seminar.cid);
}

/** The rule for creating, with "verified physician" passed in (tests give their own). */
export async function canCreateSeminars(uid: number, isVerified: (uid: number) => Promise<boolean>): Promise<boolean> {
  if (!Number.isInteger(uid) || uid <= 0) {
    return false;
  }
  if (await isAdmin(uid) || await isVerified(uid)) {
    return true;
  }
  const group = (await getSettings()).seminarsOrganiserGroup;
  return group !== '' && nodebb.groups.isMember(uid, group);
}

/** Verified physicians (the specialties capability answers that), the organiser group and admins. */
export async function canCreate(uid: number): Promise<boolean> {
  return canCreateSeminars(uid, isVerifiedPhysician);
}

/** Edit and cancel: the author, the category's moderators, admins (isAdminOrMod covers both). */
export async function canEditSeminar(seminar: Pick<Seminar, 'uid' | 'cid'>, uid: number): Promise<boolean> {
  if (!Number.isInteger(uid) || uid <= 0) {
    return false;
  }
  return seminar.uid === uid || nodebb.privileges.categories.isAdminOrMod(seminar.cid, uid);
}

/** A seminar the caller may read; anything else is "not found" (no hint that it exists). */
export async function readableSeminar(tid: number, uid: number): Promise<Seminar> {
  const seminar = tid ? await getSeminar(tid) : null;
  if (!seminar || !await canViewSeminar(seminar, uid)) {
    throw new UserFacingError('error.seminars-not-found', [], 404);
  }
  return seminar;
}

/** A seminar the caller may edit and cancel: guests 401, readers who may not edit 403. */
export async function editableSeminar(tid: number, uid: number): Promise<Seminar> {
  if (uid <= 0) {
    throw new UserFacingError('error.not-allowed', [], 401);
  }
  const seminar = await readableSeminar(tid, uid);
  if (!await canEditSeminar(seminar, uid)) {
    throw new UserFacingError('error.not-allowed', [], 403);
  }
  return seminar;
}
