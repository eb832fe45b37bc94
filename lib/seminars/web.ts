/**
 * Seminars on the web, server side: the API v3 routes (openapi/physician-network.yaml), the
 * .ics download and calendar feeds, the topic lifecycle hooks, the reminder job, the
 * notification types and provisioning. Pages live in pages.ts, form-page.ts and topic-panel.ts.
 */
import type { Request, RequestHandler, Response, Router } from 'express';

import { nodebb, log } from '../nodebb';
import type { HostMiddleware, PageController } from '../nodebb';
import { bodyValue, callerUid, discardRequestTempFiles, forumUrl, routeParam, sendApiError } from '../common/http';
import { isUserFacingError, UserFacingError } from '../common/user-error';
import { addNotificationTypes, runsJobs, scheduleJob, type NotificationTypes } from '../common/host-registrations';
import { withForumLock } from '../common/lock';
import { isOfferedSpecialty, listOfferedSpecialties } from '../specialties/taxonomy';
import { canEditSeminar } from './permissions';
import { canCreate, viewerZoneOf } from './viewer';
import { provisionSeminars, seminarCategoryCids } from './provision';
import { validateSeminarInput } from './validation';
import { getSeminar } from './store';
import { plainTitle } from './model';
import {
  discardPendingSeminar, holdPendingSeminar, markPendingQueued, pendingIdOf, publishPendingSeminar, recordPendingTid, SEMINAR_PENDING_FIELD,
} from './pending';
import { followTopic, reconcileSeminarsWithTopics, repairOutOfStepSeminars } from './reconcile';
import { canViewSeminar } from './listing';
import { seminarView } from './view';
import { getRsvpCounts, getRsvpState, removeMemberRsvps, removeRsvp, setRsvp } from './rsvp';
import type { RsvpResult } from './rsvp';
import { notifyPromoted, sendDueReminders } from './reminders';
import { SEMINAR_NOTIFICATION_TYPES } from './notify';
import { seminarIcs, seminarIcsFilename } from './ics';
import type { IcsOptions } from './ics';
import {
  feedIcsForToken, getFeedSpecialties, hasFeedToken, publicFeedIcs, regenerateFeedToken, revokeFeedToken, setFeedSpecialties,
} from './feed';
import { cancelAndNotify, saveValidatedSeminar } from './index';
import type { Seminar, SeminarTopic } from './model';

export { plainTitle };

export interface SeminarCategory {
  cid: number;
  /** As NodeBB's categories module returns it: HTML-escaped (and possibly a translation key). */
  name: string;
}

/** The categories hosting seminars in which the member may start a topic, in the setting's order. */
export async function seminarCategoriesFor(uid: number): Promise<SeminarCategory[]> {
  const cids = await nodebb.privileges.categories.filterCids('topics:create', await seminarCategoryCids(), uid);
  const rows = await Promise.all(cids.map(async cid => ({ cid, fields: await nodebb.categories.getCategoryFields(cid, ['name', 'disabled']) })));
  return rows
    .filter(row => String(row.fields.disabled) !== '1')
    .map(row => ({ cid: row.cid, name: typeof row.fields.name === 'string' ? row.fields.name : String(row.cid) }));
}

// ---------------------------------------------------------------------------
// API v3

/**
 * NodeBB's own refusals (title too short, posting too fast, no privilege) are `[[error:…]]`
 * tokens meant for the member; anything else is hidden behind our generic message.
 */
function asUserFacing(err: unknown): unknown {
  if (!isUserFacingError(err) && err instanceof Error && /^\[\[error:[\w-]+(, [^\]]*)?\]\]$/.test(err.message)) {
    return Object.assign(new UserFacingError('error.unexpected'), { message: err.message });
  }
  return err;
}

/** Seminar routes take no files: any multipart temp file is deleted, whatever the outcome. */
function seminarController(handler: (req: Request) => Promise<unknown>): PageController {
  return async (req, res) => {
    try {
      await nodebb.controllerHelpers.formatApiResponse(200, res, await handler(req) ?? {});
    } catch (err) {
      await sendApiError(res, asUserFacing(err));
    } finally {
      await discardRequestTempFiles(req);
    }
  };
}

/** The caller's uid; a guest is refused (401) with the given reason. */
function memberUid(req: Request, reasonKey: string): number {
  const uid = callerUid(req);
  if (uid <= 0) {
    throw new UserFacingError(reasonKey, [], 401);
  }
  return uid;
}

function tidOf(req: Request): number {
  const tid = Number(routeParam(req, 'tid'));
  return Number.isInteger(tid) && tid > 0 ? tid : 0;
}

/** A seminar the caller may read; anything else is "not found" (no hint that it exists). */
async function readableSeminar(tid: number, uid: number): Promise<Seminar> {
  const seminar = tid ? await getSeminar(tid) : null;
  if (!seminar || !await canViewSeminar(seminar, uid)) {
    throw new UserFacingError('error.seminars-not-found', [], 404);
  }
  return seminar;
}

async function editableSeminar(tid: number, uid: number): Promise<Seminar> {
  if (uid <= 0) {
    throw new UserFacingError('error.not-allowed', [], 401);
  }
  const seminar = await readableSeminar(tid, uid);
  if (!await canEditSeminar(seminar, uid)) {
    throw new UserFacingError('error.not-allowed', [], 403);
  }
  return seminar;
}

function textField(req: Request, name: string): string | undefined {
  const value = bodyValue(req, name);
  return typeof value === 'string' ? value : undefined;
}

async function topicOf(tid: number, fallback: Pick<SeminarTopic, 'cid' | 'uid' | 'title' | 'slug'>): Promise<SeminarTopic> {
  const stored = await nodebb.topics.getTopicFields(tid, ['cid', 'uid', 'title', 'slug']);
  return {
    tid,
    cid: Number(stored.cid) || fallback.cid,
    uid: Number(stored.uid) || fallback.uid,
    title: typeof stored.title === 'string' ? plainTitle(stored.title) : fallback.title,
    slug: typeof stored.slug === 'string' && stored.slug ? stored.slug : fallback.slug,
  };
}

function topicPath(slug: string, tid: number): string {
  return `/topic/${slug || String(tid)}`;
}

/** What the create route answers: the published seminar, or word that it awaits review. */
type CreatedSeminar = { tid: number; slug: string; path: string } | { queued: true; message: string };

async function createSeminar(req: Request): Promise<CreatedSeminar> {
  const uid = callerUid(req);
  if (uid <= 0) {
    throw new UserFacingError('error.not-allowed', [], 401);
  }
  if (!await canCreate(uid)) {
    throw new UserFacingError('error.seminars-create-not-allowed', [], 403);
  }
  const cid = Number(bodyValue(req, 'cid'));
  if (!(await seminarCategoriesFor(uid)).some(category => category.cid === cid)) {
    throw new UserFacingError('error.seminars-category-invalid');
  }
  const title = textField(req, 'title') ?? '';
  const content = textField(req, 'content') ?? '';
  // Every seminar rule first: a refusal must leave no topic behind.
  const fields = await validateSeminarInput(req.body, { isKnownSpecialty: isOfferedSpecialty });
  // The fields wait under an id the topic payload carries, so that a topic the post queue
  // holds (core's rules, or the plugin's image review) gets its seminar when accepted.
  const pendingId = await holdPendingSeminar({ uid, cid, title }, fields);
  let created;
  try {
    // Core's own create (POST /api/v3/topics): blacklist, post queue, new-topic events.
    created = await nodebb.api.topics.create(req, { cid, title, content, [SEMINAR_PENDING_FIELD]: pendingId });
  } catch (err) {
    await discardPendingSeminar(pendingId);
    throw err;
  }
  if (created.queued) {
    await markPendingQueued(pendingId, created.id);
    return { queued: true, message: '[[physician-network:seminars.form.queued]]' };
  }
  let topic: SeminarTopic = { tid: created.tid, cid, uid, title, slug: created.slug };
  try {
    topic = await topicOf(created.tid, topic);
    await publishPendingSeminar(pendingId, topic);
  } catch (err) {
    // The seminar could not be stored: take the topic back out rather than leave half a seminar.
    await nodebb.topics.purgePostsAndTopic(created.tid, uid);
    await discardPendingSeminar(pendingId);
    throw err;
  }
  return { tid: topic.tid, slug: topic.slug, path: topicPath(topic.slug, topic.tid) };
}

async function editSeminar(req: Request): Promise<{ tid: number; slug: string; path: string }> {
  const uid = callerUid(req);
  const seminar = await editableSeminar(tidOf(req), uid);
  const fields = await validateSeminarInput(req.body, { isKnownSpecialty: isOfferedSpecialty });
  const title = textField(req, 'title');
  const content = textField(req, 'content');
  if (title !== undefined || content !== undefined) {
    // NodeBB's own edit: its privilege check, history and search index stay right.
    const mainPid = Number(await nodebb.topics.getTopicField(seminar.tid, 'mainPid'));
    await nodebb.posts.edit({ pid: mainPid, uid, title, content: content ?? null, req });
  }
  const topic = await topicOf(seminar.tid, seminar);
  await saveValidatedSeminar(topic, fields);
  return { tid: topic.tid, slug: topic.slug, path: topicPath(topic.slug, topic.tid) };
}

async function rsvpAnswer(tid: number, result: RsvpResult, seminar: Seminar) {
  await notifyPromoted(seminar, result.promoted);
  return { state: result.state, counts: await getRsvpCounts(tid), promoted: result.promoted };
}

export function addSeminarApiRoutes(router: Router): void {
  const { setupApiRoute } = nodebb.routeHelpers;
  const none: [] = [];
  const base = '/physician-network/seminars';

  setupApiRoute(router, 'post', base, none, seminarController(createSeminar));
  setupApiRoute(router, 'get', `${base}/feed`, none, seminarController(async (req) => {
    const uid = memberUid(req, 'error.seminars-feed-members-only');
    return { hasToken: await hasFeedToken(uid), specialties: await getFeedSpecialties(uid), publicUrl: `${forumUrl()}/seminars.ics` };
  }));
  setupApiRoute(router, 'post', `${base}/feed/token`, none, seminarController(async (req) => {
    const token = await regenerateFeedToken(callerUid(req));
    return { url: `${forumUrl()}/seminars/feed/${token}.ics` };
  }));
  setupApiRoute(router, 'delete', `${base}/feed/token`, none, seminarController(async (req) => {
    const uid = memberUid(req, 'error.seminars-feed-members-only');
    await revokeFeedToken(uid);
    return {};
  }));
  setupApiRoute(router, 'put', `${base}/feed/specialties`, none, seminarController(async (req) => {
    const uid = memberUid(req, 'error.seminars-feed-members-only');
    const raw = bodyValue(req, 'specialties');
    const chosen = raw === 'all' ? 'all' : (Array.isArray(raw) ? raw : [raw]).filter((s): s is string => typeof s === 'string' && s !== '');
    if (chosen !== 'all') {
      for (const slug of chosen) {
        if (!await isOfferedSpecialty(slug)) {
          throw new UserFacingError('error.seminars-specialty-invalid', [slug.slice(0, 64)]);
        }
      }
    }
    await setFeedSpecialties(uid, chosen === 'all' || !chosen.length ? 'all' : chosen);
    return { specialties: await getFeedSpecialties(uid) };
  }));
  setupApiRoute(router, 'get', `${base}/:tid`, none, seminarController(async (req) => {
    const uid = callerUid(req);
    const seminar = await readableSeminar(tidOf(req), uid);
    const now = Date.now();
    const [state, counts, canEdit, banned] = await Promise.all([
      uid > 0 ? getRsvpState(seminar.tid, uid) : Promise.resolve('none' as const),
      getRsvpCounts(seminar.tid),
      canEditSeminar(seminar, uid),
      uid > 0 ? nodebb.userBans.bans.isBanned(uid) : Promise.resolve(false),
    ]);
    return {
      seminar: seminarView(seminar, viewerZoneOf(req)),
      rsvp: { state, counts },
      canEdit,
      canRsvp: uid > 0 && !banned && seminar.status !== 'cancelled' && seminar.end > now,
    };
  }));
  setupApiRoute(router, 'put', `${base}/:tid`, none, seminarController(editSeminar));
  setupApiRoute(router, 'post', `${base}/:tid/cancel`, none, seminarController(async (req) => {
    const seminar = await editableSeminar(tidOf(req), callerUid(req));
    const saved = await cancelAndNotify(seminar.tid);
    return { tid: saved.seminar.tid, status: saved.seminar.status };
  }));
  setupApiRoute(router, 'put', `${base}/:tid/rsvp`, none, seminarController(async (req) => {
    const uid = memberUid(req, 'error.seminars-rsvp-members-only');
    const seminar = await readableSeminar(tidOf(req), uid);
    return rsvpAnswer(seminar.tid, await setRsvp(seminar.tid, uid, bodyValue(req, 'choice')), seminar);
  }));
  setupApiRoute(router, 'delete', `${base}/:tid/rsvp`, none, seminarController(async (req) => {
    const uid = memberUid(req, 'error.seminars-rsvp-members-only');
    const seminar = await readableSeminar(tidOf(req), uid);
    return rsvpAnswer(seminar.tid, await removeRsvp(seminar.tid, uid), seminar);
  }));
}

// ---------------------------------------------------------------------------
// Calendar files (plain routes: calendar clients send no session and no CSRF token)

async function icsOptions(): Promise<IcsOptions> {
  const title = typeof nodebb.meta.config.title === 'string' && nodebb.meta.config.title ? nodebb.meta.config.title : 'NodeBB';
  return { baseUrl: forumUrl(), calendarName: `${title} – Seminars` };
}

function sendCalendar(res: Response, body: string, filename: string): void {
  res.status(200).set({
    'Content-Type': 'text/calendar; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
    'X-Content-Type-Options': 'nosniff',
    // A member's feed is personal; a seminar's file depends on who may read it.
    'Cache-Control': 'private, no-store',
  }).send(body);
}

function notFound(res: Response): void {
  res.status(404).set({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).send('Not found');
}

function calendarRoute(handler: (req: Request, res: Response) => Promise<void>): (req: Request, res: Response) => void {
  return (req, res) => {
    handler(req, res).catch((err: unknown) => {
      log.error(`${req.method} ${req.originalUrl}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      if (!res.headersSent) {
        res.status(500).set('Content-Type', 'text/plain; charset=utf-8').send('Error');
      }
    });
  };
}

/** `/seminars/:tid/ics`: one seminar, for whoever may read its topic (session cookie). */
async function sendSeminarIcs(req: Request, res: Response): Promise<void> {
  const tid = tidOf(req);
  const seminar = tid ? await getSeminar(tid) : null;
  if (!seminar || !await canViewSeminar(seminar, callerUid(req))) {
    notFound(res);
    return;
  }
  sendCalendar(res, seminarIcs(seminar, await icsOptions()), seminarIcsFilename(seminar));
}

/** `/seminars/feed/<token>.ics`: a member's subscription; unknown and revoked tokens get 404. */
async function sendMemberFeed(req: Request, res: Response): Promise<void> {
  const file = routeParam(req, 'file');
  const token = file.endsWith('.ics') ? file.slice(0, -4) : file;
  const body = await feedIcsForToken(token, await icsOptions());
  if (body === null) {
    notFound(res);
    return;
  }
  sendCalendar(res, body, 'seminars.ics');
}

/** `/seminars.ics[?specialties=a,b]`: what a guest may read. */
async function sendPublicFeed(req: Request, res: Response): Promise<void> {
  const raw = typeof req.query.specialties === 'string' ? req.query.specialties : '';
  const wanted = raw.split(',').map(s => s.trim()).filter(Boolean);
  // One read of the taxonomy, not one per slug asked for: calendar clients poll this route.
  const offered = new Set((await listOfferedSpecialties()).map(record => record.slug));
  const known = wanted.slice(0, 30).filter(slug => offered.has(slug));
  sendCalendar(res, await publicFeedIcs(known.length ? known : 'all', await icsOptions()), 'seminars.ics');
}

/**
 * Registered in static:app.load. Plain routes run none of NodeBB's page middleware, so the
 * one that needs to know who is asking runs authenticateRequest (session or API token).
 */
export function addCalendarRoutes(router: Router, middleware: HostMiddleware): void {
  const identify = [middleware.authenticateRequest].filter((m): m is RequestHandler => typeof m === 'function');
  router.get('/seminars.ics', calendarRoute(sendPublicFeed));
  router.get('/seminars/feed/:file', calendarRoute(sendMemberFeed));
  router.get('/seminars/:tid/ics', ...identify, calendarRoute(sendSeminarIcs));
}

// ---------------------------------------------------------------------------
// Hooks

interface TopicHookData { topic?: { tid?: unknown; cid?: unknown; title?: unknown; slug?: unknown }; [key: string]: unknown }

function hookTid(data: TopicHookData): number {
  const tid = Number(data.topic?.tid);
  return Number.isInteger(tid) && tid > 0 ? tid : 0;
}

/**
 * action:topic.purge, action:topic.delete, action:topic.restore, action:topic.edit: the
 * seminar follows its topic as the topic now is (reconcile.ts), so a hook that fired late,
 * twice or not at all is healed by the next one, the repair job or start-up.
 */
export async function purgeSeminarWithTopic(data: TopicHookData): Promise<void> {
  await followTopic(hookTid(data));
}

export async function hideSeminarWithTopic(data: TopicHookData): Promise<void> {
  await followTopic(hookTid(data));
}

export async function showSeminarWithTopic(data: TopicHookData): Promise<void> {
  await followTopic(hookTid(data));
}

export async function renameSeminarWithTopic(data: TopicHookData): Promise<void> {
  await followTopic(hookTid(data));
}

/** action:topic.move: the seminar follows its topic (and so the new category's privileges). */
export async function moveSeminarWithTopic(data: { tid?: unknown }): Promise<void> {
  await followTopic(Number(data.tid));
}

/**
 * action:topic.merge: core deletes the merged topics (their posts now in the kept one)
 * without firing action:topic.delete, so their seminars would stay listed. The kept topic
 * is followed too (a merge into a new title renames it).
 */
export async function followMergedTopics(data: { mergeIntoTid?: unknown; otherTids?: unknown }): Promise<void> {
  const others = Array.isArray(data.otherTids) ? data.otherTids.map(Number) : [];
  for (const tid of [...others, Number(data.mergeIntoTid)]) {
    await followTopic(tid);
  }
}

/** action:topic.changeOwner (src/posts/user.js, when a topic's main post changes owner): the seminar's author follows. */
export async function followTopicOwnerChange(data: { topics?: unknown }): Promise<void> {
  const changed = Array.isArray(data.topics) ? data.topics as ({ tid?: unknown } | null)[] : [];
  for (const topic of changed) {
    await followTopic(Number(topic?.tid));
  }
}

/**
 * filter:topic.create: core is creating the topic of a held seminar (published at once, or
 * accepted from the post queue). Its tid is recorded before the topic exists, so a crash
 * or a failed hook after this point is finished by reconciliation.
 */
export async function recordQueuedSeminarTopic<T extends { topic?: { tid?: unknown }; data?: unknown }>(payload: T): Promise<T> {
  const pendingId = pendingIdOf(payload.data);
  const tid = Number(payload.topic?.tid);
  if (pendingId && Number.isInteger(tid) && tid > 0) {
    await recordPendingTid(pendingId, tid);
  }
  return payload;
}

/** action:topic.post: a queued seminar's topic was accepted; the seminar is published with it. */
export async function publishAcceptedSeminar(data: { topic?: { tid?: unknown }; data?: unknown }): Promise<void> {
  const pendingId = pendingIdOf(data.data);
  const tid = Number(data.topic?.tid);
  const fromQueue = (data.data as { fromQueue?: unknown } | undefined)?.fromQueue;
  // Topics published at once are stored by the create route itself.
  if (!pendingId || fromQueue !== true || !Number.isInteger(tid) || tid <= 0) {
    return;
  }
  try {
    const topic = await topicOf(tid, { cid: 0, uid: 0, title: '', slug: '' });
    await publishPendingSeminar(pendingId, topic);
  } catch (err) {
    // The held fields know their tid (filter:topic.create): reconciliation publishes them.
    log.error(`seminar ${tid}: publishing after the post queue failed, retried on reconciliation: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** action:post-queue:removeFromQueue: a moderator rejected the topic; its seminar fields go with it. */
export async function discardRejectedSeminar(payload: { data?: { data?: unknown } }): Promise<void> {
  const pendingId = pendingIdOf(payload.data?.data);
  if (pendingId) {
    await discardPendingSeminar(pendingId);
  }
}

/** static:user.delete: their RSVPs go (seats pass to those waiting) and their feed stops. */
export async function forgetDeletedSeminarMember(data: { uid: number | string }): Promise<void> {
  const uid = Number(data.uid);
  if (!Number.isInteger(uid) || uid <= 0) {
    return;
  }
  await revokeFeedToken(uid);
  for (const { tid, promoted } of await removeMemberRsvps(uid)) {
    const seminar = promoted.length ? await getSeminar(tid) : null;
    if (seminar) {
      await notifyPromoted(seminar, promoted);
    }
  }
}

/** filter:user.notificationTypes: reminders, changes and waitlist seats, each a member setting. */
export async function registerSeminarNotificationTypes(data: NotificationTypes): Promise<NotificationTypes> {
  return addNotificationTypes(data, SEMINAR_NOTIFICATION_TYPES);
}

/**
 * Reminders every five minutes, only where runJobs is set; exactly-once delivery is the
 * reminder module's claim, so several processes or a restart never send twice.
 */
export async function scheduleSeminarJobs(): Promise<void> {
  await scheduleJob({
    name: 'physician-network:seminar-reminders',
    cronTime: '*/5 * * * *',
    description: 'seminar reminders',
    run: async () => sendDueReminders(),
  });
  await scheduleJob({
    name: 'physician-network:seminar-repair',
    cronTime: '*/5 * * * *',
    description: 'seminars out of step with their topics',
    run: async () => { await repairOutOfStepSeminars(); },
  });
}

/**
 * Start-up: the Organisers group and the Seminars category, under a forum-wide lock so that
 * processes starting together never create two categories (whichever gets the lock does it;
 * it is idempotent, so every start checks). A failure throws, for start-up to report and retry.
 */
export async function provisionSeminarsOnStart(): Promise<void> {
  await withForumLock('seminars-provision', 120, provisionSeminars);
}

/**
 * static:app.load, after provisioning: every seminar checked against its topic (hooks core
 * fired while the plugin was off, or that failed), and held seminars settled. One process.
 */
export async function reconcileSeminarsOnStart(): Promise<void> {
  if (!runsJobs()) {
    return;
  }
  try {
    const summary = await reconcileSeminarsWithTopics();
    if (summary.updated || summary.deleted || summary.failed || summary.published || summary.discarded) {
      log.info(`seminars reconciled with their topics: ${JSON.stringify(summary)}`);
    }
  } catch (err) {
    log.error(`seminars reconciliation failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

