/**
 * What the plugin does when NodeBB starts (static:app.load), capability by capability.
 */
import { storeMissingDefaults } from '../settings';
import { provisionOrganisersGroup } from '../seminars/permissions';

/**
 * Settings: store a default for every setting not yet saved, keeping the admin's values.
 *
 * NodeBB stores defaults through the same filter:settings.set as the ACP form, so the
 * save-time check refuses a group that does not exist. The organiser-group default names a
 * group the plugin creates, so it is created first; on an empty forum it does not exist yet.
 * Admin input keeps the full check.
 */
export async function storeSettingsDefaults(): Promise<void> {
  await provisionOrganisersGroup();
  await storeMissingDefaults();
}
