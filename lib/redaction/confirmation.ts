/**
 * Clinical categories: a post that carries an image there must come from a composer in which
 * the member ticked "This image shows nothing that identifies a patient" for every image they
 * added. The browser editor sends that as `physicianNetworkNoPatientIdentifiers: true`; this is
 * the server's check of it, so a post sent around the composer (API, scripts) is refused too.
 */
import { UserFacingError } from '../common/user-error';
import { imagesShown } from './images-in-content';

/** The field the composer's `filter:composer.submit` listener adds to the submission. */
export const CONFIRMATION_FIELD = 'physicianNetworkNoPatientIdentifiers';

export interface PostSubmission {
  cid?: unknown;
  content?: unknown;
  [CONFIRMATION_FIELD]?: unknown;
}

/** True when the post's text shows an image: markdown (inline or reference-style) or HTML <img>. */
export function contentShowsImage(content: unknown): boolean {
  return imagesShown(content).length > 0;
}

function sameCid(a: unknown, b: string | number): boolean {
  return (typeof a === 'string' || typeof a === 'number') && String(a) !== '' && String(a) === String(b);
}

/** True when the submission is in a clinical category, shows an image and lacks the member's confirmation. */
export function lacksPatientConfirmation(data: PostSubmission, clinicalCids: readonly (string | number)[]): boolean {
  if (!clinicalCids.some(cid => sameCid(data.cid, cid))) {
    return false;
  }
  if (!contentShowsImage(data.content)) {
    return false;
  }
  // Only the boolean true counts: a form post sends the string "true", which a script can forge
  // as easily, but a missing or false field always means no confirmation.
  return data[CONFIRMATION_FIELD] !== true && data[CONFIRMATION_FIELD] !== 'true';
}

/**
 * Throws the translated refusal when the confirmation is missing; otherwise hands the data back
 * without the confirmation field, so it is never stored with the post.
 */
export function requirePatientConfirmation<T extends PostSubmission>(data: T, clinicalCids: readonly (string | number)[]): T {
  if (lacksPatientConfirmation(data, clinicalCids)) {
    throw new UserFacingError('error.redaction-confirmation-required');
  }
  const rest: T = { ...data };
  delete rest.physicianNetworkNoPatientIdentifiers;
  return rest;
}
