import { expect } from 'chai';

import { nodebb } from '../../lib/nodebb';
import { SETTINGS_HASH } from '../../lib/settings';
import { provisionStructure } from '../../lib/specialties/structure';
import { mergeSpecialties, renameSpecialty, setSpecialtyEnabled } from '../../lib/specialties/admin';
import {
  forgetDeletedMember, getMember, moveSpecialty, removeVerification, setVerifiedSpecialties,
} from '../../lib/specialties/membership';
import { keepProtectedGroupsClosed, undoUnauthorisedJoin } from '../../lib/specialties/join-guard';
import { addBadgesToPosts, badgeOnProfile, badgesOnTopicPosts, type PhysicianBadge } from '../../lib/specialties/badges';
import { listDirectory, setDirectoryOptOut } from '../../lib/specialties/directory';
import { canViewDirectory } from '../../lib/specialties/policy';
import { getSpecialty } from '../../lib/specialties/taxonomy';
import { keys } from '../../lib/specialties/keys';
import { VERIFIED_PHYSICIANS_GROUP } from '../../lib/specialties/policy';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { installSpecialtyStandIns, seedTaxonomy, type SpecialtyStandIns } from '../harness/specialties-stand-ins';
import { refusal } from '../harness/refusal';

const WATCHING = 4;
const NOT_WATCHING = 2;
const IGNORING = 1;

async function cidOf(slug: string): Promise<number> {
  const cid = (await getSpecialty(slug))?.cid ?? 0;
  if (!cid) {
    throw new Error(`${slug} not provisioned`);
  }
  return cid;
}

/** Everything the membership functions keep in step, for one member. */
async function snapshot(nb: SpecialtyStandIns, uid: number): Promise<unknown> {
  const db = testDatabase();
  const slugs = ['cardiology', 'paediatrics', 'radiology', 'neurology'];
  const cids = await Promise.all(slugs.map(cidOf));
  return {
    member: await db.getObject(keys.member(uid)),
    groups: await nb.groups.isMemberOfGroups(uid, [VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians', 'Paediatrics physicians', 'Radiology physicians', 'Neurology physicians']),
    watch: await nb.categories.getWatchState(cids, uid),
    indexes: await Promise.all(slugs.map(slug => db.isSortedSetMember(keys.specialtyMembers(slug), String(uid)))),
    directory: await Promise.all(slugs.map(slug => db.isSortedSetMember(keys.directoryListed(slug), String(uid)))),
  };
}

describe('specialties: membership, join guard, merge, directory and badges', () => {
  let nb: SpecialtyStandIns;
  before(() => {
    nb = installSpecialtyStandIns(testDatabase());
    nb.joinListeners.push(undoUnauthorisedJoin);
    nb.groupUpdateFilters.push(keepProtectedGroupsClosed);
  });
  after(() => { provideTestNodeBB(testDatabase()); });
  beforeEach(async () => {
    await testDatabase().flushAll();
    await seedTaxonomy(['cardiology', 'paediatrics', 'radiology', 'neurology']);
    await provisionStructure();
    for (const uid of [1, 2, 3, 4, 5]) {
      await nb.createUser(uid);
    }
  });

  describe('membership functions', () => {
    it('setVerifiedSpecialties: groups, watching, member record and indexes in step', async () => {
      const member = await setVerifiedSpecialties(1, ['cardiology', 'paediatrics']);
      expect(member).to.include({ verified: true });
      expect(member.specialties).to.deep.equal(['cardiology', 'paediatrics']);
      expect(await snapshot(nb, 1)).to.deep.equal({
        member: { verified: '1', specialties: 'cardiology,paediatrics', verifiedAt: String(member.verifiedAt), directoryOptOut: '0' },
        groups: [true, true, true, false, false],
        watch: [WATCHING, WATCHING, NOT_WATCHING, NOT_WATCHING],
        indexes: [true, true, false, false],
        directory: [true, true, false, false],
      });
      expect(await testDatabase().isSortedSetMember(keys.verifiedMembers, '1')).to.equal(true);

      // Changing the set leaves the dropped one and joins the new one.
      await setVerifiedSpecialties(1, ['paediatrics', 'radiology']);
      const after = await snapshot(nb, 1) as { groups: boolean[]; watch: number[]; indexes: boolean[] };
      expect(after.groups).to.deep.equal([true, false, true, true, false]);
      expect(after.watch).to.deep.equal([NOT_WATCHING, WATCHING, WATCHING, NOT_WATCHING]);
      expect(after.indexes).to.deep.equal([false, true, true, false]);
    });

    it('is idempotent', async () => {
      await setVerifiedSpecialties(2, ['radiology']);
      const first = await snapshot(nb, 2);
      await setVerifiedSpecialties(2, ['radiology']);
      expect(await snapshot(nb, 2)).to.deep.equal(first);
      expect(await testDatabase().getObjectField('group:Radiology physicians', 'memberCount')).to.equal('1');
    });

    it('refuses more specialties than the setting allows, duplicates, unknown and disabled ones, changing nothing', async () => {
      await setVerifiedSpecialties(1, ['cardiology']);
      const before = await snapshot(nb, 1);
      await testDatabase().setObject(`settings:${SETTINGS_HASH}`, { specialtiesMaxPerMember: '2' });
      expect((await refusal(setVerifiedSpecialties(1, ['cardiology', 'paediatrics', 'radiology']))).key).to.equal('error.specialties-too-many');
      expect((await refusal(setVerifiedSpecialties(1, ['cardiology', 'cardiology']))).key).to.equal('error.specialties-duplicate-choice');
      expect((await refusal(setVerifiedSpecialties(1, ['astrology']))).key).to.equal('error.specialties-unknown');
      await setSpecialtyEnabled('neurology', false);
      expect((await refusal(setVerifiedSpecialties(1, ['neurology']))).key).to.equal('error.specialties-disabled');
      expect((await refusal(setVerifiedSpecialties(99, ['cardiology']))).key).to.equal('error.specialties-unknown-user');
      expect(await snapshot(nb, 1)).to.deep.equal(before);
      await testDatabase().setObject(`settings:${SETTINGS_HASH}`, { specialtiesMaxPerMember: '3' });
      await setVerifiedSpecialties(1, ['cardiology', 'paediatrics', 'radiology']);
      expect((await refusal(setVerifiedSpecialties(1, ['cardiology', 'paediatrics', 'radiology', 'neurology']))).key).to.equal('error.specialties-too-many');
    });

    it('moveSpecialty moves one and keeps the others; a member who chose to ignore keeps that choice', async () => {
      await setVerifiedSpecialties(3, ['cardiology', 'radiology']);
      await nb.user.setCategoryWatchState(3, await cidOf('radiology'), IGNORING);
      await moveSpecialty(3, 'radiology', 'neurology');
      const moved = await snapshot(nb, 3) as { groups: boolean[]; watch: number[]; indexes: boolean[] };
      expect((await getMember(3)).specialties).to.deep.equal(['cardiology', 'neurology']);
      expect(moved.groups).to.deep.equal([true, true, false, false, true]);
      expect(moved.watch).to.deep.equal([WATCHING, NOT_WATCHING, IGNORING, WATCHING]);
      expect(moved.indexes).to.deep.equal([true, false, false, true]);
      expect((await refusal(moveSpecialty(3, 'paediatrics', 'radiology'))).key).to.equal('error.specialties-not-held');
      expect((await refusal(moveSpecialty(4, 'paediatrics', 'radiology'))).key).to.equal('error.specialties-not-verified');
    });

    it('removeVerification takes the member out of everything, and can run twice', async () => {
      await setVerifiedSpecialties(4, ['cardiology', 'neurology']);
      await removeVerification(4);
      await removeVerification(4);
      expect(await snapshot(nb, 4)).to.deep.equal({
        member: null,
        groups: [false, false, false, false, false],
        watch: [NOT_WATCHING, NOT_WATCHING, NOT_WATCHING, NOT_WATCHING],
        indexes: [false, false, false, false],
        directory: [false, false, false, false],
      });
      expect(await testDatabase().isSortedSetMember(keys.verifiedMembers, '4')).to.equal(false);
      expect(await testDatabase().isSortedSetMember(keys.directoryAll, '4')).to.equal(false);
    });

    it('provisioning puts members back into a group an admin deleted', async () => {
      await setVerifiedSpecialties(1, ['cardiology']);
      await setVerifiedSpecialties(2, ['paediatrics']);
      const db = testDatabase();
      for (const name of [VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians']) {
        await db.deleteAll([`group:${name}`, `group:${name}:members`]);
        await db.sortedSetRemove('groups:createtime', name);
      }
      const report = await provisionStructure();
      expect(report.createdGroups.sort()).to.deep.equal(['Cardiology physicians', VERIFIED_PHYSICIANS_GROUP]);
      expect(await nb.groups.isMemberOfGroups(1, [VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians'])).to.deep.equal([true, true]);
      expect(await nb.groups.isMember(2, VERIFIED_PHYSICIANS_GROUP)).to.equal(true);
      expect(await nb.groups.isMember(2, 'Cardiology physicians')).to.equal(false);
    });

    it('static:user.delete forgets a deleted member', async () => {
      await setVerifiedSpecialties(2, ['paediatrics']);
      await forgetDeletedMember({ uid: '2' });
      expect(await testDatabase().exists(keys.member(2))).to.equal(false);
      expect(await testDatabase().isSortedSetMember(keys.specialtyMembers('paediatrics'), '2')).to.equal(false);
    });
  });

  describe('join guard (action:group.join)', () => {
    it('undoes any join into a protected group that verification did not make', async () => {
      // allowPrivateGroups off, an owner accepting a request, an admin adding: all end in groups.join.
      await nb.groups.join(VERIFIED_PHYSICIANS_GROUP, 5);
      await nb.groups.join(['Cardiology physicians', 'Some hobby group'], 5);
      expect(await nb.groups.isMemberOfGroups(5, [VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians', 'Some hobby group'])).to.deep.equal([false, false, true]);
    });

    it('undoes a verified member joining a specialty they do not hold, and keeps their own', async () => {
      await setVerifiedSpecialties(1, ['cardiology']);
      await nb.groups.join('Radiology physicians', 1);
      expect(await nb.groups.isMemberOfGroups(1, [VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians', 'Radiology physicians'])).to.deep.equal([true, true, false]);
    });

    it('ignores privilege-group joins (group names as members) and NodeBB core groups', async () => {
      const cid = await cidOf('cardiology');
      await nb.privileges.categories.give(['groups:moderate'], cid, 'Cardiology physicians');
      expect((await nb.privileges.categories.groupPrivileges(cid, 'Cardiology physicians'))['groups:moderate']).to.equal(true);
      await nb.groups.join('Global Moderators', 2);
      expect(await nb.groups.isMember(2, 'Global Moderators')).to.equal(true);
    });

    it('filter:group.update refuses an admin\'s rename of a protected group, but lets the specialty rename through', async () => {
      await nb.groups.update('Cardiology physicians', { name: 'Open heart club', description: 'd' });
      expect(await nb.groups.exists('Cardiology physicians')).to.equal(true);
      expect(await nb.groups.exists('Open heart club')).to.equal(false);
      await nb.groups.update(VERIFIED_PHYSICIANS_GROUP, { name: 'Anyone' });
      expect(await nb.groups.exists(VERIFIED_PHYSICIANS_GROUP)).to.equal(true);
      await renameSpecialty('cardiology', 'Heart Medicine');
      expect(await nb.groups.exists('Heart Medicine physicians')).to.equal(true);
      expect((await getSpecialty('cardiology'))?.groupName).to.equal('Heart Medicine physicians');
    });

    it('filter:group.update keeps protected groups private with join requests off', async () => {
      const opened = await keepProtectedGroupsClosed({ groupName: 'Cardiology physicians', values: { private: 0, disableJoinRequests: 0, description: 'x' } });
      expect(opened.values).to.deep.equal({ private: 1, disableJoinRequests: 1, description: 'x' });
      const other = await keepProtectedGroupsClosed({ groupName: 'Some hobby group', values: { private: 0 } });
      expect(other.values).to.deep.equal({ private: 0 });
    });
  });

  describe('merge', () => {
    it('moves members (groups, watching, indexes) and topics, and leaves the source disabled with its slug', async () => {
      await setVerifiedSpecialties(1, ['radiology']);
      await setVerifiedSpecialties(2, ['radiology', 'neurology']);
      await setVerifiedSpecialties(3, ['neurology']);
      const source = await cidOf('radiology');
      const target = await cidOf('neurology');
      const tids = [await nb.createTopic(source, 1, 'one'), await nb.createTopic(source, 2, 'two'), await nb.createTopic(source, 1, 'three')];

      const report = await mergeSpecialties('radiology', 'neurology', 1);
      expect(report).to.deep.equal({ movedMembers: 2, movedTopics: 3 });
      expect((await getMember(1)).specialties).to.deep.equal(['neurology']);
      expect((await getMember(2)).specialties).to.deep.equal(['neurology']);
      expect((await getMember(3)).specialties).to.deep.equal(['neurology']);
      for (const uid of [1, 2]) {
        expect(await nb.groups.isMemberOfGroups(uid, ['Radiology physicians', 'Neurology physicians'])).to.deep.equal([false, true]);
        expect(await nb.categories.getWatchState([source, target], uid)).to.deep.equal([NOT_WATCHING, WATCHING]);
      }
      expect(await testDatabase().sortedSetCard(keys.specialtyMembers('radiology'))).to.equal(0);
      expect(await testDatabase().sortedSetCard(keys.specialtyMembers('neurology'))).to.equal(3);
      for (const tid of tids) {
        expect(await testDatabase().getObjectField(`topic:${tid}`, 'cid')).to.equal(String(target));
      }
      expect(await testDatabase().sortedSetCard(`cid:${source}:tids:lastposttime`)).to.equal(0);
      const merged = await getSpecialty('radiology');
      expect(merged).to.include({ slug: 'radiology', enabled: false, mergedInto: 'neurology' });
      expect(await nb.categories.getCategoryFields(source, ['disabled'])).to.deep.equal({ disabled: '1' });
      expect((await refusal(setVerifiedSpecialties(4, ['radiology']))).key).to.equal('error.specialties-disabled');
      expect((await refusal(setSpecialtyEnabled('radiology', true))).key).to.equal('error.specialties-already-merged');
      expect((await refusal(mergeSpecialties('cardiology', 'radiology', 1))).key).to.equal('error.specialties-already-merged');
    });

    it('refuses to merge into a disabled specialty and changes nothing', async () => {
      await setVerifiedSpecialties(1, ['radiology']);
      await setSpecialtyEnabled('neurology', false);
      const before = await testDatabase().getObject(keys.taxonomy);
      expect((await refusal(mergeSpecialties('radiology', 'neurology', 1))).key).to.equal('error.specialties-disabled');
      expect(await testDatabase().getObject(keys.taxonomy)).to.deep.equal(before);
      expect((await getMember(1)).specialties).to.deep.equal(['radiology']);
    });
  });

  describe('directory', () => {
    it('lists verified members by specialty with paging, and honours opt-out', async () => {
      for (const uid of [1, 2, 3, 4]) {
        await setVerifiedSpecialties(uid, uid % 2 ? ['cardiology'] : ['cardiology', 'paediatrics']);
      }
      const all = await listDirectory({ perPage: 3 });
      expect(all.total).to.equal(4);
      expect(all.pageCount).to.equal(2);
      expect(all.members).to.have.length(3);
      const second = await listDirectory({ perPage: 3, page: 2 });
      expect(second.members).to.have.length(1);
      expect(new Set([...all.members, ...second.members].map(m => m.uid))).to.deep.equal(new Set([1, 2, 3, 4]));
      expect(all.members[0]).to.have.keys(['uid', 'username', 'userslug', 'picture', 'specialties']);

      const paediatrics = await listDirectory({ specialty: 'paediatrics' });
      expect(paediatrics.members.map(m => m.uid).sort()).to.deep.equal([2, 4]);
      expect(paediatrics.members[0]?.specialties.map(s => s.slug)).to.deep.equal(['cardiology', 'paediatrics']);

      await setDirectoryOptOut(2, true);
      expect((await listDirectory({ specialty: 'paediatrics' })).members.map(m => m.uid)).to.deep.equal([4]);
      expect((await listDirectory()).total).to.equal(3);
      await setDirectoryOptOut(2, false);
      expect((await listDirectory({ specialty: 'paediatrics' })).total).to.equal(2);

      // Opted-out members stay out when their specialties change.
      await setDirectoryOptOut(3, true);
      await moveSpecialty(3, 'cardiology', 'radiology');
      expect((await listDirectory({ specialty: 'radiology' })).total).to.equal(0);
      expect((await refusal(listDirectory({ specialty: 'astrology' }))).key).to.equal('error.specialties-unknown');
      expect((await refusal(setDirectoryOptOut(5, true))).key).to.equal('error.specialties-not-verified');
    });

    it('is visible to verified physicians and admins only', async () => {
      await setVerifiedSpecialties(1, ['cardiology']);
      await nb.groups.join('administrators', 3);
      expect(await canViewDirectory(1)).to.equal(true);
      expect(await canViewDirectory(2)).to.equal(false);
      expect(await canViewDirectory(0)).to.equal(false);
      expect(await canViewDirectory(3)).to.equal(true);
    });
  });

  describe('badges', () => {
    it('adds verified + specialty badges to posts (and their user objects) and profiles', async () => {
      await setVerifiedSpecialties(1, ['cardiology', 'paediatrics']);
      const posts = [{ pid: 1, uid: 1, user: { uid: 1 } }, { pid: 2, uid: 2, user: { uid: 2 } }, { pid: 3, uid: 0 }, null];
      const data = await badgesOnTopicPosts({ posts, uid: 2 });
      const first = data.posts[0] as { physicianBadge: PhysicianBadge; user: { physicianBadge: PhysicianBadge } };
      expect(first.physicianBadge).to.deep.equal({
        verified: true,
        specialties: [
          { slug: 'cardiology', name: '[[physician-network:specialties.name.cardiology]]', title: 'Sp.JP', groupName: 'Cardiology physicians' },
          { slug: 'paediatrics', name: '[[physician-network:specialties.name.paediatrics]]', title: 'Sp.A', groupName: 'Paediatrics physicians' },
        ],
      });
      expect(first.user.physicianBadge).to.deep.equal(first.physicianBadge);
      // Drawn by the theme's own group-badge partial: verified first, then each specialty, linking to the group pages.
      const shown = (first.user as unknown as { selectedGroups: { name: string; slug: string; userTitle: string }[] }).selectedGroups;
      expect(shown.map(g => [g.name, g.slug, g.userTitle])).to.deep.equal([
        ['Verified physicians', 'verified-physicians', '[[physician-network:specialties.verified-physician]]'],
        ['Cardiology physicians', 'cardiology-physicians', '[[physician-network:specialties.name.cardiology]]'],
        ['Paediatrics physicians', 'paediatrics-physicians', '[[physician-network:specialties.name.paediatrics]]'],
      ]);
      expect((data.posts[1] as { user: { selectedGroups?: unknown } }).user.selectedGroups).to.equal(undefined);
      expect((data.posts[1] as { physicianBadge: unknown }).physicianBadge).to.equal(null);
      expect((data.posts[2] as { physicianBadge: unknown }).physicianBadge).to.equal(null);

      const profile = await badgeOnProfile({ userData: { uid: 1, selectedGroup: [{ name: 'Cardiology physicians', slug: 'cardiology-physicians' }, { name: 'Runners', slug: 'runners' }] }, callerUID: 2 });
      expect(profile.userData.physicianBadge?.specialties.map(s => s.slug)).to.deep.equal(['cardiology', 'paediatrics']);
      // The member's own copy of a plugin group is replaced, their other badges are kept.
      expect((profile.userData.selectedGroup as { name: string }[]).map(g => g.name)).to.deep.equal(['Verified physicians', 'Cardiology physicians', 'Paediatrics physicians', 'Runners']);
      const unverified = await badgeOnProfile({ userData: { uid: 2 }, callerUID: 2 });
      expect(unverified.userData.physicianBadge).to.equal(null);
    });

    it('reads in a constant number of round trips, whatever the page size', async () => {
      for (let uid = 10; uid < 210; uid += 1) {
        await nb.createUser(uid);
        await setVerifiedSpecialties(uid, [['cardiology', 'paediatrics', 'radiology', 'neurology'][uid % 4] ?? 'cardiology']);
      }
      const db = testDatabase();
      const trips: number[] = [];
      for (const size of [1, 10, 50, 200]) {
        const posts = Array.from({ length: size }, (_, i) => ({ pid: i, uid: 10 + i }));
        const before = db.roundTrips;
        const badged = await addBadgesToPosts(posts);
        trips.push(db.roundTrips - before);
        expect(badged.every(p => p && (p as { physicianBadge?: unknown }).physicianBadge)).to.equal(true);
      }
      expect(new Set(trips).size, `round trips per page size: ${trips.join(', ')}`).to.equal(1);
      expect(trips[0]).to.be.at.most(2);
      const none = db.roundTrips;
      await addBadgesToPosts([{ pid: 1, uid: 0 }]);
      expect(db.roundTrips).to.equal(none);
      expect(nodebb.db).to.equal(db);
    });
  });
});
