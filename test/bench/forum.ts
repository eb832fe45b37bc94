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
 *
 * Private clinical uploads (issue 17), in the rounds with the plugin active, as a cardiologist:
 * - /api/topic of a Cardiology topic of 20 posts each showing one private image, against the
 *   same topic (same category, poster and text) whose 20 images were uploaded in an open
 *   category and so stored by NodeBB (goal <= 1.1x);
 * - one private image through the plugin's route, against the same bytes stored by NodeBB and
 *   served by its static folder (goal <= 2x).
 */
import sharp from 'sharp';

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

/** A GET as the session's member (its cookie), body read in full and not parsed. */
async function timedSessionGet(session: NodeBBSession, path: string): Promise<number> {
  const start = process.hrtime.bigint();
  const response = await session.download(path);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (response.status !== 200) {
    throw new Error(`GET ${path} answered ${String(response.status)}`);
  }
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface Seeded {
  tid: number;
  /** Cardiology topics of 20 images each: stored privately, and stored by NodeBB. */
  privateImagesTid: number;
  publicImagesTid: number;
  /** The same bytes, privately and by NodeBB (paths under the forum). */
  privateImage: string;
  publicImage: string;
  /** A cardiologist, who may read both topics. */
  reader: NodeBBSession;
}

function uploadedPath(response: ApiResponse): string {
  const url = (response.body as { response?: { images?: { url?: string }[] } }).response?.images?.[0]?.url;
  if (response.status !== 200 || typeof url !== 'string') {
    throw new Error(`upload: ${String(response.status)} ${response.text.slice(0, 300)}`);
  }
  return url.replace(/^https?:\/\/[^/]+/, '');
}

/** Seeds the forum: settings that let 50 new members post at once, the topic, 20 seminars, and the two image topics. */
async function seed(forum: Forum): Promise<Seeded> {
  const url = forum.urls[0] ?? '';
  const admin = await NodeBBSession.login(url, forum.admin.username, forum.admin.password);
  // New members may post (and upload) at once, unqueued; one page holds all 50 posts; no 503s
  // from NodeBB's event-loop check on this shared machine (the same in both states).
  const settings = {
    initialPostDelay: 0, postDelay: 0, newbiePostDelay: 0, postQueue: 0, uploadRateLimitThreshold: 0, eventLoopCheckEnabled: 0, postsPerPage: 50, maxPostsPerPage: 50,
  };
  for (const [setting, value] of Object.entries(settings)) {
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
  const cardiologyCid = ok<{ specialties: { slug: string; cid: number }[] }>(await admin.request('GET', `${API}/specialties`), 'specialties')
    .specialties.find(s => s.slug === 'cardiology')?.cid;
  if (!cardiologyCid) {
    throw new Error('no Cardiology category');
  }
  const poster = await admin.createMember('bench-image-poster');
  const reader = await admin.createMember('bench-image-reader');
  for (const member of [poster, reader]) {
    ok(await admin.request('PUT', `${API}/members/${String(member.uid)}/specialties`, { specialties: ['cardiology'] }), 'verify member');
  }
  // A 1200x900 photo-like JPEG (noise compresses as badly as a real photo), the same bytes for every image.
  const noise = Buffer.alloc(1200 * 900 * 3);
  for (let i = 0; i < noise.length; i += 1) {
    noise[i] = (i * 2654435761) >>> 24;
  }
  const photo = await sharp(noise, { raw: { width: 1200, height: 900, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
  const imageTopic = async (uploadCid: number, title: string): Promise<{ tid: number; first: string }> => {
    const paths: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      paths.push(uploadedPath(await poster.session.uploadFile('/api/post/upload', { bytes: photo, name: `photo-${String(i)}.jpg`, type: 'image/jpeg' }, { cid: String(uploadCid) })));
    }
    const [firstPath = '', ...rest] = paths;
    const created = ok<{ tid: number }>(await poster.session.request('POST', '/api/v3/topics', {
      cid: cardiologyCid, title, content: `Film 1 of 20:\n\n![image](${firstPath})`, physicianNetworkNoPatientIdentifiers: true,
    }), 'image topic');
    for (const [index, path] of rest.entries()) {
      ok(await poster.session.request('POST', `/api/v3/topics/${String(created.tid)}`, {
        content: `Film ${String(index + 2)} of 20:\n\n![image](${path})`, physicianNetworkNoPatientIdentifiers: true,
      }), 'image reply');
    }
    return { tid: created.tid, first: firstPath };
  };
  const privateImages = await imageTopic(cardiologyCid, 'Benchmark: twenty films, stored privately');
  // Uploaded in an open category, so stored by NodeBB; shown in Cardiology all the same.
  const publicImages = await imageTopic(2, 'Benchmark: twenty films, stored by NodeBB');
  if (!privateImages.first.includes('/pn-private/') || publicImages.first.includes('/pn-private/')) {
    throw new Error(`unexpected storage: ${privateImages.first}, ${publicImages.first}`);
  }
  return {
    tid: topic.tid, privateImagesTid: privateImages.tid, publicImagesTid: publicImages.tid,
    privateImage: privateImages.first, publicImage: publicImages.first, reader: reader.session,
  };
}

async function main(): Promise<void> {
  const teardown = new Teardown();
  teardown.runOnSignals();
  try {
    const tree = await prepareNodeBBTree(teardown);
    const forum = await startForum(tree, { database: 'redis', processes: 1 }, teardown);
    const url = forum.urls[0] ?? '';
    say('seeding 50 verified authors, one topic of 50 posts, 20 seminars');
    const seeded = await seed(forum);
    const { tid, reader } = seeded;
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
    const images = {
      apiPrivate: `/api/topic/${String(seeded.privateImagesTid)}`,
      apiPublic: `/api/topic/${String(seeded.publicImagesTid)}`,
      routePrivate: seeded.privateImage,
      staticPublic: seeded.publicImage,
    };
    const imageSamples: Record<keyof typeof images, number[]> = { apiPrivate: [], apiPublic: [], routePrivate: [], staticPublic: [] };
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
        if (wantActive) {
          // Private uploads exist only with the plugin: measured in the active rounds, pairs alternating which goes first.
          for (let i = 0; i < WARM_UP; i += 1) {
            await Promise.all(Object.values(images).map(path => timedSessionGet(reader, path)));
          }
          for (let i = 0; i < REQUESTS; i += 1) {
            const pairs: [keyof typeof images, keyof typeof images][] = [['apiPrivate', 'apiPublic'], ['routePrivate', 'staticPublic']];
            for (const [a, b] of pairs) {
              for (const key of i % 2 === 0 ? [a, b] : [b, a]) {
                imageSamples[key].push(await timedSessionGet(reader, images[key]));
              }
            }
          }
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
      `private clinical uploads, plugin active, as a cardiologist (${String(ROUNDS)} rounds x ${String(REQUESTS)} requests each, medians)`,
      `${'request'.padEnd(44)} ${'private'.padStart(11)} ${'NodeBB'.padStart(11)} ${'ratio'.padStart(8)}`,
      line('/api/topic, 20 posts with one image each', imageSamples.apiPrivate, imageSamples.apiPublic, 'goal <= 1.1x'),
      line('one image (1200x900 JPEG): route vs static', imageSamples.routePrivate, imageSamples.staticPublic, 'goal <= 2x'),
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
