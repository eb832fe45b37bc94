/**
 * NodeBB's post and topic hooks (plugin.json `privateUploads.*`): each private file's list of
 * posts showing it follows the posts and topics (saved, edited, moved, deleted, restored,
 * purged), and a topic moved into a closed category takes its public files into private storage.
 * Private uploads have no start-up work: the upgrade script moves existing files (privatise.ts).
 */
import { positiveId } from '../common/ids';
import { log, nodebb } from '../nodebb';
import { isClosedCategory } from './destination';
import { privatiseTopic } from './privatise';
import { forgetPurgedPost, syncMovedPost as syncMovedPostReferences, syncPost, syncTopic } from './references';

interface PostHookData { post?: { pid?: unknown; tid?: unknown } }
interface PostsHookData { posts?: { pid?: unknown; tid?: unknown }[] }
interface TopicHookData { tid?: unknown; topic?: { tid?: unknown } }
interface PostMoveData { post?: { pid?: unknown; tid?: unknown }; tid?: unknown }

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
  const pid = positiveId(data.post?.pid);
  if (pid) {
    await guarded('a post change', () => syncPost(pid));
  }
}

/** action:post.move: the post now belongs to another topic (and maybe category). */
export async function syncMovedPost(data: PostMoveData): Promise<void> {
  const pid = positiveId(data.post?.pid);
  if (!pid) {
    return;
  }
  await guarded('a post move', async () => {
    const oldTid = positiveId(data.post?.tid);
    await syncMovedPostReferences(pid, oldTid && oldTid !== positiveId(data.tid) ? oldTid : 0);
  });
}

/** action:posts.purge: the posts are gone; so are their references. */
export async function forgetPurgedPosts(data: PostsHookData): Promise<void> {
  await guarded('a purge', async () => {
    for (const post of data.posts ?? []) {
      const pid = positiveId(post.pid);
      if (pid) {
        await forgetPurgedPost(pid, positiveId(post.tid));
      }
    }
  });
}

/** action:topic.move, action:topic.delete, action:topic.restore. */
export async function syncTopicFromHook(data: TopicHookData): Promise<void> {
  const tid = positiveId(data.tid ?? data.topic?.tid);
  if (tid) {
    await guarded('a topic change', () => syncTopic(tid));
  }
}

/**
 * action:topic.move: into a closed or clinical category, the topic's public files follow into
 * private storage; in every case its private files' references take the new category.
 */
export async function followTopicMove(data: { tid?: unknown; toCid?: unknown }): Promise<void> {
  const tid = Number(data.tid);
  const toCid = Number(data.toCid);
  if (!Number.isInteger(tid) || tid <= 0) {
    return;
  }
  try {
    if (Number.isInteger(toCid) && toCid > 0 && await isClosedCategory(toCid)) {
      await privatiseTopic(tid);
    }
    await syncTopic(tid);
  } catch (error) {
    log.error(`private uploads: could not follow the move of topic ${tid}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The listeners plugin.json names `privateUploads.<name>`. */
export const hooks = {
  syncPost: syncPostFromHook,
  syncMovedPost,
  forgetPurgedPosts,
  syncTopic: syncTopicFromHook,
  followTopicMove,
};
