/**
 * The taxonomy: the list of specialties (stored by ./store.ts in one hash, so any page reads
 * it in one round trip), its validation, and the names members see.
 *
 * Operations that change NodeBB structure as well (rename, disable, merge) live in
 * ./admin.ts; this module only validates and stores records.
 */
import { pluginText, type Markup } from '../common/page';
import { UserFacingError } from '../common/user-error';
import { ACCESS_POLICIES, type AccessPolicy } from '../settings/fields';
import { DEFAULT_SPECIALTIES } from './defaults';
import { MAX_NAME_LENGTH, type SpecialtyRecord } from './model';
import { readSpecialty, readTaxonomy, saveRecord, saveRecords } from './store';

export type { SpecialtyRecord } from './model';

function defaultRecords(): SpecialtyRecord[] {
  return DEFAULT_SPECIALTIES.map((entry, index) => ({
    slug: entry.slug,
    name: entry.en,
    nameId: entry.id,
    title: entry.title ?? '',
    customName: false,
    enabled: true,
    order: index + 1,
    policy: '',
    cid: 0,
    groupName: '',
    moderators: [],
    mergedInto: '',
  }));
}

/** Sorted by the admin's order, then slug so the order is total. */
function sortRecords(records: SpecialtyRecord[]): SpecialtyRecord[] {
  return records.sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
}

/** The whole taxonomy in one read, in display order. Empty until seeded. */
export async function listSpecialties(): Promise<SpecialtyRecord[]> {
  return sortRecords(await readTaxonomy());
}

/** Enabled and not merged into another: what members may choose and reviewers may grant. */
export function isOffered(record: SpecialtyRecord): boolean {
  return record.enabled && !record.mergedInto;
}

/** The specialties members may choose, in display order. */
export async function listOfferedSpecialties(): Promise<SpecialtyRecord[]> {
  return (await listSpecialties()).filter(isOffered);
}

/** Is this slug a specialty members may choose (one read)? */
export async function isOfferedSpecialty(slug: string): Promise<boolean> {
  const record = await getSpecialty(slug);
  return record !== null && isOffered(record);
}

/**
 * Store the default list when the taxonomy is empty (activation). Existing records are
 * never overwritten, so an admin's renames and order survive; running it twice is harmless.
 */
export async function seedDefaultTaxonomy(): Promise<number> {
  const existing = await listSpecialties();
  if (existing.length) {
    return 0;
  }
  const records = defaultRecords();
  await saveRecords(records);
  return records.length;
}

export async function getSpecialty(slug: string): Promise<SpecialtyRecord | null> {
  if (typeof slug !== 'string' || !slug) {
    return null;
  }
  return readSpecialty(slug);
}

export async function requireSpecialty(slug: string): Promise<SpecialtyRecord> {
  const record = await getSpecialty(slug);
  if (!record) {
    throw new UserFacingError('error.specialties-unknown', [slug]);
  }
  return record;
}

/** The name shown to members: a translation token for untouched defaults, the admin's own name otherwise. */
export function displayName(record: SpecialtyRecord): string {
  return record.customName ? record.name : `[[physician-network:specialties.name.${record.slug}]]`;
}

/** The name as a page model takes it: the admin's own name is text (escaped there), a default's token is markup. */
export function pageName(record: SpecialtyRecord): string | Markup {
  return record.customName ? record.name : pluginText(`specialties.name.${record.slug}`);
}

/** NodeBB group name for a specialty name, e.g. "Cardiology physicians". */
export function groupNameFor(name: string): string {
  return `${name} physicians`;
}

/**
 * Check an admin-given name: trimmed, non-empty, no control characters or ':' (NodeBB group
 * names may not contain ':'), bounded, and unique (case-insensitively) among specialties.
 */
export function validateName(name: unknown, records: readonly SpecialtyRecord[], exceptSlug = ''): string {
  const trimmed = typeof name === 'string' ? name.trim().replace(/\s+/g, ' ') : '';
  if (!trimmed) {
    throw new UserFacingError('error.specialties-name-empty');
  }
  // eslint-disable-next-line no-control-regex
  if (trimmed.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f:]/.test(trimmed)) {
    throw new UserFacingError('error.specialties-name-invalid', [MAX_NAME_LENGTH]);
  }
  const lower = trimmed.toLowerCase();
  const clash = records.find(r => r.slug !== exceptSlug && r.name.toLowerCase() === lower);
  if (clash) {
    throw new UserFacingError('error.specialties-name-taken', [trimmed]);
  }
  return trimmed;
}

/** A new slug from a name: lower-case ASCII words joined by '-', made unique with a number. */
export function slugFromName(name: string, taken: ReadonlySet<string>): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'specialty';
  let slug = base;
  for (let n = 2; taken.has(slug); n += 1) {
    slug = `${base}-${n}`;
  }
  return slug;
}

export interface NewSpecialty {
  name: string;
  nameId?: string;
  title?: string;
}

/** Add a specialty at the end of the order. It gets its group and category on the next provisioning run. */
export async function addSpecialty(input: NewSpecialty): Promise<SpecialtyRecord> {
  const records = await listSpecialties();
  const name = validateName(input.name, records);
  const nameId = typeof input.nameId === 'string' ? input.nameId.trim().slice(0, MAX_NAME_LENGTH) : '';
  const title = typeof input.title === 'string' ? input.title.trim().slice(0, 30) : '';
  const record: SpecialtyRecord = {
    slug: slugFromName(name, new Set(records.map(r => r.slug))),
    name,
    nameId: nameId || name,
    title,
    customName: true,
    enabled: true,
    order: records.reduce((max, r) => Math.max(max, r.order), 0) + 1,
    policy: '',
    cid: 0,
    groupName: '',
    moderators: [],
    mergedInto: '',
  };
  await saveRecord(record);
  return record;
}

/** New order: `slugs` must name every specialty exactly once. */
export async function reorderSpecialties(slugs: readonly string[]): Promise<SpecialtyRecord[]> {
  const records = await listSpecialties();
  const known = new Set(records.map(r => r.slug));
  const given = new Set(slugs);
  const unknown = slugs.find(slug => !known.has(slug));
  if (unknown !== undefined) {
    throw new UserFacingError('error.specialties-unknown', [unknown]);
  }
  if (given.size !== slugs.length || given.size !== known.size) {
    throw new UserFacingError('error.specialties-order-incomplete');
  }
  const position = new Map(slugs.map((slug, index) => [slug, index + 1]));
  const reordered = records.map(r => ({ ...r, order: position.get(r.slug) ?? r.order }));
  await saveRecords(reordered);
  return sortRecords(reordered);
}

export function isPolicy(value: unknown): value is AccessPolicy {
  return typeof value === 'string' && (ACCESS_POLICIES as readonly string[]).includes(value);
}
