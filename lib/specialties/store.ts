/**
 * Every read and write of the specialties capability's data, and of core's data it reads
 * directly. Keys come only from ./keys.ts; nothing else in lib/specialties calls `nodebb.db`.
 * NodeBB's `transaction()` is a no-op on Redis and Mongo: each function is one or a few
 * idempotent writes, and callers write the plugin's own data before NodeBB's (see membership.ts).
 */
import { nodebb } from '../nodebb';
import { keys } from './keys';
import {
  MEMBER_FIELDS, parseMember, parseProvisionedState, parseRecord, parseSnapshots, serialiseRecord, storedFlag,
  type MemberRecord, type PrivilegeSnapshots, type ProvisionedState, type SpecialtyRecord,
} from './model';

// ---------------------------------------------------------------------------
// Taxonomy: one hash, slug → JSON record, so the whole taxonomy is one read.

/** Every stored record, in no particular order (damaged ones left out). */
export async function readTaxonomy(): Promise<SpecialtyRecord[]> {
  const raw = await nodebb.db.getObject(keys.taxonomy);
  if (!raw) {
    return [];
  }
  return Object.entries(raw)
    .map(([slug, value]) => parseRecord(slug, value))
    .filter((r): r is SpecialtyRecord => r !== null);
}

export async function readSpecialty(slug: string): Promise<SpecialtyRecord | null> {
  return parseRecord(slug, await nodebb.db.getObjectField(keys.taxonomy, slug));
}

export async function saveRecord(record: SpecialtyRecord): Promise<void> {
  await nodebb.db.setObjectField(keys.taxonomy, record.slug, serialiseRecord(record));
}

export async function saveRecords(records: readonly SpecialtyRecord[]): Promise<void> {
  if (!records.length) {
    return;
  }
  await nodebb.db.setObject(keys.taxonomy, Object.fromEntries(records.map(r => [r.slug, serialiseRecord(r)])));
}

// ---------------------------------------------------------------------------
// Provisioning: what it created, and whether its first run finished.

export async function readProvisionedState(): Promise<ProvisionedState> {
  return parseProvisionedState(await nodebb.db.getObject(keys.provisioned));
}

type ProvisionedField = 'verifiedGroup' | 'parentCid' | 'loungeCid' | 'startedAt' | 'finishedAt';

export async function recordProvisioned(field: ProvisionedField, value: string | number): Promise<void> {
  await nodebb.db.setObjectField(keys.provisioned, field, value);
}

/** When the first provisioning run started and finished (0 when not), and the parent category it made. */
export async function readProvisioningRun(): Promise<{ startedAt: number; finishedAt: number; parentCid: number }> {
  const state = await nodebb.db.getObjectFields(keys.provisioned, ['finishedAt', 'startedAt', 'parentCid']);
  return { startedAt: Number(state.startedAt) || 0, finishedAt: Number(state.finishedAt) || 0, parentCid: Number(state.parentCid) || 0 };
}

export async function readPrivilegeSnapshots(): Promise<PrivilegeSnapshots> {
  return parseSnapshots(await nodebb.db.getObject(keys.appliedPrivileges) ?? {});
}

/** What the plugin last applied on `cid`: group name → privileges. */
export async function writePrivilegeSnapshot(cid: number, snapshot: Record<string, readonly string[]>): Promise<void> {
  await nodebb.db.setObjectField(keys.appliedPrivileges, String(cid), JSON.stringify(snapshot));
}

// ---------------------------------------------------------------------------
// Members: one hash each, and sorted-set indexes per specialty and for the directory.

export async function readMember(uid: number): Promise<MemberRecord> {
  return parseMember(await nodebb.db.getObject(keys.member(uid)));
}

/** The member records of `uids`, in their order, in one read. */
export async function readMembers(uids: readonly number[]): Promise<MemberRecord[]> {
  const rows = await nodebb.db.getObjectsFields(uids.map(uid => keys.member(uid)), MEMBER_FIELDS);
  return uids.map((_uid, index) => parseMember(rows[index]));
}

export async function readVerifiedFlag(uid: number): Promise<boolean> {
  return storedFlag(await nodebb.db.getObjectField(keys.member(uid), 'verified'));
}

export async function writeMember(uid: number, member: MemberRecord): Promise<void> {
  await nodebb.db.setObject(keys.member(uid), {
    verified: member.verified ? 1 : 0, specialties: member.specialties.join(','), verifiedAt: member.verifiedAt, directoryOptOut: member.directoryOptOut ? 1 : 0,
  });
}

export async function writeDirectoryOptOut(uid: number, optOut: boolean): Promise<void> {
  await nodebb.db.setObjectField(keys.member(uid), 'directoryOptOut', optOut ? 1 : 0);
}

export async function deleteMember(uid: number): Promise<void> {
  await nodebb.db.delete(keys.member(uid));
}

/**
 * Index a verified member: among the verified (score: when verified), in each specialty they
 * joined now (score: now), and, unless they opted out, in the directory's listings as well.
 */
export async function indexVerifiedMember(uid: number, verifiedAt: number, joined: readonly string[], listed: boolean, now: number): Promise<void> {
  const member = String(uid);
  const adds: [string, number, string][] = [[keys.verifiedMembers, verifiedAt, member]];
  if (listed) {
    adds.push([keys.directoryAll, verifiedAt, member]);
  }
  for (const slug of joined) {
    adds.push([keys.specialtyMembers(slug), now, member]);
    if (listed) {
      adds.push([keys.directoryListed(slug), now, member]);
    }
  }
  await nodebb.db.sortedSetAddBulk(adds);
}

/** Out of these specialties' member and directory indexes. */
export async function unindexSpecialties(uid: number | string, slugs: readonly string[]): Promise<void> {
  if (slugs.length) {
    await nodebb.db.sortedSetRemove(slugs.flatMap(slug => [keys.specialtyMembers(slug), keys.directoryListed(slug)]), String(uid));
  }
}

/** Out of every index: the verified, the directory, and these specialties'. */
export async function unindexMember(uid: number, slugs: readonly string[]): Promise<void> {
  await nodebb.db.sortedSetRemove([
    keys.verifiedMembers, keys.directoryAll,
    ...slugs.flatMap(slug => [keys.specialtyMembers(slug), keys.directoryListed(slug)]),
  ], String(uid));
}

/** Uids holding a specialty, oldest first, `start` to `stop` inclusive. */
export async function specialtyMemberUids(slug: string, start: number, stop: number): Promise<string[]> {
  return nodebb.db.getSortedSetRange(keys.specialtyMembers(slug), start, stop);
}

/** Every verified member's uid, oldest first, `start` to `stop` inclusive. */
export async function verifiedMemberUids(start: number, stop: number): Promise<string[]> {
  return nodebb.db.getSortedSetRange(keys.verifiedMembers, start, stop);
}

/** Take the member off the directory's listings (their specialty memberships stay). */
export async function unlistMember(uid: number, slugs: readonly string[]): Promise<void> {
  await nodebb.db.sortedSetRemove([keys.directoryAll, ...slugs.map(slug => keys.directoryListed(slug))], String(uid));
}

/** Put the member back on the listings, each with the score they hold in its specialty. */
export async function listMember(uid: number, verifiedAt: number, slugs: readonly string[]): Promise<void> {
  const member = String(uid);
  const scores = await Promise.all(slugs.map(slug => nodebb.db.sortedSetScore(keys.specialtyMembers(slug), member)));
  await nodebb.db.sortedSetAddBulk([
    [keys.directoryAll, verifiedAt || Date.now(), member],
    ...slugs.map((slug, i): [string, number, string] => [keys.directoryListed(slug), scores[i] ?? Date.now(), member]),
  ]);
}

/** One page of a directory listing (a specialty's, or everyone's for ''), newest first, and its size. */
export async function directoryPage(specialty: string, start: number, stop: number): Promise<{ total: number; uids: number[] }> {
  const index = specialty ? keys.directoryListed(specialty) : keys.directoryAll;
  const [total, uids] = await Promise.all([
    nodebb.db.sortedSetCard(index),
    nodebb.db.getSortedSetRevRange(index, start, stop),
  ]);
  return { total, uids: uids.map(Number) };
}

// ---------------------------------------------------------------------------
// Core's data, read directly where core has no API for it.

/** Tids of a category, pinned ones included (core's `cid:<cid>:tids:lastposttime`). */
export async function categoryTopicIds(cid: number, start: number, stop: number): Promise<string[]> {
  return nodebb.db.getSortedSetRange(keys.coreCategoryTopics(cid), start, stop);
}
