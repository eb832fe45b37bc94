/**
 * The two answers the form page needs from the lead's lib/seminars/web.ts, which is written
 * in parallel (see SEMINARS-CONTRACT.md): which categories the caller may create seminars in,
 * and whether they may create seminars at all. Same signatures as the contract, so swapping
 * these for `./web`'s is a change of import.
 *
 * Until the `seminarsCategories` setting exists in lib/settings/fields.ts this reads the raw
 * stored value (comma-separated cids) from the plugin's settings hash.
 */
import { nodebb } from '../nodebb';
import { SETTINGS_HASH } from '../settings';
import { isVerifiedPhysician } from '../specialties/membership';
import { canCreateSeminars } from './permissions';

export interface SeminarCategory {
  cid: number;
  /** As NodeBB's categories module returns it: HTML-escaped (and possibly a translation key). */
  name: string;
}

function parseCids(value: unknown): number[] {
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  return [...new Set(text.split(/[\s,]+/).map(Number).filter(cid => Number.isInteger(cid) && cid > 0))];
}

/** The seminar categories (setting seminarsCategories) the caller may start topics in, in the setting's order. */
export async function seminarCategoriesFor(uid: number): Promise<SeminarCategory[]> {
  if (!Number.isInteger(uid) || uid <= 0) {
    return [];
  }
  const stored = await nodebb.meta.settings.get(SETTINGS_HASH);
  const cids = parseCids(stored.seminarsCategories);
  if (!cids.length) {
    return [];
  }
  const allowed = new Set((await nodebb.privileges.categories.filterCids('topics:create', cids, uid)).map(Number));
  const result: SeminarCategory[] = [];
  for (const cid of cids.filter(c => allowed.has(c))) {
    const fields = await nodebb.categories.getCategoryFields(cid, ['name', 'disabled']);
    if (String(fields.disabled) === '1') {
      continue;
    }
    result.push({ cid, name: typeof fields.name === 'string' ? fields.name : String(cid) });
  }
  return result;
}

/** Verified physicians, the organiser group (setting) and admins may create seminars. */
export async function canCreate(uid: number): Promise<boolean> {
  return canCreateSeminars(uid, isVerifiedPhysician);
}
