/**
 * Every database key the specialties capability owns, in one place.
 * The plugin's own are prefixed with the plugin id so they cannot collide with core or other
 * plugins; the one core key it reads is named as core's. Built here only (./store.ts uses them).
 */
const PREFIX = 'physician-network';

export const keys = {
  /** Hash: slug → JSON SpecialtyRecord. One hash, so the whole taxonomy is one read. */
  taxonomy: `${PREFIX}:specialties`,
  /** Hash: what provisioning created (verified group, parent and lounge cids). */
  provisioned: `${PREFIX}:specialties:provisioned`,
  /** Hash: cid → JSON of the group privileges the plugin last applied there. */
  appliedPrivileges: `${PREFIX}:specialties:applied-privileges`,
  /** Hash per member: verified flag, specialties, directory opt-out. */
  member: (uid: number): string => `${PREFIX}:member:${uid}`,
  /** Sorted set: every verified member (score: when verified). */
  verifiedMembers: `${PREFIX}:verified:members`,
  /** Sorted set per specialty: its members (score: when they joined it). */
  specialtyMembers: (slug: string): string => `${PREFIX}:specialty:${slug}:members`,
  /** Sorted set per specialty: members listed in the directory (the above minus opt-outs). */
  directoryListed: (slug: string): string => `${PREFIX}:specialty:${slug}:directory`,
  /** Sorted set: every verified member listed in the directory. */
  directoryAll: `${PREFIX}:directory:all`,

  /** Core's (read only): every topic of a category, pinned ones included, by last post time. */
  coreCategoryTopics: (cid: number): string => `cid:${cid}:tids:lastposttime`,
};
