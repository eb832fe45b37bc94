/**
 * Changing a request's status, exactly once, with what the change means elsewhere: the
 * verification state protocol (claim → intent → apply → seal → write; see round-store.ts for
 * why). Every status change of every use case goes through transition().
 */
import { log } from '../nodebb';
import { UserFacingError, isUserFacingError } from '../common/user-error';
import { recordAudit } from './audit-store';
import { deleteDocumentFiles } from './documents';
import { parseIntent, type RoundIntent } from './intent';
import {
  OPEN_STATUSES, isLegalTransition,
  type AuditAction, type RegistrationType, type RequestStatus, type StoredDocument, type VerificationRequest,
} from './model';
import { notifyMember, type NotificationEvent } from './notify';
import { licenceExpiresAt } from './registration';
import {
  STALE_ROUND_MS, addToExpiry, addToQueues, addToRetention, awaitNewerRound, claimRound, claimStep, currentRound, forgetRound,
  listFileDeletions, loadRequest, queueScore, readRoundState, recordIntent, recordSubmission, releaseOpenSlot, removeFromAllQueues,
  removeFromExpiry, sealRound, setVerifiedRequest, skipRound, toStored, unlistInflight, writeRound,
  type LoadedRequest, type RequestFields,
} from './store';
import { mustLoad, statusToken, usernames, type ServiceContext } from './context';

/** Statuses that are a reviewer's decision, for "already decided by". */
const DECIDED_STATUSES: readonly RequestStatus[] = ['approved', 'rejected', 'revoked'];

/** What a status change does outside the record, before its status is written. */
export type Effect = { kind: 'grant'; specialties: string[] } | { kind: 'remove' };

export interface TransitionPlan {
  to: RequestStatus;
  actorUid: number;
  action: AuditAction;
  /** Reviewer decisions say who won; member and system changes say the state moved on. */
  byReviewer: boolean;
  fields?: RequestFields;
  effect?: Effect;
  reasonCode?: string;
  reasonText?: string;
  specialties?: string[];
  /** The member's notification, sent once the change is written. */
  notify?: { event: NotificationEvent; args: string[] };
  /** Files the written change no longer needs (withdrawn, replaced, expired): deleted, or retried daily. */
  deleteDocuments?: readonly StoredDocument[];
}

async function alreadyDecidedError(loaded: LoadedRequest | null): Promise<UserFacingError> {
  const actor = loaded?.request.decidedBy ?? loaded?.lastActorUid ?? 0;
  const name = (await usernames([actor])).get(actor)?.username;
  return new UserFacingError('error.verification-already-decided', [name !== undefined && name !== '' ? name : '[[physician-network:verification.another-reviewer]]'], 409);
}

function buildIntent(request: VerificationRequest, plan: TransitionPlan, at: number, restore: RoundIntent['restore']): RoundIntent {
  const newType = (plan.fields?.registrationType as RegistrationType | undefined) ?? request.registrationType;
  return {
    rid: request.rid,
    uid: request.uid,
    from: request.status,
    to: plan.to,
    action: plan.action,
    actorUid: plan.actorUid,
    at,
    registrationType: request.registrationType,
    newType,
    submittedAt: request.submittedAt,
    fields: toStored({ ...plan.fields }),
    reasonCode: plan.reasonCode ?? '',
    reasonText: plan.reasonText ?? '',
    specialties: plan.specialties ?? [],
    effect: plan.effect?.kind ?? 'none',
    grant: plan.effect?.kind === 'grant' ? plan.effect.specialties : [],
    restore,
    notify: plan.notify ?? null,
    deleteDocuments: [...(plan.deleteDocuments ?? [])],
  };
}

export async function applyEffect(ctx: ServiceContext, intent: RoundIntent): Promise<void> {
  if (intent.effect === 'grant') {
    await ctx.membership.grantVerification(intent.uid, intent.grant);
  } else if (intent.effect === 'remove') {
    await ctx.membership.removeVerification(intent.uid);
  }
}

/** Puts membership back as it was when the round was claimed, so the unchanged status is true again. */
async function undoEffect(ctx: ServiceContext, intent: RoundIntent): Promise<void> {
  if (intent.effect === 'none' || !intent.restore) {
    return;
  }
  if (intent.restore.verified) {
    await ctx.membership.grantVerification(intent.uid, intent.restore.specialties);
  } else {
    await ctx.membership.removeVerification(intent.uid);
  }
}

/** Whether the record still shows the round (nobody has written it yet). */
async function stillAtRound(rid: number, round: number): Promise<boolean> {
  return await currentRound(rid) === round;
}

/**
 * Writes a sealed "commit": audit entry first (a later change can start only once the
 * status is written, so the log's order is the order of changes), then status, queues, the
 * open slot, and what the change means elsewhere. Every step is idempotent or claimed once,
 * so whoever finds a sealed round unwritten can run it again.
 */
async function finishCommit(ctx: ServiceContext, round: number, intent: RoundIntent): Promise<void> {
  const { rid, uid } = intent;
  if (!await stillAtRound(rid, round)) {
    return;
  }
  if (await claimStep(rid, round, 'audited')) {
    await recordAudit({
      rid, action: intent.action, actorUid: intent.actorUid, subjectUid: uid, at: intent.at,
      fromStatus: intent.from, toStatus: intent.to, registrationType: intent.newType,
      reasonCode: intent.reasonCode, reasonText: intent.reasonText, specialties: intent.specialties,
    });
  }
  if (intent.deleteDocuments.length) {
    // Listed before the record forgets them, so a crash after the write still gets them deleted (daily retry).
    await listFileDeletions(intent.deleteDocuments.map(d => d.id), intent.at);
  }
  await unlistInflight(rid);
  await writeRound(rid, {
    ...intent.fields, status: intent.to, round: round + 1, lastActorUid: intent.actorUid, updatedAt: intent.at,
  });
  await removeFromAllQueues(rid, intent.registrationType);
  await addToQueues(rid, intent.to, intent.newType, queueScore(intent.to, intent.submittedAt, intent.at));
  if (OPEN_STATUSES.includes(intent.from) && !OPEN_STATUSES.includes(intent.to) && await claimStep(rid, round, 'released')) {
    await releaseOpenSlot(uid);
  }
  await afterCommit(ctx, round, intent);
  await forgetRound(rid, round);
}

/** What a written change means outside the request record. */
async function afterCommit(ctx: ServiceContext, round: number, intent: RoundIntent): Promise<void> {
  const { rid, uid, at } = intent;
  if (intent.to === 'approved') {
    await setVerifiedRequest(uid, rid);
    // Read after writing: a revocation written meanwhile has cleared the field before this
    // write (and is seen here), or clears it after; either way the last word matches the status.
    const current = await loadRequest(rid);
    if (current?.request.status !== 'approved') {
      await setVerifiedRequest(uid, 0);
    }
    await addToRetention(rid, at);
    const expiresAt = current ? licenceExpiresAt(current.request.licenceExpiry) : null;
    if (expiresAt !== null && current?.request.status === 'approved') {
      await addToExpiry(rid, expiresAt);
    }
  } else if (intent.to === 'rejected') {
    await addToRetention(rid, at);
  } else if (intent.from === 'approved') {
    await setVerifiedRequest(uid, 0);
    await removeFromExpiry(String(rid));
  }
  if (intent.action === 'resubmit') {
    await recordSubmission(uid, rid, Number(intent.fields.submissions) || 1, ctx.now());
  }
  if (intent.deleteDocuments.length) {
    await deleteDocumentFiles(intent.deleteDocuments, at);
  }
  if (intent.notify && await claimStep(rid, round, 'notified')) {
    await notifyMember({ rid, uid, event: intent.notify.event, occurrence: at, fromUid: intent.actorUid, args: intent.notify.args });
  }
}

/** An abandoned round: membership put back, the round moved on with the status unchanged (decidable again). */
async function finishAbandon(ctx: ServiceContext, rid: number, round: number, intent: RoundIntent | null): Promise<void> {
  if (!await stillAtRound(rid, round)) {
    return;
  }
  if (intent) {
    await undoEffect(ctx, intent);
  }
  await unlistInflight(rid);
  await skipRound(rid, round);
  await forgetRound(rid, round);
}

/**
 * A round claimed STALE_ROUND_MS ago and still unwritten: its claimant died or hangs.
 * Unsealed, it is abandoned (effect undone); sealed, it is finished as its outcome says.
 * Returns whether it was stale (and is now written).
 */
export async function healStaleRound(ctx: ServiceContext, rid: number, round: number): Promise<boolean> {
  const at = ctx.now();
  const state = await readRoundState(rid, round, at);
  if (!state.claimed || at - state.since < STALE_ROUND_MS) {
    return false;
  }
  const intent = parseIntent(state.intent);
  const outcome = !state.sealed && await sealRound(rid, round, 'abandon') ? 'abandon' : (await readRoundState(rid, round, at)).outcome;
  log.warn(`verification request ${rid}: round ${round} was claimed ${Math.round((at - state.since) / 1000)} s ago and never written; finishing it as "${outcome || 'abandon'}"`);
  if (outcome === 'commit' && intent) {
    await finishCommit(ctx, round, intent);
  } else {
    await finishAbandon(ctx, rid, round, intent);
  }
  return true;
}

/**
 * The round read is claimed by someone who has not written yet: wait briefly for them, or
 * take over a stale claim. Returns the fresher record, or null if nothing is in flight.
 * Throws "busy, try again" when the other change is still under way.
 */
async function settleInflight(ctx: ServiceContext, loaded: LoadedRequest): Promise<LoadedRequest | null> {
  const { rid } = loaded.request;
  const state = await readRoundState(rid, loaded.round, ctx.now());
  if (!state.claimed) {
    return null;
  }
  const newer = await awaitNewerRound(rid, loaded.round);
  if (newer && newer.round > loaded.round) {
    return newer;
  }
  if (await healStaleRound(ctx, rid, loaded.round)) {
    return mustLoad(rid);
  }
  throw new UserFacingError('error.verification-busy', [], 409);
}

/**
 * Changes a request's status once, with its effect, indexes and audit entry: the round is
 * claimed, the intent recorded, the effect applied, the round sealed, then written. A failed
 * effect is undone and the request stays as it was, decidable again.
 */
export async function transition(ctx: ServiceContext, loaded: LoadedRequest, plan: TransitionPlan, attempt = 0): Promise<VerificationRequest> {
  const { request, round } = loaded;
  const from = request.status;
  const rid = request.rid;
  if (!isLegalTransition(from, plan.to)) {
    // Another change may be on its way (an approval not yet written): decide on what it leaves.
    const fresher = attempt < 2 ? await settleInflight(ctx, loaded) : null;
    if (fresher) {
      return transition(ctx, fresher, plan, attempt + 1);
    }
    // A reviewer acting on a stale page learns who decided; other refusals name the statuses.
    if (plan.byReviewer && request.decidedBy !== null && DECIDED_STATUSES.includes(from)) {
      throw await alreadyDecidedError(loaded);
    }
    throw new UserFacingError('error.verification-illegal-transition', [statusToken(from), statusToken(plan.to)], 409);
  }
  const at = ctx.now();
  if (!await claimRound(rid, round, at)) {
    const newer = await awaitNewerRound(rid, round);
    if (newer && newer.round > round) {
      if (plan.byReviewer) {
        throw await alreadyDecidedError(newer);
      }
      throw new UserFacingError('error.verification-state-changed', [], 409);
    }
    if (attempt < 2 && await healStaleRound(ctx, rid, round)) {
      return transition(ctx, await mustLoad(rid), plan, attempt + 1);
    }
    throw new UserFacingError('error.verification-busy', [], 409);
  }
  let intent: RoundIntent | null = null;
  try {
    const restore = plan.effect ? await ctx.membership.verificationOf(request.uid) : null;
    intent = buildIntent(request, plan, at, restore);
    await recordIntent(rid, round, at, JSON.stringify(intent));
    await applyEffect(ctx, intent);
  } catch (error) {
    log.warn(`verification request ${rid}: ${plan.action} failed and was undone: ${error instanceof Error ? error.message : String(error)}`);
    if (await sealRound(rid, round, 'abandon')) {
      try {
        await finishAbandon(ctx, rid, round, intent);
      } catch (undoError) {
        // Left sealed as "abandon": whoever finds it stale finishes the undo.
        log.error(`verification request ${rid}: undoing ${plan.action} failed, retried later: ${undoError instanceof Error ? undoError.message : String(undoError)}`);
      }
    }
    throw isUserFacingError(error) ? error : new UserFacingError('error.verification-change-failed', [], 503);
  }
  if (!await sealRound(rid, round, 'commit')) {
    // Taken over as stale while the effect ran (this process hung): the taker abandoned the
    // round. Our effect may have landed after its undo, so undo it again while nothing newer stands.
    const after = await awaitNewerRound(rid, round);
    if (after?.request.status === from) {
      await undoEffect(ctx, intent);
    }
    throw new UserFacingError('error.verification-busy', [], 409);
  }
  await finishCommit(ctx, round, intent);
  return (await mustLoad(rid)).request;
}

export async function endVerification(ctx: ServiceContext, loaded: LoadedRequest, to: 'revoked' | 'expired', actorUid: number, reasonText: string, byReviewer: boolean): Promise<VerificationRequest> {
  return transition(ctx, loaded, {
    to, actorUid, action: to === 'revoked' ? 'revoke' : 'expire', byReviewer, reasonText,
    fields: { reasonText, ...(to === 'revoked' ? { decidedBy: actorUid } : {}) },
    effect: { kind: 'remove' },
    notify: to === 'revoked' ? { event: 'revoked', args: [reasonText] } : { event: 'expired', args: [loaded.request.licenceExpiry] },
  });
}
