/**
 * Specialties on the web: the /physicians directory, the ACP management page, the admin
 * API v3 routes, and the gate that refuses API joins into protected groups before they happen.
 */
import type { Request, Response, Router } from 'express';

import { nodebb, log } from '../nodebb';
import { apiController, bodyString, bodyValue, callerUid, requireAdmin, routeParam } from '../common/http';
import { UserFacingError } from '../common/user-error';
import { breadcrumbs, escapedByNodeBB, pageModel, pluginText, renderPage } from '../common/page';
import { withForumLock } from '../common/lock';
import { keys } from './keys';
import { ACCESS_POLICIES, VERIFIED_PHYSICIANS_GROUP } from './policy';
import { addSpecialty, listOfferedSpecialties, listSpecialties, pageName } from './taxonomy';
import { mergeSpecialties, renameSpecialty, setSpecialtyEnabled, setSpecialtyOrder, setSpecialtyPolicy } from './admin';
import { applyPolicyPlan, getProvisionedState, planPolicyChanges, provisionStructure, setSpecialtyModerators } from './structure';
import { canViewDirectory, listDirectory, setDirectoryOptOut } from './directory';
import { getMember, removeVerification, setVerifiedSpecialties } from './membership';

export const DIRECTORY_ROUTE = '/physicians';
export const ACP_SPECIALTIES_ROUTE = '/admin/plugins/physician-network/specialties';

// ---------------------------------------------------------------------------
// Pages

export async function renderDirectory(req: Request, res: Response): Promise<void> {
  const uid = callerUid(req);
  if (!await canViewDirectory(uid)) {
    await nodebb.controllerHelpers.notAllowed(req, res);
    return;
  }
  const specialty = typeof req.query.specialty === 'string' ? req.query.specialty : '';
  const page = Number(typeof req.query.page === 'string' ? req.query.page : 1) || 1;
  const [records, allRecords] = await Promise.all([listOfferedSpecialties(), listSpecialties()]);
  const bySlug = new Map(allRecords.map(r => [r.slug, r]));
  let directory;
  try {
    directory = await listDirectory({ specialty, page });
  } catch {
    // An unknown specialty in the address: show everyone rather than an error page.
    directory = await listDirectory({ page });
  }
  const member = await getMember(uid);
  renderPage(res, 'physicians', pageModel({
    title: pluginText('directory.title'),
    ...directory,
    members: directory.members.map(m => ({
      ...m,
      // NodeBB's user data escaped these.
      username: escapedByNodeBB(m.username),
      picture: escapedByNodeBB(m.picture),
      specialties: m.specialties.map(s => {
        const record = bySlug.get(s.slug);
        return { ...s, name: record ? pageName(record) : s.name };
      }),
    })),
    specialties: records.map(r => ({ slug: r.slug, name: pageName(r), selected: r.slug === directory.specialty })),
    isVerifiedMember: member.verified,
    listed: member.verified && !member.directoryOptOut,
    pagination: {
      prev: directory.page > 1 ? directory.page - 1 : 0,
      next: directory.page < directory.pageCount ? directory.page + 1 : 0,
    },
  }), { breadcrumbs: breadcrumbs([{ text: pluginText('directory.title') }]) });
}

export async function renderAcpSpecialties(_req: Request, res: Response): Promise<void> {
  const [records, state] = await Promise.all([listSpecialties(), getProvisionedState()]);
  const byOrder = [...records].sort((a, b) => a.order - b.order);
  renderPage(res, 'admin/plugins/physician-network/specialties', pageModel({
    title: pluginText('acp.specialties.title'),
    provisioned: state.parentCid > 0,
    specialties: byOrder.map(r => ({
      ...r,
      displayName: pageName(r),
      moderatorList: r.moderators.join(', '),
      policies: ACCESS_POLICIES.map(policy => ({ value: policy, selected: policy === r.policy })),
      mergeTargets: byOrder.filter(t => t.slug !== r.slug && !t.mergedInto).map(t => ({ slug: t.slug, name: pageName(t) })),
    })),
  }));
}

// ---------------------------------------------------------------------------
// Admin API (all admin-only; every state change is a POST/PUT under /api/v3/plugins/physician-network)

const admin = (work: (req: Request) => Promise<unknown>) => apiController(async (req) => {
  await requireAdmin(req);
  return work(req);
});

function uidList(value: unknown): number[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return list.map(v => Number(String(v).trim())).filter(n => n > 0);
}

export function addSpecialtyApiRoutes(router: Router): void {
  const { setupApiRoute } = nodebb.routeHelpers;
  // No ensureLoggedIn: it would answer guests before apiController could delete their
  // multipart temp files. requireAdmin and memberUid answer guests with 401 themselves.
  const none: [] = [];
  const base = '/physician-network/specialties';

  setupApiRoute(router, 'get', base, none, admin(async () => ({ specialties: await listSpecialties(), provisioned: await getProvisionedState() })));
  setupApiRoute(router, 'post', base, none, admin(async req => addSpecialty({
    name: bodyString(req, 'name'), nameId: bodyString(req, 'nameId'), title: bodyString(req, 'title'),
  })));
  setupApiRoute(router, 'put', `${base}/order`, none, admin(async req => ({ specialties: await setSpecialtyOrder(
    Array.isArray(bodyValue(req, 'slugs')) ? (bodyValue(req, 'slugs') as unknown[]).map(String) : [],
  ) })));
  setupApiRoute(router, 'post', `${base}/provision`, none, admin(async () => provisionStructure()));
  setupApiRoute(router, 'get', `${base}/plan`, none, admin(async () => planPolicyChanges()));
  setupApiRoute(router, 'post', `${base}/plan`, none, admin(async req => applyPolicyPlan(bodyString(req, 'planId'))));
  setupApiRoute(router, 'put', `${base}/:slug`, none, admin(async (req) => {
    const slug = routeParam(req, 'slug');
    if (bodyValue(req, 'name') !== undefined) {
      return renameSpecialty(slug, bodyValue(req, 'name'));
    }
    if (bodyValue(req, 'enabled') !== undefined) {
      const enabled = bodyValue(req, 'enabled');
      return setSpecialtyEnabled(slug, enabled === true || enabled === 'true' || enabled === 'on');
    }
    if (bodyValue(req, 'policy') !== undefined) {
      // Stores the policy and returns the plan; nothing changes in NodeBB until the plan is applied.
      return setSpecialtyPolicy(slug, bodyValue(req, 'policy'));
    }
    throw new UserFacingError('error.invalid-request');
  }));
  setupApiRoute(router, 'post', `${base}/:slug/merge`, none, admin(async req => mergeSpecialties(routeParam(req, 'slug'), bodyString(req, 'into'), callerUid(req))));
  setupApiRoute(router, 'put', `${base}/:slug/moderators`, none, admin(async req => setSpecialtyModerators(routeParam(req, 'slug'), uidList(bodyValue(req, 'uids')))));

  // Admins may set or remove a member's verified specialties directly (a community moving
  // its already-checked members over); reviewers normally do this through verification.
  setupApiRoute(router, 'put', '/physician-network/members/:uid/specialties', none, admin(async req => setVerifiedSpecialties(
    Number(routeParam(req, 'uid')),
    Array.isArray(bodyValue(req, 'specialties')) ? (bodyValue(req, 'specialties') as unknown[]).map(String) : [],
  )));
  setupApiRoute(router, 'delete', '/physician-network/members/:uid/specialties', none, admin(async (req) => {
    await removeVerification(Number(routeParam(req, 'uid')));
    return {};
  }));

  // The member's own directory listing.
  setupApiRoute(router, 'put', '/physician-network/directory/listing', none, apiController(async (req) => {
    const uid = callerUid(req);
    if (uid <= 0) {
      throw new UserFacingError('error.not-allowed', [], 401);
    }
    const listed = bodyValue(req, 'listed');
    await setDirectoryOptOut(uid, !(listed === true || listed === 'true' || listed === 'on'));
    return { listed: listed === true || listed === 'true' || listed === 'on' };
  }));
}

// ---------------------------------------------------------------------------
// Join gate

/**
 * NodeBB's group routes that change who is in a group (src/routes/write/groups.js):
 * membership (join, leave, kick), pending (accept), invites (issue, accept), ownership.
 * Express matches routes case-insensitively and with an optional trailing slash, so the
 * address is matched the same way here; the slug is compared after decoding, in lower case.
 */
const GROUP_MEMBERSHIP_CHANGE = /\/api\/v3\/groups\/([^/]+)\/(membership|pending|invites|ownership)\/[^/]+\/?$/i;
/** `DELETE /api/v3/groups/:slug` destroys the group: every member out at once, and the categories' privileges with it. */
const GROUP_ITSELF = /\/api\/v3\/groups\/([^/]+)\/?$/i;

async function protectedGroupSlugs(): Promise<Set<string>> {
  const records = await listSpecialties();
  const names = [VERIFIED_PHYSICIANS_GROUP, ...records.map(r => r.groupName).filter(Boolean)];
  const slugify = nodebb.slugify;
  return new Set(names.map(name => slugify(name).toLowerCase()));
}

/** The slug as core's controller would see it: Express's decoded parameter, else decoded from the address. */
function requestedSlug(req: Request, fromUrl: string): string | null {
  const param: unknown = (req.params as Record<string, unknown> | undefined)?.slug;
  if (typeof param === 'string' && param !== '') {
    return param;
  }
  try {
    return decodeURIComponent(fromUrl);
  } catch {
    // Express refuses a malformed escape with 400 before any controller runs.
    return null;
  }
}

interface RouterPageEvent {
  req: Request;
  res: Response;
}

/**
 * Hook `response:router.page` (fires on every API v3 route before its controller): refuse any
 * request that would add someone to "Verified physicians" or a specialty group (join, accept
 * a request, invite, make owner) or take someone out of it (leave, kick, rescind ownership,
 * delete the whole group), whoever asks. The plugin's own joins do not use the API. `action:group.join` still undoes
 * joins that reach the groups by any other path.
 */
export async function refuseProtectedGroupApiJoins({ req, res }: RouterPageEvent): Promise<void> {
  if (req.method === 'GET' || req.method === 'HEAD' || res.headersSent) {
    return;
  }
  const path = req.originalUrl.split('?')[0] ?? '';
  const match = GROUP_MEMBERSHIP_CHANGE.exec(path) ?? (req.method === 'DELETE' ? GROUP_ITSELF.exec(path) : null);
  if (!match) {
    return;
  }
  const kind = (match[2] ?? '').toLowerCase();
  // Turning down a request or an invitation is harmless; every other change (joining,
  // accepting, inviting, owning, and removing a member behind verification's back) is refused.
  if (req.method === 'DELETE' && (kind === 'pending' || kind === 'invites')) {
    return;
  }
  const slug = requestedSlug(req, match[1] ?? '');
  if (slug !== null && (await protectedGroupSlugs()).has(slug.toLowerCase())) {
    log.verbose(`refused ${req.method} ${req.originalUrl} by uid ${callerUid(req)}: protected group`);
    await nodebb.controllerHelpers.formatApiResponse(403, res, new UserFacingError('error.specialties-group-closed', [], 403));
  }
}

// ---------------------------------------------------------------------------
// First start after activation

/**
 * NodeBB loads a plugin's code only after activation and a restart, so "on activation" means
 * the first start: provision once, under a forum-wide lock so that several processes starting
 * together never create the structure twice (whichever gets the lock does it; the others go
 * on). A run that fails throws, so start-up reports it and tries again on the next start;
 * once a run has finished, later runs come from the ACP button only, so a start never
 * recreates what an admin removed on purpose.
 */
export async function provisionOnFirstStart(): Promise<void> {
  if (await provisioningFinished()) {
    return;
  }
  await withForumLock('provision', 600, async () => {
    // Another process may have finished while this one waited for its turn.
    if (await provisioningFinished()) {
      return;
    }
    // Marks this as a run the plugin tracks, so an interrupted one is never taken for a legacy forum's.
    await nodebb.db.setObjectField(keys.provisioned, 'startedAt', Date.now());
    await provisionStructure();
    await nodebb.db.setObjectField(keys.provisioned, 'finishedAt', Date.now());
  });
}

/**
 * Has a first provisioning run finished? A forum provisioned before the plugin recorded runs
 * has its parent category and no start time: its run counted as done then, and still does.
 */
async function provisioningFinished(): Promise<boolean> {
  const state = await nodebb.db.getObjectFields(keys.provisioned, ['finishedAt', 'startedAt', 'parentCid']);
  if (Number(state.finishedAt) > 0) {
    return true;
  }
  if (Number(state.parentCid) > 0 && !(Number(state.startedAt) > 0)) {
    await nodebb.db.setObjectField(keys.provisioned, 'finishedAt', Date.now());
    return true;
  }
  return false;
}
