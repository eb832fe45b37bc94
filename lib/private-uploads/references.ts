/**
 * Keeps each private upload's list of referring posts current (see records.ts), from NodeBB's
 * post and topic hooks.
 *
 * Only posts by the uploader count: a member who copies the address of a colleague's clinical
 * image into a post in an open category (or quotes it there) does not open the image to that
 * category's readers. Readers of the original post still see it in the quote.
 */
import { nodebb } from '../nodebb';
import { privateUploadsIn } from './names';
import { encodeReference, getRecords, postIndexKey, recordKey, topicIndexKey } from './records';

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
  const previous = await nodebb.db.getSetMembers(postIndexKey(pid));
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
    ...owned.map(id => nodebb.db.setObjectField(recordKey(id), `ref:${pid}`, value)),
    ...dropped.map(id => nodebb.db.deleteObjectField(recordKey(id), `ref:${pid}`)),
  ]);
  if (dropped.length) {
    await nodebb.db.setRemove(postIndexKey(pid), dropped);
  }
  if (owned.length) {
    await nodebb.db.setAdd(postIndexKey(pid), owned);
    await nodebb.db.setAdd(topicIndexKey(post.tid), String(pid));
  } else {
    await nodebb.db.setRemove(topicIndexKey(post.tid), String(pid));
  }
}

async function forgetPost(pid: number, ids: readonly string[], tid?: number): Promise<void> {
  await Promise.all(ids.map(id => nodebb.db.deleteObjectField(recordKey(id), `ref:${pid}`)));
  await nodebb.db.delete(postIndexKey(pid));
  if (tid) {
    await nodebb.db.setRemove(topicIndexKey(tid), String(pid));
  }
}

/** Every post of a topic that refers to a private upload, synced again (after a move, delete, restore). */
export async function syncTopic(tid: number): Promise<void> {
  const pids = await nodebb.db.getSetMembers(topicIndexKey(tid));
  for (const pid of pids) {
    await syncPost(Number(pid));
  }
}

interface PostHookData { post?: { pid?: unknown; tid?: unknown } }
interface PostsHookData { posts?: { pid?: unknown; tid?: unknown }[] }
interface TopicHookData { tid?: unknown; topic?: { tid?: unknown } }
interface PostMoveData { post?: { pid?: unknown; tid?: unknown }; tid?: unknown }

function positive(value: unknown): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** Action hooks must never throw into NodeBB: a failure is logged and the next event re-syncs. */
async function guarded(what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    nodebb.winston.error(`[physician-network] private uploads: could not update references after ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** action:post.save, action:post.edit, action:post.delete, action:post.restore. */
export async function syncPostFromHook(data: PostHookData): Promise<void> {
  const pid = positive(data.post?.pid);
  if (pid) {
    await guarded('a post change', () => syncPost(pid));
  }
}

/** action:post.move: the post now belongs to another topic (and maybe category). */
export async function syncMovedPost(data: PostMoveData): Promise<void> {
  const pid = positive(data.post?.pid);
  if (!pid) {
    return;
  }
  await guarded('a post move', async () => {
    const oldTid = positive(data.post?.tid);
    if (oldTid && oldTid !== positive(data.tid)) {
      await nodebb.db.setRemove(topicIndexKey(oldTid), String(pid));
    }
    await syncPost(pid);
  });
}

/** action:posts.purge: the posts are gone; so are their references. */
export async function forgetPurgedPosts(data: PostsHookData): Promise<void> {
  await guarded('a purge', async () => {
    for (const post of data.posts ?? []) {
      const pid = positive(post.pid);
      if (pid) {
        await forgetPost(pid, await nodebb.db.getSetMembers(postIndexKey(pid)), positive(post.tid));
      }
    }
  });
}

/** action:topic.move, action:topic.delete, action:topic.restore. */
export async function syncTopicFromHook(data: TopicHookData): Promise<void> {
  const tid = positive(data.tid ?? data.topic?.tid);
  if (tid) {
    await guarded('a topic change', () => syncTopic(tid));
  }
}
