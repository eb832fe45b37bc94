/**
 * The ACP settings page at /admin/plugins/physician-network, and the save-time check.
 */
import type { Request, Response } from 'express';

import { pageModel, pluginText, renderPage } from '../common/page';
import { describeSettingsForm, validateSubmittedSettings, SETTINGS_HASH } from './index';

export const ACP_ROUTE = '/admin/plugins/physician-network';

export async function renderSettingsPage(_req: Request, res: Response): Promise<void> {
  renderPage(res, 'admin/plugins/physician-network', pageModel({
    title: pluginText('acp.title'),
    sections: describeSettingsForm(),
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
