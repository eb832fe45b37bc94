/**
 * `npm run bench:forum`: what the plugin costs a real NodeBB 4.11.2 page, on a fresh forum.
 *
 * One topic of 50 posts by 50 different verified physicians (each post gets the plugin's
 * badges) in a public category, and 20 upcoming seminars. Rounds alternate the plugin active
 * and inactive (`./nodebb activate` / `./nodebb reset -p`, then a restart), the order flipping
 * each round; every figure is a median over all rounds of guest requests, after a warm-up.
 *
 * Baselines: the topic page and /api/topic are the same URLs in both states. /seminars does
 * not exist without the plugin, so its baseline is NodeBB's /recent, a core list page of the
 * same 20 topics (those seminars), measured with the plugin inactive; /recent with the plugin
 * active is printed too, for the plugin's cost on a core list page.
 *
 * Both states run the same build (it includes the plugin's templates and styles; a rebuild
 * per round would take minutes): the difference measured is the plugin's server-side work.
 */
import { NodeBBSession, type ApiResponse } from '../e2e/nodebb-session';
import { prepareNodeBBTree, PLUGIN_ID, say, startForum, Teardown, type Forum } from '../forum/forum';

const ROUNDS = Number(process.env.PN_BENCH_ROUNDS ?? 4);
const REQUESTS = Number(process.env.PN_BENCH_REQUESTS ?? 25);
const WARM_UP = 5;
const API = '/api/v3/plugins/physician-network';

function ok<T>(response: ApiResponse<{ response: T }>, what: string): T {
  if (response.status !== 200) {
    throw new Error(`${what}: ${String(response.status)} ${response.text.slice(0, 300)}`);
  }
  return response.body.response;
}

async function timedGet(url: string): Promise<number> {
  const start = process.hrtime.bigint();
  const response = await fetch(url, { headers: { accept: url.includes('/api/') ? 'application/json' : 'text/html' } });
  await response.arrayBuffer();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (response.status !== 200) {
    throw new Error(`GET ${url} answered ${String(response.status)}`);
  }
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Seeds the forum: settings that let 50 new members post at once, the topic, and 20 seminars. */
async function seed(forum: Forum): Promise<{ tid: number }> {
  const url = forum.urls[0] ?? '';
  const admin = await NodeBBSession.login(url, forum.admin.username, forum.admin.password);
  // New members may post at once, and one page holds all 50 posts.
  for (const [setting, value] of Object.entries({ initialPostDelay: 0, postDelay: 0, newbiePostDelay: 0, postsPerPage: 50, maxPostsPerPage: 50 })) {
    ok(await admin.request('PUT', `/api/v3/admin/settings/${setting}`, { value }), `setting ${setting}`);
  }
  const { specialties } = ok<{ specialties: { slug: string }[] }>(await admin.request('GET', `${API}/specialties`), 'specialties');
  const authors: NodeBBSession[] = [];
  for (let i = 0; i < 50; i += 1) {
    const member = await admin.createMember(`bench-doctor-${String(i)}`);
    const slug = specialties[i % specialties.length]?.slug ?? 'cardiology';
    ok(await admin.request('PUT', `${API}/members/${String(member.uid)}/specialties`, { specialties: [slug] }), 'verify member');
    authors.push(member.session);
  }
  const [first, ...others] = authors;
  if (!first) {
    throw new Error('no authors');
  }
  // cid 2 is NodeBB's "General Discussion", readable by guests.
  const topic = ok<{ tid: number }>(await first.request('POST', '/api/v3/topics', { cid: 2, title: 'Benchmark: a case discussed by fifty colleagues', content: 'Post 1 of 50.' }), 'topic');
  for (const [index, author] of others.entries()) {
    ok(await author.request('POST', `/api/v3/topics/${String(topic.tid)}`, { content: `Post ${String(index + 2)} of 50: a reply with a few words.` }), 'reply');
  }
  const categories = ok<{ categories: { cid: number; name: string }[] }>(await admin.request('GET', '/api/v3/categories'), 'categories').categories;
  const seminarsCid = categories.find(c => c.name === 'Seminars')?.cid;
  if (!seminarsCid) {
    throw new Error('no Seminars category');
  }
  const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < 20; i += 1) {
    ok(await admin.request('POST', `${API}/seminars`, {
      cid: seminarsCid, title: `Benchmark seminar ${String(i + 1)}`, content: 'A seminar for the benchmark.', type: 'seminar',
      timezone: 'Asia/Jakarta', allDay: false, start: `${day}T${String(8 + (i % 8)).padStart(2, '0')}:00`, end: `${day}T18:00`,
      attendance: 'online', venue: '', city: '', country: '', onlineUrl: 'https://meet.example.org/bench', organiser: 'Benchmark',
      contact: '', specialties: ['all'], creditsAmount: '', creditsBody: '', creditsArea: '', free: true, feeAmount: '', feeCurrency: '',
      registrationUrl: '', registrationDeadline: '', capacity: '', language: 'en', status: 'scheduled',
    }), 'seminar');
  }
  return { tid: topic.tid };
}

async function main(): Promise<void> {
  const teardown = new Teardown();
  teardown.runOnSignals();
  try {
    const tree = await prepareNodeBBTree(teardown);
    const forum = await startForum(tree, { database: 'redis', processes: 1 }, teardown);
    const url = forum.urls[0] ?? '';
    say('seeding 50 verified authors, one topic of 50 posts, 20 seminars');
    const { tid } = await seed(forum);
    const pages = {
      topic: `${url}/topic/${String(tid)}`,
      apiTopic: `${url}/api/topic/${String(tid)}`,
      list: `${url}/seminars`,
      recent: `${url}/recent`,
    };
    const samples: Record<'active' | 'inactive', Record<keyof typeof pages, number[]>> = {
      active: { topic: [], apiTopic: [], list: [], recent: [] },
      inactive: { topic: [], apiTopic: [], list: [], recent: [] },
    };
    let active = true;
    for (let round = 0; round < ROUNDS; round += 1) {
      const order: ('active' | 'inactive')[] = round % 2 === 0 ? ['active', 'inactive'] : ['inactive', 'active'];
      for (const state of order) {
        const wantActive = state === 'active';
        if (wantActive !== active) {
          await forum.nodebb(wantActive ? ['activate', PLUGIN_ID] : ['reset', '-p', PLUGIN_ID]);
          await forum.restart();
          active = wantActive;
        }
        // Inactive, /seminars is NodeBB's 404: its baseline is /recent (see above).
        const list = wantActive ? pages.list : pages.recent;
        for (let i = 0; i < WARM_UP; i += 1) {
          await Promise.all([timedGet(pages.topic), timedGet(pages.apiTopic), timedGet(list), timedGet(pages.recent)]);
        }
        // Interleaved, so a slow moment on this shared machine hits every page alike.
        for (let i = 0; i < REQUESTS; i += 1) {
          samples[state].topic.push(await timedGet(pages.topic));
          samples[state].apiTopic.push(await timedGet(pages.apiTopic));
          samples[state].list.push(await timedGet(list));
          samples[state].recent.push(await timedGet(pages.recent));
        }
        say(`round ${String(round + 1)}/${String(ROUNDS)}, plugin ${state}: topic ${median(samples[state].topic).toFixed(1)} ms`);
      }
    }
    const line = (label: string, withPlugin: number[], without: number[], goal: string): string =>
      `${label.padEnd(44)} ${median(withPlugin).toFixed(1).padStart(8)} ms ${median(without).toFixed(1).padStart(8)} ms ${(median(withPlugin) / median(without)).toFixed(3).padStart(7)}x  ${goal}`;
    process.stdout.write([
      '',
      `forum benchmark: NodeBB 4.11.2 on Redis, ${String(ROUNDS)} rounds x ${String(REQUESTS)} guest requests per page and state (medians)`,
      `${'page'.padEnd(44)} ${'active'.padStart(11)} ${'inactive'.padStart(11)} ${'ratio'.padStart(8)}`,
      line(`/topic/${String(tid)} (50 posts, 50 verified authors)`, samples.active.topic, samples.inactive.topic, 'goal <= 1.05x'),
      line(`/api/topic/${String(tid)}`, samples.active.apiTopic, samples.inactive.apiTopic, 'goal <= 1.05x'),
      line('/seminars (20) vs /recent (20) inactive', samples.active.list, samples.inactive.list, 'different pages: context only'),
      line('/recent (20 topics)', samples.active.recent, samples.inactive.recent, ''),
      '',
    ].join('\n'));
  } finally {
    await teardown.run();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`forum benchmark failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
