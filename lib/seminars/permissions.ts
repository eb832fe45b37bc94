/**
 * Who may create, edit and cancel seminars. The routes call these before anything else.
 *
 * - Create: verified physicians (the verification capability answers that; it is passed in
 *   so this folder does not depend on it), members of the organiser group named in the
 *   setting seminarsOrganiserGroup (empty: verified physicians only), and admins.
 * - Edit and cancel: the topic's author, the category's moderators and admins.
 */
import { nodebb } from '../nodebb';
import { isAdmin } from '../common/policy';
import { getSettings } from '../settings';
import type { Seminar } from './model';

/** The group the plugin provisions for organisers who are not (yet) verified physicians. */
export const ORGANISERS_GROUP = 'Organisers';

/**
 * Create the Organisers group if it is missing. It is a system group: with private groups
 * switched off NodeBB lets anyone join any non-system group, and organisers are chosen by
 * admins, never self-appointed.
 */
export async function provisionOrganisersGroup(): Promise<void> {
  if (await nodebb.groups.exists(ORGANISERS_GROUP)) {
    return;
  }
  try {
    await nodebb.groups.create({
      name: ORGANISERS_GROUP,
      description: 'Organisers of seminars and courses',
      hidden: 0,
      private: 1,
      disableJoinRequests: 1,
      system: 1,
    });
  } catch (err) {
    // Another NodeBB process starting at the same time may have created it in between.
    if (!await nodebb.groups.exists(ORGANISERS_GROUP)) {
      throw err;
    }
  }
}

export async function canCreateSeminars(uid: number, isVerifiedPhysician: (uid: number) => Promise<boolean>): Promise<boolean> {
  if (!Number.isInteger(uid) || uid <= 0) {
    return false;
  }
  if (await isAdmin(uid) || await isVerifiedPhysician(uid)) {
    return true;
  }
  const group = (await getSettings()).seminarsOrganiserGroup;
  return group !== '' && nodebb.groups.isMember(uid, group);
}

/** Edit and cancel: the author, the category's moderators, admins (isAdminOrMod covers both). */
export async function canEditSeminar(seminar: Pick<Seminar, 'uid' | 'cid'>, uid: number): Promise<boolean> {
  if (!Number.isInteger(uid) || uid <= 0) {
    return false;
  }
  return seminar.uid === uid || nodebb.privileges.categories.isAdminOrMod(seminar.cid, uid);
}
