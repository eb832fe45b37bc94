/**
 * The specialties capability's records as stored and as the rest of it uses them, with the
 * defensive parsers that turn stored values (strings on Redis, typed on Mongo and Postgres)
 * back into records. Pure: no database, no NodeBB (./store.ts reads and writes them).
 */
import { ACCESS_POLICIES, type AccessPolicy } from '../settings/fields';

export interface SpecialtyRecord {
  readonly slug: string;
  /** English (or admin-given) name; the base of the group and category names. */
  readonly name: string;
  /** Indonesian name. */
  readonly nameId: string;
  /** Indonesian specialist title, '' where none. */
  readonly title: string;
  /** True once an admin has named it (added or renamed): the name is then shown as is in every language. */
  readonly customName: boolean;
  readonly enabled: boolean;
  readonly order: number;
  /** '' until provisioning fixes it from the default-policy setting. */
  readonly policy: AccessPolicy | '';
  /** NodeBB category id once provisioned, else 0. */
  readonly cid: number;
  /** NodeBB group name once provisioned, else ''. */
  readonly groupName: string;
  /** Uids given the per-user `moderate` privilege on the category. */
  readonly moderators: readonly number[];
  /** Set when merged into another specialty (then disabled). */
  readonly mergedInto: string;
}

export const MAX_NAME_LENGTH = 80;

function asString(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function asNumber(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

/** Parse a stored record defensively: a damaged field falls back rather than breaking every page. */
export function parseRecord(slug: string, raw: unknown): SpecialtyRecord | null {
  let data: Record<string, unknown>;
  try {
    // Stored as a JSON string; a database that keeps types (Mongo) may also hold it as an object.
    const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return null;
    }
    data = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  const policy = asString(data.policy);
  return {
    slug,
    name: asString(data.name, slug),
    nameId: asString(data.nameId),
    title: asString(data.title),
    customName: data.customName === true,
    enabled: data.enabled !== false,
    order: asNumber(data.order),
    policy: (ACCESS_POLICIES as readonly string[]).includes(policy) ? policy as AccessPolicy : '',
    cid: asNumber(data.cid),
    groupName: asString(data.groupName),
    moderators: Array.isArray(data.moderators) ? data.moderators.map(asNumber).filter(n => n > 0) : [],
    mergedInto: asString(data.mergedInto),
  };
}

export function serialiseRecord(record: SpecialtyRecord): string {
  // The slug is the hash field; it is not repeated in the value.
  return JSON.stringify({ ...record, slug: undefined });
}

export interface MemberRecord {
  verified: boolean;
  specialties: string[];
  verifiedAt: number;
  directoryOptOut: boolean;
}

export const MEMBER_FIELDS = ['verified', 'specialties', 'verifiedAt', 'directoryOptOut'];

/** A stored 1/0 flag: '1' on Redis, 1 (or true) where the database keeps types (Mongo, Postgres). */
export function storedFlag(value: unknown): boolean {
  return value === true || String(value) === '1';
}

/** Read a stored member hash (Redis gives strings, Mongo keeps types). */
export function parseMember(raw: Record<string, unknown> | null | undefined): MemberRecord {
  const specialties = typeof raw?.specialties === 'string' && raw.specialties ? raw.specialties.split(',') : [];
  return {
    verified: storedFlag(raw?.verified),
    specialties,
    verifiedAt: Number(raw?.verifiedAt) || 0,
    directoryOptOut: storedFlag(raw?.directoryOptOut),
  };
}

export interface ProvisionedState {
  verifiedGroup: string;
  parentCid: number;
  loungeCid: number;
}

export function parseProvisionedState(raw: Record<string, unknown> | null | undefined): ProvisionedState {
  return {
    verifiedGroup: typeof raw?.verifiedGroup === 'string' ? raw.verifiedGroup : '',
    parentCid: Number(raw?.parentCid) || 0,
    loungeCid: Number(raw?.loungeCid) || 0,
  };
}

/** Per category: group name → the privileges the plugin last applied there. */
export type PrivilegeSnapshots = Map<number, Map<string, Set<string>>>;

/** Read the stored snapshots (cid → JSON); a damaged one only means "unknown" and is left out. */
export function parseSnapshots(raw: Record<string, unknown>): PrivilegeSnapshots {
  const snapshots: PrivilegeSnapshots = new Map();
  for (const [cid, json] of Object.entries(raw)) {
    try {
      // A JSON string as written; a database that keeps types (Mongo) may hand back an object.
      const parsed: unknown = typeof json === 'string' ? JSON.parse(json) : json;
      if (!parsed || typeof parsed !== 'object') {
        continue;
      }
      snapshots.set(Number(cid), new Map(Object.entries(parsed)
        .map(([group, privs]) => [group, new Set(Array.isArray(privs) ? privs.map(String) : [])])));
    } catch {
      // A damaged snapshot only means "unknown": nothing counts as an admin edit there.
    }
  }
  return snapshots;
}
