/**
 * Start-up on an empty forum, with NodeBB's own settings behaviour: storing defaults goes
 * through filter:settings.set, so the plugin's save-time check sees them as it sees an admin's.
 */
import { expect } from 'chai';

import { nodebb } from '../../lib/nodebb';
import { storeSettingsDefaults } from '../../lib/common/startup';
import { SETTINGS_HASH } from '../../lib/settings';
import { defaultSettings, settingKeys } from '../../lib/settings/fields';
import { ORGANISERS_GROUP } from '../../lib/seminars/permissions';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { installSpecialtyStandIns } from '../harness/specialties-stand-ins';
import { provideHostSettings } from '../harness/host-settings';
import { refusal } from '../harness/refusal';

describe('start-up on an empty forum', () => {
  before(() => {
    installSpecialtyStandIns(testDatabase());
    provideHostSettings(testDatabase());
  });
  after(() => { provideTestNodeBB(testDatabase()); });
  beforeEach(async () => { await testDatabase().flushAll(); });

  it('stores every default, the organiser group included, and creates that group', async () => {
    await storeSettingsDefaults();
    const stored = await testDatabase().getObject(`settings:${SETTINGS_HASH}`);
    expect(Object.keys(stored ?? {}).sort()).to.deep.equal([...settingKeys].sort());
    expect(stored?.seminarsOrganiserGroup).to.equal(defaultSettings().seminarsOrganiserGroup);
    expect(await nodebb.groups.exists(ORGANISERS_GROUP)).to.equal(true);
  });

  it('still refuses an organiser group that does not exist when an admin saves it', async () => {
    await storeSettingsDefaults();
    const err = await refusal(nodebb.meta.settings.set(SETTINGS_HASH, { seminarsOrganiserGroup: 'Nobody here' }));
    expect(err.key).to.equal('error.settings-unknown-group');
    expect((await testDatabase().getObject(`settings:${SETTINGS_HASH}`))?.seminarsOrganiserGroup).to.equal(ORGANISERS_GROUP);
  });
});
