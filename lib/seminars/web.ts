/**
 * Seminars on the web, server side: the API v3 routes (openapi/physician-network.yaml), the
 * .ics download and calendar feeds, the topic lifecycle hooks, the reminder job, the
 * notification types and provisioning. Pages live in pages.ts, form-page.ts and topic-panel.ts.
 */
import type { Request, RequestHandler, Response, Router } from 'express';

import { nodebb, log } from '../nodebb';
import type { HostMiddleware, PageController } from '../nodebb';
import { bodyValue, callerUid, forumUrl, routeParam, sendApiError } from '../common/http';
import { isUserFacingError, UserFacingError } from '../common/user-error';
import { addNotificationTypes, scheduleJob, type NotificationTypes } from '../common/host-registrations';
import { withForumLock } from '../common/lock';
import { isOfferedSpecialty, listOfferedSpecialties } from '../specialties/taxonomy';
import { canEditSeminar } from './permissions';
import { canCreate, viewerZoneOf } from './viewer';
import { provisionSeminars, seminarCategoryCids } from './provision';
import { validateSeminarInput } from './validation';
import { getSeminar, updateSeminarTopic, deleteSeminar } from './store';
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

function seminarController(handler: (req: Request) => Promise<unknown>): PageController {
  return async (req, res) => {
    try {
      await nodebb.controllerHelpers.formatApiResponse(200, res, await handler(req) ?? {});
    } catch (err) {
      await sendApiError(res, asUserFacing(err));
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

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * NodeBB stores topic titles HTML-escaped; a seminar keeps plain text, because calendar
 * files and JSON-LD are not HTML (pages escape it again when they render it).
 */
export function plainTitle(stored: string): string {
  return stored.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
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

async function createSeminar(req: Request): Promise<{ tid: number; slug: string; path: string }> {
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
  const { topicData } = await nodebb.topics.post({ uid, cid, title, content, req });
  let topic: SeminarTopic = { tid: topicData.tid, cid, uid, title, slug: topicData.slug };
  try {
    topic = await topicOf(topicData.tid, topic);
    await saveValidatedSeminar(topic, fields);
  } catch (err) {
    // The seminar could not be stored: take the topic back out rather than leave half a seminar.
    await nodebb.topics.purgePostsAndTopic(topicData.tid, uid);
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
    const [state, counts, canEdit] = await Promise.all([
      uid > 0 ? getRsvpState(seminar.tid, uid) : Promise.resolve('none' as const),
      getRsvpCounts(seminar.tid),
      canEditSeminar(seminar, uid),
    ]);
    return {
      seminar: seminarView(seminar, viewerZoneOf(req)),
      rsvp: { state, counts },
      canEdit,
      canRsvp: uid > 0 && seminar.status !== 'cancelled' && seminar.end > now,
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

/** action:topic.purge: the seminar, its RSVPs and indexes go with the topic. */
export async function purgeSeminarWithTopic(data: TopicHookData): Promise<void> {
  const tid = hookTid(data);
  if (tid && await getSeminar(tid)) {
    await deleteSeminar(tid);
  }
}

/** action:topic.delete / action:topic.restore: a deleted topic's seminar leaves every listing and feed. */
export async function hideSeminarWithTopic(data: TopicHookData): Promise<void> {
  const tid = hookTid(data);
  if (tid && await getSeminar(tid)) {
    await updateSeminarTopic(tid, { hidden: true });
  }
}

export async function showSeminarWithTopic(data: TopicHookData): Promise<void> {
  const tid = hookTid(data);
  if (tid && await getSeminar(tid)) {
    await updateSeminarTopic(tid, { hidden: false });
  }
}

/** action:topic.move: the seminar follows its topic (and so the new category's privileges). */
export async function moveSeminarWithTopic(data: { tid?: unknown; toCid?: unknown }): Promise<void> {
  const tid = Number(data.tid);
  const cid = Number(data.toCid);
  if (Number.isInteger(tid) && tid > 0 && Number.isInteger(cid) && cid > 0 && await getSeminar(tid)) {
    await updateSeminarTopic(tid, { cid });
  }
}

/** action:topic.edit: a renamed topic renames its seminar (listings, feeds, the .ics SUMMARY). */
export async function renameSeminarWithTopic(data: TopicHookData): Promise<void> {
  const tid = hookTid(data);
  const title = data.topic?.title;
  const seminar = tid ? await getSeminar(tid) : null;
  if (seminar && typeof title === 'string' && plainTitle(title) !== seminar.title) {
    const slug = data.topic?.slug;
    await updateSeminarTopic(tid, { title: plainTitle(title), ...(typeof slug === 'string' && slug ? { slug } : {}) });
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
}

/**
 * Start-up: the Organisers group and the Seminars category, under a forum-wide lock so that
 * processes starting together never create two categories (whichever gets the lock does it;
 * it is idempotent, so every start checks). A failure throws, for start-up to report and retry.
 */
export async function provisionSeminarsOnStart(): Promise<void> {
  await withForumLock('seminars-provision', 120, provisionSeminars);
}

