/**
 * GET <upload_url>/files/pn-private/<id>[-resized].<ext>: a private upload, to those records.ts
 * allows; everyone else (and every unknown name) gets the same bodiless 404.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

import { log } from '../nodebb';
import { parsePrivateName } from './names';
import { getRecord, mayFetch } from './records';
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
