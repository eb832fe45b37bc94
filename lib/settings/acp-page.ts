/**
 * The ACP settings page at /admin/plugins/physician-network, the save-time check, and what
 * start-up left unfinished (shown there as "needs attention", with a retry route).
 */
import type { Request, Response, Router } from 'express';

import { nodebb } from '../nodebb';
import type { HostMiddleware } from '../nodebb';
import { apiController, requireAdmin } from '../common/http';
import { pageModel, pluginText, renderPage } from '../common/page';
import { retryStartup, startupReport, type StartupReport } from '../common/startup';
import { describeSettingsForm, validateSubmittedSettings, SETTINGS_HASH } from './index';

export const ACP_ROUTE = '/admin/plugins/physician-network';

/** The label of each start-up step: the ACP section of its capability, or its own for settings. */
function stepLabelKey(id: StartupReport['needsAttention'][number]['id']): string {
  return id === 'settings' ? 'acp.startup.step.settings' : `acp.section.${id}`;
}

/** The settings page's model: the form, and each unfinished start-up step (its error text may echo names and tokens). */
function settingsPageModel(report: StartupReport) {
  const needsAttention = report.needsAttention.map(problem => ({
    labelKey: stepLabelKey(problem.id),
    message: problem.message,
    at: problem.at > 0 ? new Date(problem.at).toISOString() : '',
    process: problem.process,
  }));
  return pageModel({
    title: pluginText('acp.title'),
    sections: describeSettingsForm(),
    needsAttention,
    hasAttention: needsAttention.length > 0,
  });
}

/** What the template shows of each unfinished step, escaped at the page boundary like the rest. */
export function attentionView(report: StartupReport): ReturnType<typeof settingsPageModel>['needsAttention'] {
  return settingsPageModel(report).needsAttention;
}

export async function renderSettingsPage(_req: Request, res: Response): Promise<void> {
  renderPage(res, 'admin/plugins/physician-network', settingsPageModel(await startupReport()));
}

/**
 * Admin API: `GET /physician-network/startup` (what needs attention) and
 * `POST /physician-network/startup/retry` (retry it now, in every process).
 */
export function addStartupApiRoutes(router: Router, middleware: HostMiddleware): void {
  const { setupApiRoute } = nodebb.routeHelpers;
  const loggedIn = [middleware.ensureLoggedIn];
  setupApiRoute(router, 'get', '/physician-network/startup', loggedIn, apiController(async (req) => {
    await requireAdmin(req);
    return startupReport();
  }));
  setupApiRoute(router, 'post', '/physician-network/startup/retry', loggedIn, apiController(async (req) => {
    await requireAdmin(req);
    return retryStartup();
  }));
}

export interface SettingsSetPayload {
  plugin: string;
  settings: Record<string, unknown>;
  quiet?: boolean;
}

/**
 * filter:settings.set — NodeBB's only save path for the ACP form. A bad value throws a
 * translated error, which NodeBB shows in its "changes not saved" alert; nothing is stored.
 */
export async function checkSettingsBeforeSave(payload: SettingsSetPayload): Promise<SettingsSetPayload> {
  if (payload.plugin !== SETTINGS_HASH) {
    return payload;
  }
  return { ...payload, settings: await validateSubmittedSettings(payload.settings) };
}

export interface AdminHeader {
  plugins: { route: string; icon: string; name: string }[];
  [section: string]: unknown;
}

export async function addAdminNavigation(header: AdminHeader): Promise<AdminHeader> {
  header.plugins.push({
    route: '/plugins/physician-network',
    icon: 'fa-user-doctor',
    name: '[[physician-network:acp.title]]',
  });
  return header;
}
