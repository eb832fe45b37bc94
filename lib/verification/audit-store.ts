/**
 * The verification audit log: every submission and decision, who, when, what and why.
 * It lives in its own keys so it outlives requests and documents; account deletion
 * keeps the decision and drops the member's personal data (see forgetSubject).
 * Its reads and writes are the store's (store.ts re-exports them).
 */
import { nodebb } from '../nodebb';
import { keys } from './keys';
import {
  REGISTRATION_TYPES, REQUEST_STATUSES,
  type AuditAction, type AuditEntry, type MemberStatus, type RegistrationType,
} from './model';
import { strings, text } from './stored-values';

/** An entry to record: the entry without its id, the request's type always known, free text optional. */
export type AuditInput = Omit<AuditEntry, 'eid' | 'registrationType' | 'reasonCode' | 'reasonText' | 'specialties'> &
  Partial<Pick<AuditEntry, 'reasonCode' | 'reasonText' | 'specialties'>> & { registrationType: RegistrationType };

export async function recordAudit(entry: AuditInput): Promise<number> {
  const eid = await nodebb.db.incrObjectField(keys.counters, 'nextAuditId');
  await nodebb.db.setObject(keys.auditEntry(eid), {
    eid,
    rid: entry.rid,
    action: entry.action,
    actorUid: entry.actorUid,
    subjectUid: entry.subjectUid,
    at: entry.at,
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    registrationType: entry.registrationType,
    reasonCode: entry.reasonCode ?? '',
    reasonText: entry.reasonText ?? '',
    specialties: JSON.stringify(entry.specialties ?? []),
  });
  await nodebb.db.sortedSetAddBulk([
    [keys.audit, entry.at, String(eid)],
    [keys.auditByRequest(entry.rid), entry.at, String(eid)],
    [keys.auditBySubject(entry.subjectUid), entry.at, String(eid)],
  ]);
  return eid;
}

function status(value: unknown): MemberStatus {
  const s = text(value);
  return (REQUEST_STATUSES as readonly string[]).includes(s) ? s as MemberStatus : 'none';
}

export function parseAuditEntry(raw: Record<string, unknown>): AuditEntry {
  const type = text(raw.registrationType);
  return {
    eid: Number(raw.eid),
    rid: Number(raw.rid),
    action: text(raw.action) as AuditAction,
    actorUid: Number(raw.actorUid) || 0,
    subjectUid: Number(raw.subjectUid) || 0,
    at: Number(raw.at),
    fromStatus: status(raw.fromStatus),
    toStatus: status(raw.toStatus),
    registrationType: (REGISTRATION_TYPES as readonly string[]).includes(type) ? type as RegistrationType : '',
    reasonCode: text(raw.reasonCode),
    reasonText: text(raw.reasonText),
    specialties: strings(raw.specialties),
  };
}

/** Newest first; one page of the whole log, or of one request's entries. */
export async function readAuditPage(rid: number | null, start: number, stop: number): Promise<{ entries: AuditEntry[]; total: number }> {
  const setKey = rid === null ? keys.audit : keys.auditByRequest(rid);
  const [eids, total] = await Promise.all([
    nodebb.db.getSortedSetRevRange(setKey, start, stop),
    nodebb.db.sortedSetCard(setKey),
  ]);
  const objects = await nodebb.db.getObjects(eids.map(eid => keys.auditEntry(Number(eid))));
  return { entries: objects.filter((o): o is NonNullable<typeof o> => o !== null).map(parseAuditEntry), total };
}

/**
 * The member deleted their account: their entries keep action, statuses, reason code,
 * type and specialties, but lose the link to them and any free text (which may name them).
 */
export async function forgetSubject(uid: number): Promise<void> {
  const eids = await nodebb.db.getSortedSetRange(keys.auditBySubject(uid), 0, -1);
  for (const eid of eids) {
    const key = keys.auditEntry(Number(eid));
    await nodebb.db.setObject(key, { subjectUid: 0, reasonText: '' });
    await nodebb.db.sortedSetAdd(keys.auditBySubject(0), (await nodebb.db.sortedSetScore(keys.auditBySubject(uid), eid)) ?? 0, eid);
  }
  await nodebb.db.delete(keys.auditBySubject(uid));
}
