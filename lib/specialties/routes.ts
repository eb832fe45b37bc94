/**
 * Every HTTP route of the specialties capability: the /physicians directory and the ACP
 * management page (NodeBB page routes), and the API v3 routes under
 * /api/v3/plugins/physician-network/ (admin only, but for a member's own directory listing).
 * Thin controllers: parse the request, call ./service.ts with the caller, shape through ./view.ts.
 */
import type { Request, Response, Router } from 'express';

import { nodebb } from '../nodebb';
import { apiController, bodyString, bodyValue, callerUid, routeParam, type CapabilityRoutes } from '../common/http';
import { breadcrumbs, pluginText, renderPage } from '../common/page';
import * as service from './service';
import { getProvisionedState } from './structure';
import { listOfferedSpecialties, listSpecialties } from './taxonomy';
import { acpSpecialtiesModel, directoryPageModel } from './view';

export const DIRECTORY_ROUTE = '/physicians';
export const ACP_SPECIALTIES_ROUTE = '/admin/plugins/physician-network/specialties';

// ---------------------------------------------------------------------------
// Pages

export async function renderDirectory(req: Request, res: Response): Promise<void> {
  const specialty = typeof req.query.specialty === 'string' ? req.query.specialty : '';
  const page = Number(typeof req.query.page === 'string' ? req.query.page : 1) || 1;
  const view = await service.viewDirectory(callerUid(req), specialty, page);
  if (!view) {
    await nodebb.controllerHelpers.notAllowed(req, res);
    return;
  }
  const [offered, records] = await Promise.all([listOfferedSpecialties(), listSpecialties()]);
  renderPage(res, 'physicians', directoryPageModel(view, offered, records), {
    breadcrumbs: breadcrumbs([{ text: pluginText('directory.title') }]),
  });
}

/** Behind setupAdminPageRoute: NodeBB lets only admins with admin:settings open it. */
export async function renderAcpSpecialties(_req: Request, res: Response): Promise<void> {
  const [records, state] = await Promise.all([listSpecialties(), getProvisionedState()]);
  renderPage(res, 'admin/plugins/physician-network/specialties', acpSpecialtiesModel(records, state));
}

// ---------------------------------------------------------------------------
// Request parsing

function uidList(value: unknown): number[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return list.map(v => Number(String(v).trim())).filter(n => n > 0);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** A form switch or a JSON boolean. */
function switchOn(value: unknown): boolean {
  return value === true || value === 'true' || value === 'on';
}

/** PUT specialties/:slug changes one thing, in this order of precedence: name, enabled, policy. */
function specialtyChange(req: Request): service.SpecialtyChange | null {
  if (bodyValue(req, 'name') !== undefined) {
    return { name: bodyValue(req, 'name') };
  }
  if (bodyValue(req, 'enabled') !== undefined) {
    return { enabled: switchOn(bodyValue(req, 'enabled')) };
  }
  if (bodyValue(req, 'policy') !== undefined) {
    return { policy: bodyValue(req, 'policy') };
  }
  return null;
}

// ---------------------------------------------------------------------------
// API v3 (every state change is a POST/PUT/DELETE)

function addApiRoutes(router: Router): void {
  const { setupApiRoute } = nodebb.routeHelpers;
  // No ensureLoggedIn: it would answer guests before apiController could delete their
  // multipart temp files. The service's policy checks answer guests with 401 themselves.
  const none: [] = [];
  const base = '/physician-network/specialties';

  setupApiRoute(router, 'get', base, none, apiController(async req => service.listForAdmin(callerUid(req))));
  setupApiRoute(router, 'post', base, none, apiController(async req => service.add(callerUid(req), {
    name: bodyString(req, 'name'), nameId: bodyString(req, 'nameId'), title: bodyString(req, 'title'),
  })));
  setupApiRoute(router, 'put', `${base}/order`, none, apiController(async req => service.reorder(callerUid(req), stringList(bodyValue(req, 'slugs')))));
  setupApiRoute(router, 'post', `${base}/provision`, none, apiController(async req => service.provision(callerUid(req))));
  setupApiRoute(router, 'get', `${base}/plan`, none, apiController(async req => service.planPolicy(callerUid(req))));
  setupApiRoute(router, 'post', `${base}/plan`, none, apiController(async req => service.applyPlan(callerUid(req), bodyString(req, 'planId'))));
  setupApiRoute(router, 'put', `${base}/:slug`, none, apiController(async req => service.change(callerUid(req), routeParam(req, 'slug'), specialtyChange(req))));
  setupApiRoute(router, 'post', `${base}/:slug/merge`, none, apiController(async req => service.merge(callerUid(req), routeParam(req, 'slug'), bodyString(req, 'into'))));
  setupApiRoute(router, 'put', `${base}/:slug/moderators`, none, apiController(async req => service.setModerators(callerUid(req), routeParam(req, 'slug'), uidList(bodyValue(req, 'uids')))));

  const member = '/physician-network/members/:uid/specialties';
  setupApiRoute(router, 'put', member, none, apiController(async req => service.setMemberSpecialties(
    callerUid(req), Number(routeParam(req, 'uid')), stringList(bodyValue(req, 'specialties')),
  )));
  setupApiRoute(router, 'delete', member, none, apiController(async req => service.removeMemberSpecialties(callerUid(req), Number(routeParam(req, 'uid')))));

  setupApiRoute(router, 'put', '/physician-network/directory/listing', none, apiController(async req => service.setOwnListing(callerUid(req), switchOn(bodyValue(req, 'listed')))));
}

export const routes = {
  /** static:app.load */
  pages(router: Router): void {
    const { setupAdminPageRoute, setupPageRoute } = nodebb.routeHelpers;
    setupAdminPageRoute(router, ACP_SPECIALTIES_ROUTE, [], renderAcpSpecialties);
    setupPageRoute(router, DIRECTORY_ROUTE, [], renderDirectory);
  },
  /** static:api.routes */
  api(router: Router): void {
    addApiRoutes(router);
  },
} satisfies CapabilityRoutes;
