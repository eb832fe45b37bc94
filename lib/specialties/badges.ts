/**
 * "Verified physician" and specialty badges beside names on posts and profiles.
 *
 * One batched read per page whatever its size: every author's member record in one
 * getObjectsFields, plus the taxonomy hash in one getObject, in parallel.
 */
import { nodebb } from '../nodebb';
import { readMembers } from './store';
import { displayName, listSpecialties } from './taxonomy';
import { VERIFIED_PHYSICIANS_GROUP } from './policy';

export interface PhysicianBadge {
  verified: true;
  specialties: { slug: string; name: string; title: string; groupName: string }[];
}

/** Badges for these uids (unverified and guests are absent from the map). Two round trips, in parallel. */
export async function getPhysicianBadges(uids: readonly unknown[]): Promise<Map<number, PhysicianBadge>> {
  const unique = [...new Set(uids.map(Number).filter(uid => Number.isInteger(uid) && uid > 0))];
  const badges = new Map<number, PhysicianBadge>();
  if (!unique.length) {
    return badges;
  }
  const [rows, records] = await Promise.all([
    readMembers(unique),
    listSpecialties(),
  ]);
  const bySlug = new Map(records.map(r => [r.slug, r]));
  unique.forEach((uid, index) => {
    const member = rows[index];
    if (!member?.verified) {
      return;
    }
    badges.set(uid, {
      verified: true,
      specialties: member.specialties.flatMap((slug) => {
        const record = bySlug.get(slug);
        return record ? [{ slug, name: displayName(record), title: record.title, groupName: record.groupName }] : [];
      }),
    });
  });
  return badges;
}

/** What themes draw with partials/groups/badge.tpl (Harmony, Persona): a group-like badge. */
export interface BadgeGroup {
  name: string;
  slug: string;
  userTitle: string;
  userTitleEnabled: 1;
  labelColor: string;
  textColor: string;
  icon: string;
  physicianNetwork: true;
}

/**
 * The badges as the theme's own group badges, put first, linking to the real group pages.
 * Drawn from the plugin's data, not the member's chosen group title, so a member cannot
 * hide or fake them, and no extra read is needed.
 */
export function badgeGroups(badge: PhysicianBadge): BadgeGroup[] {
  const slugify = nodebb.slugify;
  return [
    {
      name: VERIFIED_PHYSICIANS_GROUP,
      slug: slugify(VERIFIED_PHYSICIANS_GROUP),
      userTitle: '[[physician-network:specialties.verified-physician]]',
      userTitleEnabled: 1,
      labelColor: '#146c43',
      textColor: '#ffffff',
      icon: 'fa-user-doctor',
      physicianNetwork: true,
    },
    ...badge.specialties.filter(s => s.groupName).map((specialty): BadgeGroup => ({
      name: specialty.groupName,
      slug: slugify(specialty.groupName),
      userTitle: specialty.name,
      userTitleEnabled: 1,
      labelColor: '#cfe2ff',
      textColor: '#052c65',
      icon: 'fa-stethoscope',
      physicianNetwork: true,
    })),
  ];
}

function withBadgeGroups(existing: unknown, badge: PhysicianBadge): unknown[] {
  const ours = badgeGroups(badge);
  const ourNames = new Set(ours.map(g => g.name));
  // Drop the member's own copies of the same groups so each badge shows once.
  const theirs: unknown[] = Array.isArray(existing)
    ? (existing as unknown[]).filter(g => !(g && typeof g === 'object' && ourNames.has(String((g as { name?: unknown }).name))))
    : [];
  return [...ours, ...theirs];
}

export interface PostWithAuthor {
  uid?: unknown;
  user?: unknown;
  physicianBadge?: PhysicianBadge | null;
}

export type Badged<T> = T & { physicianBadge: PhysicianBadge | null };

/** Add `physicianBadge` (or null) to each post, and to its `user` object when it has one, so templates find it either way. */
export async function addBadgesToPosts<T extends PostWithAuthor>(posts: readonly (T | null | undefined)[]): Promise<(Badged<T> | null | undefined)[]> {
  const present = posts.filter((p): p is T => Boolean(p));
  const badges = await getPhysicianBadges(present.map(p => p.uid));
  for (const post of present) {
    const badge = badges.get(Number(post.uid)) ?? null;
    post.physicianBadge = badge;
    if (post.user && typeof post.user === 'object') {
      const user = post.user as { physicianBadge?: PhysicianBadge | null; selectedGroups?: unknown };
      user.physicianBadge = badge;
      if (badge) {
        user.selectedGroups = withBadgeGroups(user.selectedGroups, badge);
      }
    }
  }
  return [...posts] as (Badged<T> | null | undefined)[];
}

export interface PostsHookData {
  posts: (PostWithAuthor | null | undefined)[];
  uid: number;
  [key: string]: unknown;
}

/** Hook `filter:topics.addPostData` (topic page: fires once per page with all its posts). */
export async function badgesOnTopicPosts(data: PostsHookData): Promise<PostsHookData> {
  if (Array.isArray(data.posts)) {
    await addBadgesToPosts(data.posts);
  }
  return data;
}

/** Hook `filter:post.getPostSummaryByPids` (profile posts/topics lists, recent, search results). */
export async function badgesOnPostSummaries(data: PostsHookData): Promise<PostsHookData> {
  return badgesOnTopicPosts(data);
}

export interface ProfileHookData {
  userData: { uid?: unknown; physicianBadge?: PhysicianBadge | null; [key: string]: unknown };
  callerUID: number;
  [key: string]: unknown;
}

/** Hook `filter:helpers.getUserDataByUserSlug` (every profile page and its /api form). */
export async function badgeOnProfile(data: ProfileHookData): Promise<ProfileHookData> {
  const uid = Number(data.userData.uid);
  const badges = await getPhysicianBadges([uid]);
  const badge = badges.get(uid) ?? null;
  data.userData.physicianBadge = badge;
  if (badge) {
    // The profile header draws `selectedGroup` with the theme's own group-badge partial.
    data.userData.selectedGroup = withBadgeGroups(data.userData.selectedGroup, badge);
  }
  return data;
}
