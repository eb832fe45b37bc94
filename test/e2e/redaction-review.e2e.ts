/**
 * Review before publication in a real NodeBB: with a category listed in the plugin's
 * "review categories" setting, a member's post with an image waits in NodeBB's own post queue
 * (seen by the admin at /api/post-queue), is missing from the category's topic list until a
 * moderator accepts it, and appears once accepted. The admin, a reviewer, is not queued.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';

import { launchBrowser } from '../harness/browser';
import { baseImage } from '../harness/redaction-corpus';
import { NodeBBSession, requireE2EConfig, type ApiResponse } from './nodebb-session';

interface Queued { queued?: boolean; id?: string; tid?: number }
interface TopicList { topics?: { tid: number; title: string }[] }
interface QueuePage { posts?: { id: string; uid: number; data: { cid?: number | string; title?: string } }[] }

describe('image review before publication (real NodeBB)', function () {
  this.timeout(120_000);
  const config = requireE2EConfig();
  let admin: NodeBBSession;
  let member: { uid: number; username: string; session: NodeBBSession };
  let browser: Browser;
  let adminPage: Page;
  let cid: number;
  let previousReviewCategories = '';
  let queuedId = '';
  const title = `Ward round image ${Math.random().toString(36).slice(2, 8)}`;

  /** The plugin's settings go through NodeBB's own settings socket, as the ACP form saves them. */
  async function pluginSettings(values?: Record<string, string>): Promise<Record<string, string>> {
    return adminPage.evaluate(async ({ values }) => new Promise<Record<string, string>>((resolve, reject) => {
      const socket = (window as unknown as { socket: { emit(e: string, d: unknown, cb: (err: { message: string } | null, result?: Record<string, string>) => void): void } }).socket;
      const [event, data] = values ? ['admin.settings.set', { hash: 'physician-network', values }] : ['admin.settings.get', { hash: 'physician-network' }];
      socket.emit(event, data, (err, result) => {
        if (err) {
          reject(new Error(err.message));
        } else {
          resolve(result ?? {});
        }
      });
    }), { values });
  }

  async function topicTitles(session: NodeBBSession): Promise<string[]> {
    const response = await session.request<{ response: TopicList }>('GET', `/api/v3/categories/${cid}/topics`);
    expect(response.status, response.text).to.equal(200);
    return (response.body.response.topics ?? []).map(topic => topic.title);
  }

  /** A new member may have to wait NodeBB's initialPostDelay after joining: wait once and try again. */
  async function postTopic(session: NodeBBSession, body: Record<string, unknown>): Promise<ApiResponse<{ response: Queued }>> {
    const first = await session.request<{ response: Queued }>('POST', '/api/v3/topics', body);
    if (first.status !== 400 || !/wait|new user/i.test(first.text)) {
      return first;
    }
    await new Promise(resolve => setTimeout(resolve, 11_000));
    return session.request<{ response: Queued }>('POST', '/api/v3/topics', body);
  }

  before(async () => {
    admin = await NodeBBSession.login(config.url, config.admin.username, config.admin.password);
    const created = await admin.request<{ response: { cid: number } }>('POST', '/api/v3/categories', { name: `E2E image review ${Math.random().toString(36).slice(2, 8)}` });
    expect(created.status, created.text).to.equal(200);
    cid = created.body.response.cid;
    member = await admin.createMember('e2e-review');
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'en-GB' });
    await admin.shareWith(context);
    adminPage = await context.newPage();
    await adminPage.goto(`${config.url}/admin/plugins/physician-network`, { waitUntil: 'networkidle' });
    previousReviewCategories = (await pluginSettings()).redactionReviewCategories ?? '';
    await pluginSettings({ redactionReviewCategories: String(cid) });
  });

  after(async () => {
    await pluginSettings({ redactionReviewCategories: previousReviewCategories });
    if (queuedId) {
      await admin.request('DELETE', `/api/v3/posts/queue/${encodeURIComponent(queuedId)}`);
    }
    await admin.request('DELETE', `/api/v3/categories/${cid}`);
    await browser.close();
  });

  it('a member\'s post with an uploaded image goes to the post queue, not into the category', async () => {
    const upload = await member.session.uploadFile('/api/post/upload', { bytes: await baseImage('png', 40, 30), name: 'x-ray.png', type: 'image/png' }, { cid: String(cid) });
    expect(upload.status, upload.text).to.equal(200);
    const url = (upload.body as { response?: { images?: { url: string }[] } }).response?.images?.[0]?.url;
    expect(url).to.be.a('string');

    const posted = await postTopic(member.session, { cid, title, content: `Findings on the film: ![x-ray](${String(url)})` });
    // NodeBB answers a queued post with 202 Accepted.
    expect(posted.status, posted.text).to.equal(202);
    expect(posted.body.response.queued, posted.text).to.equal(true);
    queuedId = String(posted.body.response.id);

    const queue = await admin.request<QueuePage>('GET', `/api/post-queue/${encodeURIComponent(queuedId)}`);
    expect(queue.status, queue.text).to.equal(200);
    const entry = (queue.body.posts ?? []).find(post => post.id === queuedId);
    expect(entry, queue.text.slice(0, 500)).to.not.equal(undefined);
    expect([String(entry?.uid), String(entry?.data.cid)]).to.deep.equal([String(member.uid), String(cid)]);

    expect(await topicTitles(admin)).to.not.include(title);
    expect(await topicTitles(member.session)).to.not.include(title);
  });

  it('appears in the category once a moderator accepts it', async () => {
    const accepted = await admin.request<{ response: { post: { tid: number } } }>('POST', `/api/v3/posts/queue/${encodeURIComponent(queuedId)}`);
    expect(accepted.status, accepted.text).to.equal(200);
    queuedId = '';
    expect(await topicTitles(member.session)).to.include(title);
  });

  it('the admin (a reviewer) posting an image in the same category is published at once', async () => {
    const adminTitle = `${title} (admin)`;
    const posted = await postTopic(admin, { cid, title: adminTitle, content: '![scan](/assets/uploads/files/e2e-scan.png)' });
    expect(posted.status, posted.text).to.equal(200);
    expect(posted.body.response.queued).to.not.equal(true);
    expect(await topicTitles(member.session)).to.include(adminTitle);
  });
});
