import { expect } from 'chai';

import { addClinicalCategoriesToConfig, checkNewTopicConfirmation, checkReplyConfirmation } from '../../lib/redaction/clinical';
import { clinicalCategoryCids } from '../../lib/redaction/policy';
import { SETTINGS_HASH, validateSubmittedSettings } from '../../lib/settings';
import { nodebb } from '../../lib/nodebb';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { refusal } from '../harness/refusal';
import { installSpecialtyStandIns, seedTaxonomy } from '../harness/specialties-stand-ins';
import { provisionStructure, getProvisionedState } from '../../lib/specialties/structure';
import { listSpecialties } from '../../lib/specialties/taxonomy';

describe('redaction: clinical categories', function () {
  this.timeout(30_000);

  before(() => { installSpecialtyStandIns(testDatabase()); });
  after(() => { provideTestNodeBB(testDatabase()); });
  beforeEach(async () => {
    await testDatabase().flushAll();
    await seedTaxonomy(['cardiology', 'paediatrics']);
  });

  it('default to every provisioned specialty category and the lounge', async () => {
    await provisionStructure();
    const [records, state] = await Promise.all([listSpecialties(), getProvisionedState()]);
    const cids = await clinicalCategoryCids();
    expect(cids).to.include(state.loungeCid);
    expect(cids).to.include.members(records.map(r => r.cid).filter(cid => cid > 0));
    expect(cids).to.not.include(state.parentCid);
    const config = await addClinicalCategoriesToConfig({ physicianNetwork: { other: 1 } });
    expect(config.physicianNetwork).to.deep.equal({ other: 1, clinicalCids: cids });
  });

  it('an admin list replaces the default, and only digits and commas are accepted', async () => {
    await nodebb.meta.settings.set(SETTINGS_HASH, { redactionClinicalCategories: '7, 9' });
    expect(await clinicalCategoryCids()).to.deep.equal([7, 9]);
    expect((await refusal(validateSubmittedSettings({ redactionClinicalCategories: '7; drop' }))).key).to.equal('error.settings-text-invalid');
  });

  it('a topic or reply with an image in a clinical category needs the confirmation; the flag is not stored', async () => {
    await nodebb.meta.settings.set(SETTINGS_HASH, { redactionClinicalCategories: '7' });
    const image = '![ward](/assets/uploads/files/x.jpg)';
    expect((await refusal(checkNewTopicConfirmation({ cid: 7, content: image }))).key).to.equal('error.redaction-confirmation-required');
    expect(await checkNewTopicConfirmation({ cid: 7, content: image, physicianNetworkNoPatientIdentifiers: true })).to.deep.equal({ cid: 7, content: image });
    expect(await checkNewTopicConfirmation({ cid: 8, content: image })).to.deep.equal({ cid: 8, content: image });
    await testDatabase().setObject('topic:5', { tid: 5, cid: 7 });
    expect((await refusal(checkReplyConfirmation({ tid: 5, content: image }))).key).to.equal('error.redaction-confirmation-required');
    expect(await checkReplyConfirmation({ tid: 5, content: 'no picture' })).to.deep.equal({ tid: 5, content: 'no picture' });
  });
});
