/**
 * The API gate in front of NodeBB's group routes (`response:router.page`): every route that
 * would add someone to, or take someone out of, "Verified physicians" or a specialty group is
 * refused before core's controller runs, however the address is spelled. Express matches
 * routes case-insensitively and decodes `%xx` in parameters, so `/API/V3/Groups/Verified-Physicians/…`
 * and `/api/v3/groups/%56erified-physicians/…` reach the same controller as the canonical slug.
 */
import { expect } from 'chai';
import type { Request, Response } from 'express';

import { provideForTests } from '../../lib/nodebb';
import { provisionStructure } from '../../lib/specialties/structure';
import { refuseProtectedGroupApiJoins } from '../../lib/specialties/hooks';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { installSpecialtyStandIns, seedTaxonomy } from '../harness/specialties-stand-ins';

interface Answer { status: number; key: string }

describe('specialties: the protected-group API gate', () => {
  const answers: Answer[] = [];

  before(async () => {
    installSpecialtyStandIns(testDatabase());
    provideForTests({
      controllerHelpers: {
        formatApiResponse: async (status: number, _res: Response, payload?: unknown) => {
          answers.push({ status, key: payload instanceof Error && 'key' in payload ? String(payload.key) : '' });
        },
        notAllowed: async () => undefined,
        buildBreadcrumbs: () => [],
      },
    });
  });
  after(() => { provideTestNodeBB(testDatabase()); });
  beforeEach(async () => {
    answers.length = 0;
    await testDatabase().flushAll();
    await seedTaxonomy(['cardiology', 'radiology']);
    await provisionStructure();
  });

  /** What the gate answers to one request: the refusal's status and key, or null when it lets it through. */
  async function gate(method: string, url: string, params?: Record<string, string>): Promise<Answer | null> {
    answers.length = 0;
    const req = { method, originalUrl: url, url, ...(params ? { params } : {}) } as unknown as Request;
    await refuseProtectedGroupApiJoins({ req, res: { headersSent: false } as unknown as Response });
    return answers[0] ?? null;
  }

  const refused: Answer = { status: 403, key: 'error.specialties-group-closed' };

  // Every spelling Express routes to the same group controller as the canonical slug.
  const spellings = [
    '/api/v3/groups/verified-physicians',
    '/api/v3/groups/Verified-Physicians',
    '/api/v3/groups/VERIFIED-PHYSICIANS',
    '/api/v3/groups/%56erified-physicians',
    '/api/v3/groups/verified%2Dphysicians',
    '/api/v3/groups/%76%45RIFIED-physicians',
    '/API/V3/GROUPS/verified-physicians',
    '/Api/v3/Groups/Cardiology-Physicians',
    '/forum/api/v3/groups/cardiology-physicians',
    '/api/v3/groups/radiology-physicians',
  ];
  // Joining, kicking (or leaving), accepting a request, inviting, accepting an invitation, owning.
  const changes: [string, string][] = [
    ['PUT', 'membership/7'],
    ['DELETE', 'membership/7'],
    ['PUT', 'pending/7'],
    ['POST', 'invites/7'],
    ['PUT', 'invites/7'],
    ['PUT', 'ownership/7'],
    ['DELETE', 'ownership/7'],
    ['PUT', 'MEMBERSHIP/7'],
    ['DELETE', 'Membership/7/'],
    ['PUT', 'membership/7?_uid=1'],
  ];

  for (const base of spellings) {
    it(`refuses every membership change under ${base}`, async () => {
      for (const [method, rest] of changes) {
        expect(await gate(method, `${base}/${rest}`), `${method} ${base}/${rest}`).to.deep.equal(refused);
      }
    });
  }

  it('refuses deleting a protected group (every member out at once), however it is spelled', async () => {
    for (const url of ['/api/v3/groups/verified-physicians', '/API/v3/groups/Cardiology-Physicians/', '/api/v3/groups/%56erified-physicians']) {
      expect(await gate('DELETE', url), url).to.deep.equal(refused);
    }
    expect(await gate('DELETE', '/api/v3/groups/book-club')).to.equal(null);
    // Restyling goes through (filter:group.update keeps it private and closed).
    expect(await gate('PUT', '/api/v3/groups/verified-physicians')).to.equal(null);
  });

  it('refuses by the decoded route parameter when Express gives one', async () => {
    expect(await gate('PUT', '/api/v3/groups/x/membership/7', { slug: 'Verified-Physicians', uid: '7' })).to.deep.equal(refused);
  });

  it('lets reading, declining and other groups through', async () => {
    const through: [string, string][] = [
      ['GET', '/api/v3/groups/verified-physicians/membership/7'],
      ['GET', '/API/V3/groups/Verified-Physicians/pending'],
      ['HEAD', '/api/v3/groups/verified-physicians'],
      // Turning down a request or an invitation adds nobody.
      ['DELETE', '/api/v3/groups/Verified-Physicians/pending/7'],
      ['DELETE', '/api/v3/groups/VERIFIED-PHYSICIANS/invites/7'],
      ['PUT', '/api/v3/groups/book-club/membership/7'],
      ['PUT', '/api/v3/groups/verified-physicians-fans/membership/7'],
      ['PUT', '/api/v3/groups/cardiology/membership/7'],
      ['PUT', '/api/v3/users/7/settings'],
      // A malformed escape never reaches a controller (Express answers 400); the gate does not throw on it.
      ['PUT', '/api/v3/groups/%E0%A4%A/membership/7'],
    ];
    for (const [method, url] of through) {
      expect(await gate(method, url), `${method} ${url}`).to.equal(null);
    }
  });
});
