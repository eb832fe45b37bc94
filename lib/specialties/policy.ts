/**
 * The specialties capability's access rules, in one place: who may manage specialties, open
 * the directory or change a listing (at the end of this file), and, first, what each access
 * policy means as NodeBB category privileges (pure: no database, no NodeBB).
 *
 * The plugin "manages" a fixed set of groups on each specialty category: the public
 * groups (guests, spiders, registered-users, fediverse), "Verified physicians" and the
 * specialty's own group. For every managed group the policy says exactly which of NodeBB
 * 4.11.2's core category privileges it holds; every other core privilege is rescinded from
 * it. administrators and Global Moderators are never touched (core gives them moderation
 * rights on create, and admins pass every check anyway).
 */
import { isAdmin, requireAdministrator } from '../common/policy';
import { UserFacingError } from '../common/user-error';
import type { AccessPolicy } from '../settings/fields';
import { readVerifiedFlag } from './store';

export { ACCESS_POLICIES, type AccessPolicy } from '../settings/fields';

/** NodeBB 4.11.2 src/privileges/categories.js `_privilegeMap`, in its order. */
export const CORE_CATEGORY_PRIVILEGES = [
  'find', 'read', 'topics:read',
  'topics:create', 'topics:reply', 'topics:crosspost', 'topics:schedule', 'topics:tag',
  'posts:edit', 'posts:history', 'posts:delete', 'posts:upvote', 'posts:downvote', 'topics:delete',
  'posts:view_deleted', 'purge', 'moderate',
] as const;
export type CategoryPrivilege = typeof CORE_CATEGORY_PRIVILEGES[number];

/** Group privileges are the same names prefixed `groups:` (what privileges.categories.give takes for groups). */
export type GroupPrivilege = `groups:${CategoryPrivilege}`;
export const ALL_GROUP_PRIVILEGES: readonly GroupPrivilege[] = CORE_CATEGORY_PRIVILEGES.map(p => `groups:${p}` as const);

/** Seeing the category exists, opening it, and reading its topics. */
export const VIEWING: readonly GroupPrivilege[] = ['groups:find', 'groups:read', 'groups:topics:read'];

/**
 * What a member who may post gets: core's default poster set minus `topics:crosspost`
 * (cross-posting is not part of this feature and widens where a topic shows up) and minus
 * moderation-level rights (`topics:schedule`, `posts:view_deleted`, `purge`, `moderate`).
 */
export const POSTING: readonly GroupPrivilege[] = [
  'groups:topics:create', 'groups:topics:reply', 'groups:topics:tag',
  'groups:posts:edit', 'groups:posts:history', 'groups:posts:delete',
  'groups:posts:upvote', 'groups:posts:downvote', 'groups:topics:delete',
];

export const VERIFIED_PHYSICIANS_GROUP = 'Verified physicians';
/** NodeBB's ephemeral and default groups that stand for "anyone who is not verified". */
export const PUBLIC_GROUPS = ['guests', 'spiders', 'registered-users', 'fediverse'] as const;

/** Who a privilege set is for, independent of the specialty's actual group name. */
export type ManagedRole = typeof PUBLIC_GROUPS[number] | 'verified' | 'specialty';
export const MANAGED_ROLES: readonly ManagedRole[] = [...PUBLIC_GROUPS, 'verified', 'specialty'];

export type RoleGrants = Readonly<Record<ManagedRole, readonly GroupPrivilege[]>>;

const NOTHING: readonly GroupPrivilege[] = [];
const READ_AND_POST: readonly GroupPrivilege[] = [...VIEWING, ...POSTING];

function publicRoles(grant: readonly GroupPrivilege[]): Record<typeof PUBLIC_GROUPS[number], readonly GroupPrivilege[]> {
  return { guests: grant, spiders: grant, 'registered-users': grant, fediverse: grant };
}

/** The privileges each managed role holds on a specialty category under `policy`. */
export function grantsForPolicy(policy: AccessPolicy): RoleGrants {
  switch (policy) {
    case 'closed':
      return { ...publicRoles(NOTHING), verified: READ_AND_POST, specialty: READ_AND_POST };
    case 'specialty-posting':
      return { ...publicRoles(NOTHING), verified: VIEWING, specialty: READ_AND_POST };
    case 'specialty-only':
      return { ...publicRoles(NOTHING), verified: NOTHING, specialty: READ_AND_POST };
    case 'public-read':
      // Everyone reads (fediverse included, like guests); only verified physicians post.
      return { ...publicRoles(VIEWING), verified: READ_AND_POST, specialty: READ_AND_POST };
  }
}

/** The physicians' lounge: every verified physician reads and posts, nobody else sees it. It has no specialty group. */
export function loungeGrants(): RoleGrants {
  return { ...publicRoles(NOTHING), verified: READ_AND_POST, specialty: NOTHING };
}

/**
 * The "Specialties" parent category is a container: verified physicians can find and open
 * it (to reach the children); nobody posts in it directly. When the default policy is
 * public-read, the public may browse it too.
 */
export function containerGrants(defaultPolicy: AccessPolicy): RoleGrants {
  const publicView = defaultPolicy === 'public-read' ? VIEWING : NOTHING;
  return { ...publicRoles(publicView), verified: VIEWING, specialty: NOTHING };
}

/** A concrete privilege set for one category: group name → the privileges it must hold. */
export type PrivilegeSet = ReadonlyMap<string, readonly GroupPrivilege[]>;

/** Bind roles to real group names. With no specialty group (lounge, parent), that role is dropped. */
export function bindGrants(grants: RoleGrants, specialtyGroup: string | null): PrivilegeSet {
  const set = new Map<string, readonly GroupPrivilege[]>();
  for (const role of MANAGED_ROLES) {
    if (role === 'specialty') {
      if (specialtyGroup) {
        set.set(specialtyGroup, grants.specialty);
      }
    } else if (role === 'verified') {
      set.set(VERIFIED_PHYSICIANS_GROUP, grants.verified);
    } else {
      set.set(role, grants[role]);
    }
  }
  return set;
}

export interface GiveAndRescind {
  /** Per group: privileges to give. */
  give: ReadonlyMap<string, readonly GroupPrivilege[]>;
  /** Per group: every other core privilege, to rescind. */
  rescind: ReadonlyMap<string, readonly GroupPrivilege[]>;
}

/** The full instruction for a category: what to give and what to take away, per managed group. */
export function giveAndRescind(set: PrivilegeSet): GiveAndRescind {
  const give = new Map<string, readonly GroupPrivilege[]>();
  const rescind = new Map<string, readonly GroupPrivilege[]>();
  for (const [group, wanted] of set) {
    give.set(group, wanted);
    rescind.set(group, ALL_GROUP_PRIVILEGES.filter(p => !wanted.includes(p)));
  }
  return { give, rescind };
}

// ---------------------------------------------------------------------------
// Who may do what (routes, pages and hooks all ask here).

/** Managing the taxonomy, the structure and members' specialties directly: administrators only. */
export async function mayManageSpecialties(uid: number): Promise<boolean> {
  return isAdmin(uid);
}

/** The same, as a refusal: 401 for guests, 403 for members. */
export async function requireSpecialtiesAdmin(uid: number): Promise<void> {
  await requireAdministrator(uid);
}

/** Who may open /physicians: verified physicians, and admins (who run the network). */
export async function canViewDirectory(uid: number): Promise<boolean> {
  if (!(uid > 0)) {
    return false;
  }
  return await readVerifiedFlag(uid) || await isAdmin(uid);
}

/** A member's own directory listing: any logged-in member may ask (the service refuses the unverified). */
export function requireMember(uid: number): void {
  if (uid <= 0) {
    throw new UserFacingError('error.not-allowed', [], 401);
  }
}

/**
 * Nobody joins or leaves the plugin's groups except through verification (./membership.ts):
 * "Verified physicians" and every specialty's group are protected.
 */
export function isProtectedGroup(groupName: string, specialtyGroups: readonly string[]): boolean {
  return groupName === VERIFIED_PHYSICIANS_GROUP || specialtyGroups.includes(groupName);
}
