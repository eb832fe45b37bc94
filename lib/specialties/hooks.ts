/**
 * The specialties capability's NodeBB hooks (plugin.json `specialties.<name>`) and its start-up:
 * badges beside names, the guards that keep the plugin's groups closed, forgetting deleted
 * members, and provisioning on the first start.
 */
import type { Request, Response } from 'express';

import { nodebb, log } from '../nodebb';
import { callerUid } from '../common/http';
import { UserFacingError } from '../common/user-error';
import { withForumLock } from '../common/lock';
import { badgeOnProfile, badgesOnPostSummaries, badgesOnTopicPosts } from './badges';
import { keepProtectedGroupsClosed, undoUnauthorisedJoin } from './join-guard';
import { forgetDeletedMember } from './membership';
import { VERIFIED_PHYSICIANS_GROUP } from './policy';
import { readProvisioningRun, recordProvisioned } from './store';
import { provisionStructure } from './structure';
import { listSpecialties } from './taxonomy';

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
    await recordProvisioned('startedAt', Date.now());
    await provisionStructure();
    await recordProvisioned('finishedAt', Date.now());
  });
}

/**
 * Has a first provisioning run finished? A forum provisioned before the plugin recorded runs
 * has its parent category and no start time: its run counted as done then, and still does.
 */
async function provisioningFinished(): Promise<boolean> {
  const run = await readProvisioningRun();
  if (run.finishedAt > 0) {
    return true;
  }
  if (run.parentCid > 0 && !(run.startedAt > 0)) {
    await recordProvisioned('finishedAt', Date.now());
    return true;
  }
  return false;
}

export const hooks = {
  /** filter:topics.addPostData */
  badgesOnTopicPosts,
  /** filter:post.getPostSummaryByPids */
  badgesOnPostSummaries,
  /** filter:helpers.getUserDataByUserSlug */
  badgeOnProfile,
  /** action:group.join */
  undoUnauthorisedJoin,
  /** filter:group.update */
  keepProtectedGroupsClosed,
  /** response:router.page */
  refuseProtectedGroupApiJoins,
  /** static:user.delete */
  forgetDeletedMember,
};
