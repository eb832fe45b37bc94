/**
 * Keeping held seminars (those whose topic waits in the post queue, pending.ts) in NodeBB's
 * database: one hash per held seminar, and an index of ids by when they were held.
 */
import { nodebb } from '../nodebb';
import type { StoredObject, WritableObject } from '../nodebb';
import { keys } from './keys';

/** Held seminars by id, scored by when they were held. */
const PENDING_INDEX = keys.pendingIndex;

/** Write the held record, then index it (a crash in between leaves a record no one lists, never an index entry with no record). */
export async function storePendingSeminar(id: string, record: WritableObject, held: number): Promise<void> {
  await nodebb.db.setObject(keys.pending(id), record);
  await nodebb.db.sortedSetAdd(PENDING_INDEX, held, id);
}

export async function storedPendingSeminar(id: string): Promise<StoredObject | null> {
  return nodebb.db.getObject(keys.pending(id));
}

/** Every held seminar id, oldest first. */
export async function storedPendingIds(): Promise<string[]> {
  return nodebb.db.getSortedSetRange(PENDING_INDEX, 0, -1);
}

/** Set one field of a held seminar, only while it is still held (never recreate a discarded one). */
export async function setPendingFieldWhileHeld(id: string, field: 'queueId' | 'tid', value: string | number): Promise<void> {
  if (await nodebb.db.exists(keys.pending(id))) {
    await nodebb.db.setObjectField(keys.pending(id), field, value);
  }
}

export async function deletePendingSeminar(id: string): Promise<void> {
  await nodebb.db.delete(keys.pending(id));
  await nodebb.db.sortedSetRemove(PENDING_INDEX, id);
}
