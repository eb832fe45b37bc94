/**
 * Specialties in a real NodeBB: provisioning is idempotent, protected groups cannot be
 * joined, a member placed by the membership functions shows their badges, and the leak
 * matrix: a closed category's topics, posts and titles reach neither an unverified member
 * nor a guest by any route, and a specialty-only category is closed to other specialties.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';

import { launchBrowser } from '../harness/browser';
import { NodeBBSession, requireE2EConfig, type ApiResponse } from './nodebb-session';

interface SpecialtyRow { slug: string; cid: number; groupName: string; policy: string }
interface Listing { specialties: SpecialtyRow[]; provisioned: { parentCid: number; loungeCid: number } }
interface Created { response: { tid: number; cid: number; slug: string; mainPid?: number } }

function api<T>(response: ApiResponse<{ response: T }>): T {
  if (response.status !== 200) {
    throw new Error(`unexpected ${response.status}: ${response.text.slice(0, 300)}`);
  }
  return response.body.response;
}

describe('specialties (real NodeBB)', function () {
  this.timeout(180_000);
  const config = requireE2EConfig();
  const secret = `pnsecret${Math.random().toString(36).slice(2, 10)}`;
  const onlySecret = `pnonly${Math.random().toString(36).slice(2, 10)}`;
  // NodeBB's default longest tag is 15 characters.
  const tag = `pt${Math.random().toString(36).slice(2, 10)}`;
  // What would leak: the title and the post bodies. The bare token is not enough, since
  // search and tag pages echo the term or tag that was asked for.
  const leaked = (text: string): boolean => [`Case ${secret} title`, `details ${secret} body`, `Reply ${secret} with`].some(phrase => text.includes(phrase));
  const leakedOnly = (text: string): boolean => [`Radiology ${onlySecret} only`, `Films ${onlySecret} here`].some(phrase => text.includes(phrase));
  let admin: NodeBBSession;
  let guest: NodeBBSession;
  let cardiologist: { uid: number; username: string; session: NodeBBSession };
  let radiologist: { uid: number; username: string; session: NodeBBSession };
  let unverified: { uid: number; username: string; session: NodeBBSession };
  let cardiology: SpecialtyRow;
  let radiology: SpecialtyRow;
  let closedTopic: Created['response'];
  let onlyTopic: Created['response'];
  let publicTopic: Created['response'];
  let browser: Browser;

  before(async () => {
    admin = await NodeBBSession.login(config.url, config.admin.username, config.admin.password);
    guest = await NodeBBSession.guest(config.url);
    const listing = api<Listing>(await admin.request('GET', '/api/v3/plugins/physician-network/specialties'));
    const find = (slug: string): SpecialtyRow => {
      const row = listing.specialties.find(s => s.slug === slug);
      if (!row?.cid) {
        throw new Error(`specialty ${slug} is not provisioned`);
      }
      return row;
    };
    cardiology = find('cardiology');
    radiology = find('radiology');

    // Radiology becomes specialty-only: store the policy, look at the plan, apply it.
    api(await admin.request('PUT', `/api/v3/plugins/physician-network/specialties/${radiology.slug}`, { policy: 'specialty-only' }));
    const plan = api<{ planId: string; changes: unknown[] }>(await admin.request('GET', '/api/v3/plugins/physician-network/specialties/plan'));
    api(await admin.request('POST', '/api/v3/plugins/physician-network/specialties/plan', { planId: plan.planId }));

    cardiologist = await admin.createMember('e2e-cardio');
    radiologist = await admin.createMember('e2e-radio');
    unverified = await admin.createMember('e2e-unverified');
    api(await admin.request('PUT', `/api/v3/plugins/physician-network/members/${cardiologist.uid}/specialties`, { specialties: ['cardiology'] }));
    api(await admin.request('PUT', `/api/v3/plugins/physician-network/members/${radiologist.uid}/specialties`, { specialties: ['radiology'] }));

    // The unverified member asks to watch the closed category, in case core would let that notify them.
    await unverified.session.request('PUT', `/api/v3/categories/${cardiology.cid}/watch`, { state: 'watching' });

    closedTopic = api<Created['response']>(await cardiologist.session.request('POST', '/api/v3/topics', {
      cid: cardiology.cid, title: `Case ${secret} title`, content: `Patient details ${secret} body. @${unverified.username} @${radiologist.username}`, tags: [tag],
    }));
    await cardiologist.session.request('POST', `/api/v3/topics/${closedTopic.tid}`, { content: `Reply ${secret} with @${unverified.username}` });
    onlyTopic = api<Created['response']>(await radiologist.session.request('POST', '/api/v3/topics', {
      cid: radiology.cid, title: `Radiology ${onlySecret} only`, content: `Films ${onlySecret} here.`,
    }));
    publicTopic = api<Created['response']>(await admin.request('POST', '/api/v3/topics', {
      cid: 2, title: `Public e2e topic ${secret.slice(-4)}`, content: `Nothing secret here, @${unverified.username}.`,
    }));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser.close();
  });

  describe('provisioning and groups', () => {
    it('a second provisioning run creates nothing', async () => {
      const first = api<{ createdGroups: string[]; createdCategories: unknown[] }>(await admin.request('POST', '/api/v3/plugins/physician-network/specialties/provision'));
      const second = api<{ createdGroups: string[]; createdCategories: unknown[] }>(await admin.request('POST', '/api/v3/plugins/physician-network/specialties/provision'));
      expect(first.createdGroups).to.deep.equal([]);
      expect(second.createdGroups).to.deep.equal([]);
      expect(second.createdCategories).to.deep.equal([]);
    });

    for (const allowPrivateGroups of [1, 0]) {
      it(`nobody joins "Verified physicians" or a specialty group through the API (allowPrivateGroups ${allowPrivateGroups})`, async () => {
        await admin.request('PUT', '/api/v3/admin/settings/allowPrivateGroups', { value: String(allowPrivateGroups) });
        for (const slug of ['verified-physicians', 'cardiology-physicians']) {
          const joined = await unverified.session.request('PUT', `/api/v3/groups/${slug}/membership/${unverified.uid}`);
          expect(joined.status, slug).to.equal(403);
          const requested = await admin.request('PUT', `/api/v3/groups/${slug}/membership/${unverified.uid}`);
          expect(requested.status, `admin adding to ${slug}`).to.equal(403);
        }
        const groups = await unverified.session.request<{ groups?: { name: string }[] }>('GET', `/api/user/${unverified.username}/groups`);
        expect((groups.body.groups ?? []).map(g => g.name)).to.not.include('Verified physicians');
      });
    }

    after(async () => {
      await admin.request('PUT', '/api/v3/admin/settings/allowPrivateGroups', { value: '1' });
    });
  });

  describe('badges', () => {
    it('a member placed by the membership functions shows "Verified physician" and their specialty on their posts', async () => {
      const topic = await cardiologist.session.request<{ posts: { user: { selectedGroups: { name: string; userTitle: string }[] } }[] }>('GET', `/api/topic/${closedTopic.tid}`);
      expect(topic.status).to.equal(200);
      const names = topic.body.posts[0]?.user.selectedGroups.map(g => g.name);
      expect(names).to.include.members(['Verified physicians', cardiology.groupName]);
      const context = await browser.newContext({ locale: 'en-GB' });
      await cardiologist.session.shareWith(context);
      const page = await context.newPage();
      await page.goto(`${config.url}/topic/${closedTopic.tid}`, { waitUntil: 'networkidle' });
      const badges = await page.locator('[component="post"] a.badge').allTextContents();
      expect(badges.map(b => b.trim())).to.include.members(['Verified physician', 'Cardiology']);
      await context.close();
    });

    it('and on their profile', async () => {
      const profile = await admin.request<{ selectedGroup: { name: string }[] }>('GET', `/api/user/${cardiologist.username}`);
      expect(profile.body.selectedGroup.map(g => g.name)).to.include.members(['Verified physicians', cardiology.groupName]);
    });
  });

  describe('directory', () => {
    interface DirectoryData { members: { uid: number }[] }
    it('/physicians is for verified physicians only', async () => {
      expect([401, 403]).to.include((await guest.request('GET', '/api/physicians')).status);
      expect([401, 403]).to.include((await unverified.session.request('GET', '/api/physicians')).status);
      const seen = await cardiologist.session.request<DirectoryData>('GET', '/api/physicians?specialty=cardiology');
      expect(seen.status).to.equal(200);
      expect(seen.body.members.map(m => m.uid)).to.include(cardiologist.uid);
    });

    it('a member can leave the directory and come back', async () => {
      const off = await cardiologist.session.request('PUT', '/api/v3/plugins/physician-network/directory/listing', { listed: false });
      expect(off.status).to.equal(200);
      const hidden = await radiologist.session.request<DirectoryData>('GET', '/api/physicians?specialty=cardiology');
      expect(hidden.body.members.map(m => m.uid)).to.not.include(cardiologist.uid);
      await cardiologist.session.request('PUT', '/api/v3/plugins/physician-network/directory/listing', { listed: true });
      const back = await radiologist.session.request<DirectoryData>('GET', '/api/physicians?specialty=cardiology');
      expect(back.body.members.map(m => m.uid)).to.include(cardiologist.uid);
    });

    it('an unverified member cannot list themselves', async () => {
      const refused = await unverified.session.request('PUT', '/api/v3/plugins/physician-network/directory/listing', { listed: true });
      expect(refused.status).to.equal(400);
    });
  });

  describe('leak matrix', () => {
    it('positive controls: the cardiologist reads the closed topic, the radiologist the specialty-only one', async () => {
      const closed = await cardiologist.session.request('GET', `/api/topic/${closedTopic.tid}`);
      expect(closed.status).to.equal(200);
      expect(closed.text).to.contain(secret);
      const only = await radiologist.session.request('GET', `/api/topic/${onlyTopic.tid}`);
      expect(only.status).to.equal(200);
      expect(leakedOnly(only.text)).to.equal(true);
      // The same search and tag routes the matrix checks do find the topic for those who may read it.
      const search = await cardiologist.session.request('GET', `/api/search?term=${secret}&in=titlesposts`);
      expect(leaked(search.text), 'search finds it for the cardiologist').to.equal(true);
      const tagged = await cardiologist.session.request('GET', `/api/tags/${tag}`);
      expect(leaked(tagged.text), 'tag page lists it for the cardiologist').to.equal(true);
    });

    const routes = (): string[] => [
      `/category/${cardiology.cid}`, `/api/category/${cardiology.cid}`,
      `/topic/${closedTopic.tid}`, `/api/topic/${closedTopic.tid}`, `/api/v3/topics/${closedTopic.tid}`,
      `/post/${closedTopic.mainPid ?? 0}`, `/api/v3/posts/${closedTopic.mainPid ?? 0}`,
      '/recent', '/api/recent', '/unread', '/api/unread', '/popular', '/api/popular', '/top', '/api/top',
      `/tags/${tag}`, `/api/tags/${tag}`, '/tags', '/api/tags',
      `/search?term=${secret}&in=titlesposts`, `/api/search?term=${secret}&in=titlesposts`, `/api/v3/search/categories?search=Cardiology`,
      `/category/${cardiology.cid}.rss`, '/recent.rss', `/topic/${closedTopic.tid}.rss`, `/tags/${tag}.rss`, '/popular.rss', '/top.rss',
      `/user/${cardiologist.username}/topics.rss`,
      '/sitemap.xml', '/sitemap/topics.1.xml', '/sitemap/categories.xml', '/sitemap/pages.xml',
      `/user/${cardiologist.username}/posts`, `/api/user/${cardiologist.username}/posts`,
      `/user/${cardiologist.username}/topics`, `/api/user/${cardiologist.username}/topics`,
      '/', '/api/', '/categories', '/api/categories',
      `/api/category/${cardiology.cid}/children`, '/api/v3/categories',
    ];

    for (const viewer of ['guest', 'unverified member'] as const) {
      it(`${viewer}: no route shows the closed category's topics, posts or titles`, async () => {
        const session = viewer === 'guest' ? guest : unverified.session;
        const leaks: string[] = [];
        for (const route of routes()) {
          const response = await session.request('GET', route);
          if (leaked(response.text)) {
            leaks.push(`${route} (${response.status})`);
          }
        }
        expect(leaks).to.deep.equal([]);
      });

      it(`${viewer}: the closed category and topic answer 403 or 404`, async () => {
        const session = viewer === 'guest' ? guest : unverified.session;
        for (const route of [`/api/category/${cardiology.cid}`, `/api/topic/${closedTopic.tid}`, `/api/v3/topics/${closedTopic.tid}`]) {
          const response = await session.request('GET', route);
          expect([401, 403, 404], route).to.include(response.status);
        }
      });
    }

    it('a cardiologist sees nothing of the radiology-only category by any route', async () => {
      const leaks: string[] = [];
      const only = [
        `/category/${radiology.cid}`, `/api/category/${radiology.cid}`, `/topic/${onlyTopic.tid}`, `/api/topic/${onlyTopic.tid}`,
        '/api/recent', '/api/unread', '/api/popular', `/api/search?term=${onlySecret}&in=titlesposts`, `/category/${radiology.cid}.rss`,
        '/recent.rss', `/topic/${onlyTopic.tid}.rss`, `/api/user/${radiologist.username}/posts`, `/api/user/${radiologist.username}/topics`, '/api/categories',
      ];
      for (const route of only) {
        const response = await cardiologist.session.request('GET', route);
        if (leakedOnly(response.text)) {
          leaks.push(`${route} (${response.status})`);
        }
      }
      expect(leaks).to.deep.equal([]);
    });

    it('the unverified member got no notification carrying the closed topic (mentions, watching), but did get the public one', async () => {
      // Positive control: the mention in the public topic does notify (mentions are sent shortly after posting).
      let notifications = await unverified.session.request('GET', '/api/notifications');
      for (let i = 0; i < 20 && !notifications.text.includes(`Public e2e topic ${secret.slice(-4)}`); i += 1) {
        await new Promise(resolve => setTimeout(resolve, 250));
        notifications = await unverified.session.request('GET', '/api/notifications');
      }
      expect(notifications.text).to.contain(`Public e2e topic ${secret.slice(-4)}`);
      expect(notifications.status).to.equal(200);
      expect(leaked(notifications.text)).to.equal(false);
      expect(notifications.text).to.not.contain(secret);
      expect(notifications.text).to.not.contain(`/topic/${closedTopic.slug}`);
    });

    it('the public control topic is visible to a guest (so the matrix can see leaks)', async () => {
      const recent = await guest.request('GET', '/api/recent');
      expect(recent.text).to.contain(`Public e2e topic ${secret.slice(-4)}`);
      expect(publicTopic.tid).to.be.greaterThan(0);
    });
  });
});
