/**
 * Request records and the sets that index them: the queues by status (and type), the
 * approved requests by expiry, the decided ones by document retention, and the document
 * files waiting for deletion.
 */
import { nodebb } from '../nodebb';
import { keys } from './keys';
import {
  DOCUMENT_KINDS, DOCUMENT_TYPES, REGISTRATION_TYPES, REQUEST_STATUSES,
  type RegistrationType, type RequestStatus, type StoredDocument, type VerificationRequest,
} from './model';
import { jsonList, numberOrNull, strings, text } from './stored-values';
import type { QueueItem } from './views';

type Raw = Record<string, unknown>;

function documents(value: unknown): StoredDocument[] {
  return jsonList(value).filter((d): d is StoredDocument => {
    if (typeof d !== 'object' || d === null) {
      return false;
    }
    const doc = d as Record<string, unknown>;
    return typeof doc.id === 'string' && /^[0-9a-f]{32}$/.test(doc.id) &&
      (DOCUMENT_KINDS as readonly unknown[]).includes(doc.kind) &&
      (DOCUMENT_TYPES as readonly unknown[]).includes(doc.contentType) &&
      typeof doc.size === 'number';
  });
}

export interface LoadedRequest {
  request: VerificationRequest;
  round: number;
  lastActorUid: number;
}

export function parseRequest(raw: Raw): LoadedRequest | null {
  const status = text(raw.status);
  const type = text(raw.registrationType);
  if (!(REQUEST_STATUSES as readonly string[]).includes(status) || !(REGISTRATION_TYPES as readonly string[]).includes(type)) {
    return null;
  }
  return {
    round: Number(raw.round) || 0,
    lastActorUid: Number(raw.lastActorUid) || 0,
    request: {
      rid: Number(raw.rid),
      uid: Number(raw.uid),
      status: status as RequestStatus,
      fullName: text(raw.fullName),
      registrationType: type as RegistrationType,
      registrationNumber: text(raw.registrationNumber),
      country: text(raw.country),
      specialties: strings(raw.specialties),
      inTraining: text(raw.inTraining) === '1' || raw.inTraining === true || raw.inTraining === 1,
      institution: text(raw.institution),
      licenceExpiry: text(raw.licenceExpiry),
      submittedAt: Number(raw.submittedAt) || 0,
      updatedAt: Number(raw.updatedAt) || 0,
      submissions: Number(raw.submissions) || 1,
      documents: documents(raw.documents),
      documentsDeletedAt: numberOrNull(raw.documentsDeletedAt),
      decidedAt: numberOrNull(raw.decidedAt),
      decidedBy: numberOrNull(raw.decidedBy),
      reasonCode: text(raw.reasonCode),
      reasonText: text(raw.reasonText),
      infoRequest: text(raw.infoRequest),
      infoAnswer: text(raw.infoAnswer),
      confirmedSpecialties: strings(raw.confirmedSpecialties),
      // Records from before this field: the last update is the best guess (never earlier than the real one for a pending request).
      memberActedAt: Number(raw.memberActedAt) || Number(raw.updatedAt) || 0,
    },
  };
}

export async function loadRequest(rid: number): Promise<LoadedRequest | null> {
  if (!Number.isSafeInteger(rid) || rid <= 0) {
    return null;
  }
  const raw = await nodebb.db.getObject(keys.request(rid));
  return raw ? parseRequest(raw) : null;
}

/** Fields of a request as stored (arrays as JSON, booleans as 1/0). */
export type RequestFields = Partial<Record<keyof VerificationRequest | 'round' | 'lastActorUid', string | number | boolean | string[] | StoredDocument[] | null>>;

export function toStored(fields: RequestFields): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  // Optional fields spread in may be present but undefined: those are not written.
  for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
    if (value === null) {
      out[field] = '';
    } else if (Array.isArray(value)) {
      out[field] = JSON.stringify(value);
    } else if (typeof value === 'boolean') {
      out[field] = value ? 1 : 0;
    } else if (typeof value === 'string' || typeof value === 'number') {
      out[field] = value;
    }
  }
  return out;
}

/** Time a request is sorted by in its status's queue: open ones by submission (oldest first). */
export function queueScore(status: RequestStatus, submittedAt: number, now: number): number {
  return status === 'pending' || status === 'needs-info' ? submittedAt : now;
}

export async function addToQueues(rid: number, status: RequestStatus, type: RegistrationType, score: number): Promise<void> {
  await nodebb.db.sortedSetAddBulk([
    [keys.queue(status), score, String(rid)],
    [keys.queueByType(status, type), score, String(rid)],
  ]);
}

/** Removes a request from every queue set, whatever its status was (idempotent). */
export async function removeFromAllQueues(rid: number, type: RegistrationType): Promise<void> {
  await nodebb.db.sortedSetRemove(REQUEST_STATUSES.flatMap(status => [keys.queue(status), keys.queueByType(status, type)]), String(rid));
}

export async function nextRequestId(): Promise<number> {
  return nodebb.db.incrObjectField(keys.counters, 'nextRequestId');
}

export async function writeRequest(rid: number, fields: Record<string, string | number>): Promise<void> {
  await nodebb.db.setObject(keys.request(rid), fields);
}

export async function deleteRequest(rid: number): Promise<void> {
  await nodebb.db.delete(keys.request(rid));
}

/** For each request id, whether its record still exists. */
export async function requestsExist(rids: readonly number[]): Promise<boolean[]> {
  return rids.length ? nodebb.db.exists(rids.map(rid => keys.request(rid))) : [];
}

/** One line of a queue page: the record's summary fields, read without the rest (the API adds the member's name). */
export type QueueRow = Omit<QueueItem, 'username' | 'userslug'>;

const QUEUE_FIELDS = ['rid', 'uid', 'status', 'fullName', 'registrationType', 'country', 'specialties', 'inTraining', 'submittedAt', 'updatedAt'];

/** One page of a status's queue (of one registration type, or all when `type` is ''). */
export async function readQueuePage(status: RequestStatus, type: RegistrationType | '', start: number, stop: number): Promise<{ rows: QueueRow[]; total: number }> {
  const setKey = type === '' ? keys.queue(status) : keys.queueByType(status, type);
  // Open requests oldest first (fair order); decided ones newest first.
  const oldestFirst = status === 'pending' || status === 'needs-info';
  const [rids, total] = await Promise.all([
    oldestFirst ? nodebb.db.getSortedSetRange(setKey, start, stop) : nodebb.db.getSortedSetRevRange(setKey, start, stop),
    nodebb.db.sortedSetCard(setKey),
  ]);
  const raw = await nodebb.db.getObjectsFields(rids.map(rid => keys.request(Number(rid))), QUEUE_FIELDS);
  const rows = raw.filter(row => Number(row.rid) > 0).map((row): QueueRow => ({
    rid: Number(row.rid),
    uid: Number(row.uid),
    status: String(row.status) as RequestStatus,
    fullName: String(row.fullName ?? ''),
    registrationType: String(row.registrationType) as RegistrationType,
    country: String(row.country ?? ''),
    specialties: strings(row.specialties),
    inTraining: row.inTraining === true || String(row.inTraining) === '1',
    submittedAt: Number(row.submittedAt),
    updatedAt: Number(row.updatedAt),
  }));
  return { rows, total };
}

export async function countQueue(status: RequestStatus): Promise<number> {
  return nodebb.db.sortedSetCard(keys.queue(status));
}

/** Requests of a status's queue scored at or before `until`. */
export async function queuedUntil(status: RequestStatus, until: number): Promise<string[]> {
  return nodebb.db.getSortedSetRangeByScore(keys.queue(status), 0, -1, '-inf', until);
}

/** Decided requests whose documents are kept until retention ends, scored by decision time. */
export async function addToRetention(rid: number, at: number): Promise<void> {
  await nodebb.db.sortedSetAdd(keys.retention, at, String(rid));
}

export async function retentionUntil(cutoff: number): Promise<string[]> {
  return nodebb.db.getSortedSetRangeByScore(keys.retention, 0, -1, '-inf', cutoff);
}

export async function removeFromRetention(member: string): Promise<void> {
  await nodebb.db.sortedSetRemove(keys.retention, member);
}

/** Approved requests by the moment their licence expires. */
export async function addToExpiry(rid: number, expiresAt: number): Promise<void> {
  await nodebb.db.sortedSetAdd(keys.expiry, expiresAt, String(rid));
}

export async function expiringUntil(until: number): Promise<string[]> {
  return nodebb.db.getSortedSetRangeByScore(keys.expiry, 0, -1, '-inf', until);
}

export async function removeFromExpiry(member: string): Promise<void> {
  await nodebb.db.sortedSetRemove(keys.expiry, member);
}

/** The request is gone: off the expiry, retention and in-flight lists at once. */
export async function removeFromTimeIndexes(member: string): Promise<void> {
  await nodebb.db.sortedSetRemove([keys.expiry, keys.retention, keys.inflight], member);
}

/** The expiry warning of a request: true for exactly one caller. */
export async function claimExpiryWarning(rid: number, at: number): Promise<boolean> {
  if (await nodebb.db.incrObjectField(keys.request(rid), 'expiryWarningClaim') !== 1) {
    return false;
  }
  await nodebb.db.setObjectField(keys.request(rid), 'expiryWarnedAt', at);
  return true;
}

/** Document files due for deletion (or whose deletion failed), by document id. */
export async function listFileDeletions(ids: readonly string[], at: number): Promise<void> {
  await nodebb.db.sortedSetAddBulk(ids.map(id => [keys.fileDeletions, at, id] as [string, number, string]));
}

export async function unlistFileDeletions(ids: readonly string[]): Promise<void> {
  await nodebb.db.sortedSetRemove(keys.fileDeletions, [...ids]);
}

export async function listedFileDeletions(): Promise<string[]> {
  return nodebb.db.getSortedSetRange(keys.fileDeletions, 0, -1);
}
