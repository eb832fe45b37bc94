/**
 * Ids from outside (requests, hook payloads, database fields): NodeBB's uids, tids, pids and
 * cids are positive integers, and 0 stands for "none" (a guest, no topic).
 */
export function positiveId(value: unknown): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 0;
}
