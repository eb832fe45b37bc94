/**
 * nodebb-plugin-physician-network: the table of contents.
 * Each export is a hook named in plugin.json; the work lives in lib/.
 */
import type { Router } from 'express';

import { nodebb, log } from './lib/nodebb';
import type { HostMiddleware } from './lib/nodebb';
import { storeMissingDefaults } from './lib/settings';
import {
  ACP_ROUTE, renderSettingsPage, checkSettingsBeforeSave, addAdminNavigation,
} from './lib/settings/acp-page';

interface AppLoadParams {
  router: Router;
  middleware: HostMiddleware;
}

/** static:app.load: routes and first-run defaults. */
export async function init({ router }: AppLoadParams): Promise<void> {
  nodebb.routeHelpers.setupAdminPageRoute(router, ACP_ROUTE, [], renderSettingsPage);
  await storeMissingDefaults();
  log.verbose('loaded');
}

/** Settings: the ACP page's nav entry and the save-time validation. */
export const admin = {
  navigation: addAdminNavigation,
  checkSettings: checkSettingsBeforeSave,
};
