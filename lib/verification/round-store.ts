/**
 * The status change protocol's reads and writes.
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
import { loadRequest, type LoadedRequest } from './request-store';
import { text } from './stored-values';

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

/** The round the record shows now (nobody has written the round read yet while it is the same). */
export async function currentRound(rid: number): Promise<number> {
  return Number(await nodebb.db.getObjectField(keys.request(rid), 'round') ?? 0);
}

/** Writes a sealed round: its fields, the new status and the next round number, in one hash write. */
export async function writeRound(rid: number, fields: Record<string, string | number>): Promise<void> {
  await nodebb.db.setObject(keys.request(rid), fields);
}

/** An abandoned round moves on with the status unchanged. */
export async function skipRound(rid: number, round: number): Promise<void> {
  await nodebb.db.setObject(keys.request(rid), { round: round + 1 });
}

/** Requests listed as in flight since before `cutoff` (the daily job's candidates). */
export async function inflightSince(cutoff: number): Promise<string[]> {
  return nodebb.db.getSortedSetRangeByScore(keys.inflight, 0, -1, '-inf', cutoff);
}

export async function removeFromInflight(member: string): Promise<void> {
  await nodebb.db.sortedSetRemove(keys.inflight, member);
}
