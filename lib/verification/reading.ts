/**
 * What members and reviewers read: the member's status and history, one request (with the
 * reviewer's extras), a document, the queue and the audit log. Each takes the service's
 * context, then the caller, and checks the caller before it reads anything.
 */
import { UserFacingError } from '../common/user-error';
import { getSettings } from '../settings';
import { mayReadDocuments, requireOwnerOrReviewer, requireReviewer, requireSignedIn } from './policy';
import { readStoredDocument, type DecryptedDocument } from './documents';
import { REGISTRATION_TYPES, REQUEST_STATUSES, type Caller, type RegistrationType, type RequestStatus } from './model';
import { registryLookupLink } from './registry-links';
import { countQueue, loadRequest, memberRequestIds, readAuditPage, readQueuePage, requestsExist, type LoadedRequest } from './store';
import {
  PAGE_SIZE_MAX, mustLoad, pageNumber, requestId, submissionsInLastDay, toView, usernames, type ServiceContext,
} from './context';
import type { AuditView, MyStatus, Page, QueueItem, QueueQuery, RequestView, ReviewerRequestView } from './views';

export async function getMyStatus(ctx: ServiceContext, caller: Caller, pageInput?: unknown): Promise<MyStatus> {
  const uid = requireSignedIn(caller);
  const page = pageNumber(pageInput, 1, 10_000);
  const perPage = 20;
  const rids = await memberRequestIds(uid, (page - 1) * perPage, page * perPage - 1);
  const loaded = await Promise.all(rids.map(rid => loadRequest(Number(rid))));
  const history = loaded.filter((l): l is LoadedRequest => l !== null).map(l => toView(l.request));
  const latestRid = (await memberRequestIds(uid, 0, 0))[0];
  const latest = latestRid ? await loadRequest(Number(latestRid)) : null;
  const settings = await getSettings();
  return {
    status: latest?.request.status ?? 'none',
    current: latest ? toView(latest.request) : null,
    history,
    submissionsLeft: Math.max(0, settings.verificationSubmissionsPerDay - await submissionsInLastDay(ctx, uid)),
  };
}

/** The member their own; reviewers any, with member, history and registry link. */
export async function getRequest(caller: Caller, ridInput: unknown): Promise<RequestView | ReviewerRequestView> {
  requireSignedIn(caller);
  const loaded = await mustLoad(requestId(ridInput));
  const { reviewer } = await requireOwnerOrReviewer(caller, loaded.request.uid);
  const view = toView(loaded.request);
  if (!reviewer) {
    return view;
  }
  const names = await usernames([loaded.request.uid]);
  const historyRids = await memberRequestIds(loaded.request.uid, 0, 19);
  const history = (await Promise.all(historyRids.map(rid => loadRequest(Number(rid)))))
    .filter((l): l is LoadedRequest => l !== null && l.request.rid !== loaded.request.rid)
    .map(l => toView(l.request));
  return {
    ...view,
    member: { uid: loaded.request.uid, ...(names.get(loaded.request.uid) ?? { username: '', userslug: '' }) },
    registryLink: registryLookupLink(loaded.request.registrationType, loaded.request.registrationNumber),
    history,
  };
}

/**
 * Documents: the member's own, and any for reviewers. Everyone else (guests included) gets
 * the same 404 and message whether or not the request or document exists, so a document
 * URL reveals nothing.
 */
export async function readDocument(caller: Caller, ridInput: unknown, documentId: unknown): Promise<DecryptedDocument> {
  const notFound = new UserFacingError('error.verification-document-not-found', [], 404);
  const rid = Number(ridInput);
  if (!(caller.uid > 0) || !Number.isSafeInteger(rid) || rid <= 0) {
    throw notFound;
  }
  const loaded = await loadRequest(rid);
  if (!loaded || !await mayReadDocuments(caller, loaded.request.uid)) {
    throw notFound;
  }
  const document = loaded.request.documents.find(d => d.id === documentId);
  if (!document) {
    throw notFound;
  }
  return readStoredDocument(rid, document);
}

export async function listQueue(caller: Caller, query: QueueQuery = {}): Promise<Page<QueueItem>> {
  await requireReviewer(caller);
  const status = query.status ?? 'pending';
  if (typeof status !== 'string' || !(REQUEST_STATUSES as readonly string[]).includes(status)) {
    throw new UserFacingError('error.verification-filter-invalid');
  }
  const type = query.type ?? '';
  if (typeof type !== 'string' || (type !== '' && !(REGISTRATION_TYPES as readonly string[]).includes(type))) {
    throw new UserFacingError('error.verification-filter-invalid');
  }
  const page = pageNumber(query.page, 1, 100_000);
  const perPage = pageNumber(query.perPage, 20, PAGE_SIZE_MAX);
  const start = (page - 1) * perPage;
  const { rows, total } = await readQueuePage(status as RequestStatus, type as RegistrationType | '', start, start + perPage - 1);
  const names = await usernames(rows.map(row => row.uid));
  const items = rows.map(({ rid, uid, ...summary }): QueueItem => ({
    rid, uid, username: names.get(uid)?.username ?? '', userslug: names.get(uid)?.userslug ?? '', ...summary,
  }));
  return { items, page, perPage, total, pageCount: Math.ceil(total / perPage) };
}

export async function pendingCount(caller: Caller): Promise<number> {
  await requireReviewer(caller);
  return countQueue('pending');
}

export async function readAuditLog(caller: Caller, query: { rid?: unknown; page?: unknown; perPage?: unknown } = {}): Promise<Page<AuditView>> {
  await requireReviewer(caller);
  const page = pageNumber(query.page, 1, 100_000);
  const perPage = pageNumber(query.perPage, 50, PAGE_SIZE_MAX);
  const rid = query.rid === undefined || query.rid === '' ? null : requestId(query.rid);
  const { entries, total } = await readAuditPage(rid, (page - 1) * perPage, page * perPage - 1);
  const rids = [...new Set(entries.map(e => e.rid))];
  const [names, exist] = await Promise.all([
    usernames(entries.flatMap(e => [e.actorUid, e.subjectUid])),
    requestsExist(rids),
  ]);
  const existing = new Set(rids.filter((_rid, i) => exist[i] === true));
  const items = entries.map(e => ({
    ...e,
    actorName: names.get(e.actorUid)?.username ?? '',
    subjectName: names.get(e.subjectUid)?.username ?? '',
    requestExists: existing.has(e.rid),
  }));
  return { items, page, perPage, total, pageCount: Math.ceil(total / perPage) };
}
