/**
 * Every HTTP route of the settings: the ACP page at /admin/plugins/physician-network (admins
 * with admin:settings, through NodeBB's admin page route), which also shows what start-up left
 * unfinished (its API, with the retry button's route, is start-up's own: lib/common/startup.ts).
 * Saving goes through NodeBB's own settings API (./hooks.ts checks it). No API routes.
 */
import type { Request, Response, Router } from 'express';

import { nodebb } from '../nodebb';
import type { CapabilityRoutes } from '../common/http';
import { renderPage } from '../common/page';
import { startupReport } from '../common/startup-report';
import { settingsPageModel } from './view';

export const ACP_ROUTE = '/admin/plugins/physician-network';

export async function renderSettingsPage(_req: Request, res: Response): Promise<void> {
  renderPage(res, 'admin/plugins/physician-network', settingsPageModel(await startupReport()));
}

export const routes = {
  /** static:app.load */
  pages(router: Router): void {
    nodebb.routeHelpers.setupAdminPageRoute(router, ACP_ROUTE, [], renderSettingsPage);
  },
} satisfies CapabilityRoutes;
