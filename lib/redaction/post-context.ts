/**
 * Where a submitted post goes and what an edit changes, read through NodeBB's gateway; shared
 * by the clinical confirmation and the review-before-publication checks.
 */
import { nodebb } from '../nodebb';
import type { CONFIRMATION_FIELD } from './confirmation';

/** "7, 9,12" → [7, 9, 12]; anything that is not a positive integer is left out. */
export function parseCidList(text: string): number[] {
  return text.split(',').map(part => Number(part.trim())).filter(cid => Number.isInteger(cid) && cid > 0);
}

/** NodeBB's upload_url (where uploaded files are served), by default /assets/uploads. */
export function uploadUrl(): string {
  const configured = nodebb.nconf.get('upload_url');
  return typeof configured === 'string' && configured !== '' ? configured : '/assets/uploads';
}

function positiveInt(value: unknown): number | null {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(number) && number > 0 ? number : null;
}

/**
 * The category a new topic or reply goes to. As core's post queue does: a payload with a tid
 * is a reply (its category is the topic's), otherwise the cid it names.
 */
export async function categoryOfSubmission(data: { cid?: unknown; tid?: unknown }): Promise<number | null> {
  if (data.tid !== undefined && data.tid !== null) {
    const tid = positiveInt(data.tid);
    return tid === null ? null : positiveInt(await nodebb.topics.getTopicField(tid, 'cid'));
  }
  return positiveInt(data.cid);
}

export interface PostEditPayload {
  post: { content?: unknown; [key: string]: unknown };
  data: { pid?: unknown; content?: unknown; uid?: unknown; [CONFIRMATION_FIELD]?: unknown; [key: string]: unknown };
  uid?: unknown;
  req?: unknown;
  [key: string]: unknown;
}

export interface EditedPost {
  cid: number;
  oldContent: string;
  newContent: unknown;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * What an edit changes: the post's source text before (sourceContent when a plugin keeps one,
 * as core's own diff does), the submitted text after, and its category. Null for a post that
 * does not exist or has no category (core refuses those itself).
 */
export async function editedPost(payload: PostEditPayload): Promise<EditedPost | null> {
  const pid = positiveInt(payload.data.pid);
  if (pid === null) {
    return null;
  }
  const post = await nodebb.posts.getPostFields(pid, ['tid', 'content', 'sourceContent']);
  if (!post) {
    return null;
  }
  const cid = await categoryOfSubmission({ tid: post.tid });
  if (cid === null) {
    return null;
  }
  return {
    cid,
    oldContent: text(post.sourceContent) !== '' ? text(post.sourceContent) : text(post.content),
    newContent: payload.post.content ?? payload.data.content,
  };
}
