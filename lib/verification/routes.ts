/**
 * Every HTTP route of verification: the API v3 routes (as documented in
 * openapi/physician-network.yaml) and the five pages (the member's profile tab and its
 * shortcut, the reviewers' queue, request and audit pages). Thin controllers: parse the
 * request, call the service with the caller, shape the answer through view.ts.
 */
import type { Request, RequestHandler, Response, Router } from 'express';

import { nodebb } from '../nodebb';
import type { HostMiddleware } from '../nodebb';
import { apiController, bodyString, bodyValue, callerUid, relativePath, routeParam } from '../common/http';
import { isUserFacingError } from '../common/user-error';
import { pluginText, renderNotFound, renderPage } from '../common/page';
import { getSettings } from '../settings';
import { listSpecialties } from '../specialties/taxonomy';
import { callerFromUid } from './model';
import { documentResponseHeaders } from './documents';
import { documentsFromUploads, type UploadedTempFile } from './uploads';
import { verificationService } from './instance';
import {
  AUDIT_ROUTE, QUEUE_ROUTE, auditPageModel, memberTabModel, memberTabNodeBBData, queueBreadcrumbs, queuePageModel,
  requestPageModel, specialtyNames, underQueueBreadcrumbs,
} from './view';
import type { AuditView, Page, ReviewerRequestView } from './views';

export { AUDIT_ROUTE, QUEUE_ROUTE } from './view';
export const REQUEST_PAGE_ROUTE = '/physician-verification/requests/:rid';
/** Audit entries per page of the audit page. */
export const AUDIT_PAGE_SIZE = 50;
export const OWN_TAB_SHORTCUT = '/me/physician-verification';
export const PROFILE_TAB = 'physician-verification';

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
  // userData is NodeBB's (the account header reads it), escaped by NodeBB: it goes beside the model.
  renderPage(res, 'account/physician-verification', memberTabModel(mine, names, records, settings), memberTabNodeBBData(userData));
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
  renderPage(res, 'physician-verification-queue', queuePageModel(queue, pending, names, { status, type }), queueBreadcrumbs());
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
  renderPage(res, 'physician-verification-request', requestPageModel(request, audit, caller.uid, names, records),
    underQueueBreadcrumbs(pluginText('verification.request.title', [request.rid])));
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
  renderPage(res, 'physician-verification-audit', auditPageModel(audit, rid), underQueueBreadcrumbs(pluginText('verification.audit-page.title')));
}

/** NodeBB's own middlewares for a page under /user/:userslug (as its account pages use them). */
function accountMiddlewares(middleware: HostMiddleware): RequestHandler[] {
  const names = ['exposeUid', 'ensureLoggedIn', 'canViewUsers', 'checkAccountPermissions', 'buildAccountData'];
  return names.map(name => middleware[name]).filter((m): m is RequestHandler => typeof m === 'function');
}

/** The pages, through NodeBB's page routes (its page middleware, CSRF token and /api twin). */
function addVerificationPages(router: Router, middleware: HostMiddleware): void {
  const { setupPageRoute } = nodebb.routeHelpers;
  setupPageRoute(router, `/user/:userslug/${PROFILE_TAB}`, accountMiddlewares(middleware), renderMemberTab);
  setupPageRoute(router, OWN_TAB_SHORTCUT, [middleware.ensureLoggedIn], redirectToOwnTab);
  setupPageRoute(router, QUEUE_ROUTE, [middleware.ensureLoggedIn], renderQueue);
  setupPageRoute(router, REQUEST_PAGE_ROUTE, [middleware.ensureLoggedIn], renderRequestPage);
  setupPageRoute(router, AUDIT_ROUTE, [middleware.ensureLoggedIn], renderAuditPage);
}

/** Every route of verification: pages from static:app.load, API routes from static:api.routes. */
export const routes: {
  pages(router: Router, middleware: HostMiddleware): void;
  api(router: Router, middleware: HostMiddleware): void;
} = {
  pages: addVerificationPages,
  // The API routes need none of NodeBB's middleware (see addVerificationApiRoutes).
  api: addVerificationApiRoutes,
};
