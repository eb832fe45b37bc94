/**
 * The verification pages' template models: the member's tab, the queue, one request and the
 * audit log. Member text is escaped at one boundary (pageModel in lib/common/page.ts); names
 * NodeBB already escaped are marked so.
 */
import { breadcrumbs, escapedByNodeBB, pageModel, pluginText, type Markup, type PageModel } from '../common/page';
import { relativePath } from '../common/http';
import type { PluginSettings } from '../settings';
import { isOffered, listSpecialties, pageName, type SpecialtyRecord } from '../specialties/taxonomy';
import { REGISTRATION_TYPES, REJECTION_REASONS, REQUEST_STATUSES, type MemberStatus } from './model';
import type { VerificationForm } from './registration';
import type { AuditView, MyStatus, Page, QueueItem, RequestView, ReviewerRequestView } from './views';

/** The reviewers' pages, linked from breadcrumbs and templates. */
export const QUEUE_ROUTE = '/physician-verification/queue';
export const AUDIT_ROUTE = '/physician-verification/audit';

type SpecialtyNames = Map<string, string | Markup>;

export function textOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function isoDate(ms: number | null | undefined): string {
  return typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : '';
}

function statusToken(status: MemberStatus): Markup {
  return pluginText(`verification.status.${status}`);
}

function typeToken(type: string): Markup {
  return pluginText(`verification.type.${type}`);
}

export async function specialtyNames(): Promise<SpecialtyNames> {
  return new Map((await listSpecialties()).map(r => [r.slug, pageName(r)]));
}

/** What a template needs of one request: dates as ISO strings, names for slugs, document flags. */
function requestForTemplate(request: RequestView, names: SpecialtyNames) {
  return {
    ...request,
    statusLabel: statusToken(request.status),
    typeLabel: typeToken(request.registrationType),
    submittedIso: isoDate(request.submittedAt),
    updatedIso: isoDate(request.updatedAt),
    expiryDay: request.licenceExpiry,
    decidedIso: isoDate(request.decidedAt),
    documentsDeleted: request.documentsDeletedAt !== null,
    specialtyNames: request.specialties.map(slug => ({ slug, name: names.get(slug) ?? slug })),
    documents: request.documents.map(d => ({
      ...d,
      isPdf: d.contentType === 'application/pdf',
      kindLabel: pluginText(`verification.document.${d.kind}`),
      url: `${relativePath()}${d.url}`,
    })),
  };
}

/** The verification form's values: the typed fields of the form, and whether the type is "other". */
export type FormPrefill = Pick<VerificationForm, 'fullName' | 'registrationNumber' | 'country' | 'inTraining' | 'institution' | 'licenceExpiry'> & {
  isOther: boolean;
};

/** The verification form's values, from an earlier request or empty. */
export function formPrefill(request: RequestView | null): FormPrefill {
  const isOther = request?.registrationType === 'other';
  return {
    fullName: request?.fullName ?? '',
    registrationNumber: request?.registrationNumber ?? '',
    // National types imply their country; only "other" names one.
    country: isOther ? request.country : '',
    isOther,
    inTraining: request?.inTraining ?? false,
    institution: request?.institution ?? '',
    licenceExpiry: request?.licenceExpiry ?? '',
  };
}

function specialtyChoices(records: readonly SpecialtyRecord[], chosen: ReadonlySet<string>) {
  return records.filter(isOffered).map(r => ({ slug: r.slug, name: pageName(r), selected: chosen.has(r.slug) }));
}

/** The member's own tab: their status, history, and the form when they may (re)submit. */
export function memberTabModel(mine: MyStatus, names: SpecialtyNames, records: readonly SpecialtyRecord[], settings: PluginSettings): PageModel<object> {
  const current = mine.current ? requestForTemplate(mine.current, names) : null;
  const status = mine.status;
  const needsInfo = status === 'needs-info';
  // A new request only when nothing is open and the member is not verified; needs-info is
  // answered through "resubmit". Both count against the daily limit, so neither form shows without one left.
  const mayStartNew = !['pending', 'needs-info', 'approved'].includes(status);
  const hasSubmissionLeft = mine.submissionsLeft > 0;
  // The open request (needs-info) or the rejected one fills the form in, so the member corrects rather than retypes.
  const prefillFrom = needsInfo || status === 'rejected' ? mine.current : null;
  return pageModel({
    title: pluginText('verification.title'),
    // Not `status`: the account header uses that for the member's online status.
    verificationStatus: status,
    verificationStatusLabel: statusToken(status),
    current,
    history: mine.history.map(r => requestForTemplate(r, names)),
    submissionsLeft: mine.submissionsLeft,
    canSubmit: mayStartNew && hasSubmissionLeft,
    canResubmit: needsInfo && hasSubmissionLeft,
    showForm: (mayStartNew || needsInfo) && hasSubmissionLeft,
    limitReached: (mayStartNew || needsInfo) && !hasSubmissionLeft,
    canWithdraw: status === 'pending' || needsInfo,
    needsInfo,
    lastRejected: status === 'rejected',
    form: formPrefill(prefillFrom),
    registrationTypes: REGISTRATION_TYPES.map(type => ({
      value: type, label: typeToken(type), selected: prefillFrom?.registrationType === type,
    })),
    specialties: specialtyChoices(records, new Set(prefillFrom?.specialties ?? [])),
    maxSpecialties: settings.specialtiesMaxPerMember,
    maxDocumentMb: settings.verificationDocumentMaxMb,
    today: new Date().toISOString().slice(0, 10),
  });
}

/** NodeBB's account data (escaped by NodeBB) beside the model, with the tab's breadcrumbs. */
export function memberTabNodeBBData(userData: Record<string, unknown>): Record<string, unknown> {
  return {
    ...userData,
    breadcrumbs: breadcrumbs([
      { text: escapedByNodeBB(textOf(userData.username)), url: `/user/${textOf(userData.userslug)}` },
      { text: pluginText('verification.title') },
    ]),
  };
}

function queueRow(item: QueueItem, names: SpecialtyNames) {
  return {
    ...item,
    // NodeBB's user data escaped it.
    username: escapedByNodeBB(item.username),
    statusLabel: statusToken(item.status),
    typeLabel: typeToken(item.registrationType),
    submittedIso: isoDate(item.submittedAt),
    specialtyNames: item.specialties.map(slug => ({ slug, name: names.get(slug) ?? slug })),
  };
}

/** The queue of one status (and type), with the filters as the address chose them. */
export function queuePageModel(queue: Page<QueueItem>, pending: number, names: SpecialtyNames, filter: { status: string; type: string }): PageModel<object> {
  const { status, type } = filter;
  return pageModel({
    title: pluginText('verification.queue.title-count', [pending]),
    pending,
    items: queue.items.map(item => queueRow(item, names)),
    total: queue.total,
    page: queue.page,
    pageCount: queue.pageCount,
    statuses: REQUEST_STATUSES.map(s => ({ value: s, label: statusToken(s), selected: s === status })),
    types: REGISTRATION_TYPES.map(t => ({ value: t, label: typeToken(t), selected: t === type })),
    // Echoed from the address into links: encoded for the query, then escaped like any text.
    status: encodeURIComponent(status),
    type: encodeURIComponent(type),
    pagination: {
      prev: queue.page > 1 ? queue.page - 1 : 0,
      next: queue.page < queue.pageCount ? queue.page + 1 : 0,
    },
  });
}

export function queueBreadcrumbs(): { breadcrumbs: unknown[] } {
  return { breadcrumbs: breadcrumbs([{ text: pluginText('verification.queue.title') }]) };
}

/** One request for a reviewer: the record, the member's history, its audit entries and the decision forms. */
export function requestPageModel(request: ReviewerRequestView, audit: Page<AuditView>, viewerUid: number, names: SpecialtyNames, records: readonly SpecialtyRecord[]): PageModel<object> {
  return pageModel({
    title: pluginText('verification.request.title', [request.rid]),
    request: requestForTemplate(request, names),
    member: { ...request.member, username: escapedByNodeBB(request.member.username) },
    registryLink: request.registryLink,
    history: request.history.filter(r => r.rid !== request.rid).map(r => requestForTemplate(r, names)),
    audit: audit.items.map(entry => ({
      ...entry, actorName: escapedByNodeBB(entry.actorName), atIso: isoDate(entry.at), actionLabel: pluginText(`verification.audit.${entry.action}`),
    })),
    canDecide: request.status === 'pending',
    canAskInfo: request.status === 'pending',
    canRevoke: request.status === 'approved',
    isOwn: request.uid === viewerUid,
    specialties: specialtyChoices(records, new Set(request.specialties)),
    rejectionReasons: REJECTION_REASONS.map(code => ({ value: code, label: pluginText(`verification.reason.${code}`) })),
  });
}

/** Breadcrumbs of a page under the queue. */
export function underQueueBreadcrumbs(text: Markup): { breadcrumbs: unknown[] } {
  return { breadcrumbs: breadcrumbs([{ text: pluginText('verification.queue.title'), url: QUEUE_ROUTE }, { text }]) };
}

function auditRow(entry: AuditView) {
  return {
    ...entry,
    actorName: escapedByNodeBB(entry.actorName),
    atIso: isoDate(entry.at),
    // Minutes in UTC: the same moment for every reviewer, whatever their time zone.
    atUtc: `${isoDate(entry.at).slice(0, 16).replace('T', ' ')} UTC`,
    actionLabel: pluginText(`verification.audit.${entry.action}`),
    fromLabel: statusToken(entry.fromStatus),
    toLabel: statusToken(entry.toStatus),
    statusChanged: entry.fromStatus !== entry.toStatus,
    // Jobs act as uid 0; a deleted member's entries keep the decision but lose the member.
    bySystem: entry.actorUid === 0,
    subjectDeleted: entry.subjectUid === 0,
    reasonLabel: entry.reasonCode ? pluginText(`verification.reason.${entry.reasonCode}`) : '',
    typeLabel: entry.registrationType ? typeToken(entry.registrationType) : '',
  };
}

/** One page of the audit log, of every request or (rid from the address) of one. */
export function auditPageModel(audit: Page<AuditView>, rid: string): PageModel<object> {
  const filter = rid ? `rid=${encodeURIComponent(rid)}&` : '';
  return pageModel({
    title: pluginText('verification.audit-page.title'),
    items: audit.items.map(auditRow),
    total: audit.total,
    page: audit.page,
    pageCount: Math.max(1, audit.pageCount),
    rid,
    filtered: rid !== '',
    pagination: {
      prev: audit.page > 1 ? `?${filter}page=${audit.page - 1}` : '',
      next: audit.page < audit.pageCount ? `?${filter}page=${audit.page + 1}` : '',
    },
  });
}

