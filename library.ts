/**
 * nodebb-plugin-physician-network: the table of contents.
 * Each export is a hook named in plugin.json; the work lives in lib/.
 */
import type { Router } from 'express';

import { log } from './lib/nodebb';
import type { HostMiddleware } from './lib/nodebb';
import { startCapabilities, startupRoutes } from './lib/common/startup';
import * as settingsCapability from './lib/settings';
import * as specialtiesCapability from './lib/specialties';
import { addNavigationEntries } from './lib/common/navigation';
import * as redactionCapability from './lib/redaction';
import * as verificationCapability from './lib/verification';
import * as seminarsCapability from './lib/seminars';
import * as privateUploadsCapability from './lib/private-uploads';

interface AppLoadParams {
  router: Router;
  middleware: HostMiddleware;
}

interface ApiRoutesParams {
  router: Router;
  middleware: HostMiddleware;
}

/**
 * Every page goes through NodeBB's page routes (setupPageRoute / setupAdminPageRoute), so it
 * gets NodeBB's page middleware: its headers (security headers, caching), session, CSRF token
 * and /api twin. Only calendar files (.ics downloads) are plain routes.
 */
export function mountPages(router: Router, middleware: HostMiddleware): void {
  settingsCapability.routes.pages(router);
  specialtiesCapability.routes.pages(router);
  verificationCapability.routes.pages(router, middleware);
  seminarsCapability.routes.pages(router, middleware);
}

/** static:app.load: pages, then each capability's start-up (provisioning, defaults, jobs). */
export async function init({ router, middleware }: AppLoadParams): Promise<void> {
  mountPages(router, middleware);
  // Private uploads: the upload routes are noted on their way in, and private files are served
  // under upload_url; plugin routes run before NodeBB's own and its static folders.
  privateUploadsCapability.routes.pages(router, middleware);
  // NodeBB gives static:app.load 10 s, and provisioning a new forum (54 categories) takes longer:
  // start-up runs in the background. Each capability on its own: a failure is logged, shown in
  // the ACP and retried, never thrown here.
  startCapabilities().then(() => { log.verbose('started'); }, (err: unknown) => {
    log.error(`start-up stopped: ${err instanceof Error ? err.message : String(err)}`);
  });
}

/** static:api.routes: everything that changes state, under /api/v3/plugins/physician-network/. */
export async function addApiRoutes({ router, middleware }: ApiRoutesParams): Promise<void> {
  specialtiesCapability.routes.api(router);
  verificationCapability.routes.api(router, middleware);
  seminarsCapability.routes.api(router);
  startupRoutes.api(router, middleware);
}

/** ACP: nav entry and save-time validation of the settings. */
export const admin = settingsCapability.hooks;

/** Forum navigation entries an admin can enable (ACP › Settings › Navigation). */
export const navigation = addNavigationEntries;

/** Specialties: badges, closed groups, and forgetting deleted members. */
export const specialties = specialtiesCapability.hooks;

/**
 * Image redaction: every upload path NodeBB gives a hook is sanitised before anything is
 * stored (early listeners), and stored like core when no storage plugin took it (late ones).
 */
export const redaction = redactionCapability.hooks;

/**
 * Private uploads: each private file's list of posts showing it follows the posts and topics
 * (saved, edited, moved, deleted, restored, purged).
 */
export const privateUploads = privateUploadsCapability.hooks;

/** Verification: the member's profile tab, the notification type, the reviewers' pending count, and account deletion. */
export const verification = verificationCapability.hooks;

/**
 * Seminars: the topic's lifecycle (and the post queue) carries its seminar, members choose how notices reach them,
 * and the "Upcoming seminars" widget (its ACP form and its HTML for each viewer).
 */
export const seminars = seminarsCapability.hooks;
