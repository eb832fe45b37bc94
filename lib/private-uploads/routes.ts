/**
 * Every HTTP route of private uploads. The upload routes are noted on their way in (NodeBB's
 * upload hooks get the file, not the request: destination.ts), and
 * GET <upload_url>/files/pn-private/<id>[-resized].<ext> serves a private upload to those
 * policy.ts allows; everyone else (and every unknown name) gets the same bodiless 404. That
 * address is under upload_url, where no file in the upload folder answers it.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler, Router } from 'express';
import { pipeline } from 'node:stream/promises';

import { log } from '../nodebb';
import type { HostMiddleware } from '../nodebb';
import { TRACKED_UPLOAD_ROUTES, trackUploadRequest } from './destination';
import { parsePrivateName, privateUploadRoute } from './names';
import { mayFetch } from './policy';
import { getRecord } from './store';
import { privateFilePath } from './storage';

/** Types a browser may show in place; anything else is offered as a download. */
const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'application/pdf']);

/** What the route needs of Express's request: the name from the path, and NodeBB's req.uid. */
export interface PrivateUploadRequest extends IncomingMessage {
  params: { name?: string };
  uid?: unknown;
}

function notFound(res: ServerResponse): void {
  res.statusCode = 404;
  res.setHeader('Cache-Control', 'private, no-store');
  res.end();
}

export function privateUploadHeaders(name: string, mime: string): Record<string, string> {
  const inline = INLINE_TYPES.has(mime);
  return {
    'Content-Type': inline ? mime : 'application/octet-stream',
    // Revalidated on each use, so a reader who loses access stops getting it; the ETag keeps that cheap.
    'Cache-Control': 'private, no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${name}"`,
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export async function servePrivateUpload(req: PrivateUploadRequest, res: ServerResponse): Promise<void> {
  const name = req.params.name ?? '';
  const parsed = parsePrivateName(name);
  const uid = Number(req.uid) || 0;
  let file: { path: string; size: number; etag: string; headers: Record<string, string> };
  try {
    const record = parsed ? await getRecord(parsed.id) : null;
    const path = privateFilePath(name);
    if (!parsed || !record || !path || record.extension !== parsed.extension || !(await mayFetch(uid, record))) {
      notFound(res);
      return;
    }
    const info = await stat(path);
    file = { path, size: info.size, etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`, headers: privateUploadHeaders(name, record.mime) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      log.error(`private upload ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    notFound(res);
    return;
  }
  for (const [header, value] of Object.entries(file.headers)) {
    res.setHeader(header, value);
  }
  res.setHeader('ETag', file.etag);
  if (req.headers['if-none-match'] === file.etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Length', String(file.size));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(file.path), res);
  } catch (error) {
    log.verbose(`private upload ${name} not sent in full: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Plugin routes run before NodeBB's own and its static folders (library.ts mounts these after the pages). */
export const routes = {
  pages(router: Router, middleware: HostMiddleware): void {
    router.post(TRACKED_UPLOAD_ROUTES, trackUploadRequest);
    const authenticate = middleware.authenticateRequest;
    const before = typeof authenticate === 'function' ? [authenticate as RequestHandler] : [];
    router.get(privateUploadRoute(), ...before, (req, res) => { void servePrivateUpload(req as never, res); });
  },
};
