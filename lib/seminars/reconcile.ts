/**
 * Keeping each seminar in step with its topic.
 *
 * Core fires its topic hooks without waiting for them, and not on every path: a merge deletes
 * the merged topics without `action:topic.delete`, an owner change fires only
 * `action:topic.changeOwner`, and a hook that fails (a busy lock, a database hiccup) is
 * logged by core and forgotten. So the hooks do not apply the event they were given: each
 * one reads the topic as it now is (exists, deleted, category, title, owner) and brings the
 * seminar and its indexes to match. That is idempotent, so a later hook, the repair job
 * (tids whose hook failed) and start-up (every seminar) all heal what an earlier one missed.
 */
import { nodebb, log } from '../nodebb';
import { plainTitle } from './model';
import {
  deleteSeminar, getSeminar, updateSeminarTopic, repairSeminarIndexes,
  markOutOfStep, outOfStepTids, clearOutOfStep, everyIndexedTid, dropIndexedTid,
} from './store';
import {
  discardPendingSeminar, getPendingSeminar, markPendingQueued, pendingIdOf, pendingSeminarIds, publishPendingSeminar,
} from './pending';

/** A held seminar with no queued topic and no tid is given up after this long (a create that died half-way). */
export const PENDING_GRACE_MS = 15 * 60_000;

interface TopicState {
  cid: number;
  uid: number;
  title: string;
  slug: string;
  deleted: boolean;
}

/** The topic as core now stores it, or null when it no longer exists (purged). */
async function topicState(tid: number): Promise<TopicState | null> {
  const topic = await nodebb.topics.getTopicFields(tid, ['tid', 'cid', 'uid', 'title', 'slug', 'deleted']) as Record<string, unknown> | null;
  if (!topic || !(Number(topic.tid) > 0)) {
    return null;
  }
  return {
    cid: Number(topic.cid) || 0,
    uid: Number(topic.uid) || 0,
    title: typeof topic.title === 'string' ? plainTitle(topic.title) : '',
    slug: typeof topic.slug === 'string' ? topic.slug : '',
    deleted: Number(topic.deleted) === 1,
  };
}

export type ReconcileOutcome = 'unchanged' | 'updated' | 'deleted' | 'no-seminar';

/** Bring one seminar in line with its topic (a purged topic takes its seminar with it). */
export async function reconcileSeminarWithTopic(tid: number): Promise<ReconcileOutcome> {
  const seminar = await getSeminar(tid);
  if (!seminar) {
    return 'no-seminar';
  }
  const topic = await topicState(tid);
  if (!topic) {
    await deleteSeminar(tid);
    return 'deleted';
  }
  const change: Parameters<typeof updateSeminarTopic>[1] = {};
  if (topic.cid > 0 && topic.cid !== seminar.cid) {
    change.cid = topic.cid;
  }
  if (topic.uid > 0 && topic.uid !== seminar.uid) {
    change.uid = topic.uid;
  }
  if (topic.title && topic.title !== seminar.title) {
    change.title = topic.title;
  }
  if (topic.slug && topic.slug !== seminar.slug) {
    change.slug = topic.slug;
  }
  if (topic.deleted !== seminar.hidden) {
    change.hidden = topic.deleted;
  }
  if (!Object.keys(change).length) {
    await repairSeminarIndexes(seminar);
    return 'unchanged';
  }
  const updated = await updateSeminarTopic(tid, change);
  if (updated) {
    await repairSeminarIndexes(updated);
  }
  return 'updated';
}

/**
 * For lifecycle hooks: reconcile, and when that fails, log it and leave the tid for the
 * repair job rather than let the seminar drift until the next restart.
 */
export async function followTopic(tid: number): Promise<void> {
  if (!Number.isInteger(tid) || tid <= 0) {
    return;
  }
  try {
    await reconcileSeminarWithTopic(tid);
  } catch (err) {
    log.warn(`seminar ${tid} is out of step with its topic, repaired later: ${err instanceof Error ? err.message : String(err)}`);
    try {
      await markOutOfStep(tid, Date.now());
    } catch {
      // The database is the problem; start-up reconciliation checks every seminar anyway.
    }
  }
}

/** The repair job: reconcile the seminars whose hook failed. */
export async function repairOutOfStepSeminars(): Promise<number> {
  const tids = await outOfStepTids(500);
  let repaired = 0;
  for (const tid of tids) {
    try {
      await reconcileSeminarWithTopic(Number(tid));
      await clearOutOfStep(tid);
      repaired += 1;
    } catch (err) {
      log.warn(`seminar ${tid}: repair failed, tried again later: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return repaired;
}

export interface PendingOutcome {
  published: number;
  discarded: number;
  waiting: number;
}

/**
 * Held seminars: publish those whose topic core created (an acceptance whose hook failed),
 * discard those whose queued topic is gone (rejected while the hook failed, or a create
 * that died before queueing), keep those still in the queue.
 */
export async function reconcilePendingSeminars(now = Date.now()): Promise<PendingOutcome> {
  const outcome: PendingOutcome = { published: 0, discarded: 0, waiting: 0 };
  const ids = await pendingSeminarIds();
  if (!ids.length) {
    return outcome;
  }
  const queued = new Map<string, string>();
  for (const item of await nodebb.postQueue.getQueuedPosts({}, { metadata: false })) {
    const id = pendingIdOf(item.data);
    if (id) {
      queued.set(id, item.id);
    }
  }
  for (const id of ids) {
    const pending = await getPendingSeminar(id);
    if (!pending) {
      await discardPendingSeminar(id);
      continue;
    }
    const topic = pending.tid ? await topicState(pending.tid) : null;
    if (topic) {
      await publishPendingSeminar(id, { tid: pending.tid, cid: topic.cid, uid: topic.uid, title: topic.title, slug: topic.slug });
      await reconcileSeminarWithTopic(pending.tid);
      outcome.published += 1;
    } else if (queued.has(id)) {
      await markPendingQueued(id, queued.get(id) ?? '');
      outcome.waiting += 1;
    } else if (now - pending.held > PENDING_GRACE_MS) {
      await discardPendingSeminar(id);
      outcome.discarded += 1;
    } else {
      outcome.waiting += 1;
    }
  }
  return outcome;
}

export interface ReconcileSummary extends PendingOutcome {
  checked: number;
  updated: number;
  deleted: number;
  failed: number;
}

/**
 * Start-up: check every seminar against its topic (exists, deleted, category, title, owner),
 * repair its indexes, and settle held seminars. One failure is logged and the rest go on.
 */
export async function reconcileSeminarsWithTopics(now = Date.now()): Promise<ReconcileSummary> {
  // `every` holds all seminars, hidden ones too; `all` (the listing index) also covers
  // seminars stored before `every` existed.
  const [every, listed] = await everyIndexedTid();
  const tids = [...new Set([...every, ...listed])].map(Number).filter(tid => Number.isInteger(tid) && tid > 0);
  const summary: ReconcileSummary = { checked: 0, updated: 0, deleted: 0, failed: 0, published: 0, discarded: 0, waiting: 0 };
  for (const tid of tids) {
    try {
      const outcome = await reconcileSeminarWithTopic(tid);
      summary.checked += 1;
      if (outcome === 'updated') {
        summary.updated += 1;
      } else if (outcome === 'deleted') {
        summary.deleted += 1;
      } else if (outcome === 'no-seminar') {
        // An index entry with no record: nothing to show, so nothing to keep.
        await dropIndexedTid(tid);
      }
      await clearOutOfStep(tid);
    } catch (err) {
      summary.failed += 1;
      log.error(`seminar ${tid}: reconciliation failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  Object.assign(summary, await reconcilePendingSeminars(now));
  return summary;
}
