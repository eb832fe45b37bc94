/**
 * The settings' NodeBB hooks (plugin.json `admin.<name>`): the save-time check of the ACP form
 * and the ACP navigation entry.
 */
import { validateSubmittedSettings } from './service';
import { SETTINGS_HASH } from './keys';

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

export const hooks = {
  /** filter:admin.header.build */
  navigation: addAdminNavigation,
  /** filter:settings.set */
  checkSettings: checkSettingsBeforeSave,
};
