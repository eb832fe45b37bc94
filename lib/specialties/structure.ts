/**
 * The NodeBB structure behind the taxonomy: groups, categories and their privileges.
 *
 * Provisioning is idempotent: what it creates is recorded in plugin keys (cids and group
 * names) and checked against NodeBB before anything is created, so a second run creates
 * nothing. It applies a policy only to categories it has just created; afterwards the
 * privileges belong to the admin, and changes go through plan → apply, which shows what
 * would change (and which of those undo an admin's own edit) before touching anything.
 */
import { createHash } from 'node:crypto';

import { nodebb, log } from '../nodebb';
import { UserFacingError } from '../common/user-error';
import { getSettings } from '../settings';
import type { AccessPolicy } from '../settings/fields';
import type { ProvisionedState, SpecialtyRecord } from './model';
import {
  ALL_GROUP_PRIVILEGES, VERIFIED_PHYSICIANS_GROUP, bindGrants, containerGrants, grantsForPolicy, loungeGrants,
  type GroupPrivilege, type PrivilegeSet,
} from './policy';
import {
  readPrivilegeSnapshots, readProvisionedState, recordProvisioned, saveRecord, specialtyMemberUids, verifiedMemberUids, writePrivilegeSnapshot,
} from './store';
import { groupNameFor, listSpecialties, requireSpecialty, seedDefaultTaxonomy } from './taxonomy';

export type { ProvisionedState } from './model';

export const PARENT_CATEGORY_NAME = 'Specialties';
export const LOUNGE_CATEGORY_NAME = 'Physicians\' lounge';

export async function getProvisionedState(): Promise<ProvisionedState> {
  return readProvisionedState();
}

/** The settings every plugin-owned group gets: a badge, visible, closed to join requests. */
function protectedGroupFields(userTitle: string): { userTitle: string; userTitleEnabled: 1; hidden: 0; private: 1; disableJoinRequests: 1; disableLeave: 1 } {
  // disableLeave: leaving a specialty group is done by changing one's verified specialties.
  return { userTitle, userTitleEnabled: 1, hidden: 0, private: 1, disableJoinRequests: 1, disableLeave: 1 };
}

/**
 * Create the group if it is missing. If it had to be (re)created, for example after an
 * admin deleted it, the members the plugin's data says belong in it are put back.
 */
async function ensureGroup(name: string, userTitle: string, description: string, created: string[], members: (start: number, stop: number) => Promise<string[]>): Promise<void> {
  if (await nodebb.groups.exists(name)) {
    return;
  }
  await nodebb.groups.create({ name, description, ...protectedGroupFields(userTitle) });
  created.push(name);
  for (let start = 0; ; start += 500) {
    const uids = await members(start, start + 499);
    for (const uid of uids) {
      // The member record is already there, so the join guard lets these stand.
      await nodebb.groups.join(name, Number(uid));
    }
    if (uids.length < 500) {
      return;
    }
  }
}

async function categoryStillExists(cid: number): Promise<boolean> {
  return cid > 0 && await nodebb.categories.exists(cid);
}

/**
 * Create a category closed from the first moment: it is created disabled (core grants its
 * public defaults on create), the privilege set is applied, and only then is it enabled.
 */
async function createClosedCategory(data: { name: string; description: string; parentCid: number; order?: number }, set: PrivilegeSet, enable: boolean): Promise<number> {
  const category = await nodebb.categories.create({ ...data, disabled: 1 });
  const { cid } = category;
  await applyPrivilegeSet(cid, set);
  if (enable) {
    await setCategoryDisabled(cid, false);
  }
  return cid;
}

/** Hide or show a category through categories.update, so action:category.update fires for caches and other plugins. */
export async function setCategoryDisabled(cid: number, disabled: boolean): Promise<void> {
  await nodebb.categories.update({ [String(cid)]: { disabled: disabled ? 1 : 0 } });
}

/** Give and rescind so that each managed group holds exactly `set` on `cid`; remember what was applied. */
export async function applyPrivilegeSet(cid: number, set: PrivilegeSet): Promise<void> {
  for (const [group, wanted] of set) {
    const unwanted = ALL_GROUP_PRIVILEGES.filter(p => !wanted.includes(p));
    if (wanted.length) {
      await nodebb.privileges.categories.give([...wanted], cid, group);
    }
    await nodebb.privileges.categories.rescind(unwanted, cid, group);
  }
  await storeSnapshot(cid, set);
}

async function storeSnapshot(cid: number, set: PrivilegeSet): Promise<void> {
  await writePrivilegeSnapshot(cid, Object.fromEntries(set));
}

export function specialtyPrivilegeSet(record: SpecialtyRecord, policy: AccessPolicy): PrivilegeSet {
  return bindGrants(grantsForPolicy(policy), record.groupName || groupNameFor(record.name));
}

export interface ProvisionReport {
  createdGroups: string[];
  createdCategories: { target: string; cid: number }[];
  hiddenCategories: number[];
}

/**
 * Activation and the ACP "Provision" button. Seeds the taxonomy if empty, then makes sure
 * every piece exists, creating only what is missing and recording it as it goes (so an
 * interrupted run resumes where it stopped).
 */
export async function provisionStructure(): Promise<ProvisionReport> {
  const report: ProvisionReport = { createdGroups: [], createdCategories: [], hiddenCategories: [] };
  await seedDefaultTaxonomy();
  const settings = await getSettings();
  const state = await getProvisionedState();

  await ensureGroup(VERIFIED_PHYSICIANS_GROUP, 'Verified physician', 'Physicians whose licence has been verified.', report.createdGroups, verifiedMemberUids);
  if (state.verifiedGroup !== VERIFIED_PHYSICIANS_GROUP) {
    await recordProvisioned('verifiedGroup', VERIFIED_PHYSICIANS_GROUP);
  }

  if (!await categoryStillExists(state.parentCid)) {
    state.parentCid = await createClosedCategory(
      { name: PARENT_CATEGORY_NAME, description: 'One closed category per medical specialty.', parentCid: 0 },
      bindGrants(containerGrants(settings.specialtiesDefaultPolicy), null), true,
    );
    await recordProvisioned('parentCid', state.parentCid);
    report.createdCategories.push({ target: 'parent', cid: state.parentCid });
  }

  if (!await categoryStillExists(state.loungeCid)) {
    state.loungeCid = await createClosedCategory(
      { name: LOUNGE_CATEGORY_NAME, description: 'For every verified physician.', parentCid: 0 },
      bindGrants(loungeGrants(), null), true,
    );
    await recordProvisioned('loungeCid', state.loungeCid);
    report.createdCategories.push({ target: 'lounge', cid: state.loungeCid });
  }

  for (const record of await listSpecialties()) {
    if (!record.enabled) {
      if (record.cid > 0 && await nodebb.categories.exists(record.cid)) {
        const { disabled } = await nodebb.categories.getCategoryFields(record.cid, ['disabled']);
        if (Number(disabled) !== 1) {
          await setCategoryDisabled(record.cid, true);
          report.hiddenCategories.push(record.cid);
        }
      }
      continue;
    }
    await provisionSpecialty(record, settings.specialtiesDefaultPolicy, state.parentCid, report);
  }
  log.info(`provisioning: ${report.createdGroups.length} groups and ${report.createdCategories.length} categories created`);
  return report;
}

async function provisionSpecialty(record: SpecialtyRecord, defaultPolicy: AccessPolicy, parentCid: number, report: ProvisionReport): Promise<void> {
  let current: SpecialtyRecord = record;
  const groupName = current.groupName || groupNameFor(current.name);
  await ensureGroup(groupName, current.name, `Verified physicians in ${current.name}.`, report.createdGroups, (start, stop) => specialtyMemberUids(current.slug, start, stop));
  const policy = current.policy || defaultPolicy;
  if (current.groupName !== groupName || current.policy !== policy) {
    current = { ...current, groupName, policy };
    await saveRecord(current);
  }
  if (!await categoryStillExists(current.cid)) {
    const cid = await createClosedCategory(
      { name: current.name, description: '', parentCid, order: current.order },
      specialtyPrivilegeSet(current, policy), true,
    );
    current = { ...current, cid };
    await saveRecord(current);
    report.createdCategories.push({ target: current.slug, cid });
  }
}

// ---------------------------------------------------------------------------
// Plan → apply

export interface PrivilegeChange {
  cid: number;
  /** A specialty slug, or 'parent' / 'lounge'. */
  target: string;
  group: string;
  privilege: GroupPrivilege;
  change: 'give' | 'rescind';
  /**
   * True when the current state differs from what the plugin last applied here: an admin
   * changed it in NodeBB's privileges page, and applying would undo their edit.
   */
  undoesAdminEdit: boolean;
}

export interface PrivilegePlan {
  /** Fingerprint of the changes: apply only runs if the plan is still exactly this. */
  planId: string;
  changes: PrivilegeChange[];
}

interface DesiredCategory {
  cid: number;
  target: string;
  set: PrivilegeSet;
}

async function desiredCategories(onlySlug?: string): Promise<DesiredCategory[]> {
  const settings = await getSettings();
  const desired: DesiredCategory[] = [];
  if (onlySlug === undefined) {
    const state = await getProvisionedState();
    if (state.parentCid > 0) {
      desired.push({ cid: state.parentCid, target: 'parent', set: bindGrants(containerGrants(settings.specialtiesDefaultPolicy), null) });
    }
    if (state.loungeCid > 0) {
      desired.push({ cid: state.loungeCid, target: 'lounge', set: bindGrants(loungeGrants(), null) });
    }
  }
  const records = onlySlug === undefined ? await listSpecialties() : [await requireSpecialty(onlySlug)];
  for (const record of records) {
    if (record.cid > 0 && record.groupName && !record.mergedInto) {
      desired.push({ cid: record.cid, target: record.slug, set: specialtyPrivilegeSet(record, record.policy || settings.specialtiesDefaultPolicy) });
    }
  }
  return desired;
}

/** What re-applying the policies would change, compared with NodeBB's current privileges. Changes nothing. */
export async function planPolicyChanges(onlySlug?: string): Promise<PrivilegePlan> {
  const [desired, snapshots] = await Promise.all([desiredCategories(onlySlug), readPrivilegeSnapshots()]);
  const changes: PrivilegeChange[] = [];
  for (const { cid, target, set } of desired) {
    const snapshot = snapshots.get(cid);
    for (const [group, wanted] of set) {
      const held = await nodebb.privileges.categories.groupPrivileges(cid, group);
      const applied = snapshot?.get(group);
      for (const privilege of ALL_GROUP_PRIVILEGES) {
        const has = held[privilege] === true;
        const want = wanted.includes(privilege);
        if (has === want) {
          continue;
        }
        const wasApplied = applied ? applied.has(privilege) : has;
        changes.push({ cid, target, group, privilege, change: want ? 'give' : 'rescind', undoesAdminEdit: snapshot !== undefined && wasApplied !== has });
      }
    }
  }
  const planId = createHash('sha256').update(JSON.stringify(changes)).digest('hex').slice(0, 32);
  return { planId, changes };
}

/**
 * Apply a plan the admin has seen. If anything moved since (someone edited privileges, a
 * policy changed), the plan is refused and nothing is changed: they must look again.
 */
export async function applyPolicyPlan(planId: string, onlySlug?: string): Promise<PrivilegePlan> {
  const plan = await planPolicyChanges(onlySlug);
  if (typeof planId !== 'string' || plan.planId !== planId) {
    throw new UserFacingError('error.specialties-plan-outdated', [], 409);
  }
  for (const { cid, set } of await desiredCategories(onlySlug)) {
    const own = plan.changes.filter(c => c.cid === cid);
    for (const group of set.keys()) {
      const give = own.filter(c => c.group === group && c.change === 'give').map(c => c.privilege);
      const rescind = own.filter(c => c.group === group && c.change === 'rescind').map(c => c.privilege);
      if (give.length) {
        await nodebb.privileges.categories.give(give, cid, group);
      }
      if (rescind.length) {
        await nodebb.privileges.categories.rescind(rescind, cid, group);
      }
    }
    await storeSnapshot(cid, set);
  }
  return plan;
}

/** Rename a group inside every stored snapshot, so a renamed specialty does not look like an admin edit. */
export async function renameGroupInSnapshots(cid: number, oldName: string, newName: string): Promise<void> {
  const snapshot = (await readPrivilegeSnapshots()).get(cid);
  const privs = snapshot?.get(oldName);
  if (!snapshot || !privs) {
    return;
  }
  snapshot.delete(oldName);
  snapshot.set(newName, privs);
  await writePrivilegeSnapshot(cid, Object.fromEntries([...snapshot].map(([g, p]) => [g, [...p]])));
}

// ---------------------------------------------------------------------------
// Moderators

/** Name the specialty's moderators: each gets NodeBB's per-user `moderate` privilege on its category. */
export async function setSpecialtyModerators(slug: string, uids: readonly number[]): Promise<SpecialtyRecord> {
  const record = await requireSpecialty(slug);
  if (!(record.cid > 0)) {
    throw new UserFacingError('error.specialties-not-provisioned', [record.slug]);
  }
  const wanted = [...new Set(uids.map(Number))];
  for (const uid of wanted) {
    if (!Number.isInteger(uid) || uid <= 0 || !await nodebb.user.exists(uid)) {
      throw new UserFacingError('error.specialties-unknown-user', [String(uid)]);
    }
  }
  const removed = record.moderators.filter(uid => !wanted.includes(uid));
  const added = wanted.filter(uid => !record.moderators.includes(uid));
  if (added.length) {
    await nodebb.privileges.categories.give(['moderate'], record.cid, added);
  }
  if (removed.length) {
    await nodebb.privileges.categories.rescind(['moderate'], record.cid, removed);
  }
  const updated = { ...record, moderators: wanted };
  await saveRecord(updated);
  return updated;
}
