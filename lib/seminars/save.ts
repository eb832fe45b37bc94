/**
 * Saving a seminar and telling those it affects: seat waiting members if capacity grew, and
 * notify going members of a change of time, postponement or cancellation. The caller has
 * checked the policy (service.ts); the post-queue hooks call it for seminars already checked.
 */
import { validateSeminarInput, type SeminarValidationOptions } from './validation';
import { saveSeminar, cancelSeminar, type SavedSeminar } from './store';
import { fillSeatsFromWaitlist } from './rsvp';
import { notifyGoingOfChange, notifyPromoted } from './reminders';
import type { SeminarFields, SeminarTopic } from './model';
import type { SeminarNoticeKind } from './notify';

export interface SubmittedSeminar extends SavedSeminar {
  /** Going members told of a cancellation, postponement or new time. */
  notified: { kind: SeminarNoticeKind; uids: number[] } | null;
  /** Waiting members seated because capacity grew (already notified). */
  promoted: number[];
}

/**
 * The form's whole server side after the caller's permission check: validate (nothing is
 * saved on any error), save, and tell those affected.
 */
export async function submitSeminar(topic: SeminarTopic, submitted: unknown, options: SeminarValidationOptions & { now?: number } = {}): Promise<SubmittedSeminar> {
  return saveValidatedSeminar(topic, await validateSeminarInput(submitted, options), options.now);
}

/** The same, for fields already validated (routes validate before they create the topic). */
export async function saveValidatedSeminar(topic: SeminarTopic, fields: SeminarFields, now?: number): Promise<SubmittedSeminar> {
  return afterSave(await saveSeminar(topic, fields, now));
}

/** Cancel (author, category moderators, admins: the caller checks) and notify those going. */
export async function cancelAndNotify(tid: number, now?: number): Promise<SubmittedSeminar> {
  return afterSave(await cancelSeminar(tid, now));
}

async function afterSave(saved: SavedSeminar): Promise<SubmittedSeminar> {
  let promoted: number[] = [];
  if (saved.change.capacityGrew) {
    promoted = await fillSeatsFromWaitlist(saved.seminar.tid);
    await notifyPromoted(saved.seminar, promoted);
  }
  const notified = await notifyGoingOfChange(saved.seminar, saved.change);
  return { ...saved, notified, promoted };
}
