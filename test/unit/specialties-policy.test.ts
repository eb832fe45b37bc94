import { expect } from 'chai';

import {
  ALL_GROUP_PRIVILEGES, CORE_CATEGORY_PRIVILEGES, PUBLIC_GROUPS, VERIFIED_PHYSICIANS_GROUP,
  bindGrants, containerGrants, giveAndRescind, grantsForPolicy, loungeGrants, type GroupPrivilege,
} from '../../lib/specialties/policy';
import { ACCESS_POLICIES } from '../../lib/settings/fields';

const VIEW = ['groups:find', 'groups:read', 'groups:topics:read'];
const POST = [
  'groups:topics:create', 'groups:topics:reply', 'groups:topics:tag',
  'groups:posts:edit', 'groups:posts:history', 'groups:posts:delete',
  'groups:posts:upvote', 'groups:posts:downvote', 'groups:topics:delete',
];
const sorted = (list: readonly string[]): string[] => [...list].sort();

describe('specialties: access policy → privilege sets', () => {
  it('knows the 17 core category privileges of NodeBB 4.11.2', () => {
    expect(CORE_CATEGORY_PRIVILEGES).to.have.length(17);
    expect(ALL_GROUP_PRIVILEGES).to.include.members(['groups:find', 'groups:moderate', 'groups:purge', 'groups:posts:view_deleted', 'groups:topics:crosspost', 'groups:topics:schedule']);
  });

  const expected: Record<string, { public: string[]; verified: string[]; specialty: string[] }> = {
    closed: { public: [], verified: [...VIEW, ...POST], specialty: [...VIEW, ...POST] },
    'specialty-posting': { public: [], verified: VIEW, specialty: [...VIEW, ...POST] },
    'specialty-only': { public: [], verified: [], specialty: [...VIEW, ...POST] },
    'public-read': { public: VIEW, verified: [...VIEW, ...POST], specialty: [...VIEW, ...POST] },
  };

  for (const policy of ACCESS_POLICIES) {
    it(`${policy}: gives exactly the expected set to each group and rescinds every other core privilege`, () => {
      const want = expected[policy];
      if (!want) {
        throw new Error(`no expectation for ${policy}`);
      }
      const set = bindGrants(grantsForPolicy(policy), 'Cardiology physicians');
      expect([...set.keys()].sort()).to.deep.equal(sorted([...PUBLIC_GROUPS, VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians']));
      for (const group of PUBLIC_GROUPS) {
        expect(sorted(set.get(group) ?? ['missing']), group).to.deep.equal(sorted(want.public));
      }
      expect(sorted(set.get(VERIFIED_PHYSICIANS_GROUP) ?? [])).to.deep.equal(sorted(want.verified));
      expect(sorted(set.get('Cardiology physicians') ?? [])).to.deep.equal(sorted(want.specialty));

      const { give, rescind } = giveAndRescind(set);
      for (const [group, given] of give) {
        const taken = rescind.get(group) ?? [];
        expect(sorted([...given, ...taken]), group).to.deep.equal(sorted(ALL_GROUP_PRIVILEGES));
        expect(given.filter(p => taken.includes(p))).to.deep.equal([]);
      }
    });
  }

  for (const policy of ['closed', 'specialty-only'] as const) {
    it(`${policy} leaves guests, spiders, registered-users and fediverse with nothing, moderation included`, () => {
      const { give, rescind } = giveAndRescind(bindGrants(grantsForPolicy(policy), 'Cardiology physicians'));
      for (const group of ['guests', 'spiders', 'registered-users', 'fediverse']) {
        expect(give.get(group)).to.deep.equal([]);
        expect(sorted(rescind.get(group) ?? [])).to.deep.equal(sorted(ALL_GROUP_PRIVILEGES));
      }
    });
  }

  it('never lets an unverified group post, under any policy', () => {
    for (const policy of ACCESS_POLICIES) {
      const set = bindGrants(grantsForPolicy(policy), 'X physicians');
      for (const group of PUBLIC_GROUPS) {
        expect((set.get(group) ?? []).filter(p => !VIEW.includes(p)), `${policy} ${group}`).to.deep.equal([]);
      }
    }
  });

  it('never grants moderation rights (moderate, purge, view_deleted, schedule) or cross-posting through a policy', () => {
    const never: GroupPrivilege[] = ['groups:moderate', 'groups:purge', 'groups:posts:view_deleted', 'groups:topics:schedule', 'groups:topics:crosspost'];
    for (const policy of ACCESS_POLICIES) {
      for (const [, privs] of bindGrants(grantsForPolicy(policy), 'X physicians')) {
        expect(privs.filter(p => never.includes(p))).to.deep.equal([]);
      }
    }
  });

  it('the lounge is for verified physicians only; the parent is a read-only container', () => {
    const lounge = bindGrants(loungeGrants(), null);
    expect([...lounge.keys()]).to.not.include('X physicians');
    expect(sorted(lounge.get(VERIFIED_PHYSICIANS_GROUP) ?? [])).to.deep.equal(sorted([...VIEW, ...POST]));
    for (const group of PUBLIC_GROUPS) {
      expect(lounge.get(group)).to.deep.equal([]);
    }
    const closedParent = bindGrants(containerGrants('closed'), null);
    expect(sorted(closedParent.get(VERIFIED_PHYSICIANS_GROUP) ?? [])).to.deep.equal(sorted(VIEW));
    expect(closedParent.get('guests')).to.deep.equal([]);
    expect(sorted(bindGrants(containerGrants('public-read'), null).get('guests') ?? [])).to.deep.equal(sorted(VIEW));
  });
});
