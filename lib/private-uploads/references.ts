/**
 * Keeps each private upload's list of referring posts current (see model.ts), from NodeBB's
 * post and topic hooks.
 *
 * Only posts by the uploader count: a member who copies the address of a colleague's clinical
 * image into a post in an open category (or quotes it there) does not open the image to that
 * category's readers. Readers of the original post still see it in the quote.
 */
import { nodebb } from '../nodebb';
import { privateUploadsIn } from './names';
import { encodeReference } from './model';
import {
  addReferringPost, addUploadsOfPost, deleteReference, forgetUploadsOfPost, getRecords, referringPostsOfTopic,
  removeReferringPost, removeUploadsOfPost, setReference, uploadsOfPost,
} from './store';

interface PostFields {
  pid: number;
  tid: number;
  uid: number;
  content: string;
  deleted: boolean;
}

async function postFields(pid: number): Promise<PostFields | null> {
  const post = await nodebb.posts.getPostFields(pid, ['pid', 'tid', 'uid', 'content', 'deleted']);
  if (!post || !Number(post.tid)) {
    return null;
  }
  return {
    pid,
    tid: Number(post.tid),
    uid: Number(post.uid),
    content: typeof post.content === 'string' ? post.content : '',
    deleted: Number(post.deleted) === 1 || post.deleted === true,
  };
}

interface TopicFields {
  mainPid: number;
  thumbs: string[];
}

async function topicFields(tid: number): Promise<TopicFields> {
  const topic = await nodebb.topics.getTopicFields(tid, ['mainPid', 'thumbs']);
  let thumbs: unknown = topic.thumbs;
  if (typeof thumbs === 'string') {
    try {
      thumbs = JSON.parse(thumbs);
    } catch {
      thumbs = [];
    }
  }
  return {
    mainPid: Number(topic.mainPid) || 0,
    thumbs: Array.isArray(thumbs) ? thumbs.filter((t): t is string => typeof t === 'string') : [],
  };
}

/** Brings one post's references in line with its content (and, for a main post, the topic's thumbnails). */
export async function syncPost(pid: number): Promise<void> {
  const post = await postFields(pid);
  const previous = await uploadsOfPost(pid);
  if (!post) {
    await forgetPost(pid, previous);
    return;
  }
  const topic = await topicFields(post.tid);
  const mentioned = privateUploadsIn(post.content);
  // A topic's thumbnails count as shown by its main post (as NodeBB's own upload scan does).
  if (!topic.mainPid || topic.mainPid === pid) {
    mentioned.push(...privateUploadsIn(topic.thumbs.join(' ')).filter(id => !mentioned.includes(id)));
  }
  const records = await getRecords(mentioned);
  const owned = mentioned.filter((_id, index) => records[index]?.uid === post.uid);
  const value = encodeReference({ tid: post.tid, postDeleted: post.deleted });
  const dropped = previous.filter(id => !owned.includes(id));
  await Promise.all([
    ...owned.map(id => setReference(id, pid, value)),
    ...dropped.map(id => deleteReference(id, pid)),
  ]);
  if (dropped.length) {
    await removeUploadsOfPost(pid, dropped);
  }
  if (owned.length) {
    await addUploadsOfPost(pid, owned);
    await addReferringPost(post.tid, pid);
  } else {
    await removeReferringPost(post.tid, pid);
  }
}

async function forgetPost(pid: number, ids: readonly string[], tid?: number): Promise<void> {
  await Promise.all(ids.map(id => deleteReference(id, pid)));
  await forgetUploadsOfPost(pid);
  if (tid) {
    await removeReferringPost(tid, pid);
  }
}

/** Every post of a topic that refers to a private upload, synced again (after a move, delete, restore). */
export async function syncTopic(tid: number): Promise<void> {
  const pids = await referringPostsOfTopic(tid);
  for (const pid of pids) {
    await syncPost(Number(pid));
  }
}

/** A post moved to another topic: off its old topic's list (`fromTid`, 0 if unchanged), then synced. */
export async function syncMovedPost(pid: number, fromTid: number): Promise<void> {
  if (fromTid) {
    await removeReferringPost(fromTid, pid);
  }
  await syncPost(pid);
}

/** Purged posts: their references go, as do their own lists. */
export async function forgetPurgedPost(pid: number, tid: number): Promise<void> {
  await forgetPost(pid, await uploadsOfPost(pid), tid);
}
