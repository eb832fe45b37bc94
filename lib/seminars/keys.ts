/**
 * Every database key the seminars capability owns, in one place. All start with the plugin id,
 * then `:seminars`, so they cannot collide with core or other plugins.
 *
 * Until the upgrade script physician-network-seminar-keys moved them, seminar keys had no
 * plugin prefix (`seminar:<tid>`, `seminars:*`, `seminar-pending:<id>`); `currentKeyOf` maps
 * such a key to its place here, for that script alone.
 */
const ROOT = 'physician-network:seminars';

/** Cities are matched loosely: case, accents and punctuation do not split "Yogyakarta" from "yogyakarta". */
export function cityKey(city: string): string {
  return city.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const seminarRoot = (tid: number): string => `${ROOT}:seminar:${tid}`;

export const keys = {
  /** Hash: what provisioning created (the Seminars category's cid). Already prefixed before the move. */
  provisioned: ROOT,
  /** Hash per seminar: its record (model.ts seminarToStored). */
  seminar: seminarRoot,
  /** Sorted sets per seminar: members by RSVP answer (going: by when; waitlist: by queue position). */
  going: (tid: number): string => `${seminarRoot(tid)}:going`,
  waitlist: (tid: number): string => `${seminarRoot(tid)}:waitlist`,
  interested: (tid: number): string => `${seminarRoot(tid)}:interested`,
  notGoing: (tid: number): string => `${seminarRoot(tid)}:notgoing`,
  /** Hash per seminar: RSVP counters (the waitlist's next position). */
  rsvpCounters: (tid: number): string => `${seminarRoot(tid)}:rsvp`,
  /** Hash per seminar, expiring: the lock RSVPs and saves of one seminar take (lock.ts). */
  lock: (tid: number): string => `${seminarRoot(tid)}:rsvp-lock`,
  /** Hash per seminar, expiring: reminder claims, `<uid>:<start>` → count (reminders.ts). */
  reminderClaims: (tid: number): string => `${seminarRoot(tid)}:reminders`,

  /** Sorted sets of tids scored by start: the listing indexes (store.ts seminarIndexKeys). */
  index: {
    /** Every listed seminar (not hidden), by start: what listings read. */
    all: `${ROOT}:start`,
    /** Every seminar record, hidden ones too, by creation: what start-up reconciliation walks. */
    every: `${ROOT}:every`,
    specialty: (slug: string): string => `${ROOT}:specialty:${slug}`,
    type: (type: string): string => `${ROOT}:type:${type}`,
    country: (code: string): string => `${ROOT}:country:${code}`,
    city: (city: string): string => `${ROOT}:city:${cityKey(city)}`,
    online: `${ROOT}:online`,
    credits: `${ROOT}:credits`,
    free: `${ROOT}:free`,
    category: (cid: number): string => `${ROOT}:cid:${cid}`,
  },

  /** Sorted set per member: the seminars they answered, by start. */
  memberRsvps: (uid: number): string => `${ROOT}:member:${uid}`,
  /** Hash per member: their feed token's hash and chosen specialties. */
  feedMember: (uid: number): string => `${ROOT}:feed:${uid}`,
  /** Hash per feed token (by its SHA-256): whose it is. */
  feedToken: (hash: string): string => `${ROOT}:feed-token:${hash}`,

  /** Sorted set: seminars held while their topic waits in the post queue, by when held. */
  pendingIndex: `${ROOT}:pending`,
  /** Hash per held seminar (pending.ts). */
  pending: (id: string): string => `${ROOT}:pending:${id}`,
  /** Sorted set: tids whose seminar a hook could not bring in step with its topic, by when (the repair job). */
  outOfStep: `${ROOT}:out-of-step`,
};

/** Keys one seminar owns besides its record, removed when it is purged. */
export function seminarOwnedKeys(tid: number): string[] {
  return [
    keys.going(tid), keys.waitlist(tid), keys.interested(tid), keys.notGoing(tid),
    keys.rsvpCounters(tid), keys.lock(tid), keys.reminderClaims(tid),
  ];
}

/** The key patterns (glob, as NodeBB's db.scan takes them) of the layout before the move. */
export const LEGACY_KEY_PATTERNS = ['seminar:*', 'seminars:*', 'seminar-pending:*'] as const;

const LEGACY_SEMINAR = /^seminar:(\d+)(:(?:going|waitlist|interested|notgoing|rsvp|rsvp-lock|reminders))?$/;
const LEGACY_LIST = /^seminars:(start|every|online|credits|free|pending|out-of-step)$/;
const LEGACY_NAMED = /^seminars:(specialty|type|country|city|cid|member|feed|feed-token):([^:]+)$/;
const LEGACY_PENDING = /^seminar-pending:([0-9a-f-]{36})$/;

/**
 * Where a key of the old layout lives now, or null for a key the old layout never wrote
 * (another plugin's `seminar:…` key is left alone).
 */
export function currentKeyOf(legacyKey: string): string | null {
  const seminar = LEGACY_SEMINAR.exec(legacyKey);
  if (seminar) {
    return `${seminarRoot(Number(seminar[1]))}${seminar[2] ?? ''}`;
  }
  const list = LEGACY_LIST.exec(legacyKey);
  if (list) {
    return `${ROOT}:${list[1]}`;
  }
  const named = LEGACY_NAMED.exec(legacyKey);
  if (named) {
    return `${ROOT}:${named[1]}:${named[2]}`;
  }
  const pending = LEGACY_PENDING.exec(legacyKey);
  return pending ? keys.pending(pending[1] ?? '') : null;
}
