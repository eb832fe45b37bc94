/**
 * Membership: the only way into "Verified physicians" and the specialty groups.
 * Used by the verification capability. Each function keeps three things in step:
 *   1. the plugin's own data (per-member record, per-specialty member and directory indexes),
 *      written FIRST, because the join guard (./join-guard.ts) treats it as the authority;
 *   2. NodeBB group membership;
 *   3. the member's watch state on their specialty categories (watching on join; back to
 *      not-watching on leave, unless they had chosen something else themselves).
 */
import { nodebb } from '../nodebb';
import { UserFacingError } from '../common/user-error';
import { getSettings } from '../settings';
import type { MemberRecord, SpecialtyRecord } from './model';
import { VERIFIED_PHYSICIANS_GROUP } from './policy';
import { deleteMember, indexVerifiedMember, readMember, readVerifiedFlag, unindexMember, unindexSpecialties, writeMember } from './store';
import { listSpecialties } from './taxonomy';

export type { MemberRecord } from './model';

export async function getMember(uid: number): Promise<MemberRecord> {
  return readMember(uid);
}

export async function isVerifiedPhysician(uid: number | string): Promise<boolean> {
  const id = Number(uid);
  if (!(id > 0)) {
    return false;
  }
  return readVerifiedFlag(id);
}

async function requireUser(uid: number): Promise<void> {
  if (!Number.isInteger(uid) || uid <= 0 || !await nodebb.user.exists(uid)) {
    throw new UserFacingError('error.specialties-unknown-user', [String(uid)]);
  }
}

/** Check the requested slugs against the taxonomy: known, enabled, provisioned, distinct, within the limit. */
async function validateChoice(given: unknown, records: readonly SpecialtyRecord[]): Promise<SpecialtyRecord[]> {
  // Callers are JavaScript hooks and routes as well: check the shape, not just the type.
  if (!Array.isArray(given) || !given.every((s): s is string => typeof s === 'string')) {
    throw new UserFacingError('error.specialties-unknown', ['']);
  }
  const slugs: string[] = given;
  const { specialtiesMaxPerMember } = await getSettings();
  if (new Set(slugs).size !== slugs.length) {
    throw new UserFacingError('error.specialties-duplicate-choice');
  }
  if (slugs.length > specialtiesMaxPerMember) {
    throw new UserFacingError('error.specialties-too-many', [specialtiesMaxPerMember]);
  }
  const bySlug = new Map(records.map(r => [r.slug, r]));
  return slugs.map((slug) => {
    const record = bySlug.get(slug);
    if (!record) {
      throw new UserFacingError('error.specialties-unknown', [slug]);
    }
    if (!record.enabled || record.mergedInto) {
      throw new UserFacingError('error.specialties-disabled', [record.name]);
    }
    if (!(record.cid > 0) || !record.groupName) {
      throw new UserFacingError('error.specialties-not-provisioned', [record.slug]);
    }
    return record;
  });
}

/**
 * Bring one member to `next` (already validated), from whatever they hold now.
 * Idempotent: running it again with the same target changes nothing.
 */
export async function syncMember(uid: number, next: readonly string[], records: readonly SpecialtyRecord[]): Promise<void> {
  const bySlug = new Map(records.map(r => [r.slug, r]));
  const before = await getMember(uid);
  const now = Date.now();
  const added = next.filter(slug => !before.specialties.includes(slug));
  const removed = before.specialties.filter(slug => !next.includes(slug));
  const verifiedAt = before.verified && before.verifiedAt ? before.verifiedAt : now;

  // 1. Plugin data first: the join guard lets a join stand only if this says so.
  await writeMember(uid, { verified: true, specialties: [...next], verifiedAt, directoryOptOut: before.directoryOptOut });
  await indexVerifiedMember(uid, verifiedAt, added, !before.directoryOptOut, now);
  await unindexSpecialties(uid, removed);

  // 2. Groups.
  const joinGroups = [VERIFIED_PHYSICIANS_GROUP, ...added.map(slug => bySlug.get(slug)?.groupName ?? '').filter(Boolean)];
  const leaveGroups = removed.map(slug => bySlug.get(slug)?.groupName ?? '').filter(Boolean);
  await nodebb.groups.join(joinGroups, uid);
  if (leaveGroups.length) {
    await nodebb.groups.leave(leaveGroups, uid);
  }

  // 3. Watch state.
  const watchCids = added.map(slug => bySlug.get(slug)?.cid ?? 0).filter(cid => cid > 0);
  const unwatchCids = removed.map(slug => bySlug.get(slug)?.cid ?? 0).filter(cid => cid > 0);
  await updateWatchStates(uid, watchCids, unwatchCids);
}

async function updateWatchStates(uid: number, watchCids: number[], unwatchCids: number[]): Promise<void> {
  const states = nodebb.categories.watchStates;
  if (watchCids.length) {
    await nodebb.user.setCategoryWatchState(uid, watchCids, states.watching);
  }
  if (unwatchCids.length) {
    // Only undo our own "watching": a member who chose to ignore or track keeps their choice.
    const current = await nodebb.categories.getWatchState(unwatchCids, uid);
    const ours = unwatchCids.filter((_cid, index) => current[index] === states.watching);
    if (ours.length) {
      await nodebb.user.setCategoryWatchState(uid, ours, states.notwatching);
    }
  }
}

/**
 * Verification's entry point: `uid` is a verified physician holding exactly `slugs`
 * (at most the specialtiesMaxPerMember setting). Bad input changes nothing.
 */
export async function setVerifiedSpecialties(uid: number, slugs: readonly string[]): Promise<MemberRecord> {
  await requireUser(uid);
  const records = await listSpecialties();
  const chosen = await validateChoice(slugs, records);
  await syncMember(uid, chosen.map(r => r.slug), records);
  return getMember(uid);
}

/** Move a verified member from one specialty to another, keeping their others. */
export async function moveSpecialty(uid: number, from: string, to: string): Promise<MemberRecord> {
  await requireUser(uid);
  const member = await getMember(uid);
  if (!member.verified) {
    throw new UserFacingError('error.specialties-not-verified');
  }
  if (!member.specialties.includes(from)) {
    throw new UserFacingError('error.specialties-not-held', [from]);
  }
  const next = member.specialties.filter(slug => slug !== from);
  if (!next.includes(to)) {
    next.splice(member.specialties.indexOf(from), 0, to);
  }
  const records = await listSpecialties();
  await validateChoice(next, records);
  await syncMember(uid, next, records);
  return getMember(uid);
}

/** Hook `static:user.delete`: a deleted member leaves the plugin's data (groups go with the user in core). */
export async function forgetDeletedMember(data: { uid: number | string }): Promise<void> {
  const uid = Number(data.uid);
  if (Number.isInteger(uid) && uid > 0) {
    await removeVerification(uid);
  }
}

/** Take verification away: out of every plugin group, unwatched, gone from the directory. Idempotent. */
export async function removeVerification(uid: number): Promise<void> {
  if (!Number.isInteger(uid) || uid <= 0) {
    throw new UserFacingError('error.specialties-unknown-user', [String(uid)]);
  }
  const [before, records] = await Promise.all([getMember(uid), listSpecialties()]);
  const bySlug = new Map(records.map(r => [r.slug, r]));
  // Plugin data first, so nothing can re-admit them while groups are being left.
  await deleteMember(uid);
  await unindexMember(uid, before.specialties);
  const groups = [VERIFIED_PHYSICIANS_GROUP, ...before.specialties.map(slug => bySlug.get(slug)?.groupName ?? '').filter(Boolean)];
  await nodebb.groups.leave(groups, uid);
  await updateWatchStates(uid, [], before.specialties.map(slug => bySlug.get(slug)?.cid ?? 0).filter(cid => cid > 0));
}
