/**
 * Mocha root hooks for the e2e suite. On a fresh forum this run set up (NODEBB_LOG_FILES is
 * set), NodeBB's stock limits for new members are lifted once: every spec's members are
 * created seconds before they post, and stock NodeBB 4.11 queues the posts of members below
 * 1 reputation (postQueue) and makes them wait 10 s before their first post and 120 s between
 * posts. The specs test the plugin, not those limits. A forum given with NODEBB_URL must have
 * them off already (README).
 *
 * NodeBB's event-loop check is turned off too: in production it answers 503 to page requests
 * while its event loop lags over 100 ms, which on a CI machine shared by several forums and a
 * browser happens at random (seen as 503s on /physician-verification pages).
 */
// Loaded first: the forum-control channel must never keep mocha from exiting.
import './forum-control';
import { forumLogFiles } from './forum-log';
import { NodeBBSession, requireE2EConfig } from './nodebb-session';

const TEST_FORUM_SETTINGS = { postQueue: 0, initialPostDelay: 0, postDelay: 0, newbiePostDelay: 0, eventLoopCheckEnabled: 0 };

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    if (forumLogFiles().length === 0) {
      return;
    }
    this.timeout(60_000);
    const config = requireE2EConfig();
    const admin = await NodeBBSession.login(config.url, config.admin.username, config.admin.password);
    for (const [setting, value] of Object.entries(TEST_FORUM_SETTINGS)) {
      const response = await admin.request('PUT', `/api/v3/admin/settings/${setting}`, { value });
      if (response.status !== 200) {
        throw new Error(`could not set ${setting}: ${String(response.status)} ${response.text.slice(0, 200)}`);
      }
    }
  },
};
