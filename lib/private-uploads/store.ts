/**
 * Every database read and write of private uploads (keys: keys.ts; record layout: model.ts).
 * Each function is one database call, so callers keep their round trips and the order of their
 * writes visible.
 */
import { positiveId } from '../common/ids';
import { nodebb } from '../nodebb';
import { keys } from './keys';
import { parseRecord, referenceField, type PrivateUpload } from './model';

// ---------------------------------------------------------------------------
// Records

export async function createRecord(id: string, data: { uid: number; extension: string; mime: string }): Promise<void> {
  await nodebb.db.setObject(keys.record(id), { uid: data.uid, extension: data.extension, mime: data.mime, created: Date.now() });
}

export async function getRecord(id: string): Promise<PrivateUpload | null> {
  return parseRecord(id, await nodebb.db.getObject(keys.record(id)));
}

export async function getRecords(ids: readonly string[]): Promise<(PrivateUpload | null)[]> {
  if (!ids.length) {
    return [];
  }
  const stored = await nodebb.db.getObjects(ids.map(keys.record));
  return ids.map((id, index) => parseRecord(id, stored[index] ?? null));
}

export async function deleteRecord(id: string): Promise<void> {
  await nodebb.db.delete(keys.record(id));
}

/** `value`: model.ts encodeReference. */
export async function setReference(id: string, pid: number, value: string): Promise<void> {
  await nodebb.db.setObjectField(keys.record(id), referenceField(pid), value);
}

export async function deleteReference(id: string, pid: number): Promise<void> {
  await nodebb.db.deleteObjectField(keys.record(id), referenceField(pid));
}

// ---------------------------------------------------------------------------
// Indexes: a post's uploads, a topic's referring posts

export async function uploadsOfPost(pid: number): Promise<string[]> {
  return nodebb.db.getSetMembers(keys.postIndex(pid));
}

export async function addUploadsOfPost(pid: number, ids: string | string[]): Promise<void> {
  await nodebb.db.setAdd(keys.postIndex(pid), ids);
}

export async function removeUploadsOfPost(pid: number, ids: string[]): Promise<void> {
  await nodebb.db.setRemove(keys.postIndex(pid), ids);
}

export async function forgetUploadsOfPost(pid: number): Promise<void> {
  await nodebb.db.delete(keys.postIndex(pid));
}

export async function referringPostsOfTopic(tid: number): Promise<string[]> {
  return nodebb.db.getSetMembers(keys.topicIndex(tid));
}

export async function addReferringPost(tid: number, pid: number): Promise<void> {
  await nodebb.db.setAdd(keys.topicIndex(tid), String(pid));
}

export async function removeReferringPost(tid: number, pid: number): Promise<void> {
  await nodebb.db.setRemove(keys.topicIndex(tid), String(pid));
}

// ---------------------------------------------------------------------------
// Moving existing public uploads (privatise.ts)

/** The private name a public upload was already moved to, if any. */
export async function movedName(publicName: string): Promise<string | null> {
  const done = await nodebb.db.getObjectField(keys.moved, publicName);
  return typeof done === 'string' && done !== '' ? done : null;
}

export async function recordMoved(publicName: string, privateName: string): Promise<void> {
  await nodebb.db.setObjectField(keys.moved, publicName, privateName);
}

/** The uploader NodeBB recorded for a public upload (0 if none). */
export async function coreUploaderOf(publicName: string): Promise<number> {
  return positiveId(await nodebb.db.getObjectField(keys.core.upload(publicName), 'uid'));
}

/** The posts NodeBB knows to show a public upload. */
export async function corePostsShowing(publicName: string): Promise<number[]> {
  const pids = await nodebb.db.getSortedSetRange(keys.core.uploadPids(publicName), 0, -1);
  return pids.map(Number).filter(n => Number.isInteger(n) && n > 0);
}

/** Writes a post's content directly: the caller tells NodeBB's other processes (pubsub). */
export async function setPostContent(pid: number, content: string): Promise<void> {
  await nodebb.db.setObjectField(keys.core.post(pid), 'content', content);
}

export async function topicReplyPids(tid: number): Promise<string[]> {
  return nodebb.db.getSortedSetRange(keys.core.topicPosts(tid), 0, -1);
}

/** Every topic of a category, deleted ones included. */
export async function categoryTids(cid: number): Promise<number[]> {
  return (await nodebb.db.getSortedSetRange(keys.core.categoryTopics(cid), 0, -1)).map(Number).filter(n => Number.isInteger(n) && n > 0);
}

export async function allCids(): Promise<number[]> {
  return (await nodebb.db.getSortedSetRange(keys.core.categories, 0, -1)).map(Number).filter(n => Number.isInteger(n) && n > 0);
}
