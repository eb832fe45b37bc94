/**
 * Subscription feeds. Calendar clients cannot log in, so each member's feed URL carries a
 * secret token. Only its SHA-256 is stored; regenerating replaces the member's one token
 * and deletes the old lookup, and resolving also checks the token is the member's current
 * one, so a revoked token stops working at once even if the old lookup survived a crash.
 */
import { createHash, randomBytes } from 'node:crypto';

import { nodebb } from '../nodebb';
import { UserFacingError } from '../common/user-error';
import { ALL_SPECIALTIES, type Seminar } from './model';
import { listSeminars } from './listing';
import { seminarsToIcs, type IcsOptions } from './ics';
import {
  feedTokenHashOf, replaceFeedToken, clearFeedToken, storedFeedSpecialties, storeFeedSpecialties, feedTokenOwner, feedMemberRecord,
} from './store';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** How far back a feed reaches, so recent changes (a cancellation) still reach calendars. */
export const FEED_PAST_DAYS = 30;
export const FEED_MAX_SEMINARS = 1000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface FeedSubscription {
  uid: number;
  /** Chosen specialty slugs, or 'all'. */
  specialties: string[] | 'all';
}

function parseSpecialtyChoice(raw: unknown): string[] | 'all' {
  const text = typeof raw === 'string' ? raw : '';
  const slugs = text.split(',').filter(Boolean);
  return !slugs.length || slugs.includes(ALL_SPECIALTIES) ? 'all' : slugs;
}

/**
 * Issue a new token for the member, revoking any earlier one. The token is returned once,
 * to show in the feed URL now; it cannot be read back later (only its hash is kept).
 */
export async function regenerateFeedToken(uid: number): Promise<string> {
  if (!Number.isInteger(uid) || uid <= 0) {
    throw new UserFacingError('error.seminars-feed-members-only', [], 403);
  }
  const token = randomBytes(32).toString('base64url');
  const hash = hashToken(token);
  // Switching the member's current hash is what revokes: resolve checks it.
  await replaceFeedToken(uid, hash, await feedTokenHashOf(uid));
  return token;
}

/** Revoke without issuing a new one. */
export async function revokeFeedToken(uid: number): Promise<void> {
  await clearFeedToken(uid, await feedTokenHashOf(uid));
}

export async function hasFeedToken(uid: number): Promise<boolean> {
  return await feedTokenHashOf(uid) !== '';
}

/** Which specialties the member's feed carries ('all' or slugs, validated by the caller against the taxonomy). */
export async function setFeedSpecialties(uid: number, specialties: string[] | 'all'): Promise<void> {
  const slugs = specialties === 'all' ? [ALL_SPECIALTIES] : [...new Set(specialties)];
  for (const slug of slugs) {
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) || slug.length > 64) {
      throw new UserFacingError('error.seminars-specialty-invalid', [slug.slice(0, 64)]);
    }
  }
  await storeFeedSpecialties(uid, slugs.length ? slugs.join(',') : ALL_SPECIALTIES);
}

export async function getFeedSpecialties(uid: number): Promise<string[] | 'all'> {
  return parseSpecialtyChoice(await storedFeedSpecialties(uid));
}

/** Token → member and chosen specialties; null for anything not a current token, and while the member is banned. */
export async function resolveFeedToken(token: unknown): Promise<FeedSubscription | null> {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) {
    return null;
  }
  const hash = hashToken(token);
  const uid = await feedTokenOwner(hash);
  if (!Number.isInteger(uid) || uid <= 0) {
    return null;
  }
  const member = await feedMemberRecord(uid);
  if (member.tokenHash !== hash) {
    return null;
  }
  // A banned member's feed answers as if it did not exist; the token is kept, so lifting
  // the ban brings the same URL back.
  if (await nodebb.userBans.bans.isBanned(uid)) {
    return null;
  }
  return { uid, specialties: parseSpecialtyChoice(member.specialties) };
}

/** The seminars a member's feed carries: those they may read, in their specialties, from a month ago on. */
export async function feedSeminars(subscription: FeedSubscription, now = Date.now()): Promise<Seminar[]> {
  const from = now - FEED_PAST_DAYS * 86_400_000;
  const options = { uid: subscription.uid, limit: FEED_MAX_SEMINARS };
  if (subscription.specialties === 'all') {
    return (await listSeminars({ from, order: 'asc' }, options)).seminars;
  }
  const pages = await Promise.all(subscription.specialties.map(specialty => listSeminars({ specialty, from, order: 'asc' }, options)));
  const byTid = new Map<number, Seminar>();
  for (const page of pages) {
    for (const seminar of page.seminars) {
      byTid.set(seminar.tid, seminar);
    }
  }
  return [...byTid.values()].sort((a, b) => a.start - b.start || a.tid - b.tid).slice(0, FEED_MAX_SEMINARS);
}

/** The .ics body for a feed URL, or null when the token is not (or no longer) valid. */
export async function feedIcsForToken(token: unknown, options: IcsOptions): Promise<string | null> {
  const subscription = await resolveFeedToken(token);
  if (!subscription) {
    return null;
  }
  return seminarsToIcs(await feedSeminars(subscription, options.now), options);
}

/** A public feed for guests (uid 0): only seminars in categories guests may read. */
export async function publicFeedIcs(specialties: string[] | 'all', options: IcsOptions): Promise<string> {
  return seminarsToIcs(await feedSeminars({ uid: 0, specialties }, options.now), options);
}
