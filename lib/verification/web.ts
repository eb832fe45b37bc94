/**
 * Verification on the web: the one service instance, its API v3 routes (as documented in
 * openapi/physician-network.yaml), the member's profile tab, the reviewers' queue and request
 * pages, and the small hooks (profile menu, notification type, daily jobs).
 */
import type { Request, Response, Router } from 'express';

import { nodebb } from '../nodebb';
import { apiController, bodyString, bodyValue, callerUid, relativePath, routeParam } from '../common/http';
import { isUserFacingError } from '../common/user-error';
import { breadcrumbs, escapedByNodeBB, pageModel, pluginText, renderNotFound, renderPage, type Markup } from '../common/page';
import { addNotificationTypes, scheduleJob, type NotificationTypes } from '../common/host-registrations';
import { getSettings } from '../settings';
import { isOffered, isOfferedSpecialty, listSpecialties, pageName } from '../specialties/taxonomy';
import { getMember, removeVerification, setVerifiedSpecialties } from '../specialties/membership';
import { createVerificationService } from './service';
import type { AuditView, Page, QueueItem, RequestView, ReviewerRequestView, VerificationService } from './service';
import { callerFromUid, REGISTRATION_TYPES, REJECTION_REASONS, REQUEST_STATUSES } from './model';
import { isReviewer } from './access';
import type { MemberStatus } from './model';
import { documentResponseHeaders, documentsFromUploads } from './documents';
import type { UploadedTempFile } from './documents';
import { createVerificationHooks } from './hooks';
import { NOTIFICATION_TYPE } from './notify';

export const QUEUE_ROUTE = '/physician-verification/queue';
export const REQUEST_PAGE_ROUTE = '/physician-verification/requests/:rid';
export const AUDIT_ROUTE = '/physician-verification/audit';
/** Audit entries per page of the audit page. */
export const AUDIT_PAGE_SIZE = 50;
export const OWN_TAB_SHORTCUT = '/me/physician-verification';
export const PROFILE_TAB = 'physician-verification';

// ---------------------------------------------------------------------------
// The service, created once

export const verificationService: VerificationService = createVerificationService({
  membership: {
    grantVerification: async (uid, slugs) => {
      await setVerifiedSpecialties(uid, slugs);
    },
    removeVerification,
    verificationOf: async (uid) => {
      const member = await getMember(uid);
      return { verified: member.verified, specialties: member.specialties };
    },
  },
  isKnownSpecialty: isOfferedSpecialty,
});

export const verificationHooks = createVerificationHooks(verificationService);

// ---------------------------------------------------------------------------
// API v3 (apiController deletes each request's temp files whatever the outcome)

function uploadedFiles(req: Request): UploadedTempFile[] {
  const files = (req as Request & { files?: unknown }).files;
  return Array.isArray(files) ? files as UploadedTempFile[] : [];
}

/** A multipart field sent once arrives as a string, sent repeatedly as an array. */
function listField(value: unknown): unknown {
  if (typeof value === 'string') {
    return value === '' ? [] : [value];
  }
  return value;
}

/** The form fields of a multipart body, with `specialties` always a list. */
function formFromBody(req: Request): Record<string, unknown> {
  const body = { ...(req.body as Record<string, unknown> | undefined ?? {}) };
  if ('specialties' in body) {
    body.specialties = listField(body.specialties);
  }
  return body;
}

async function documentsOf(req: Request, caller: { uid: number }) {
  const files = uploadedFiles(req);
  if (caller.uid <= 0) {
    // The service refuses guests; read nothing of theirs.
    return [];
  }
  const { verificationDocumentMaxMb } = await getSettings();
  return documentsFromUploads(files, verificationDocumentMaxMb);
}

export function addVerificationApiRoutes(router: Router): void {
  const { setupApiRoute } = nodebb.routeHelpers;
  // No ensureLoggedIn here: it would answer guests before the controller could delete their
  // temp files. The service answers guests with 401 itself.
  const none: [] = [];
  const base = '/physician-network/verification';
  const caller = (req: Request) => callerFromUid(callerUid(req));
  const rid = (req: Request) => routeParam(req, 'rid');

  setupApiRoute(router, 'get', `${base}/me`, none, apiController(async req => verificationService.getMyStatus(caller(req), req.query.page)));
  setupApiRoute(router, 'post', `${base}/requests`, none, apiController(async (req) => {
    const who = caller(req);
    const documents = await documentsOf(req, who);
    return verificationService.submit(who, formFromBody(req), documents);
  }));
  setupApiRoute(router, 'get', `${base}/requests/:rid`, none, apiController(async req => verificationService.getRequest(caller(req), rid(req))));
  setupApiRoute(router, 'get', `${base}/requests/:rid/documents/:documentId`, none, apiController(async (req, res) => {
    const document = await verificationService.readDocument(caller(req), rid(req), routeParam(req, 'documentId'));
    res.status(200).set(documentResponseHeaders(document)).end(document.bytes);
  }));
  setupApiRoute(router, 'post', `${base}/requests/:rid/withdraw`, none, apiController(async req => verificationService.withdraw(caller(req), rid(req))));
  setupApiRoute(router, 'post', `${base}/requests/:rid/resubmit`, none, apiController(async (req) => {
    const who = caller(req);
    const documents = await documentsOf(req, who);
    const body = formFromBody(req);
    // Sending the registration type means a corrected form; otherwise only the answer.
    const form = body.registrationType !== undefined ? body : undefined;
    return verificationService.resubmit(who, rid(req), {
      answer: body.answer,
      form,
      documents: documents.length ? documents : undefined,
    });
  }));
  setupApiRoute(router, 'get', `${base}/queue`, none, apiController(async req => verificationService.listQueue(caller(req), {
    status: req.query.status, type: req.query.type, page: req.query.page, perPage: req.query.perPage,
  })));
  setupApiRoute(router, 'get', `${base}/queue/count`, none, apiController(async req => ({ pending: await verificationService.pendingCount(caller(req)) })));
  setupApiRoute(router, 'post', `${base}/requests/:rid/approve`, none, apiController(async (req) => {
    const specialties = bodyValue(req, 'specialties');
    return verificationService.approve(caller(req), rid(req), specialties === undefined ? {} : { specialties: listField(specialties) });
  }));
  setupApiRoute(router, 'post', `${base}/requests/:rid/reject`, none, apiController(async req => verificationService.reject(caller(req), rid(req), {
    reasonCode: bodyValue(req, 'reasonCode'), reasonText: bodyValue(req, 'reasonText'),
  })));
  setupApiRoute(router, 'post', `${base}/requests/:rid/request-info`, none, apiController(async req => verificationService.requestInfo(caller(req), rid(req), {
    message: bodyValue(req, 'message'),
  })));
  setupApiRoute(router, 'post', `${base}/requests/:rid/revoke`, none, apiController(async req => verificationService.revoke(caller(req), rid(req), {
    reasonText: bodyString(req, 'reasonText'),
  })));
  setupApiRoute(router, 'get', `${base}/audit`, none, apiController(async req => verificationService.readAuditLog(caller(req), {
    rid: req.query.rid, page: req.query.page, perPage: req.query.perPage,
  })));
}

// ---------------------------------------------------------------------------
// Pages

function textOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function isoDate(ms: number | null | undefined): string {
  return typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : '';
}

function statusToken(status: MemberStatus): Markup {
  return pluginText(`verification.status.${status}`);
}

function typeToken(type: string): Markup {
  return pluginText(`verification.type.${type}`);
}

async function specialtyNames(): Promise<Map<string, string | Markup>> {
  return new Map((await listSpecialties()).map(r => [r.slug, pageName(r)]));
}

/** What a template needs of one request: dates as ISO strings, names for slugs, document flags. */
function requestForTemplate(request: RequestView, names: Map<string, string | Markup>) {
  return {
    ...request,
    statusLabel: statusToken(request.status),
    typeLabel: typeToken(request.registrationType),
    submittedIso: isoDate(request.submittedAt),
    updatedIso: isoDate(request.updatedAt),
    expiryDay: request.licenceExpiry,
    decidedIso: isoDate(request.decidedAt),
    documentsDeleted: request.documentsDeletedAt !== null,
    specialtyNames: request.specialties.map(slug => ({ slug, name: names.get(slug) ?? slug })),
    documents: request.documents.map(d => ({
      ...d,
      isPdf: d.contentType === 'application/pdf',
      kindLabel: pluginText(`verification.document.${d.kind}`),
      url: `${relativePath()}${d.url}`,
    })),
  };
}

export interface FormPrefill {
  fullName: string;
  registrationNumber: string;
  country: string;
  isOther: boolean;
  inTraining: boolean;
  institution: string;
  licenceExpiry: string;
}

/** The verification form's values, from an earlier request or empty. */
export function formPrefill(request: RequestView | null): FormPrefill {
  const isOther = request?.registrationType === 'other';
  return {
    fullName: request?.fullName ?? '',
    registrationNumber: request?.registrationNumber ?? '',
    // National types imply their country; only "other" names one.
    country: isOther ? request.country : '',
    isOther,
    inTraining: request?.inTraining ?? false,
    institution: request?.institution ?? '',
    licenceExpiry: request?.licenceExpiry ?? '',
  };
}

async function isOwnProfile(req: Request, res: Response): Promise<boolean> {
  const userData = (res.locals as { userData?: { uid?: unknown } }).userData;
  return callerUid(req) > 0 && Number(userData?.uid) === callerUid(req);
}

/** /user/:userslug/physician-verification: the member's own tab (nobody else's, not even an admin's view). */
export async function renderMemberTab(req: Request, res: Response): Promise<void> {
  if (!await isOwnProfile(req, res)) {
    await nodebb.controllerHelpers.notAllowed(req, res);
    return;
  }
  const userData = (res.locals as { userData?: Record<string, unknown> }).userData ?? {};
  const caller = callerFromUid(callerUid(req));
  const [mine, names, records, settings] = await Promise.all([
    verificationService.getMyStatus(caller, req.query.page),
    specialtyNames(),
    listSpecialties(),
    getSettings(),
  ]);
  const current = mine.current ? requestForTemplate(mine.current, names) : null;
  const status = mine.status;
  const needsInfo = status === 'needs-info';
  // A new request only when nothing is open and the member is not verified; needs-info is
  // answered through "resubmit". Both count against the daily limit, so neither form shows without one left.
  const mayStartNew = !['pending', 'needs-info', 'approved'].includes(status);
  const hasSubmissionLeft = mine.submissionsLeft > 0;
  // The open request (needs-info) or the rejected one fills the form in, so the member corrects rather than retypes.
  const prefillFrom = needsInfo || status === 'rejected' ? mine.current : null;
  const chosenSpecialties = new Set(prefillFrom?.specialties ?? []);
  // userData is NodeBB's (the account header reads it), escaped by NodeBB: it goes beside the model.
  renderPage(res, 'account/physician-verification', pageModel({
    title: pluginText('verification.title'),
    // Not `status`: the account header uses that for the member's online status.
    verificationStatus: status,
    verificationStatusLabel: statusToken(status),
    current,
    history: mine.history.map(r => requestForTemplate(r, names)),
    submissionsLeft: mine.submissionsLeft,
    canSubmit: mayStartNew && hasSubmissionLeft,
    canResubmit: needsInfo && hasSubmissionLeft,
    showForm: (mayStartNew || needsInfo) && hasSubmissionLeft,
    limitReached: (mayStartNew || needsInfo) && !hasSubmissionLeft,
    canWithdraw: status === 'pending' || needsInfo,
    needsInfo,
    lastRejected: status === 'rejected',
    form: formPrefill(prefillFrom),
    registrationTypes: REGISTRATION_TYPES.map(type => ({
      value: type, label: typeToken(type), selected: prefillFrom?.registrationType === type,
    })),
    specialties: records.filter(isOffered).map(r => ({ slug: r.slug, name: pageName(r), selected: chosenSpecialties.has(r.slug) })),
    maxSpecialties: settings.specialtiesMaxPerMember,
    maxDocumentMb: settings.verificationDocumentMaxMb,
    today: new Date().toISOString().slice(0, 10),
  }), {
    ...userData,
    breadcrumbs: breadcrumbs([
      { text: escapedByNodeBB(textOf(userData.username)), url: `/user/${textOf(userData.userslug)}` },
      { text: pluginText('verification.title') },
    ]),
  });
}

/** /me/physician-verification: a stable address for the navigation entry. */
export async function redirectToOwnTab(req: Request, res: Response): Promise<void> {
  const uid = callerUid(req);
  if (uid <= 0) {
    await nodebb.controllerHelpers.notAllowed(req, res);
    return;
  }
  const [row] = await nodebb.user.getUsersFields([uid], ['userslug']);
  const slug = typeof row?.userslug === 'string' ? row.userslug : '';
  res.redirect(`${relativePath()}/user/${encodeURIComponent(slug)}/${PROFILE_TAB}`);
}

async function requireReviewerPage(req: Request, res: Response): Promise<boolean> {
  if (await verificationService.canReview(callerFromUid(callerUid(req)))) {
    return true;
  }
  await nodebb.controllerHelpers.notAllowed(req, res);
  return false;
}

async function renderPageError(req: Request, res: Response, err: unknown): Promise<void> {
  if (isUserFacingError(err) && err.status === 404) {
    renderNotFound(res);
    return;
  }
  if (isUserFacingError(err) && (err.status === 401 || err.status === 403)) {
    await nodebb.controllerHelpers.notAllowed(req, res);
    return;
  }
  throw err;
}

function queueRow(item: QueueItem, names: Map<string, string | Markup>) {
  return {
    ...item,
    // NodeBB's user data escaped it.
    username: escapedByNodeBB(item.username),
    statusLabel: statusToken(item.status),
    typeLabel: typeToken(item.registrationType),
    submittedIso: isoDate(item.submittedAt),
    specialtyNames: item.specialties.map(slug => ({ slug, name: names.get(slug) ?? slug })),
  };
}

/** /physician-verification/queue: reviewers only. */
export async function renderQueue(req: Request, res: Response): Promise<void> {
  if (!await requireReviewerPage(req, res)) {
    return;
  }
  const caller = callerFromUid(callerUid(req));
  const status = typeof req.query.status === 'string' && req.query.status !== '' ? req.query.status : 'pending';
  const type = typeof req.query.type === 'string' ? req.query.type : '';
  let queue;
  try {
    queue = await verificationService.listQueue(caller, { status, type: type || undefined, page: req.query.page });
  } catch (err) {
    if (isUserFacingError(err) && err.status === 400) {
      // A bad filter in the address: show the default view rather than an error page.
      queue = await verificationService.listQueue(caller, {});
    } else {
      throw err;
    }
  }
  const [pending, names] = await Promise.all([verificationService.pendingCount(caller), specialtyNames()]);
  renderPage(res, 'physician-verification-queue', pageModel({
    title: pluginText('verification.queue.title-count', [pending]),
    pending,
    items: queue.items.map(item => queueRow(item, names)),
    total: queue.total,
    page: queue.page,
    pageCount: queue.pageCount,
    statuses: REQUEST_STATUSES.map(s => ({ value: s, label: statusToken(s), selected: s === status })),
    types: REGISTRATION_TYPES.map(t => ({ value: t, label: typeToken(t), selected: t === type })),
    // Echoed from the address into links: encoded for the query, then escaped like any text.
    status: encodeURIComponent(status),
    type: encodeURIComponent(type),
    pagination: {
      prev: queue.page > 1 ? queue.page - 1 : 0,
      next: queue.page < queue.pageCount ? queue.page + 1 : 0,
    },
  }), { breadcrumbs: breadcrumbs([{ text: pluginText('verification.queue.title') }]) });
}

/** /physician-verification/requests/:rid: reviewers only. */
export async function renderRequestPage(req: Request, res: Response): Promise<void> {
  if (!await requireReviewerPage(req, res)) {
    return;
  }
  const caller = callerFromUid(callerUid(req));
  let request: ReviewerRequestView;
  try {
    request = await verificationService.getRequest(caller, routeParam(req, 'rid')) as ReviewerRequestView;
  } catch (err) {
    await renderPageError(req, res, err);
    return;
  }
  const [names, records, audit] = await Promise.all([
    specialtyNames(),
    listSpecialties(),
    verificationService.readAuditLog(caller, { rid: request.rid }),
  ]);
  const chosen = new Set(request.specialties);
  renderPage(res, 'physician-verification-request', pageModel({
    title: pluginText('verification.request.title', [request.rid]),
    request: requestForTemplate(request, names),
    member: { ...request.member, username: escapedByNodeBB(request.member.username) },
    registryLink: request.registryLink,
    history: request.history.filter(r => r.rid !== request.rid).map(r => requestForTemplate(r, names)),
    audit: audit.items.map(entry => ({
      ...entry, actorName: escapedByNodeBB(entry.actorName), atIso: isoDate(entry.at), actionLabel: pluginText(`verification.audit.${entry.action}`),
    })),
    canDecide: request.status === 'pending',
    canAskInfo: request.status === 'pending',
    canRevoke: request.status === 'approved',
    isOwn: request.uid === caller.uid,
    specialties: records.filter(isOffered).map(r => ({ slug: r.slug, name: pageName(r), selected: chosen.has(r.slug) })),
    rejectionReasons: REJECTION_REASONS.map(code => ({ value: code, label: pluginText(`verification.reason.${code}`) })),
  }), {
    breadcrumbs: breadcrumbs([
      { text: pluginText('verification.queue.title'), url: QUEUE_ROUTE },
      { text: pluginText('verification.request.title', [request.rid]) },
    ]),
  });
}

function auditRow(entry: AuditView) {
  return {
    ...entry,
    actorName: escapedByNodeBB(entry.actorName),
    atIso: isoDate(entry.at),
    // Minutes in UTC: the same moment for every reviewer, whatever their time zone.
    atUtc: `${isoDate(entry.at).slice(0, 16).replace('T', ' ')} UTC`,
    actionLabel: pluginText(`verification.audit.${entry.action}`),
    fromLabel: statusToken(entry.fromStatus),
    toLabel: statusToken(entry.toStatus),
    statusChanged: entry.fromStatus !== entry.toStatus,
    // Jobs act as uid 0; a deleted member's entries keep the decision but lose the member.
    bySystem: entry.actorUid === 0,
    subjectDeleted: entry.subjectUid === 0,
    reasonLabel: entry.reasonCode ? pluginText(`verification.reason.${entry.reasonCode}`) : '',
    typeLabel: entry.registrationType ? typeToken(entry.registrationType) : '',
  };
}

/** /physician-verification/audit: reviewers and admins; newest first, one request's with ?rid=. */
export async function renderAuditPage(req: Request, res: Response): Promise<void> {
  if (!await requireReviewerPage(req, res)) {
    return;
  }
  const caller = callerFromUid(callerUid(req));
  const rid = typeof req.query.rid === 'string' ? req.query.rid.trim() : '';
  let audit: Page<AuditView>;
  try {
    try {
      audit = await verificationService.readAuditLog(caller, { rid: rid || undefined, page: req.query.page, perPage: AUDIT_PAGE_SIZE });
    } catch (err) {
      if (!(isUserFacingError(err) && err.status === 400)) {
        throw err;
      }
      // A bad page number in the address: show the first page rather than an error page.
      audit = await verificationService.readAuditLog(caller, { rid: rid || undefined, perPage: AUDIT_PAGE_SIZE });
    }
  } catch (err) {
    await renderPageError(req, res, err);
    return;
  }
  const filter = rid ? `rid=${encodeURIComponent(rid)}&` : '';
  renderPage(res, 'physician-verification-audit', pageModel({
    title: pluginText('verification.audit-page.title'),
    items: audit.items.map(auditRow),
    total: audit.total,
    page: audit.page,
    pageCount: Math.max(1, audit.pageCount),
    rid,
    filtered: rid !== '',
    pagination: {
      prev: audit.page > 1 ? `?${filter}page=${audit.page - 1}` : '',
      next: audit.page < audit.pageCount ? `?${filter}page=${audit.page + 1}` : '',
    },
  }), {
    breadcrumbs: breadcrumbs([
      { text: pluginText('verification.queue.title'), url: QUEUE_ROUTE },
      { text: pluginText('verification.audit-page.title') },
    ]),
  });
}

// ---------------------------------------------------------------------------
// Hooks

/** static:user.delete: documents, requests and plugin keys go; the audit log keeps decisions only. */
export async function forgetDeletedVerificationMember(data: { uid: number | string }): Promise<void> {
  await verificationHooks.onUserDelete(data);
}

interface ProfileMenu {
  links: { id: string; route: string; icon: string; name: string; visibility: Record<string, boolean> }[];
  [key: string]: unknown;
}

/** filter:user.profileMenu: the tab shows on the member's own profile only. */
export async function addProfileTab(menu: ProfileMenu): Promise<ProfileMenu> {
  menu.links.push({
    id: PROFILE_TAB,
    route: PROFILE_TAB,
    icon: 'fa-user-doctor',
    name: '[[physician-network:verification.title]]',
    visibility: { self: true, other: false, moderator: false, globalMod: false, admin: false, canViewInfo: false },
  });
  return menu;
}

/** NodeBB keys a notification type's delivery setting as `notificationType_<type>`. */
export const NOTIFICATION_SETTING = `notificationType_${NOTIFICATION_TYPE}`;

/**
 * filter:user.notificationTypes: a type of its own, so members choose (in their settings)
 * whether it arrives as a notification, an email, or both; NodeBB sends the email.
 */
export async function registerNotificationType(data: NotificationTypes): Promise<NotificationTypes> {
  return addNotificationTypes(data, [NOTIFICATION_TYPE]);
}

/**
 * Decisions matter: unless the admin chose otherwise, members get them by notification and
 * email. NodeBB reads the site default from its config hash (members may still change theirs).
 */
export async function defaultNotificationsToEmail(): Promise<void> {
  const current = await nodebb.db.getObjectField('config', NOTIFICATION_SETTING);
  if (current === null || current === undefined || current === '') {
    // Through meta.configs, so every NodeBB process's copy of the config learns it, not only this one's.
    await nodebb.meta.configs.set(NOTIFICATION_SETTING, 'notificationemail');
  }
}

/** Daily at 03:17 server time; the job itself does nothing where runJobs is off. */
export async function scheduleDailyJobs(): Promise<void> {
  await scheduleJob({
    name: 'physician-network:verification-daily',
    cronTime: '17 3 * * *',
    description: 'verification daily jobs',
    run: async () => verificationHooks.runDailyJobs(),
  });
}

interface ClientConfig {
  uid?: unknown;
  physicianNetwork?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * filter:config.get: reviewers (and only they) get the number of pending requests, which the
 * client shows on the queue's navigation entry. Everyone else gets nothing, not even a zero.
 */
export async function addPendingCountForReviewers(config: ClientConfig): Promise<ClientConfig> {
  const uid = Number(config.uid);
  if (!(uid > 0) || !await isReviewer(uid)) {
    return config;
  }
  const pending = await verificationService.pendingCount(callerFromUid(uid));
  config.physicianNetwork = { ...(config.physicianNetwork ?? {}), pendingVerifications: pending };
  return config;
}
