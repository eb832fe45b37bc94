import { expect } from 'chai';

import {
  validateSubmittedSettings, parseStoredSettings, getSettings, storeMissingDefaults, SETTINGS_HASH,
} from '../../lib/settings';
import { checkSettingsBeforeSave } from '../../lib/settings/hooks';
import { settingFields, settingKeys, defaultSettings } from '../../lib/settings/fields';
import { nodebb } from '../../lib/nodebb';
import { testDatabase } from '../harness/root-hooks';
import { refusal } from '../harness/refusal';
import { provisionOrganisersGroup } from '../../lib/seminars/provision';

describe('settings', () => {
  beforeEach(async () => {
    await testDatabase().flushAll();
  });

  it('has a default for every setting, and every default passes validation', async () => {
    // Group-valued defaults name groups the plugin provisions at start-up.
    await provisionOrganisersGroup();
    const stored = await validateSubmittedSettings({ ...defaultSettings() });
    expect(Object.keys(stored).sort()).to.deep.equal([...settingKeys].sort());
    expect(parseStoredSettings(stored)).to.deep.equal(defaultSettings());
  });

  it('normalises what the ACP form sends (strings, on/off) to stored strings', async () => {
    const stored = await validateSubmittedSettings({
      verificationDocumentMaxMb: ' 12 ',
      redactionKeepIccProfile: 'off',
      specialtiesDefaultPolicy: 'public-read',
      verificationReviewerGroup: '',
      somethingUnknown: 'dropped',
    });
    expect(stored).to.deep.equal({
      verificationDocumentMaxMb: '12',
      redactionKeepIccProfile: 'off',
      specialtiesDefaultPolicy: 'public-read',
      verificationReviewerGroup: '',
    });
    const parsed = parseStoredSettings(stored);
    expect(parsed.verificationDocumentMaxMb).to.equal(12);
    expect(parsed.redactionKeepIccProfile).to.equal(false);
  });

  for (const bad of ['0', '51', '3.5', 'ten', '', '1e1']) {
    it(`refuses document size "${bad}" with a translated range message`, async () => {
      const err = await refusal(validateSubmittedSettings({ verificationDocumentMaxMb: bad }));
      const spec = settingFields.verificationDocumentMaxMb;
      expect(err.key).to.equal('error.settings-integer-range');
      expect(err.message).to.equal(`[[physician-network:error.settings-integer-range, [[physician-network:settings.verificationDocumentMaxMb]], ${spec.min}, ${spec.max}]]`);
    });
  }

  it('refuses an unknown access policy, a non-switch boolean and over-long or control-character text', async () => {
    expect((await refusal(validateSubmittedSettings({ specialtiesDefaultPolicy: 'open-to-all' }))).key).to.equal('error.settings-choice-invalid');
    expect((await refusal(validateSubmittedSettings({ redactionRefuseSvg: 'maybe' }))).key).to.equal('error.settings-not-a-switch');
    expect((await refusal(validateSubmittedSettings({ verificationReviewerGroup: 'x'.repeat(256) }))).key).to.equal('error.settings-text-invalid');
    expect((await refusal(validateSubmittedSettings({ verificationReviewerGroup: 'a\u0000b' }))).key).to.equal('error.settings-text-invalid');
  });

  it('refuses a reviewer group that does not exist, and accepts one that does', async () => {
    const err = await refusal(validateSubmittedSettings({ verificationReviewerGroup: 'Reviewers, Inc' }));
    expect(err.key).to.equal('error.settings-unknown-group');
    // The group name is escaped so its comma cannot split the translation arguments.
    expect(err.message).to.contain('Reviewers&#44; Inc');
    await testDatabase().sortedSetAdd('groups:createtime', Date.now(), 'Reviewers');
    expect(await validateSubmittedSettings({ verificationReviewerGroup: 'Reviewers' })).to.deep.equal({ verificationReviewerGroup: 'Reviewers' });
  });

  it('the settings.set filter leaves other plugins alone and stores nothing when a value is bad', async () => {
    const other = { plugin: 'another-plugin', settings: { verificationDocumentMaxMb: 'nonsense' } };
    expect(await checkSettingsBeforeSave(other)).to.equal(other);

    await refusal(checkSettingsBeforeSave({ plugin: SETTINGS_HASH, settings: { seminarsPageSize: '1000', seminarsReminderHours: '12' } }));
    expect(await testDatabase().getObject(`settings:${SETTINGS_HASH}`)).to.equal(null);
  });

  it('stores defaults once, keeping what the admin saved, and reads them back typed', async () => {
    await nodebb.meta.settings.set(SETTINGS_HASH, { verificationRetentionDays: '90' });
    await storeMissingDefaults();
    await storeMissingDefaults();
    const settings = await getSettings();
    expect(settings.verificationRetentionDays).to.equal(90);
    expect(settings.verificationDocumentMaxMb).to.equal(10);
    expect(settings.redactionKeepIccProfile).to.equal(true);
    expect(Object.keys((await testDatabase().getObject(`settings:${SETTINGS_HASH}`)) ?? {}).sort()).to.deep.equal([...settingKeys].sort());
  });

  it('falls back to the default for a stored value that no longer validates', () => {
    expect(parseStoredSettings({ seminarsPageSize: '9999', specialtiesDefaultPolicy: 'gone' }).seminarsPageSize).to.equal(20);
    expect(parseStoredSettings({ specialtiesDefaultPolicy: 'gone' }).specialtiesDefaultPolicy).to.equal('closed');
  });
});
