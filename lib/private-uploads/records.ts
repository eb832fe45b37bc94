/**
 * Who may fetch a private upload, kept with the upload itself so the check is one read.
 *
 * `physician-network:private-upload:<id>` (hash):
 *   uid, extension, mime, created: the uploader and what was stored;
 *   `ref:<pid>` = `<tid>:<postDeleted 0|1>` for each post by the uploader that shows the file
 *   (thumbnails: the topic's main post).
 * `physician-network:private-uploads:post:<pid>` (set): the uploads a post refers to.
 * `physician-network:private-uploads:topic:<tid>` (set): the topic's posts that refer to one.
 *
 * Hooks keep each `ref:` current on post save, edit, move, delete, restore and purge
 * (references.ts). The category is deliberately not kept: NodeBB answers a topic move before
 * its action:topic.move listeners run, so a stored category would be stale for a while. Serving
 * reads the hash once, then asks NodeBB once, for all the topics involved, which of them the
 * reader may read in their current category (privileges.topics.filterTids, which reads the
 * topics in one batch through NodeBB's object cache): the cost does not grow with the number
 * of posts.
 */
import { nodebb } from '../nodebb';
import type { StoredObject } from '../nodebb';

const PREFIX = 'physician-network:private-upload';

export const recordKey = (id: string): string => `${PREFIX}:${id}`;
export const postIndexKey = (pid: number): string => `physician-network:private-uploads:post:${pid}`;
export const topicIndexKey = (tid: number): string => `physician-network:private-uploads:topic:${tid}`;

export interface Reference {
  pid: number;
  tid: number;
  postDeleted: boolean;
}

export interface PrivateUpload {
  id: string;
  uid: number;
  extension: string;
  mime: string;
  references: Reference[];
}

export function encodeReference(ref: Omit<Reference, 'pid'>): string {
  return `${ref.tid}:${ref.postDeleted ? 1 : 0}`;
}

function decodeReference(pid: number, value: unknown): Reference | null {
  const parts = String(value).split(':').map(Number);
  // Earlier builds wrote `<cid>:<tid>:<postDeleted>:<topicDeleted>`: its tid and post state still hold.
  const [tid, postDeleted] = parts.length === 4 ? parts.slice(1, 3) : parts;
  if ((parts.length !== 2 && parts.length !== 4) || !parts.every(Number.isInteger) || !tid || tid <= 0) {
    return null;
  }
  return { pid, tid, postDeleted: postDeleted === 1 };
}

export function parseRecord(id: string, stored: StoredObject | null): PrivateUpload | null {
  if (stored?.uid === undefined || stored.uid === null) {
    return null;
  }
  const references: Reference[] = [];
  for (const [field, value] of Object.entries(stored)) {
    const pid = field.startsWith('ref:') ? Number(field.slice(4)) : NaN;
    const ref = Number.isInteger(pid) ? decodeReference(pid, value) : null;
    if (ref) {
      references.push(ref);
    }
  }
  return {
    id,
    uid: Number(stored.uid),
    extension: String(stored.extension ?? ''),
    mime: String(stored.mime ?? 'application/octet-stream'),
    references,
  };
}

export async function createRecord(id: string, data: { uid: number; extension: string; mime: string }): Promise<void> {
  await nodebb.db.setObject(recordKey(id), { uid: data.uid, extension: data.extension, mime: data.mime, created: Date.now() });
}

export async function getRecord(id: string): Promise<PrivateUpload | null> {
  return parseRecord(id, await nodebb.db.getObject(recordKey(id)));
}

export async function getRecords(ids: readonly string[]): Promise<(PrivateUpload | null)[]> {
  if (!ids.length) {
    return [];
  }
  const stored = await nodebb.db.getObjects(ids.map(recordKey));
  return ids.map((id, index) => parseRecord(id, stored[index] ?? null));
}

/**
 * May `uid` fetch the upload? Readers of at least one live post showing it, in the topic's
 * category as it is now (a deleted or scheduled topic by NodeBB's own rules); for a deleted post,
 * those who may see deleted posts there; before any post shows it, its uploader only.
 * One privilege check for the live posts' topics, a second only when that fails and a deleted
 * post shows the file.
 */
export async function mayFetch(uid: number, record: PrivateUpload): Promise<boolean> {
  if (!record.references.length) {
    return uid > 0 && uid === record.uid;
  }
  const live = [...new Set(record.references.filter(r => !r.postDeleted).map(r => r.tid))];
  if (live.length && (await nodebb.privileges.topics.filterTids('topics:read', live, uid)).length) {
    return true;
  }
  const deleted = [...new Set(record.references.filter(r => r.postDeleted).map(r => r.tid))];
  return deleted.length > 0 && (await nodebb.privileges.topics.filterTids('posts:view_deleted', deleted, uid)).length > 0;
}
