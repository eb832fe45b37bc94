/**
 * Keeping feed tokens in NodeBB's database: per member, the current token's hash and the
 * chosen specialties; per token hash, whose it is. Only hashes are stored (feed.ts).
 */
import { nodebb } from '../nodebb';
import { keys } from './keys';

/** The member's current token hash, or '' when they have none. */
export async function feedTokenHashOf(uid: number): Promise<string> {
  const hash = await nodebb.db.getObjectField(keys.feedMember(uid), 'tokenHash');
  return typeof hash === 'string' ? hash : '';
}

/**
 * Make `hash` the member's token: write its lookup, switch the member's current hash (what
 * revokes the old one: resolving checks it), then delete the old lookup, in that order.
 */
export async function replaceFeedToken(uid: number, hash: string, previous: string): Promise<void> {
  const { db } = nodebb;
  await db.setObject(keys.feedToken(hash), { uid });
  await db.setObject(keys.feedMember(uid), { tokenHash: hash, created: Date.now() });
  if (previous !== '' && previous !== hash) {
    await db.delete(keys.feedToken(previous));
  }
}

/** Forget the member's current hash, then the lookup of `previous`. */
export async function clearFeedToken(uid: number, previous: string): Promise<void> {
  const { db } = nodebb;
  await db.deleteObjectField(keys.feedMember(uid), 'tokenHash');
  if (previous !== '') {
    await db.delete(keys.feedToken(previous));
  }
}

/** The stored specialty choice: comma-separated slugs or 'all', as raw as stored. */
export async function storedFeedSpecialties(uid: number): Promise<unknown> {
  return nodebb.db.getObjectField(keys.feedMember(uid), 'specialties');
}

export async function storeFeedSpecialties(uid: number, choice: string): Promise<void> {
  await nodebb.db.setObjectField(keys.feedMember(uid), 'specialties', choice);
}

/** Whose token hashes to `hash` (NaN or 0 for none: the caller checks). */
export async function feedTokenOwner(hash: string): Promise<number> {
  return Number(await nodebb.db.getObjectField(keys.feedToken(hash), 'uid'));
}

/** The member's current token hash and specialty choice, as stored. */
export async function feedMemberRecord(uid: number): Promise<{ tokenHash: unknown; specialties: unknown }> {
  const member = await nodebb.db.getObjectFields(keys.feedMember(uid), ['tokenHash', 'specialties']);
  return { tokenHash: member.tokenHash, specialties: member.specialties };
}
