/**
 * The member's own use cases: submit a request (none → pending), answer a reviewer's
 * question (needs-info → pending) and withdraw (open → withdrawn). Each takes the service's
 * context, then the caller, and checks the caller before it reads or changes anything.
 */
import { log } from '../nodebb';
import { UserFacingError } from '../common/user-error';
import { getSettings } from '../settings';
import { requireOwner, requireSignedIn } from './policy';
import { recordAudit } from './audit-store';
import { deleteDocumentFiles, prepareDocuments, storeDocuments, type IncomingDocument } from './documents';
import type { Caller, StoredDocument } from './model';
import { boundedText, validateVerificationForm } from './registration';
import {
  addMemberRequest, addToQueues, claimSlot, claimSlotHealing, deleteRequest, freeSlot, markSlotClaimed, nextRequestId, readMemberSlot,
  recordSubmission, releaseOpenSlot, removeFromAllQueues, removeMemberRequest, removeSubmission, setOpenRequest, slotClaimedAt,
  toStored, writeRequest,
} from './store';
import {
  assertWithinSubmissionLimit, formFields, formRules, mustLoad, requestId, statusToken, toView, type ServiceContext,
} from './context';
import { transition } from './transition';
import type { RequestView, ResubmitInput } from './views';

/** A submission takes seconds; a claim this old without a request is a crash's leftover. */
const STALE_CLAIM_MS = 10 * 60 * 1000;

/**
 * The member's single open slot. `openSeq` counts released slots; claiming increments
 * `openClaim:<openSeq>`, which only one caller sees at 1.
 */
async function claimOpenSlot(ctx: ServiceContext, uid: number): Promise<number> {
  const member = await readMemberSlot(uid);
  if (member.verifiedRequestId > 0) {
    throw new UserFacingError('error.verification-already-verified', [], 409);
  }
  if (member.openRequestId > 0) {
    throw new UserFacingError('error.verification-already-open', [], 409);
  }
  const seq = member.openSeq;
  if (!await claimSlot(uid, seq)) {
    // A claim with no request after STALE_CLAIM_MS is left over from a crash: release it once.
    const claimedAt = await slotClaimedAt(uid, seq);
    if (claimedAt > 0 && ctx.now() - claimedAt > STALE_CLAIM_MS && await claimSlotHealing(uid, seq)) {
      log.warn(`released a stale verification claim of uid ${uid}`);
      await freeSlot(uid, seq);
      return claimOpenSlot(ctx, uid);
    }
    throw new UserFacingError('error.verification-already-open', [], 409);
  }
  await markSlotClaimed(uid, seq, ctx.now());
  return seq;
}

/** Member: none → pending, with 1–2 documents. */
export async function submit(ctx: ServiceContext, caller: Caller, formInput: unknown, incoming: readonly IncomingDocument[] | undefined): Promise<RequestView> {
  const uid = requireSignedIn(caller);
  const settings = await getSettings();
  // Everything is checked in memory before a claim is taken or a byte is written.
  const form = await validateVerificationForm(formInput, await formRules(ctx));
  const prepared = await prepareDocuments(incoming, settings.verificationDocumentMaxMb);
  await claimOpenSlot(ctx, uid);
  let stored: StoredDocument[] = [];
  let rid = 0;
  try {
    await assertWithinSubmissionLimit(ctx, uid);
    rid = await nextRequestId();
    stored = await storeDocuments(rid, prepared);
    const at = ctx.now();
    await writeRequest(rid, toStored({
      rid, uid, status: 'pending', round: 0, lastActorUid: uid, submittedAt: at, updatedAt: at, memberActedAt: at, submissions: 1, documents: stored, ...formFields(form),
    }));
    await addMemberRequest(uid, rid, at);
    await addToQueues(rid, 'pending', form.registrationType, at);
    await setOpenRequest(uid, rid);
    await recordSubmission(uid, rid, 1, ctx.now());
    await recordAudit({
      rid, action: 'submit', actorUid: uid, subjectUid: uid, at, fromStatus: 'none', toStatus: 'pending',
      registrationType: form.registrationType, specialties: form.specialties,
    });
  } catch (error) {
    await deleteDocumentFiles(stored);
    if (rid > 0) {
      await removeFromAllQueues(rid, form.registrationType);
      await removeMemberRequest(uid, rid);
      await removeSubmission(uid, rid, 1);
      await deleteRequest(rid);
    }
    await releaseOpenSlot(uid);
    throw error;
  }
  return toView((await mustLoad(rid)).request);
}

/** Member: pending (or needs-info) → withdrawn; documents are deleted at once. */
export async function withdraw(ctx: ServiceContext, caller: Caller, ridInput: unknown): Promise<RequestView> {
  const uid = requireSignedIn(caller);
  const loaded = await mustLoad(requestId(ridInput));
  requireOwner(uid, loaded.request.uid);
  // A withdrawn request needs no documents: they go at once (or are retried daily).
  const updated = await transition(ctx, loaded, {
    to: 'withdrawn', actorUid: uid, action: 'withdraw', byReviewer: false,
    fields: { documents: [], documentsDeletedAt: ctx.now() }, deleteDocuments: loaded.request.documents,
  });
  return toView(updated);
}

/** Member: needs-info → pending, with an answer (and optionally a corrected form or new documents). */
export async function resubmit(ctx: ServiceContext, caller: Caller, ridInput: unknown, input: ResubmitInput): Promise<RequestView> {
  const uid = requireSignedIn(caller);
  const loaded = await mustLoad(requestId(ridInput));
  requireOwner(uid, loaded.request.uid);
  if (loaded.request.status !== 'needs-info') {
    throw new UserFacingError('error.verification-illegal-transition', [statusToken(loaded.request.status), statusToken('pending')], 409);
  }
  const answer = boundedText(input.answer, 'error.verification-answer-required');
  const form = input.form === undefined ? null : await validateVerificationForm(input.form, await formRules(ctx));
  const settings = await getSettings();
  const prepared = input.documents?.length ? await prepareDocuments(input.documents, settings.verificationDocumentMaxMb) : null;
  await assertWithinSubmissionLimit(ctx, uid);
  const stored = prepared ? await storeDocuments(loaded.request.rid, prepared) : null;
  try {
    const updated = await transition(ctx, loaded, {
      to: 'pending', actorUid: uid, action: 'resubmit', byReviewer: false,
      fields: {
        ...(form ? formFields(form) : {}),
        ...(stored ? { documents: stored } : {}),
        infoAnswer: answer,
        submissions: loaded.request.submissions + 1,
        memberActedAt: ctx.now(),
      },
      reasonText: answer,
      specialties: form?.specialties ?? loaded.request.specialties,
      // Replaced documents go once the new ones are on record.
      deleteDocuments: stored ? loaded.request.documents : [],
    });
    return toView(updated);
  } catch (error) {
    await deleteDocumentFiles(stored ?? []);
    throw error;
  }
}
