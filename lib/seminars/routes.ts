/**
 * Every HTTP route of the seminars capability, registered here and nowhere else: the pages
 * (listings, calendar, form), the API v3 routes (openapi/physician-network.yaml) and the
 * calendar files (.ics downloads and feeds). Controllers are thin: they read the request, call
 * the service (or a view builder) with the caller, and send what it answers.
 */
import { positiveId } from '../common/ids';
import type { Request, RequestHandler, Response, Router } from 'express';

import { nodebb, log } from '../nodebb';
import type { HostMiddleware, PageController } from '../nodebb';
import { apiController, bodyValue, callerUid, forumUrl, relativePath, routeParam } from '../common/http';
import { breadcrumbs, pageModel, pluginText, renderNotFound, renderPage } from '../common/page';
import { listOfferedSpecialties } from '../specialties/taxonomy';
import { getSeminar } from './store';
import { canCreate, canEditSeminar, canViewSeminar } from './policy';
import {
  answerRsvp, cancel, chooseFeedSpecialties, createSeminar, editSeminar, feedSettings, renewFeed, revokeFeed,
  seminarCategoriesFor, seminarDetails, withdrawRsvp, type Caller,
} from './service';
import { feedIcsForToken, publicFeedIcs } from './feed';
import { seminarIcs, seminarIcsFilename, type IcsOptions } from './ics';
import { listingPageData, type ListingPageData } from './listing-view';
import { calendarPageData, type CalendarPageData } from './calendar-view';
import {
  COMMON_LANGUAGES, formValuesOf, newFormValues, pageLanguage, renderSeminarForm, topicTextOf,
} from './form-view';
import { knownViewerZone, viewerZoneOf } from './viewer';
import {
  EDIT_SEMINAR_ROUTE, NEW_SEMINAR_ROUTE, SEMINARS_CALENDAR_MONTH_ROUTE, SEMINARS_CALENDAR_ROUTE, SEMINARS_PAST_ROUTE, SEMINARS_ROUTE,
} from './paths';

function tidOf(req: Request): number {
  return positiveId(routeParam(req, 'tid'));
}

function callerOf(req: Request): Caller {
  return { uid: callerUid(req), req };
}

function textField(req: Request, name: string): string | undefined {
  const value = bodyValue(req, name);
  return typeof value === 'string' ? value : undefined;
}

// ---------------------------------------------------------------------------
// Pages

/** A listing or calendar page: its data through the page model, its crumbs as NodeBB's. */
function renderListing(res: Response, template: string, data: ListingPageData | CalendarPageData): void {
  const { crumbs, ...model } = data;
  renderPage(res, template, pageModel(model), { breadcrumbs: breadcrumbs(crumbs) });
}

export async function renderUpcoming(req: Request, res: Response): Promise<void> {
  renderListing(res, 'seminars', await listingPageData(req, 'upcoming'));
}

export async function renderPast(req: Request, res: Response): Promise<void> {
  renderListing(res, 'seminars', await listingPageData(req, 'past'));
}

export async function renderCalendar(req: Request, res: Response): Promise<void> {
  renderListing(res, 'seminars-calendar', await calendarPageData(req));
}

/** /seminars/new: verified physicians, the organiser group and admins. */
export async function renderNewSeminar(req: Request, res: Response): Promise<void> {
  const uid = callerUid(req);
  if (!await canCreate(uid)) {
    await nodebb.controllerHelpers.notAllowed(req, res);
    return;
  }
  const categories = await seminarCategoriesFor(uid);
  const wanted = Number(req.query.cid);
  const cid = categories.find(c => c.cid === wanted)?.cid ?? categories[0]?.cid ?? 0;
  const lang = pageLanguage(res);
  const primary = lang.split('-')[0] ?? 'en';
  const values = newFormValues(knownViewerZone(req), COMMON_LANGUAGES.includes(primary) ? primary : 'en', cid);
  await renderSeminarForm(res, pluginText('seminars.form.title-new'), values, { categories, isEdit: false, lang });
}

/** /seminars/:tid/edit: the author, the category's moderators and admins. */
export async function renderEditSeminar(req: Request, res: Response): Promise<void> {
  const uid = callerUid(req);
  const tid = Number(routeParam(req, 'tid'));
  const seminar = Number.isInteger(tid) && tid > 0 ? await getSeminar(tid) : null;
  if (!seminar || seminar.hidden) {
    renderNotFound(res);
    return;
  }
  if (!await canEditSeminar(seminar, uid)) {
    await nodebb.controllerHelpers.notAllowed(req, res);
    return;
  }
  const topic = await topicTextOf(tid);
  const { name } = await nodebb.categories.getCategoryFields(seminar.cid, ['name']);
  // The category is shown, not changed here: moving a topic is NodeBB's own moderator tool.
  const categories = [{ cid: seminar.cid, name: typeof name === 'string' ? name : String(seminar.cid) }];
  await renderSeminarForm(res, pluginText('seminars.form.title-edit'), formValuesOf(seminar, topic), {
    categories, isEdit: true, tid, topicPath: `${relativePath()}/topic/${topic.slug}`, lang: pageLanguage(res),
  });
}

// ---------------------------------------------------------------------------
// API v3 (under /api/v3/plugins): seminar routes take no files; apiController deletes any
// multipart temp file whatever the outcome, and passes on core's refusals (topic create, post edit).

function seminarController(handler: (req: Request) => Promise<unknown>): PageController {
  return apiController(handler, { passCoreRefusals: true });
}

/** The specialties a feed should carry, as sent: 'all', or the non-empty strings among them. */
function chosenSpecialties(raw: unknown): string[] | 'all' {
  return raw === 'all' ? 'all' : (Array.isArray(raw) ? raw : [raw]).filter((s): s is string => typeof s === 'string' && s !== '');
}

export function addSeminarApiRoutes(router: Router): void {
  const { setupApiRoute } = nodebb.routeHelpers;
  const none: [] = [];
  const base = '/physician-network/seminars';
  const submission = (req: Request) => ({ title: textField(req, 'title'), content: textField(req, 'content'), form: req.body as unknown });

  setupApiRoute(router, 'post', base, none, seminarController(async req => createSeminar(callerOf(req), Number(bodyValue(req, 'cid')), submission(req))));
  setupApiRoute(router, 'get', `${base}/feed`, none, seminarController(async req => feedSettings(callerOf(req))));
  setupApiRoute(router, 'post', `${base}/feed/token`, none, seminarController(async req => renewFeed(callerOf(req))));
  setupApiRoute(router, 'delete', `${base}/feed/token`, none, seminarController(async req => revokeFeed(callerOf(req))));
  setupApiRoute(router, 'put', `${base}/feed/specialties`, none, seminarController(async req => chooseFeedSpecialties(callerOf(req), chosenSpecialties(bodyValue(req, 'specialties')))));
  setupApiRoute(router, 'get', `${base}/:tid`, none, seminarController(async req => seminarDetails(callerOf(req), tidOf(req), viewerZoneOf(req))));
  setupApiRoute(router, 'put', `${base}/:tid`, none, seminarController(async req => editSeminar(callerOf(req), tidOf(req), submission(req))));
  setupApiRoute(router, 'post', `${base}/:tid/cancel`, none, seminarController(async req => cancel(callerOf(req), tidOf(req))));
  setupApiRoute(router, 'put', `${base}/:tid/rsvp`, none, seminarController(async req => answerRsvp(callerOf(req), tidOf(req), bodyValue(req, 'choice'))));
  setupApiRoute(router, 'delete', `${base}/:tid/rsvp`, none, seminarController(async req => withdrawRsvp(callerOf(req), tidOf(req))));
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

/**
 * Plain routes run none of NodeBB's page middleware, so the one that needs to know who is
 * asking runs authenticateRequest (session or API token).
 */
export function addCalendarRoutes(router: Router, middleware: HostMiddleware): void {
  const identify = [middleware.authenticateRequest].filter((m): m is RequestHandler => typeof m === 'function');
  router.get('/seminars.ics', calendarRoute(sendPublicFeed));
  router.get('/seminars/feed/:file', calendarRoute(sendMemberFeed));
  router.get('/seminars/:tid/ics', ...identify, calendarRoute(sendSeminarIcs));
}

/**
 * The pages go through NodeBB's page routes (its page middleware, headers, session, CSRF
 * token and /api twin); the calendar files are plain routes. Listings are open to guests:
 * each shows only seminars in categories the viewer may read.
 */
export function addPageRoutes(router: Router, middleware: HostMiddleware): void {
  const { setupPageRoute } = nodebb.routeHelpers;
  // Before any /seminars/:param route, so "new" is never read as a topic id.
  setupPageRoute(router, NEW_SEMINAR_ROUTE, [middleware.ensureLoggedIn], renderNewSeminar);
  setupPageRoute(router, EDIT_SEMINAR_ROUTE, [middleware.ensureLoggedIn], renderEditSeminar);
  addCalendarRoutes(router, middleware);
  setupPageRoute(router, SEMINARS_ROUTE, [], renderUpcoming);
  setupPageRoute(router, SEMINARS_PAST_ROUTE, [], renderPast);
  setupPageRoute(router, SEMINARS_CALENDAR_ROUTE, [], renderCalendar);
  setupPageRoute(router, SEMINARS_CALENDAR_MONTH_ROUTE, [], renderCalendar);
}

export const routes = {
  pages: addPageRoutes,
  api: (router: Router): void => { addSeminarApiRoutes(router); },
};
