/**
 * What seminars need in a fresh forum: the Organisers group and a "Seminars" category where
 * verified physicians and organisers list events. Idempotent; an admin's later changes to
 * the category's privileges are left alone (only a missing category is recreated).
 */
import { nodebb, log } from '../nodebb';
import { getSettings } from '../settings';
import { VERIFIED_PHYSICIANS_GROUP } from '../specialties/policy';
import { provisionedSeminarsCid, recordProvisionedSeminarsCid } from './store';

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

export const SEMINARS_CATEGORY_NAME = 'Seminars';

async function provisionedCid(): Promise<number> {
  const cid = await provisionedSeminarsCid();
  return Number.isInteger(cid) && cid > 0 && await nodebb.categories.exists(cid) ? cid : 0;
}

/**
 * The category is readable by everyone (seminars are public notices, and public ones carry
 * schema.org data for search engines); only verified physicians and organisers start topics
 * in it. Replies stay as NodeBB sets them, so members can ask an organiser a question.
 */
async function createSeminarsCategory(): Promise<number> {
  const category = await nodebb.categories.create({
    name: SEMINARS_CATEGORY_NAME,
    description: 'Courses, seminars, workshops and congresses',
    icon: 'fa-calendar-days',
  });
  const { cid } = category;
  await nodebb.privileges.categories.rescind(['groups:topics:create'], cid, ['registered-users', 'verified-users', 'unverified-users']);
  await nodebb.privileges.categories.give(['groups:topics:create'], cid, [VERIFIED_PHYSICIANS_GROUP, ORGANISERS_GROUP]);
  await recordProvisionedSeminarsCid(cid);
  return cid;
}

export async function provisionSeminars(): Promise<void> {
  await provisionOrganisersGroup();
  if (!await provisionedCid()) {
    const cid = await createSeminarsCategory();
    log.info(`seminars: created the "${SEMINARS_CATEGORY_NAME}" category (cid ${cid})`);
  }
}

/** The categories that host seminars: the admin's list, else the provisioned category. */
export async function seminarCategoryCids(): Promise<number[]> {
  const chosen = (await getSettings()).seminarsCategories
    .split(',').map(part => Number(part.trim())).filter(cid => Number.isInteger(cid) && cid > 0);
  if (chosen.length) {
    return [...new Set(chosen)];
  }
  const cid = await provisionedCid();
  return cid ? [cid] : [];
}
