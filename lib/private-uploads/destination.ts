/**
 * Where an upload goes: private storage for files composed in a closed or clinical category,
 * NodeBB's normal storage elsewhere.
 *
 * NodeBB's upload hooks are handed the file, not the request, but the composer sends the
 * category (`cid`) with each upload and the thumbnail dialog the topic (`id`). So the plugin
 * notes each upload request on its way in (its route runs before NodeBB's) and finds the request
 * whose parsed files include the hooked file. Uploads with no category (chat messages, API
 * clients that send none) stay in NodeBB's storage; when their topic moves into a closed category
 * they move into private storage (privatise.ts). The topic page's quick reply sends no category
 * either: its topic comes from the page the upload was sent from.
 */
import { positiveId } from '../common/ids';
import type { NextFunction, Request, Response } from 'express';

import { nodebb } from '../nodebb';
import { clinicalCategoryCids } from '../redaction/clinical';
import { relativePath } from './names';

// The composer uploads thumbnails through API v3 (`/api/v3/topics/<tid or draft uuid>/thumbs`).
export const TRACKED_UPLOAD_ROUTES = ['/api/post/upload', '/api/topic/thumb/upload', '/api/v3/topics/:id/thumbs'];
const V3_THUMBS = /\/api\/v3\/topics\/([^/?#]+)\/thumbs(?:[/?#]|$)/;
const TOPIC_PAGE = /^\/topic\/(\d+)(?:[/?#]|$)/;

const inFlight = new Set<Request>();

/** Express middleware for the upload routes: remembered until the response is over. */
export function trackUploadRequest(req: Request, res: Response, next: NextFunction): void {
  inFlight.add(req);
  const forget = (): void => { inFlight.delete(req); };
  res.once('finish', forget);
  res.once('close', forget);
  next();
}

function requestOf(file: object): Request | undefined {
  for (const req of inFlight) {
    const files: unknown = (req as Request & { files?: unknown }).files;
    if (Array.isArray(files) && files.includes(file)) {
      return req;
    }
  }
  return undefined;
}

/** A form field sent more than once arrives as an array: its first value counts. */
function positive(value: unknown): number {
  return positiveId(Array.isArray(value) ? value[0] : value);
}

/** Closed: clinical, or guests may not read its topics. */
export async function isClosedCategory(cid: number): Promise<boolean> {
  if ((await clinicalCategoryCids()).includes(cid)) {
    return true;
  }
  const guestsRead = await nodebb.privileges.categories.filterCids('topics:read', [cid], 0);
  return guestsRead.length === 0;
}

export interface PrivateDestination {
  cid: number | null;
  /** A thumbnail for an existing topic: shown by its main post from the start. */
  tid: number | null;
}

/** Null: NodeBB's normal storage. */
export async function privateDestinationOf(file: object): Promise<PrivateDestination | null> {
  const req = requestOf(file);
  if (!req) {
    return null;
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  const v3Thumb = V3_THUMBS.exec(req.originalUrl);
  const isThumb = v3Thumb !== null || req.originalUrl.includes('/topic/thumb/upload');
  if (isThumb) {
    // A draft's thumbnail carries a uuid, not a tid: private until its topic exists.
    const tid = positive(v3Thumb ? decodeURIComponent(v3Thumb[1] ?? '') : body.id);
    const cid = tid ? positive(await nodebb.topics.getTopicField(tid, 'cid')) : positive(body.cid);
    // A thumbnail for a topic not yet created: its category is unknown here, so private.
    if (!cid) {
      return { cid: null, tid: null };
    }
    return await isClosedCategory(cid) ? { cid, tid: tid || null } : null;
  }
  const cid = positive(body.cid) || await topicCidFromReferer(req);
  return cid && await isClosedCategory(cid) ? { cid, tid: null } : null;
}

/**
 * The topic page's quick reply uploads with no category in its form; the page it was sent from
 * tells the topic. A referer can only send a file to private storage, never out of it, so a
 * forged or missing one opens nothing (without one, the file stays in NodeBB's storage).
 */
async function topicCidFromReferer(req: Request): Promise<number> {
  const referer = req.get('referer');
  if (!referer) {
    return 0;
  }
  let path: string;
  try {
    path = new URL(referer).pathname;
  } catch {
    return 0;
  }
  const tid = positive(TOPIC_PAGE.exec(path.slice(relativePath().length))?.[1]);
  return tid ? positive(await nodebb.topics.getTopicField(tid, 'cid')) : 0;
}
