/**
 * nodebb-plugin-physician-network: the table of contents.
 * Each export is a hook named in plugin.json; the work lives in lib/.
 */
import type { RequestHandler, Router } from 'express';

import { nodebb, log } from './lib/nodebb';
import type { HostMiddleware } from './lib/nodebb';
import { startCapabilities } from './lib/common/startup';
import {
  ACP_ROUTE, renderSettingsPage, checkSettingsBeforeSave, addAdminNavigation, addStartupApiRoutes,
} from './lib/settings/acp-page';
import {
  badgesOnTopicPosts, badgesOnPostSummaries, badgeOnProfile,
  undoUnauthorisedJoin, keepProtectedGroupsClosed, forgetDeletedMember,
} from './lib/specialties';
import {
  DIRECTORY_ROUTE, ACP_SPECIALTIES_ROUTE, renderDirectory, renderAcpSpecialties,
  addSpecialtyApiRoutes, refuseProtectedGroupApiJoins,
} from './lib/specialties/web';
import { addNavigationEntries } from './lib/common/navigation';
import {
  sanitiseUploadImage, storeUploadedImage, sanitiseUploadFile, storeUploadedFile,
  leaveExifToSanitiser, readImageSize, checkImageFileType, resizeImage, normaliseImage,
  addClinicalCategoriesToConfig, checkNewTopicConfirmation, checkReplyConfirmation, checkEditConfirmation,
  queueImagePostsForReview, keepEditedImagesInReview,
} from './lib/redaction';
import {
  QUEUE_ROUTE, REQUEST_PAGE_ROUTE, AUDIT_ROUTE, OWN_TAB_SHORTCUT, PROFILE_TAB, forgetDeletedVerificationMember,
  addVerificationApiRoutes, renderMemberTab, redirectToOwnTab, renderQueue, renderRequestPage, renderAuditPage,
  addProfileTab, registerNotificationType, addPendingCountForReviewers,
} from './lib/verification/web';
import * as seminarsCapability from './lib/seminars';
import {
  TRACKED_UPLOAD_ROUTES, trackUploadRequest, privateUploadRoute, servePrivateUpload,
  syncPostFromHook, syncMovedPost, forgetPurgedPosts, syncTopicFromHook,
} from './lib/private-uploads';
import { followTopicMove } from './lib/private-uploads/privatise';

interface AppLoadParams {
  router: Router;
  middleware: HostMiddleware;
}

interface ApiRoutesParams {
  router: Router;
  middleware: HostMiddleware;
}

/** NodeBB's own middlewares for a page under /user/:userslug (as its account pages use them). */
function accountMiddlewares(middleware: HostMiddleware): RequestHandler[] {
  const names = ['exposeUid', 'ensureLoggedIn', 'canViewUsers', 'checkAccountPermissions', 'buildAccountData'];
  return names.map(name => middleware[name]).filter((m): m is RequestHandler => typeof m === 'function');
}

/**
 * Every page goes through NodeBB's page routes (setupPageRoute / setupAdminPageRoute), so it
 * gets NodeBB's page middleware: its headers (security headers, caching), session, CSRF token
 * and /api twin. Only calendar files (.ics downloads) are plain routes.
 */
export function mountPages(router: Router, middleware: HostMiddleware): void {
  const { setupAdminPageRoute, setupPageRoute } = nodebb.routeHelpers;
  setupAdminPageRoute(router, ACP_ROUTE, [], renderSettingsPage);
  setupAdminPageRoute(router, ACP_SPECIALTIES_ROUTE, [], renderAcpSpecialties);
  setupPageRoute(router, DIRECTORY_ROUTE, [], renderDirectory);
  setupPageRoute(router, `/user/:userslug/${PROFILE_TAB}`, accountMiddlewares(middleware), renderMemberTab);
  setupPageRoute(router, OWN_TAB_SHORTCUT, [middleware.ensureLoggedIn], redirectToOwnTab);
  setupPageRoute(router, QUEUE_ROUTE, [middleware.ensureLoggedIn], renderQueue);
  setupPageRoute(router, REQUEST_PAGE_ROUTE, [middleware.ensureLoggedIn], renderRequestPage);
  setupPageRoute(router, AUDIT_ROUTE, [middleware.ensureLoggedIn], renderAuditPage);
  seminarsCapability.routes.pages(router, middleware);
}

/** static:app.load: pages, then each capability's start-up (provisioning, defaults, jobs). */
export async function init({ router, middleware }: AppLoadParams): Promise<void> {
  mountPages(router, middleware);
  addPrivateUploadRoutes(router, middleware);
  // NodeBB gives static:app.load 10 s, and provisioning a new forum (54 categories) takes longer:
  // start-up runs in the background. Each capability on its own: a failure is logged, shown in
  // the ACP and retried, never thrown here.
  startCapabilities().then(() => { log.verbose('started'); }, (err: unknown) => {
    log.error(`start-up stopped: ${err instanceof Error ? err.message : String(err)}`);
  });
}

/**
 * Private uploads: the upload routes are noted on their way in (NodeBB's upload hooks get the
 * file, not the request), and private files are served at an address under upload_url that no
 * file in the upload folder answers. Plugin routes run before NodeBB's own and its static folders.
 */
function addPrivateUploadRoutes(router: Router, middleware: HostMiddleware): void {
  router.post(TRACKED_UPLOAD_ROUTES, trackUploadRequest);
  const authenticate = middleware.authenticateRequest;
  const before = typeof authenticate === 'function' ? [authenticate as RequestHandler] : [];
  router.get(privateUploadRoute(), ...before, (req, res) => { void servePrivateUpload(req as never, res); });
}

/** static:api.routes: everything that changes state, under /api/v3/plugins/physician-network/. */
export async function addApiRoutes({ router, middleware }: ApiRoutesParams): Promise<void> {
  addSpecialtyApiRoutes(router);
  addVerificationApiRoutes(router);
  seminarsCapability.routes.api(router);
  addStartupApiRoutes(router, middleware);
}

/** ACP: nav entry and save-time validation of the settings. */
export const admin = {
  navigation: addAdminNavigation,
  checkSettings: checkSettingsBeforeSave,
};

/** Forum navigation entries an admin can enable (ACP › Settings › Navigation). */
export const navigation = addNavigationEntries;

/** Specialties: badges, closed groups, and forgetting deleted members. */
export const specialties = {
  badgesOnTopicPosts,
  badgesOnPostSummaries,
  badgeOnProfile,
  undoUnauthorisedJoin,
  keepProtectedGroupsClosed,
  refuseProtectedGroupApiJoins,
  forgetDeletedMember,
};

/**
 * Image redaction: every upload path NodeBB gives a hook is sanitised before anything is
 * stored (early listeners), and stored like core when no storage plugin took it (late ones).
 */
export const redaction = {
  sanitiseUploadImage,
  storeUploadedImage,
  sanitiseUploadFile,
  storeUploadedFile,
  leaveExifToSanitiser,
  readImageSize,
  checkImageFileType,
  resizeImage,
  normaliseImage,
  addClinicalCategoriesToConfig,
  checkNewTopicConfirmation,
  checkReplyConfirmation,
  checkEditConfirmation,
  queueImagePostsForReview,
  keepEditedImagesInReview,
};

/**
 * Private uploads: each private file's list of posts showing it follows the posts and topics
 * (saved, edited, moved, deleted, restored, purged).
 */
export const privateUploads = {
  syncPost: syncPostFromHook,
  syncMovedPost,
  forgetPurgedPosts,
  syncTopic: syncTopicFromHook,
  followTopicMove,
};

/** Verification: the member's profile tab, the notification type, and account deletion. */
export const verification = {
  addProfileTab,
  registerNotificationType,
  forgetDeletedMember: forgetDeletedVerificationMember,
  addPendingCountForReviewers,
};

/**
 * Seminars: the topic's lifecycle (and the post queue) carries its seminar, members choose how notices reach them,
 * and the "Upcoming seminars" widget (its ACP form and its HTML for each viewer).
 */
export const seminars = seminarsCapability.hooks;
