/**
 * ACP operations that change the taxonomy and the NodeBB structure together:
 * rename, enable/disable, access policy, merge. Each validates everything before it
 * changes anything; slugs never change.
 */
import { nodebb, log } from '../nodebb';
import { UserFacingError } from '../common/user-error';
import { withPluginRename } from './join-guard';
import { syncMember, getMember } from './membership';
import { renameGroupInSnapshots, planPolicyChanges, setCategoryDisabled, type PrivilegePlan } from './structure';
import type { SpecialtyRecord } from './model';
import { categoryTopicIds, saveRecord, specialtyMemberUids, unindexSpecialties } from './store';
import { groupNameFor, isPolicy, listSpecialties, reorderSpecialties, requireSpecialty, validateName } from './taxonomy';

/** Re-order the taxonomy (every slug once) and the specialty categories under the parent to match. */
export async function setSpecialtyOrder(slugs: readonly string[]): Promise<SpecialtyRecord[]> {
  const records = await reorderSpecialties(slugs);
  const modified: Record<string, Record<string, number>> = {};
  for (const record of records) {
    if (record.cid > 0 && await nodebb.categories.exists(record.cid)) {
      modified[String(record.cid)] = { order: record.order };
    }
  }
  if (Object.keys(modified).length) {
    await nodebb.categories.update(modified);
  }
  return records;
}

/** Rename a specialty, its group ("<name> physicians", badge title too) and its category. */
export async function renameSpecialty(slug: string, newName: unknown): Promise<SpecialtyRecord> {
  const records = await listSpecialties();
  const record = await requireSpecialty(slug);
  const name = validateName(newName, records, record.slug);
  const newGroup = groupNameFor(name);
  if (record.groupName && newGroup !== record.groupName && await nodebb.groups.exists(newGroup)) {
    throw new UserFacingError('error.specialties-name-taken', [name]);
  }
  if (record.groupName && newGroup !== record.groupName && await nodebb.groups.exists(record.groupName)) {
    // groups.update resets fields it is not given, so hand back what the group has now.
    const current = await nodebb.groups.getGroupFields(record.groupName, ['description', 'icon', 'labelColor', 'textColor']);
    await withPluginRename(record.groupName, newGroup, () => nodebb.groups.update(record.groupName, { ...current, name: newGroup, userTitle: name }));
    if (record.cid > 0) {
      await renameGroupInSnapshots(record.cid, record.groupName, newGroup);
    }
  }
  if (record.cid > 0 && await nodebb.categories.exists(record.cid)) {
    await nodebb.categories.update({ [String(record.cid)]: { name } });
  }
  const updated: SpecialtyRecord = { ...record, name, customName: true, groupName: record.groupName ? newGroup : '' };
  await saveRecord(updated);
  return updated;
}

/**
 * Disabling hides the category (NodeBB's `disabled` field) and stops new members choosing
 * it; members, group, topics and posts all stay. Enabling shows it again; a specialty that
 * was never provisioned gets its group and category on the next provisioning run.
 */
export async function setSpecialtyEnabled(slug: string, enabled: boolean): Promise<SpecialtyRecord> {
  const record = await requireSpecialty(slug);
  if (enabled && record.mergedInto) {
    throw new UserFacingError('error.specialties-already-merged', [record.name]);
  }
  if (record.cid > 0 && await nodebb.categories.exists(record.cid)) {
    await setCategoryDisabled(record.cid, !enabled);
  }
  const updated = { ...record, enabled };
  await saveRecord(updated);
  return updated;
}

/** Store a specialty's access policy and return the plan for it; nothing is applied until the admin applies the plan. */
export async function setSpecialtyPolicy(slug: string, policy: unknown): Promise<PrivilegePlan> {
  const record = await requireSpecialty(slug);
  if (!isPolicy(policy)) {
    throw new UserFacingError('error.specialties-unknown-policy');
  }
  await saveRecord({ ...record, policy });
  return planPolicyChanges(slug);
}

/** Moves every topic from one category to another through NodeBB's topics.tools.move. Returns how many moved. */
export async function moveCategoryTopics(fromCid: number, toCid: number, uid: number): Promise<number> {
  let moved = 0;
  let previousFirst = '';
  for (;;) {
    // Every topic of the category, pinned ones included.
    const tids = await categoryTopicIds(fromCid, 0, 99);
    if (!tids.length) {
      return moved;
    }
    if (tids[0] === previousFirst) {
      // A move that did not take would loop for ever: stop and say so.
      throw new Error(`topic ${previousFirst} did not leave category ${fromCid}`);
    }
    previousFirst = tids[0] ?? '';
    for (const tid of tids) {
      await nodebb.topics.tools.move(Number(tid), { cid: toCid, uid });
      moved += 1;
    }
  }
}

export interface MergeReport {
  movedMembers: number;
  movedTopics: number;
}

/**
 * Merge `sourceSlug` into `targetSlug`: its members hold the target instead (groups, watch
 * state and directory follow), its topics move to the target's category, and it is left
 * disabled with `mergedInto` set. Its slug stays, so old links can be redirected.
 * Re-running after an interruption finishes the job.
 */
export async function mergeSpecialties(sourceSlug: string, targetSlug: string, actingUid: number): Promise<MergeReport> {
  if (sourceSlug === targetSlug) {
    throw new UserFacingError('error.specialties-merge-into-itself');
  }
  const [source, target] = await Promise.all([requireSpecialty(sourceSlug), requireSpecialty(targetSlug)]);
  if (target.mergedInto) {
    throw new UserFacingError('error.specialties-already-merged', [target.name]);
  }
  if (source.mergedInto && source.mergedInto !== target.slug) {
    throw new UserFacingError('error.specialties-already-merged', [source.name]);
  }
  if (!target.enabled) {
    throw new UserFacingError('error.specialties-disabled', [target.name]);
  }
  if (!(target.cid > 0) || !target.groupName) {
    throw new UserFacingError('error.specialties-not-provisioned', [target.slug]);
  }

  // Mark first: members can no longer choose it, and a resumed run knows where it was going.
  await saveRecord({ ...source, enabled: false, mergedInto: target.slug });
  const records = await listSpecialties();

  let movedMembers = 0;
  for (;;) {
    const uids = await specialtyMemberUids(source.slug, 0, 199);
    if (!uids.length) {
      break;
    }
    for (const uidText of uids) {
      const uid = Number(uidText);
      const member = await getMember(uid);
      if (member.verified && member.specialties.includes(source.slug)) {
        const next = [...new Set(member.specialties.map(slug => (slug === source.slug ? target.slug : slug)))];
        await syncMember(uid, next, records);
        movedMembers += 1;
      }
      // Also clears a stale index entry, so the loop always progresses.
      await unindexSpecialties(uidText, [source.slug]);
    }
  }

  let movedTopics = 0;
  if (source.cid > 0 && source.cid !== target.cid && await nodebb.categories.exists(source.cid)) {
    movedTopics = await moveCategoryTopics(source.cid, target.cid, actingUid);
    await setCategoryDisabled(source.cid, true);
  }
  log.info(`merged specialty ${source.slug} into ${target.slug}: ${movedMembers} members, ${movedTopics} topics`);
  return { movedMembers, movedTopics };
}
