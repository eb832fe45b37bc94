/**
 * The thin Express layer every capability's routes share: who is calling, and answering
 * in NodeBB's API format with translated errors, never a stack trace or library text.
 */
import { rm } from 'node:fs/promises';

import type { Request, Response, Router } from 'express';

import { nodebb, log } from '../nodebb';
import type { HostMiddleware, PageController } from '../nodebb';
import { isUserFacingError, UserFacingError } from './user-error';
import { positiveId } from './ids';
import { requireAdministrator } from './policy';

/**
 * Every HTTP route of one capability, registered in one place (its routes.ts), which library.ts
 * calls: `pages` from static:app.load (NodeBB page routes, raw routes such as feeds), `api` from
 * static:api.routes (API v3 routes). A capability without one leaves it out.
 */
export interface CapabilityRoutes {
  pages?(router: Router, middleware: HostMiddleware): void;
  api?(router: Router, middleware: HostMiddleware): void;
}

/** The logged-in member's uid (0 for guests), as NodeBB's authentication middleware sets it. */
export function callerUid(req: Request): number {
  return positiveId((req as Request & { uid?: unknown }).uid);
}

export async function requireAdmin(req: Request): Promise<number> {
  const uid = callerUid(req);
  await requireAdministrator(uid);
  return uid;
}

/** What an API route answers for errors besides its own UserFacingErrors. */
export interface ApiErrorOptions {
  /**
   * Routes that call core's own API (topic create, post edit) pass on core's refusals (title
   * too short, posting too fast, no privilege): `[[error:…]]` tokens meant for the member, sent
   * with status 400. Off by default: elsewhere such an error is unexpected, logged and hidden.
   */
  passCoreRefusals?: boolean;
}

const CORE_REFUSAL = /^\[\[error:[\w-]+(, [^\]]*)?\]\]$/;

function asCoreRefusal(err: unknown): UserFacingError | null {
  if (!isUserFacingError(err) && err instanceof Error && CORE_REFUSAL.test(err.message)) {
    return Object.assign(new UserFacingError('error.unexpected'), { message: err.message });
  }
  return null;
}

/** Send an error the NodeBB way. Anything that is not a UserFacingError is logged and hidden. */
export async function sendApiError(res: Response, err: unknown, options: ApiErrorOptions = {}): Promise<void> {
  const refusal = options.passCoreRefusals ? asCoreRefusal(err) : null;
  if (refusal) {
    await nodebb.controllerHelpers.formatApiResponse(refusal.status, res, refusal);
    return;
  }
  if (isUserFacingError(err)) {
    await nodebb.controllerHelpers.formatApiResponse(err.status, res, err);
    return;
  }
  log.error(`${res.req.method} ${res.req.originalUrl}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  await nodebb.controllerHelpers.formatApiResponse(500, res, new UserFacingError('error.unexpected', [], 500));
}

/**
 * The temp files NodeBB's multer (`upload.any()`, in every setupApiRoute) wrote for this
 * request: any multipart body, to any API route, from anyone, before the controller runs.
 */
export function requestTempFiles(req: Request): string[] {
  const files: unknown = (req as Request & { files?: unknown }).files;
  const list: unknown[] = Array.isArray(files) ? files : files && typeof files === 'object' ? Object.values(files).flat() : [];
  return list
    .map(file => (file && typeof file === 'object' ? (file as { path?: unknown }).path : undefined))
    .filter((path): path is string => typeof path === 'string' && path !== '');
}

/** Delete the request's temp files; a file already gone is fine, any other failure is logged. */
export async function discardRequestTempFiles(req: Request): Promise<void> {
  await Promise.all(requestTempFiles(req).map(async (path) => {
    try {
      await rm(path, { force: true });
    } catch (err) {
      log.warn(`could not delete an upload's temp file: ${err instanceof Error ? err.message : String(err)}`);
    }
  }));
}

/**
 * An API v3 controller from a function of the request: its result is the response payload.
 * Whatever the outcome, the request's multipart temp files are deleted. Routes built on it
 * take no middleware that could answer first (e.g. ensureLoggedIn): the handler refuses
 * guests itself, so their uploads are deleted too.
 */
export function apiController(handler: (req: Request, res: Response) => Promise<unknown>, errors: ApiErrorOptions = {}): PageController {
  return async (req, res) => {
    try {
      const result = await handler(req, res);
      // A handler that streamed its own response (a document download) has answered already.
      if (!res.headersSent) {
        await nodebb.controllerHelpers.formatApiResponse(200, res, result ?? {});
      }
    } catch (err) {
      await sendApiError(res, err, errors);
    } finally {
      await discardRequestTempFiles(req);
    }
  };
}

/** A body field as a string ('' when absent or not a string). */
export function bodyString(req: Request, field: string): string {
  const body = req.body as Record<string, unknown> | undefined;
  const value = body?.[field];
  return typeof value === 'string' ? value : '';
}

export function bodyValue(req: Request, field: string): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  return body?.[field];
}

/** A cookie's value as sent (NodeBB's cookie-parser; Express types `cookies` as any), or null. */
export function requestCookie(req: Request, name: string): string | null {
  const cookies: unknown = (req as { cookies?: unknown }).cookies;
  const value: unknown = cookies && typeof cookies === 'object' ? (cookies as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : null;
}

/** The forum's address (nconf `url`) without a trailing slash, for links that leave the site (feeds, e-mail, JSON-LD). */
export function forumUrl(): string {
  const url = nodebb.nconf.get('url');
  return typeof url === 'string' ? url.replace(/\/+$/, '') : '';
}

/** The forum's path prefix (nconf `relative_path`, '' at the root), for links inside pages. */
export function relativePath(): string {
  const path = nodebb.nconf.get('relative_path');
  return typeof path === 'string' ? path : '';
}

export function routeParam(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}
