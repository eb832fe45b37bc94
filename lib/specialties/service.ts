/**
 * The specialties capability's use cases as its routes call them: caller first, each starting
 * with its policy check (./policy.ts), then the domain work in taxonomy.ts, admin.ts,
 * structure.ts, membership.ts and directory.ts. Verification and the hooks call those domain
 * functions directly: they act for the plugin, not for a caller.
 */
import { UserFacingError } from '../common/user-error';
import { mergeSpecialties, renameSpecialty, setSpecialtyEnabled, setSpecialtyOrder, setSpecialtyPolicy, type MergeReport } from './admin';
import { getMember, removeVerification, setVerifiedSpecialties, type MemberRecord } from './membership';
import type { SpecialtyRecord } from './model';
import { canViewDirectory, requireMember, requireSpecialtiesAdmin } from './policy';
import {
  applyPolicyPlan, getProvisionedState, planPolicyChanges, provisionStructure, setSpecialtyModerators,
  type PrivilegePlan, type ProvisionReport, type ProvisionedState,
} from './structure';
import { addSpecialty, listSpecialties, type NewSpecialty } from './taxonomy';
import { listDirectory, setDirectoryOptOut, type DirectoryPage } from './directory';

export async function listForAdmin(caller: number): Promise<{ specialties: SpecialtyRecord[]; provisioned: ProvisionedState }> {
  await requireSpecialtiesAdmin(caller);
  return { specialties: await listSpecialties(), provisioned: await getProvisionedState() };
}

export async function add(caller: number, input: NewSpecialty): Promise<SpecialtyRecord> {
  await requireSpecialtiesAdmin(caller);
  return addSpecialty(input);
}

export async function reorder(caller: number, slugs: readonly string[]): Promise<{ specialties: SpecialtyRecord[] }> {
  await requireSpecialtiesAdmin(caller);
  return { specialties: await setSpecialtyOrder(slugs) };
}

export async function provision(caller: number): Promise<ProvisionReport> {
  await requireSpecialtiesAdmin(caller);
  return provisionStructure();
}

export async function planPolicy(caller: number): Promise<PrivilegePlan> {
  await requireSpecialtiesAdmin(caller);
  return planPolicyChanges();
}

export async function applyPlan(caller: number, planId: string): Promise<PrivilegePlan> {
  await requireSpecialtiesAdmin(caller);
  return applyPolicyPlan(planId);
}

/** One change to a specialty: its name, whether it is offered, or its access policy (stored; the plan shows what it would change). */
export type SpecialtyChange = { name: unknown } | { enabled: boolean } | { policy: unknown };

export async function change(caller: number, slug: string, update: SpecialtyChange | null): Promise<SpecialtyRecord | PrivilegePlan> {
  await requireSpecialtiesAdmin(caller);
  if (update === null) {
    throw new UserFacingError('error.invalid-request');
  }
  if ('name' in update) {
    return renameSpecialty(slug, update.name);
  }
  if ('enabled' in update) {
    return setSpecialtyEnabled(slug, update.enabled);
  }
  return setSpecialtyPolicy(slug, update.policy);
}

export async function merge(caller: number, slug: string, into: string): Promise<MergeReport> {
  await requireSpecialtiesAdmin(caller);
  return mergeSpecialties(slug, into, caller);
}

export async function setModerators(caller: number, slug: string, uids: readonly number[]): Promise<SpecialtyRecord> {
  await requireSpecialtiesAdmin(caller);
  return setSpecialtyModerators(slug, uids);
}

/**
 * Admins may set or remove a member's verified specialties directly (a community moving its
 * already-checked members over); reviewers normally do this through verification.
 */
export async function setMemberSpecialties(caller: number, uid: number, slugs: readonly string[]): Promise<MemberRecord> {
  await requireSpecialtiesAdmin(caller);
  return setVerifiedSpecialties(uid, slugs);
}

export async function removeMemberSpecialties(caller: number, uid: number): Promise<Record<string, never>> {
  await requireSpecialtiesAdmin(caller);
  await removeVerification(uid);
  return {};
}

/** The member's own directory listing. */
export async function setOwnListing(caller: number, listed: boolean): Promise<{ listed: boolean }> {
  requireMember(caller);
  await setDirectoryOptOut(caller, !listed);
  return { listed };
}

export interface DirectoryView {
  directory: DirectoryPage;
  member: MemberRecord;
}

/** The directory page for `caller`, or null when they may not see it. An unknown specialty shows everyone. */
export async function viewDirectory(caller: number, specialty: string, page: number): Promise<DirectoryView | null> {
  if (!await canViewDirectory(caller)) {
    return null;
  }
  let directory: DirectoryPage;
  try {
    directory = await listDirectory({ specialty, page });
  } catch {
    // An unknown specialty in the address: show everyone rather than an error page.
    directory = await listDirectory({ page });
  }
  return { directory, member: await getMember(caller) };
}
