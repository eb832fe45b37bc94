import { expect } from 'chai';

import { canCreateSeminars, canEditSeminar } from '../../lib/seminars/policy';
import { provisionOrganisersGroup, ORGANISERS_GROUP } from '../../lib/seminars/provision';
import { nodebb } from '../../lib/nodebb';
import { SETTINGS_HASH } from '../../lib/settings';
import { testDatabase } from '../harness/root-hooks';
import { provideSeminarStandIns, grantToGroup, joinGroup } from '../harness/seminars-stand-ins';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';

const VERIFIED = new Set([20]);
const isVerified = async (uid: number): Promise<boolean> => VERIFIED.has(uid);

describe('seminars: who may create and edit', () => {
  before(() => { provideSeminarStandIns(testDatabase()); });
  // The root stand-ins' groups are put back for the test files that follow.
  after(() => { provideTestNodeBB(testDatabase()); });
  beforeEach(async () => { await testDatabase().flushAll(); });

  it('provisions the Organisers group once, as a system group nobody can join by themselves', async () => {
    await provisionOrganisersGroup();
    await provisionOrganisersGroup();
    expect(await nodebb.groups.exists(ORGANISERS_GROUP)).to.equal(true);
    const group = await testDatabase().getObject(`group:${ORGANISERS_GROUP}`);
    expect(group?.system).to.equal('1');
    expect(group?.private).to.equal('1');
    expect(await testDatabase().sortedSetCard('groups:createtime')).to.equal(1);
  });

  it('lets verified physicians, admins and (when configured) the organiser group create', async () => {
    await provisionOrganisersGroup();
    await joinGroup(testDatabase(), 30, ORGANISERS_GROUP);
    await joinGroup(testDatabase(), 1, 'administrators');
    expect(await canCreateSeminars(20, isVerified)).to.equal(true);
    expect(await canCreateSeminars(1, isVerified)).to.equal(true);
    expect(await canCreateSeminars(0, isVerified)).to.equal(false);
    await nodebb.meta.settings.set(SETTINGS_HASH, { seminarsOrganiserGroup: '' });
    expect(await canCreateSeminars(30, isVerified)).to.equal(false); // setting empty: verified only
    await nodebb.meta.settings.set(SETTINGS_HASH, { seminarsOrganiserGroup: ORGANISERS_GROUP });
    expect(await canCreateSeminars(30, isVerified)).to.equal(true);
    expect(await canCreateSeminars(31, isVerified)).to.equal(false);
  });

  it('lets the author, the category\'s moderators and admins edit or cancel; no one else', async () => {
    await joinGroup(testDatabase(), 1, 'administrators');
    await grantToGroup(testDatabase(), 4, 'moderate', 'cardio-mods');
    await joinGroup(testDatabase(), 40, 'cardio-mods');
    const seminar = { uid: 20, cid: 4 };
    expect(await canEditSeminar(seminar, 20)).to.equal(true);
    expect(await canEditSeminar(seminar, 40)).to.equal(true);
    expect(await canEditSeminar(seminar, 1)).to.equal(true);
    expect(await canEditSeminar(seminar, 41)).to.equal(false);
    expect(await canEditSeminar({ uid: 20, cid: 5 }, 40)).to.equal(false);
    expect(await canEditSeminar(seminar, 0)).to.equal(false);
  });
});
