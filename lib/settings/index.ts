/**
 * The plugin's ACP settings: one table (fields.ts) that the validator, the stored-value parser
 * and the ACP form are derived from.
 *
 * - routes.ts: the ACP page (no API: NodeBB's own settings API saves it); hooks.ts: the
 *   save-time check and the ACP nav entry;
 * - service.ts: reading and validating; view.ts: the page model;
 * - keys.ts: the meta.settings hash (NodeBB's meta.settings is the store: no store.ts).
 * No policy.ts: the page and the save both sit behind NodeBB's own admin:settings privilege.
 *
 * Unlike the other capabilities, the barrel also exports the reading API, because every
 * capability reads its settings here.
 */
export { routes } from './routes';
export { hooks } from './hooks';
export {
  getSettings, parseStoredSettings, toStoredSettings, validateSubmittedSettings, storeMissingDefaults,
} from './service';
export { SETTINGS_HASH } from './keys';
export { ACCESS_POLICIES } from './fields';
export type { PluginSettings, SettingKey, AccessPolicy } from './fields';
