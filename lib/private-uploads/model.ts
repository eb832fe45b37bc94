/**
 * What a private upload's record holds, and how it is read back (the keys and their layout:
 * keys.ts; reads and writes: store.ts).
 *
 * Each record keeps the posts by the uploader that show the file (thumbnails: the topic's main
 * post), kept current on post save, edit, move, delete, restore and purge (references.ts). The
 * category is deliberately not kept: NodeBB answers a topic move before its action:topic.move
 * listeners run, so a stored category would be stale for a while. Serving reads the record
 * once, then asks NodeBB once, for all the topics involved, which of them the reader may read in
 * their current category (policy.ts): the cost does not grow with the number of posts.
 */
import type { StoredObject } from '../nodebb';

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

/** The record's field for a post that shows the file. */
export const referenceField = (pid: number): string => `ref:${pid}`;

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
