/**
 * NodeBB's topic-creating API and post queue, as src/api/topics.js `create` and
 * src/posts/queue.js (4.11.2) behave, over the real test database in core's own key layout
 * (`post:queue` sorted set of ids, `post:queue:<id>` hashes whose `data` is the JSON payload):
 *
 * - `api.topics.create(caller, data)`: sets uid/timestamp/`fromQueue: false`, asks core's own
 *   decision and then every `filter:post.shouldQueue` listener; queued → stored in the queue and
 *   `{ id, type, queued: true, message }` returned; otherwise `topics.post`, whose topicData is returned.
 * - `accept(id)` (submitFromQueue): `topics.post` with the stored data and `fromQueue: true`,
 *   then the queue entry is removed. `reject(id)` (removeFromQueue): removed, then
 *   `action:post-queue:removeFromQueue` with the entry.
 *
 * Topic creation fires `filter:topic.create` and `action:topic.post` listeners as core does;
 * one difference: the stand-in `topics.post` writes the topic before `filter:topic.create`
 * runs (core runs it just before), which changes nothing the listeners see.
 */
import type { ApiModule, PostQueueModule, QueuedPostItem, TopicsModule } from '../../lib/nodebb';
import type { ShouldQueuePayload } from '../../lib/redaction/review';
import type { RedisTestDatabase } from './redis-db';

type TopicData = Record<string, unknown> & { tid: number };
export type ShouldQueueFilter = (payload: ShouldQueuePayload) => Promise<ShouldQueuePayload>;
export type TopicCreateFilter = (payload: { topic: TopicData; data: Record<string, unknown> }) => Promise<{ topic: TopicData; data: Record<string, unknown> }>;
export type TopicPostAction = (payload: { topic: TopicData; post: Record<string, unknown>; data: Record<string, unknown> }) => Promise<void>;
export type RemoveFromQueueAction = (payload: { data: QueuedPostItem }) => Promise<void>;

export interface PostQueueStandIn {
  api: ApiModule;
  postQueue: PostQueueModule;
  /** Members whose posts core's own rules queue (postQueue on, too little reputation, …). */
  queuedByCore: Set<number>;
  shouldQueueFilters: ShouldQueueFilter[];
  topicCreateFilters: TopicCreateFilter[];
  topicPostActions: TopicPostAction[];
  removeFromQueueActions: RemoveFromQueueAction[];
  /** A moderator accepts: the topic is created from the queued data; its tid. */
  accept(id: string): Promise<number>;
  /** A moderator rejects: the queued topic is discarded. */
  reject(id: string): Promise<void>;
  queuedIds(): Promise<string[]>;
}

export function makePostQueueStandIn(db: RedisTestDatabase, topics: () => TopicsModule): PostQueueStandIn {
  const queuedByCore = new Set<number>();
  const shouldQueueFilters: ShouldQueueFilter[] = [];
  const topicCreateFilters: TopicCreateFilter[] = [];
  const topicPostActions: TopicPostAction[] = [];
  const removeFromQueueActions: RemoveFromQueueAction[] = [];

  async function postTopic(data: Record<string, unknown>): Promise<TopicData> {
    const { topicData, postData } = await topics().post(data as Parameters<TopicsModule['post']>[0]);
    const topic = { ...topicData } as TopicData;
    for (const filter of topicCreateFilters) {
      await filter({ topic, data });
    }
    for (const action of topicPostActions) {
      await action({ topic, post: postData, data });
    }
    return topic;
  }

  async function read(id: string): Promise<QueuedPostItem | null> {
    const raw = await db.getObject(`post:queue:${id}`);
    if (!raw) {
      return null;
    }
    return { id, uid: Number(raw.uid), type: String(raw.type), data: { ...JSON.parse(String(raw.data)) as Record<string, unknown>, fromQueue: true } };
  }

  async function remove(id: string): Promise<void> {
    await db.sortedSetRemove('post:queue', id);
    await db.delete(`post:queue:${id}`);
  }

  const api: ApiModule = {
    topics: {
      create: async (req, data) => {
        const caller = { uid: Number((req as typeof req & { uid?: unknown }).uid) || 0 };
        const payload: Record<string, unknown> = { ...data, uid: caller.uid, timestamp: Date.now(), fromQueue: false, tags: [] };
        delete payload.tid;
        let decision: ShouldQueuePayload = { shouldQueue: queuedByCore.has(caller.uid), uid: caller.uid, data: payload };
        for (const filter of shouldQueueFilters) {
          decision = await filter(decision);
        }
        if (decision.shouldQueue) {
          let now = Date.now();
          // Core names entries by the millisecond; two in the same one would collide here.
          while (await db.exists(`post:queue:topic-${now}`)) {
            now += 1;
          }
          const id = `topic-${now}`;
          await db.sortedSetAdd('post:queue', now, id);
          await db.setObject(`post:queue:${id}`, { id, uid: caller.uid, type: 'topic', data: JSON.stringify(payload) });
          return { id, type: 'topic', queued: true, message: '[[success:post-queued]]' };
        }
        const topic = await postTopic(payload);
        return { ...topic, tid: topic.tid, slug: String(topic.slug), cid: Number(topic.cid), queued: undefined };
      },
    },
  };

  const postQueue: PostQueueModule = {
    getQueuedPosts: async () => {
      const ids = await db.getSortedSetRange('post:queue', 0, -1);
      const items = await Promise.all(ids.map(read));
      return items.filter((item): item is QueuedPostItem => item !== null);
    },
  };

  return {
    api,
    postQueue,
    queuedByCore,
    shouldQueueFilters,
    topicCreateFilters,
    topicPostActions,
    removeFromQueueActions,
    accept: async (id) => {
      const item = await read(id);
      if (!item) {
        throw new Error('[[error:no-post]]');
      }
      const topic = await postTopic(item.data);
      await remove(id);
      return topic.tid;
    },
    reject: async (id) => {
      const item = await read(id);
      if (!item) {
        return;
      }
      await remove(id);
      for (const action of removeFromQueueActions) {
        await action({ data: item });
      }
    },
    queuedIds: async () => db.getSortedSetRange('post:queue', 0, -1),
  };
}
