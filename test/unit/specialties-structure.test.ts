import { expect } from 'chai';

import { nodebb } from '../../lib/nodebb';
import {
  provisionStructure, planPolicyChanges, applyPolicyPlan, setSpecialtyModerators, getProvisionedState,
  PARENT_CATEGORY_NAME, LOUNGE_CATEGORY_NAME,
} from '../../lib/specialties/structure';
import { renameSpecialty, setSpecialtyEnabled, setSpecialtyOrder, setSpecialtyPolicy } from '../../lib/specialties/admin';
import { getSpecialty, listSpecialties, addSpecialty } from '../../lib/specialties/taxonomy';
import { ALL_GROUP_PRIVILEGES, VERIFIED_PHYSICIANS_GROUP, VIEWING, POSTING } from '../../lib/specialties/policy';
import { DEFAULT_SPECIALTIES } from '../../lib/specialties/defaults';
import { UserFacingError } from '../../lib/common/user-error';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { installSpecialtyStandIns, seedTaxonomy, type SpecialtyStandIns } from '../harness/specialties-stand-ins';

const sorted = (list: readonly string[]): string[] => [...list].sort();

async function held(cid: number, group: string): Promise<string[]> {
  const privileges = await nodebb.privileges.categories.groupPrivileges(cid, group);
  return sorted(Object.entries(privileges).filter(([, has]) => has).map(([p]) => p));
}

async function cidOf(slug: string): Promise<number> {
  const record = await getSpecialty(slug);
  if (!record || !(record.cid > 0)) {
    throw new Error(`${slug} is not provisioned`);
  }
  return record.cid;
}

describe('specialties: provisioning, policies and moderators', () => {
  let nb: SpecialtyStandIns;
  before(() => { nb = installSpecialtyStandIns(testDatabase()); });
  after(() => { provideTestNodeBB(testDatabase()); });
  beforeEach(async () => {
    await testDatabase().flushAll();
    await seedTaxonomy(['cardiology', 'paediatrics', 'radiology']);
  });

  it('creates the verified group, parent, lounge, and a group and category per enabled specialty', async () => {
    await setSpecialtyEnabled('radiology', false);
    const report = await provisionStructure();
    expect(sorted(report.createdGroups)).to.deep.equal(sorted([VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians', 'Paediatrics physicians']));
    expect(report.createdCategories.map(c => c.target)).to.deep.equal(['parent', 'lounge', 'cardiology', 'paediatrics']);

    const group = await nb.groups.getGroupFields('Cardiology physicians', ['userTitle', 'userTitleEnabled', 'hidden', 'private', 'disableJoinRequests']);
    expect(group).to.deep.equal({ userTitle: 'Cardiology', userTitleEnabled: '1', hidden: '0', private: '1', disableJoinRequests: '1' });

    const state = await getProvisionedState();
    expect(await nb.categories.getCategoryFields(state.parentCid, ['name', 'disabled'])).to.deep.equal({ name: PARENT_CATEGORY_NAME, disabled: '0' });
    expect(await nb.categories.getCategoryFields(state.loungeCid, ['name', 'disabled'])).to.deep.equal({ name: LOUNGE_CATEGORY_NAME, disabled: '0' });
    const cardiology = await cidOf('cardiology');
    expect(await nb.categories.getCategoryFields(cardiology, ['name', 'parentCid'])).to.deep.equal({ name: 'Cardiology', parentCid: String(state.parentCid) });
    expect((await getSpecialty('radiology'))?.cid).to.equal(0);
    expect((await getSpecialty('cardiology'))?.policy).to.equal('closed');
  });

  it('is idempotent: a second run creates nothing and records the same cids and groups', async () => {
    await provisionStructure();
    const db = testDatabase();
    const [categories, groups, state, records] = await Promise.all([db.sortedSetCard('categories:cid'), db.sortedSetCard('groups:createtime'), getProvisionedState(), listSpecialties()]);
    const again = await provisionStructure();
    expect(again).to.deep.equal({ createdGroups: [], createdCategories: [], hiddenCategories: [] });
    expect(await db.sortedSetCard('categories:cid')).to.equal(categories);
    expect(await db.sortedSetCard('groups:createtime')).to.equal(groups);
    expect(await getProvisionedState()).to.deep.equal(state);
    expect(await listSpecialties()).to.deep.equal(records);
  });

  it('provisions the whole default taxonomy once', async function () {
    this.timeout(120_000);
    await testDatabase().flushAll();
    const first = await provisionStructure();
    expect(first.createdCategories).to.have.length(DEFAULT_SPECIALTIES.length + 2);
    expect(first.createdGroups).to.have.length(DEFAULT_SPECIALTIES.length + 1);
    const second = await provisionStructure();
    expect(second.createdCategories).to.deep.equal([]);
    expect(second.createdGroups).to.deep.equal([]);
  });

  it('closed (default): the public groups hold nothing, verified physicians and the specialty read and post', async () => {
    await provisionStructure();
    const cid = await cidOf('cardiology');
    for (const group of ['guests', 'spiders', 'registered-users', 'fediverse']) {
      expect(await held(cid, group), group).to.deep.equal([]);
    }
    expect(await held(cid, VERIFIED_PHYSICIANS_GROUP)).to.deep.equal(sorted([...VIEWING, ...POSTING]));
    expect(await held(cid, 'Cardiology physicians')).to.deep.equal(sorted([...VIEWING, ...POSTING]));
    // Core's moderation grants to administrators and Global Moderators are left alone.
    expect(await held(cid, 'administrators')).to.include('groups:purge');

    const { loungeCid } = await getProvisionedState();
    expect(await held(loungeCid, 'registered-users')).to.deep.equal([]);
    expect(await held(loungeCid, 'guests')).to.deep.equal([]);
    expect(await held(loungeCid, VERIFIED_PHYSICIANS_GROUP)).to.deep.equal(sorted([...VIEWING, ...POSTING]));

    await nb.createUser(5);
    for (const priv of ['find', 'read', 'topics:read', 'topics:create']) {
      expect(await nb.can(priv, cid, 5), `unverified ${priv}`).to.equal(false);
      expect(await nb.can(priv, cid, 0), `guest ${priv}`).to.equal(false);
      expect(await nb.can(priv, cid, -1), `spider ${priv}`).to.equal(false);
    }
  });

  it('applies each policy through plan → apply, with the exact privilege sets', async () => {
    await provisionStructure();
    const cid = await cidOf('cardiology');
    const cases = {
      'specialty-posting': { public: [], verified: VIEWING, specialty: [...VIEWING, ...POSTING] },
      'specialty-only': { public: [], verified: [], specialty: [...VIEWING, ...POSTING] },
      'public-read': { public: VIEWING, verified: [...VIEWING, ...POSTING], specialty: [...VIEWING, ...POSTING] },
      closed: { public: [], verified: [...VIEWING, ...POSTING], specialty: [...VIEWING, ...POSTING] },
    } as const;
    for (const [policy, want] of Object.entries(cases)) {
      const plan = await setSpecialtyPolicy('cardiology', policy);
      expect(plan.changes.length, policy).to.be.greaterThan(0);
      expect(plan.changes.every(c => c.cid === cid)).to.equal(true);
      await applyPolicyPlan(plan.planId, 'cardiology');
      for (const group of ['guests', 'spiders', 'registered-users', 'fediverse']) {
        expect(await held(cid, group), `${policy} ${group}`).to.deep.equal(sorted(want.public));
      }
      expect(await held(cid, VERIFIED_PHYSICIANS_GROUP), policy).to.deep.equal(sorted(want.verified));
      expect(await held(cid, 'Cardiology physicians'), policy).to.deep.equal(sorted(want.specialty));
      expect((await planPolicyChanges('cardiology')).changes, `${policy} settled`).to.deep.equal([]);
    }
  });

  it('shows an admin\'s own privilege edit in the plan, and never overwrites it without apply', async () => {
    await provisionStructure();
    const cid = await cidOf('paediatrics');
    expect((await planPolicyChanges()).changes).to.deep.equal([]);

    // An admin opens the category to registered users on NodeBB's privileges page.
    await nb.privileges.categories.give(['groups:read', 'groups:topics:read'], cid, 'registered-users');
    await provisionStructure();
    expect(await held(cid, 'registered-users')).to.deep.equal(['groups:read', 'groups:topics:read']);

    const plan = await planPolicyChanges();
    expect(plan.changes.map(c => [c.target, c.group, c.privilege, c.change, c.undoesAdminEdit])).to.deep.equal([
      ['paediatrics', 'registered-users', 'groups:read', 'rescind', true],
      ['paediatrics', 'registered-users', 'groups:topics:read', 'rescind', true],
    ]);

    // A stale plan is refused and nothing changes.
    await nb.privileges.categories.give(['groups:find'], cid, 'guests');
    const err = await applyPolicyPlan(plan.planId).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(UserFacingError);
    expect((err as UserFacingError).key).to.equal('error.specialties-plan-outdated');
    expect(await held(cid, 'registered-users')).to.deep.equal(['groups:read', 'groups:topics:read']);
    expect(await held(cid, 'guests')).to.deep.equal(['groups:find']);

    const fresh = await planPolicyChanges();
    expect(fresh.changes).to.have.length(3);
    await applyPolicyPlan(fresh.planId);
    expect(await held(cid, 'registered-users')).to.deep.equal([]);
    expect(await held(cid, 'guests')).to.deep.equal([]);
    expect((await planPolicyChanges()).changes).to.deep.equal([]);
  });

  it('renaming renames the group (badge title too) and the category; the slug and privileges stay', async () => {
    await provisionStructure();
    const cid = await cidOf('cardiology');
    await nb.createUser(7);
    await nb.groups.join('Cardiology physicians', 7);
    await renameSpecialty('cardiology', 'Heart Medicine');
    expect(await nb.groups.exists('Cardiology physicians')).to.equal(false);
    expect(await nb.groups.exists('Heart Medicine physicians')).to.equal(true);
    expect(await nb.groups.getGroupFields('Heart Medicine physicians', ['userTitle'])).to.deep.equal({ userTitle: 'Heart Medicine' });
    expect(await nb.groups.isMember(7, 'Heart Medicine physicians')).to.equal(true);
    expect(await nb.categories.getCategoryFields(cid, ['name'])).to.deep.equal({ name: 'Heart Medicine' });
    expect(await held(cid, 'Heart Medicine physicians')).to.deep.equal(sorted([...VIEWING, ...POSTING]));
    const record = await getSpecialty('cardiology');
    expect(record?.groupName).to.equal('Heart Medicine physicians');
    expect((await planPolicyChanges()).changes).to.deep.equal([]);
    expect((await provisionStructure()).createdGroups).to.deep.equal([]);
  });

  it('disabling hides the category and deletes nothing; enabling shows it again', async () => {
    await provisionStructure();
    const cid = await cidOf('radiology');
    const tid = await nb.createTopic(cid, 1, 'A case');
    await setSpecialtyEnabled('radiology', false);
    expect(await nb.categories.getCategoryFields(cid, ['disabled'])).to.deep.equal({ disabled: '1' });
    expect(await testDatabase().exists(`topic:${tid}`)).to.equal(true);
    expect(await nb.groups.exists('Radiology physicians')).to.equal(true);
    expect((await provisionStructure()).createdCategories).to.deep.equal([]);
    await setSpecialtyEnabled('radiology', true);
    expect(await nb.categories.getCategoryFields(cid, ['disabled'])).to.deep.equal({ disabled: '0' });
  });

  it('re-ordering the taxonomy re-orders the specialty categories', async () => {
    await provisionStructure();
    await setSpecialtyOrder(['radiology', 'cardiology', 'paediatrics']);
    const orders = await Promise.all(['radiology', 'cardiology', 'paediatrics'].map(async slug => (await nb.categories.getCategoryFields(await cidOf(slug), ['order'])).order));
    expect(orders).to.deep.equal(['1', '2', '3']);
  });

  it('a specialty added later is provisioned by the next run only', async () => {
    await provisionStructure();
    await addSpecialty({ name: 'Tropical Medicine' });
    const report = await provisionStructure();
    expect(report.createdGroups).to.deep.equal(['Tropical Medicine physicians']);
    expect(report.createdCategories.map(c => c.target)).to.deep.equal(['tropical-medicine']);
  });

  it('gives named moderators the per-user moderate privilege, and takes it from those dropped', async () => {
    await provisionStructure();
    const cid = await cidOf('cardiology');
    await nb.createUser(11);
    await nb.createUser(12);
    await setSpecialtyModerators('cardiology', [11, 12]);
    expect((await nb.privileges.categories.userPrivileges(cid, 11)).moderate).to.equal(true);
    expect((await nb.privileges.categories.userPrivileges(cid, 12)).moderate).to.equal(true);
    await setSpecialtyModerators('cardiology', [12]);
    expect((await nb.privileges.categories.userPrivileges(cid, 11)).moderate).to.equal(false);
    expect((await nb.privileges.categories.userPrivileges(cid, 12)).moderate).to.equal(true);
    expect((await getSpecialty('cardiology'))?.moderators).to.deep.equal([12]);
    const err = await setSpecialtyModerators('cardiology', [999]).then(() => null, (e: unknown) => e);
    expect((err as UserFacingError).key).to.equal('error.specialties-unknown-user');
    expect((await getSpecialty('cardiology'))?.moderators).to.deep.equal([12]);
  });

  it('covers every core privilege in each category it manages', async () => {
    await provisionStructure();
    const plan = await planPolicyChanges();
    expect(plan.changes).to.deep.equal([]);
    expect(ALL_GROUP_PRIVILEGES).to.have.length(17);
  });
});
