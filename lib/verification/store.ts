/**
 * Every database read and write of the verification capability, by record: requests and
 * their indexes (request-store.ts), the member's slot and history (member-store.ts), the
 * status change protocol (round-store.ts) and the audit log (audit-store.ts). Keys are built
 * in keys.ts only; nothing else in the capability calls nodebb.db.
 */
export * from './request-store';
export * from './member-store';
export * from './round-store';
export * from './audit-store';

import { nodebb } from '../nodebb';
import { keys } from './keys';

/** A field of NodeBB's site configuration as stored ('' when unset). */
export async function readSiteConfigField(field: string): Promise<unknown> {
  return nodebb.db.getObjectField(keys.siteConfig, field);
}
