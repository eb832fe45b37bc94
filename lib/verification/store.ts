/**
 * Reading and writing request records, their indexes, and the status change protocol.
 *
 * NodeBB's databases have no transactions, so a status change is claimed first:
 * each record carries `round` (the number of changes so far), written in the same single
 * hash write as `status`. To change the status, a caller increments the field
 * `claim:<round>` it read; only the caller that gets 1 may change the status. A caller that
 * read an older round finds its claim already taken and loses.
 *
 * A change may have an effect outside the record (group membership) that must happen before
 * the status is written. So the winner writes its intent (`intent:<round>`, with the time),
 * applies the effect, then seals the round (`seal:<round>`, again first-comer wins) and
 * writes `outcome:<round>` ("commit" or "abandon") before it finishes. Until the seal, the
 * round belongs to its claimant; a claim left unsealed for STALE_ROUND_MS (the process died,
 * or hangs) can be sealed by anyone else as "abandon", undoing the effect. A sealed round
 * whose write never came is finished the way its outcome says, by whoever finds it stale.
 */
import { nodebb } from '../nodebb';
import { keys } from './keys';
import {
  DOCUMENT_KINDS, DOCUMENT_TYPES, REGISTRATION_TYPES, REQUEST_STATUSES,
  type RegistrationType, type RequestStatus, type StoredDocument, type VerificationRequest,
} from './model';

type Raw = Record<string, unknown>;

function text(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function numberOrNull(value: unknown): number | null {
  const n = Number(value);
  return value === undefined || value === null || value === '' || !Number.isFinite(n) || n === 0 ? null : n;
}

function jsonList(value: unknown): unknown[] {
  // Written as JSON text; a database that keeps types (Mongo) may hand back the array itself.
  if (Array.isArray(value)) {
    return value;
  }
  try {
    const parsed: unknown = JSON.parse(text(value) || '[]');
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function strings(value: unknown): string[] {
  return jsonList(value).filter((s): s is string => typeof s === 'string');
}

function documents(value: unknown): StoredDocument[] {
  return jsonList(value).filter((d): d is StoredDocument => {
    if (typeof d !== 'object' || d === null) {
      return false;
    }
    const doc = d as Record<string, unknown>;
    return typeof doc.id === 'string' && /^[0-9a-f]{32}$/.test(doc.id) &&
      (DOCUMENT_KINDS as readonly unknown[]).includes(doc.kind) &&
      (DOCUMENT_TYPES as readonly unknown[]).includes(doc.contentType) &&
      typeof doc.size === 'number';
  });
}

export interface LoadedRequest {
  request: VerificationRequest;
  round: number;
  lastActorUid: number;
}

export function parseRequest(raw: Raw): LoadedRequest | null {
  const status = text(raw.status);
  const type = text(raw.registrationType);
  if (!(REQUEST_STATUSES as readonly string[]).includes(status) || !(REGISTRATION_TYPES as readonly string[]).includes(type)) {
    return null;
  }
  return {
    round: Number(raw.round) || 0,
    lastActorUid: Number(raw.lastActorUid) || 0,
    request: {
      rid: Number(raw.rid),
      uid: Number(raw.uid),
      status: status as RequestStatus,
      fullName: text(raw.fullName),
      registrationType: type as RegistrationType,
      registrationNumber: text(raw.registrationNumber),
      country: text(raw.country),
      specialties: strings(raw.specialties),
      inTraining: text(raw.inTraining) === '1' || raw.inTraining === true || raw.inTraining === 1,
      institution: text(raw.institution),
      licenceExpiry: text(raw.licenceExpiry),
      submittedAt: Number(raw.submittedAt) || 0,
      updatedAt: Number(raw.updatedAt) || 0,
      submissions: Number(raw.submissions) || 1,
      documents: documents(raw.documents),
      documentsDeletedAt: numberOrNull(raw.documentsDeletedAt),
      decidedAt: numberOrNull(raw.decidedAt),
      decidedBy: numberOrNull(raw.decidedBy),
      reasonCode: text(raw.reasonCode),
      reasonText: text(raw.reasonText),
      infoRequest: text(raw.infoRequest),
      infoAnswer: text(raw.infoAnswer),
      confirmedSpecialties: strings(raw.confirmedSpecialties),
      // Records from before this field: the last update is the best guess (never earlier than the real one for a pending request).
      memberActedAt: Number(raw.memberActedAt) || Number(raw.updatedAt) || 0,
    },
  };
}

export async function loadRequest(rid: number): Promise<LoadedRequest | null> {
  if (!Number.isSafeInteger(rid) || rid <= 0) {
    return null;
  }
  const raw = await nodebb.db.getObject(keys.request(rid));
  return raw ? parseRequest(raw) : null;
}

/** Fields of a request as stored (arrays as JSON, booleans as 1/0). */
export type RequestFields = Partial<Record<keyof VerificationRequest | 'round' | 'lastActorUid', string | number | boolean | string[] | StoredDocument[] | null>>;

export function toStored(fields: RequestFields): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  // Optional fields spread in may be present but undefined: those are not written.
  for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
    if (value === null) {
      out[field] = '';
    } else if (Array.isArray(value)) {
      out[field] = JSON.stringify(value);
    } else if (typeof value === 'boolean') {
      out[field] = value ? 1 : 0;
    } else if (typeof value === 'string' || typeof value === 'number') {
      out[field] = value;
    }
  }
  return out;
}

/** Time a request is sorted by in its status's queue: open ones by submission (oldest first). */
export function queueScore(status: RequestStatus, submittedAt: number, now: number): number {
  return status === 'pending' || status === 'needs-info' ? submittedAt : now;
}

export async function addToQueues(rid: number, status: RequestStatus, type: RegistrationType, score: number): Promise<void> {
  await nodebb.db.sortedSetAddBulk([
    [keys.queue(status), score, String(rid)],
    [keys.queueByType(status, type), score, String(rid)],
  ]);
}

/** Removes a request from every queue set, whatever its status was (idempotent). */
export async function removeFromAllQueues(rid: number, type: RegistrationType): Promise<void> {
  await nodebb.db.sortedSetRemove(REQUEST_STATUSES.flatMap(status => [keys.queue(status), keys.queueByType(status, type)]), String(rid));
}

/** A claimed round still unwritten after this long is a dead (or hung) process's leftover. */
export const STALE_ROUND_MS = 5 * 60 * 1000;

export type RoundOutcome = 'commit' | 'abandon';

/** What the record says about one round's claim. */
export interface RoundState {
  claimed: boolean;
  /** When the claimant took it, or when another caller first saw it taken; 0 if unknown. */
  since: number;
  intent: string;
  sealed: boolean;
  outcome: RoundOutcome | '';
}

/** Claims the change from the round read; true for exactly one caller per round. */
export async function claimRound(rid: number, round: number, at: number): Promise<boolean> {
  // Listed first, so a claimant that dies at any point is found by the daily job.
  await nodebb.db.sortedSetAdd(keys.inflight, at, String(rid));
  return (await nodebb.db.incrObjectField(keys.request(rid), `claim:${round}`)) === 1;
}

/** The claimant's intent, with the time, written before any effect is applied. */
export async function recordIntent(rid: number, round: number, at: number, intent: string): Promise<void> {
  await nodebb.db.setObject(keys.request(rid), { [`claimedAt:${round}`]: at, [`intent:${round}`]: intent });
}

/** Seals the round: true for exactly one caller, who then decides its outcome. */
export async function sealRound(rid: number, round: number, outcome: RoundOutcome): Promise<boolean> {
  if ((await nodebb.db.incrObjectField(keys.request(rid), `seal:${round}`)) !== 1) {
    return false;
  }
  await nodebb.db.setObjectField(keys.request(rid), `outcome:${round}`, outcome);
  return true;
}

/** True for exactly one caller per round and step (audit entry, notification, slot release). */
export async function claimStep(rid: number, round: number, step: string): Promise<boolean> {
  return (await nodebb.db.incrObjectField(keys.request(rid), `${step}:${round}`)) === 1;
}

export async function readRoundState(rid: number, round: number, at: number): Promise<RoundState> {
  const key = keys.request(rid);
  const raw = await nodebb.db.getObjectFields(key, [`claim:${round}`, `claimedAt:${round}`, `claimSeenAt:${round}`, `intent:${round}`, `seal:${round}`, `outcome:${round}`]);
  const claimed = Number(raw[`claim:${round}`]) > 0;
  let since = Number(raw[`claimedAt:${round}`]) || Number(raw[`claimSeenAt:${round}`]) || 0;
  if (claimed && since === 0 && await claimStep(rid, round, 'claimSeen')) {
    // The claimant died before it wrote the time: staleness counts from now.
    await nodebb.db.setObjectField(key, `claimSeenAt:${round}`, at);
    since = at;
  }
  const outcome = text(raw[`outcome:${round}`]);
  return {
    claimed,
    since,
    intent: text(raw[`intent:${round}`]),
    sealed: Number(raw[`seal:${round}`]) > 0,
    outcome: outcome === 'commit' || outcome === 'abandon' ? outcome : '',
  };
}

/** Taken off the daily job's list just before the round is written (a later claim lists it again). */
export async function unlistInflight(rid: number): Promise<void> {
  await nodebb.db.sortedSetRemove(keys.inflight, String(rid));
}

/** The round's bookkeeping, once the round is written: the claim and seal counters stay (they must keep losing). */
export async function forgetRound(rid: number, round: number): Promise<void> {
  await nodebb.db.deleteObjectFields(keys.request(rid), [`claimedAt:${round}`, `claimSeenAt:${round}`, `intent:${round}`]);
}

/**
 * Waits briefly for a newer round (another caller's write), so a loser can say who decided.
 * Returns the newest record (which may still show the old round if the other caller is slow).
 */
export async function awaitNewerRound(rid: number, round: number): Promise<LoadedRequest | null> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const loaded = await loadRequest(rid);
    if (!loaded || loaded.round > round) {
      return loaded;
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  return loadRequest(rid);
}
