/**
 * What every verification use case shares: the service's dependencies (membership, the
 * specialty list, the clock) and the small steps several use cases take (parse an id or a
 * page number, load a request or say it does not exist, name members, shape a request for
 * the API).
 */
import { nodebb } from '../nodebb';
import { UserFacingError } from '../common/user-error';
import { getSettings } from '../settings';
import type { MemberStatus, MembershipPort, SpecialtyLookup, VerificationRequest } from './model';
import { DAY_MS, type FormRules, type VerificationForm } from './registration';
import { countSubmissionsSince, loadRequest, type LoadedRequest, type RequestFields } from './store';
import type { RequestView } from './views';

export const API_PREFIX = '/api/v3/plugins/physician-network/verification';
export const PAGE_SIZE_MAX = 100;

export interface VerificationServiceOptions {
  membership: MembershipPort;
  isKnownSpecialty: SpecialtyLookup;
  /** Milliseconds since the epoch; tests move time forward. */
  now?: () => number;
}

export interface ServiceContext {
  membership: MembershipPort;
  isKnownSpecialty: SpecialtyLookup;
  now: () => number;
}

export function serviceContext(options: VerificationServiceOptions): ServiceContext {
  return { membership: options.membership, isKnownSpecialty: options.isKnownSpecialty, now: options.now ?? (() => Date.now()) };
}

export function toView(request: VerificationRequest): RequestView {
  return {
    ...request,
    documents: request.documents.map(d => ({ ...d, url: `${API_PREFIX}/requests/${request.rid}/documents/${d.id}` })),
  };
}

export function statusToken(status: MemberStatus): string {
  return `[[physician-network:verification.status.${status}]]`;
}

export function pageNumber(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === null || value === '') {
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new UserFacingError('error.verification-invalid-page');
  }
  return n;
}

export function requestId(value: unknown): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new UserFacingError('error.verification-request-not-found', [], 404);
  }
  return n;
}

export async function usernames(uids: number[]): Promise<Map<number, { username: string; userslug: string }>> {
  const unique = [...new Set(uids.filter(uid => uid > 0))];
  const found = new Map<number, { username: string; userslug: string }>();
  if (!unique.length) {
    return found;
  }
  const rows = await nodebb.user.getUsersFields(unique, ['username', 'userslug']);
  unique.forEach((uid, i) => {
    const row = rows[i] ?? {};
    found.set(uid, { username: typeof row.username === 'string' ? row.username : '', userslug: typeof row.userslug === 'string' ? row.userslug : '' });
  });
  return found;
}

export async function mustLoad(rid: number): Promise<LoadedRequest> {
  const loaded = await loadRequest(rid);
  if (!loaded) {
    throw new UserFacingError('error.verification-request-not-found', [], 404);
  }
  return loaded;
}

export async function formRules(ctx: ServiceContext): Promise<FormRules> {
  const settings = await getSettings();
  return { maxSpecialties: settings.specialtiesMaxPerMember, isKnownSpecialty: ctx.isKnownSpecialty, now: ctx.now() };
}

export async function submissionsInLastDay(ctx: ServiceContext, uid: number): Promise<number> {
  return countSubmissionsSince(uid, ctx.now() - DAY_MS + 1);
}

export async function assertWithinSubmissionLimit(ctx: ServiceContext, uid: number): Promise<void> {
  const { verificationSubmissionsPerDay } = await getSettings();
  if (await submissionsInLastDay(ctx, uid) >= verificationSubmissionsPerDay) {
    throw new UserFacingError('error.verification-rate-limited', [verificationSubmissionsPerDay], 429);
  }
}

export function formFields(form: VerificationForm): RequestFields {
  return {
    fullName: form.fullName,
    registrationType: form.registrationType,
    registrationNumber: form.registrationNumber,
    country: form.country,
    specialties: form.specialties,
    inTraining: form.inTraining,
    institution: form.institution,
    licenceExpiry: form.licenceExpiry,
  };
}
