/**
 * The reviewers' decisions: approve, reject, ask for information, revoke. Each takes the
 * service's context, then the caller; a reviewer never decides their own request.
 */
import { UserFacingError } from '../common/user-error';
import type { DecisionBodies, Unchecked } from '../shared/verification-shapes';
import { refuseOwnRequest, requireReviewer } from './policy';
import { REJECTION_REASONS, type Caller } from './model';
import { boundedText, validateSpecialties } from './registration';
import type { LoadedRequest } from './store';
import { formRules, mustLoad, requestId, toView, type ServiceContext } from './context';
import { endVerification, transition } from './transition';
import type { RequestView } from './views';

/** A reviewer deciding: the request must exist, and must not be their own. */
async function loadForDecision(caller: Caller, ridInput: unknown): Promise<{ reviewerUid: number; loaded: LoadedRequest }> {
  const reviewerUid = await requireReviewer(caller);
  const loaded = await mustLoad(requestId(ridInput));
  refuseOwnRequest(reviewerUid, loaded.request.uid);
  return { reviewerUid, loaded };
}

export async function approve(ctx: ServiceContext, caller: Caller, ridInput: unknown, input: Unchecked<DecisionBodies['approve']> = {}): Promise<RequestView> {
  const { reviewerUid, loaded } = await loadForDecision(caller, ridInput);
  let specialties = loaded.request.specialties;
  if (input.specialties !== undefined) {
    // The reviewer confirms (or corrects) the specialties with the same rules as the form.
    specialties = await validateSpecialties(input.specialties, await formRules(ctx));
  }
  const at = ctx.now();
  const updated = await transition(ctx, loaded, {
    to: 'approved', actorUid: reviewerUid, action: 'approve', byReviewer: true, specialties,
    fields: { decidedAt: at, decidedBy: reviewerUid, confirmedSpecialties: specialties },
    effect: { kind: 'grant', specialties },
    notify: { event: 'approved', args: [] },
  });
  return toView(updated);
}

export async function reject(ctx: ServiceContext, caller: Caller, ridInput: unknown, input: Unchecked<DecisionBodies['reject']>): Promise<RequestView> {
  const { reviewerUid, loaded } = await loadForDecision(caller, ridInput);
  const reasonCode = input.reasonCode;
  if (typeof reasonCode !== 'string' || !(REJECTION_REASONS as readonly string[]).includes(reasonCode)) {
    throw new UserFacingError('error.verification-reason-invalid');
  }
  // "Other" needs words; the preset reasons may stand alone.
  const reasonText = boundedText(input.reasonText, 'error.verification-reason-required', { required: reasonCode === 'other' });
  const at = ctx.now();
  const updated = await transition(ctx, loaded, {
    to: 'rejected', actorUid: reviewerUid, action: 'reject', byReviewer: true, reasonCode, reasonText,
    fields: { decidedAt: at, decidedBy: reviewerUid, reasonCode, reasonText },
    notify: { event: 'rejected', args: [`[[physician-network:verification.reason.${reasonCode}]]`, reasonText] },
  });
  return toView(updated);
}

export async function requestInfo(ctx: ServiceContext, caller: Caller, ridInput: unknown, input: Unchecked<DecisionBodies['request-info']>): Promise<RequestView> {
  const { reviewerUid, loaded } = await loadForDecision(caller, ridInput);
  const message = boundedText(input.message, 'error.verification-message-required');
  const updated = await transition(ctx, loaded, {
    to: 'needs-info', actorUid: reviewerUid, action: 'needs-info', byReviewer: true, reasonText: message,
    fields: { decidedBy: reviewerUid, infoRequest: message, infoAnswer: '' },
    notify: { event: 'needs-info', args: [message] },
  });
  return toView(updated);
}

export async function revoke(ctx: ServiceContext, caller: Caller, ridInput: unknown, input: Unchecked<DecisionBodies['revoke']>): Promise<RequestView> {
  const { reviewerUid, loaded } = await loadForDecision(caller, ridInput);
  const reasonText = boundedText(input.reasonText, 'error.verification-reason-required');
  return toView(await endVerification(ctx, loaded, 'revoked', reviewerUid, reasonText, true));
}
