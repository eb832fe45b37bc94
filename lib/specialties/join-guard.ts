/**
 * Nobody joins "Verified physicians" or a specialty group except through ./membership.ts,
 * whatever `allowPrivateGroups`, the group's own settings, an owner accepting a request, an
 * invitation or an admin's "add member" would allow.
 *
 * NodeBB 4.11.2 has no filter before a join (src/groups/join.js fires only
 * `action:group.join`, after the write, from every path: api/groups.js join, acceptMembership,
 * invites, the privacy change that admits pending requests). So the guard runs on
 * `action:group.join` and undoes any join the plugin's own data does not back. The plugin's
 * data is written before its own joins, so its joins pass; no allow-list is needed, and the
 * check holds across several NodeBB processes.
 */
import { nodebb, log } from '../nodebb';
import { readMember } from './store';
import { VERIFIED_PHYSICIANS_GROUP, isProtectedGroup } from './policy';
import { listSpecialties } from './taxonomy';

export interface GroupJoinEvent {
  groupNames: string[];
  uid: number | string;
}

/** The groups a uid is entitled to by the plugin's data, among `groupNames` that the plugin protects. */
export async function unentitledJoins(groupNames: readonly string[], uid: number): Promise<string[]> {
  // Privilege groups (cid:…:privileges:…) and core groups are none of our business; skip the reads.
  const candidates = groupNames.filter(name => typeof name === 'string' && !name.startsWith('cid:'));
  if (!candidates.length) {
    return [];
  }
  const records = await listSpecialties();
  const slugByGroup = new Map(records.filter(r => r.groupName).map(r => [r.groupName, r.slug]));
  const guarded = candidates.filter(name => name === VERIFIED_PHYSICIANS_GROUP || slugByGroup.has(name));
  if (!guarded.length) {
    return [];
  }
  const member = await readMember(uid);
  return guarded.filter((name) => {
    if (!member.verified) {
      return true;
    }
    const slug = slugByGroup.get(name);
    return slug !== undefined && !member.specialties.includes(slug);
  });
}

/** Hook `action:group.join`: undo a join into a protected group that the plugin did not make. */
export async function undoUnauthorisedJoin(data: GroupJoinEvent): Promise<void> {
  const uid = Number(data.uid);
  if (!Number.isInteger(uid) || uid <= 0 || !Array.isArray(data.groupNames)) {
    return;
  }
  try {
    const refused = await unentitledJoins(data.groupNames, uid);
    if (refused.length) {
      await nodebb.groups.leave(refused, uid);
      log.warn(`uid ${uid} was added to ${refused.join(', ')} outside verification; the join was undone`);
    }
  } catch (err) {
    log.error(`could not check a group join for uid ${uid}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export interface GroupUpdateEvent {
  groupName: string;
  values: Record<string, unknown>;
}

/**
 * Renames the plugin itself is making (renameSpecialty), keyed "old\u0000new". In-process is
 * enough: NodeBB fires filter:group.update in the process that calls groups.update.
 */
const renamesInProgress = new Set<string>();

/** Run `work` (a groups.update that renames `oldName` to `newName`) with the rename allowed through the filter. */
export async function withPluginRename<T>(oldName: string, newName: string, work: () => Promise<T>): Promise<T> {
  const key = `${oldName}\u0000${newName}`;
  renamesInProgress.add(key);
  try {
    return await work();
  } finally {
    renamesInProgress.delete(key);
  }
}

/**
 * Hook `filter:group.update`: an admin may restyle a protected group, but not open it or
 * rename it. Keeps it private with join requests off, so NodeBB's pages never offer "join"
 * or "request" (and a privacy change cannot auto-admit pending requests); a rename must go
 * through the specialty's rename, which renames group and category together.
 */
export async function keepProtectedGroupsClosed(data: GroupUpdateEvent): Promise<GroupUpdateEvent> {
  const records = await listSpecialties();
  if (!isProtectedGroup(data.groupName, records.map(r => r.groupName))) {
    return data;
  }
  const values = { ...data.values };
  if ('private' in values) {
    values.private = 1;
  }
  if ('disableJoinRequests' in values) {
    values.disableJoinRequests = 1;
  }
  if (typeof values.name === 'string' && values.name !== data.groupName && !renamesInProgress.has(`${data.groupName}\u0000${values.name}`)) {
    values.name = data.groupName;
  }
  return { ...data, values };
}
