/**
 * The first start on an empty forum: everything the plugin provisions is there, exactly
 * once, and NodeBB's log holds no error or warning from the plugin. Meaningful on a forum
 * this run set up (`npm run test:e2e` without NODEBB_URL); on a given long-lived forum the
 * log checks are skipped (its log is not ours to read).
 */
import { expect } from 'chai';

import { forumLogFiles, pluginProblems, readForumLog } from './forum-log';
import { NodeBBSession, requireE2EConfig } from './nodebb-session';

interface Category { cid: number; name: string; parentCid: number; disabled?: number }
interface SpecialtyRow { slug: string; name: string; enabled: boolean; cid: number; groupName: string }
interface Job { name: string; active: boolean }

/** How long the first start may take on a slow, shared machine (54 categories, their groups and privileges). */
const FIRST_START_WAIT_MS = 5 * 60_000;

/** NodeBB stores category names HTML-escaped. */
function unescapeName(name: string): string {
  return name.replace(/&#x27;|&#39;/g, '\'').replace(/&amp;/g, '&');
}

/** NodeBB's slug for a group name (lower case, spaces to dashes; enough for the plugin's names). */
function groupSlug(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
}

describe('first start (real NodeBB, empty database)', function () {
  this.timeout(120_000);
  const config = requireE2EConfig();
  let admin: NodeBBSession;
  let categories: Category[];

  before(async function () {
    // NodeBB answers before a slow first start has finished (it waits 10 s for
    // static:app.load, then goes on): wait until the plugin's jobs, scheduled last, exist.
    this.timeout(FIRST_START_WAIT_MS + 30_000);
    admin = await NodeBBSession.login(config.url, config.admin.username, config.admin.password);
    const deadline = Date.now() + FIRST_START_WAIT_MS;
    while ((await pluginJobs()).length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => { setTimeout(resolve, 2_000); });
    }
    const listed = await admin.request<{ response?: { categories?: Category[] } }>('GET', '/api/v3/categories');
    expect(listed.status).to.equal(200);
    categories = (listed.body.response?.categories ?? []).map(category => ({ ...category, name: unescapeName(category.name) }));
  });

  async function pluginJobs(): Promise<Job[]> {
    const listed = await admin.request<{ jobs?: Job[] }>('GET', '/api/admin/advanced/jobs');
    return (listed.body.jobs ?? []).filter(job => job.name.startsWith('physician-network:'));
  }

  async function groupExists(name: string): Promise<boolean> {
    const response = await admin.request('HEAD', `/api/v3/groups/${encodeURIComponent(groupSlug(name))}`);
    return response.status === 200;
  }

  it('created the "Verified physicians" and "Organisers" groups', async () => {
    expect(await groupExists('Verified physicians'), 'Verified physicians').to.equal(true);
    expect(await groupExists('Organisers'), 'Organisers').to.equal(true);
  });

  it('created one "Specialties" parent with a category and a group for every default specialty', async () => {
    const parents = categories.filter(category => category.name === 'Specialties' && category.parentCid === 0);
    expect(parents, 'exactly one Specialties category').to.have.length(1);
    const parentCid = parents[0]?.cid ?? -1;
    const listed = await admin.request<{ response?: { specialties?: SpecialtyRow[] } }>('GET', '/api/v3/plugins/physician-network/specialties');
    expect(listed.status).to.equal(200);
    const specialties = listed.body.response?.specialties ?? [];
    expect(specialties.length, 'the default taxonomy').to.be.at.least(50);
    const children = categories.filter(category => category.parentCid === parentCid);
    expect(children, 'one child category per specialty').to.have.length(specialties.length);
    for (const specialty of specialties) {
      expect(specialty.cid, specialty.slug).to.be.greaterThan(0);
      expect(children.some(child => child.cid === specialty.cid), `${specialty.slug} under Specialties`).to.equal(true);
      expect(specialty.groupName, specialty.slug).to.not.equal('');
    }
    // Every specialty group exists in NodeBB (a sample keeps the request count small; names are checked above).
    for (const specialty of [specialties[0], specialties[Math.floor(specialties.length / 2)], specialties[specialties.length - 1]]) {
      expect(await groupExists(specialty?.groupName ?? '(none)'), specialty?.groupName).to.equal(true);
    }
    // Names are unique: no specialty category was created twice.
    expect(new Set(children.map(child => child.name)).size).to.equal(children.length);
  });

  it('created exactly one Physicians\' lounge and one Seminars category', () => {
    expect(categories.filter(category => category.name === 'Physicians\' lounge'), 'lounge').to.have.length(1);
    expect(categories.filter(category => category.name === 'Seminars'), 'Seminars').to.have.length(1);
  });

  it('scheduled its jobs (daily verification job, seminar reminders) with NodeBB\'s cron', async () => {
    const ours = await pluginJobs();
    expect(ours.map(job => job.name).sort()).to.deep.equal(['physician-network:seminar-reminders', 'physician-network:seminar-repair', 'physician-network:verification-daily']);
    expect(ours.every(job => job.active), 'active').to.equal(true);
  });

  it('left no error or warning from the plugin in NodeBB\'s log', function () {
    const files = forumLogFiles();
    if (files.length === 0) {
      this.skip();
    }
    for (const file of files) {
      const log = readForumLog(file);
      // The log is the right one and complete up to the start (NodeBB logs this once listening).
      expect(log, file).to.match(/NodeBB is now listening on/);
      expect(pluginProblems(log), file).to.deep.equal([]);
    }
  });
});
