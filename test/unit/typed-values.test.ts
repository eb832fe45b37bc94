/**
 * The plugin on a database that keeps value types, as NodeBB's Mongo and Postgres adapters do
 * (numbers stay numbers, booleans booleans): the same real Redis, through the test adapter's
 * 'typed' mode. Reads must not assume Redis's strings.
 */
import { expect } from 'chai';

import { provideForTests } from '../../lib/nodebb';
import { runStartupSteps, startupReport } from '../../lib/common/startup';
import { getSettings, parseStoredSettings } from '../../lib/settings';
import { defaultSettings } from '../../lib/settings/fields';
import { getProvisionedState, provisionStructure } from '../../lib/specialties/structure';
import { listSpecialties } from '../../lib/specialties/taxonomy';
import { parseMember, parseRecord } from '../../lib/specialties/model';
import { getMember, isVerifiedPhysician, setVerifiedSpecialties } from '../../lib/specialties/membership';
import { loadRequest, parseRequest, toStored } from '../../lib/verification/store';
import { keys as verificationKeys } from '../../lib/verification/keys';
import { RedisTestDatabase } from '../harness/redis-db';
import { testDatabase, testRedisUrl } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { installSpecialtyStandIns, seedTaxonomy, type SpecialtyStandIns } from '../harness/specialties-stand-ins';
import { provideHostSettings } from '../harness/host-settings';

describe('a database that keeps value types (as Mongo and Postgres)', () => {
  let typed: RedisTestDatabase;
  let standIns: SpecialtyStandIns;

  before(async () => {
    typed = await RedisTestDatabase.connect(testRedisUrl(), 'typed');
    provideTestNodeBB(typed);
    standIns = installSpecialtyStandIns(typed);
    provideHostSettings(typed);
    provideForTests({
      pubsub: { publish: () => undefined, on: () => undefined },
      cron: { addJob: async () => undefined },
    });
  });
  after(async () => {
    await typed.close();
    provideTestNodeBB(testDatabase());
  });
  beforeEach(async () => { await typed.flushAll(); });

  it('the adapter really keeps types: a number written comes back a number', async () => {
    await typed.setObject('probe', { n: 3, flag: true, text: '3' });
    expect(await typed.getObject('probe')).to.deep.equal({ n: 3, flag: true, text: '3' });
    expect(await typed.getObjectField('probe', 'n')).to.equal(3);
    expect(await typed.incrObjectField('probe', 'n')).to.equal(4);
    expect(await typed.getObjectField('probe', 'n')).to.equal(4);
  });

  it('starts up, provisions once and reads its state back as numbers', async () => {
    await seedTaxonomy(['cardiology', 'paediatrics']);
    expect((await runStartupSteps()).needsAttention).to.deep.equal([]);
    const state = await getProvisionedState();
    expect(state.parentCid).to.be.a('number').and.greaterThan(0);
    const records = await listSpecialties();
    expect(records.map(r => [r.slug, typeof r.cid, r.cid > 0])).to.deep.equal([['cardiology', 'number', true], ['paediatrics', 'number', true]]);
    expect(await provisionStructure()).to.deep.equal({ createdGroups: [], createdCategories: [], hiddenCategories: [] });
    expect(await getSettings()).to.deep.equal(defaultSettings());
  });

  it('reports a failed step with its time as a number', async () => {
    await typed.setObject('physician-network:startup:attention', { seminars: 'broken', 'seminars:at': 1_700_000_000_000, 'seminars:process': 'host:1' });
    expect((await startupReport()).needsAttention).to.deep.equal([{ id: 'seminars', message: 'broken', at: 1_700_000_000_000, process: 'host:1' }]);
  });

  it('reads a verified member written with numbers (1/0) as verified', async () => {
    await seedTaxonomy(['cardiology']);
    await provisionStructure();
    await standIns.createUser(7, 'dr7');
    await setVerifiedSpecialties(7, ['cardiology']);
    expect(await typed.getObjectField('physician-network:member:7', 'verified')).to.equal(1);
    expect(await isVerifiedPhysician(7)).to.equal(true);
    expect((await getMember(7)).verified).to.equal(true);
  });

  it('reads a verification request whose numbers and flags kept their types', async () => {
    const rid = 5;
    await typed.setObject(verificationKeys.request(rid), toStored({
      rid, uid: 3, status: 'pending', fullName: 'Dr A', registrationType: 'npi', registrationNumber: '1234567893',
      country: 'US', specialties: ['cardiology'], inTraining: true, submittedAt: 1000, updatedAt: 2000, submissions: 1, documents: [],
    }));
    const loaded = await loadRequest(rid);
    expect(loaded?.request).to.include({ rid, uid: 3, status: 'pending', inTraining: true, submittedAt: 1000, updatedAt: 2000 });
    expect(loaded?.request.specialties).to.deep.equal(['cardiology']);
  });

  it('parses values a typed database may hand back already decoded (objects, arrays, booleans)', () => {
    expect(parseRecord('cardiology', { name: 'Cardiology', cid: 12, enabled: true, order: 1, policy: 'closed', groupName: 'Cardiology physicians' }))
      .to.include({ slug: 'cardiology', name: 'Cardiology', cid: 12, policy: 'closed' });
    expect(parseMember({ verified: true, specialties: 'cardiology', verifiedAt: 5, directoryOptOut: false }))
      .to.deep.equal({ verified: true, specialties: ['cardiology'], verifiedAt: 5, directoryOptOut: false });
    const raw = { rid: 1, uid: 2, status: 'approved', registrationType: 'gmc', specialties: ['paediatrics'], inTraining: 1, documents: [] };
    expect(parseRequest(raw)?.request).to.include({ inTraining: true }).and.have.property('specialties').that.deep.equals(['paediatrics']);
    expect(parseStoredSettings({ verificationDocumentMaxMb: 12, redactionKeepIccProfile: false }))
      .to.include({ verificationDocumentMaxMb: 12, redactionKeepIccProfile: false });
  });
});
