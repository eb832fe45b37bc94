/**
 * Seminars waiting in NodeBB's post queue.
 *
 * A seminar's topic is created the way core's API creates any topic, so the post queue (and
 * the plugin's own image review, a `filter:post.shouldQueue` listener) decides whether it is
 * published at once or waits for a moderator. While it waits there is no topic and no tid:
 * the validated fields are held here, under an id carried in the queued topic's data (the
 * `SEMINAR_PENDING_FIELD`), and appear in no listing, feed, widget or calendar.
 *
 * When a moderator accepts, core creates the topic from the queued data: `filter:topic.create`
 * records the new tid here (awaited, before the topic exists), and `action:topic.post`
 * publishes the seminar. When a moderator rejects, the held fields are discarded. Start-up
 * reconciliation (reconcile.ts) finishes what a crash or a failed hook left half done.
 */
import { randomUUID } from 'node:crypto';

import type { SeminarFields, SeminarTopic } from './model';
import { saveValidatedSeminar, type SubmittedSeminar } from './save';
import {
  getSeminar, storePendingSeminar, storedPendingSeminar, storedPendingIds, setPendingFieldWhileHeld, deletePendingSeminar,
} from './store';

/** The field of the topic payload (kept by core in the queue) naming the held seminar. */
export const SEMINAR_PENDING_FIELD = 'physicianNetworkSeminar';

const ID_PATTERN = /^[0-9a-f-]{36}$/;

export interface PendingSeminar {
  id: string;
  uid: number;
  cid: number;
  title: string;
  fields: SeminarFields;
  held: number;
  /** Core's post-queue id, once queued. */
  queueId: string;
  /** The topic's tid, once core creates it (accepted, or published at once). */
  tid: number;
}

/** The held-seminar id a topic payload carries, or '' (any other topic). */
export function pendingIdOf(data: unknown): string {
  const value = data && typeof data === 'object' ? (data as Record<string, unknown>)[SEMINAR_PENDING_FIELD] : undefined;
  return typeof value === 'string' && ID_PATTERN.test(value) ? value : '';
}

/** Hold validated fields before the topic is asked for; returns the id to put in the topic payload. */
export async function holdPendingSeminar(topic: { uid: number; cid: number; title: string }, fields: SeminarFields, now = Date.now()): Promise<string> {
  const id = randomUUID();
  await storePendingSeminar(id, {
    id, uid: topic.uid, cid: topic.cid, title: topic.title, fields: JSON.stringify(fields), held: now,
  }, now);
  return id;
}

export async function getPendingSeminar(id: string): Promise<PendingSeminar | null> {
  if (!ID_PATTERN.test(id)) {
    return null;
  }
  const raw = await storedPendingSeminar(id);
  if (!raw || typeof raw.fields !== 'string') {
    return null;
  }
  let fields: SeminarFields;
  try {
    fields = JSON.parse(raw.fields) as SeminarFields;
  } catch {
    return null;
  }
  return {
    id,
    uid: Number(raw.uid) || 0,
    cid: Number(raw.cid) || 0,
    title: typeof raw.title === 'string' ? raw.title : '',
    fields,
    held: Number(raw.held) || 0,
    queueId: typeof raw.queueId === 'string' ? raw.queueId : '',
    tid: Number(raw.tid) || 0,
  };
}

/** Every held seminar id, oldest first. */
export async function pendingSeminarIds(): Promise<string[]> {
  return storedPendingIds();
}

export async function markPendingQueued(id: string, queueId: string): Promise<void> {
  await setPendingFieldWhileHeld(id, 'queueId', queueId);
}

/** filter:topic.create: core is creating the topic of a held seminar; remember its tid first. */
export async function recordPendingTid(id: string, tid: number): Promise<void> {
  if (tid > 0) {
    await setPendingFieldWhileHeld(id, 'tid', tid);
  }
}

export async function discardPendingSeminar(id: string): Promise<void> {
  await deletePendingSeminar(id);
}

/**
 * The topic exists: store the seminar under its tid and forget the held copy. Idempotent:
 * a second call (a hook and reconciliation both) finds nothing held and changes nothing.
 */
export async function publishPendingSeminar(id: string, topic: SeminarTopic): Promise<SubmittedSeminar | null> {
  const pending = await getPendingSeminar(id);
  if (!pending) {
    return null;
  }
  let saved: SubmittedSeminar | null = null;
  if (!await getSeminar(topic.tid)) {
    saved = await saveValidatedSeminar(topic, pending.fields);
  }
  await discardPendingSeminar(id);
  return saved;
}
