/**
 * Two NodeBB processes sharing one database (NodeBB's multi-port setup; only the first runs
 * jobs). Runs only when the e2e run set up such a forum (NODEBB_URLS lists two addresses);
 * elsewhere its tests are reported as skipped.
 *
 * What it proves: provisioning happened once; the plugin's cron jobs exist in the first
 * process only; a setting and a specialty changed through one process are seen by the other;
 * uploads and verification documents stored through one are read through the other.
 */
import { expect } from 'chai';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';

import { launchBrowser } from '../harness/browser';
import { forumLogFiles, readForumLog, sinceLastStart } from './forum-log';
import { NodeBBSession, requireE2EConfig, type ApiResponse } from './nodebb-session';

const API = '/api/v3/plugins/physician-network';
const urls = (process.env.NODEBB_URLS ?? '').split(' ').filter(url => url !== '');
const twoProcesses = urls.length === 2 && forumLogFiles().length === 2;

interface Category { cid: number; name: string }
interface SpecialtyRow { slug: string; name: string; cid: number }

function api<T>(response: ApiResponse<{ response: T }>): T {
  if (response.status !== 200) {
    throw new Error(`unexpected ${response.status}: ${response.text.slice(0, 300)}`);
  }
  return response.body.response;
}

/** The plugin's cron jobs NodeBB registered in one process, from that process's verbose log. */
function registeredJobs(log: string): string[] {
  return [...log.matchAll(/\[cron\/jobs\] Registered job: (\S+)/g)].map(match => match[1] ?? '');
}

(twoProcesses ? describe : describe.skip)('two NodeBB processes on one database', function () {
  this.timeout(180_000);
  const config = requireE2EConfig();
  const [first = '', second = ''] = urls;
  let adminOnFirst: NodeBBSession;
  let adminOnSecond: NodeBBSession;
  let browser: Browser;

  before(async () => {
    adminOnFirst = await NodeBBSession.login(first, config.admin.username, config.admin.password);
    adminOnSecond = await NodeBBSession.login(second, config.admin.username, config.admin.password);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser.close();
  });

  it('both processes answer, from the same database', async () => {
    const one = api<{ categories: Category[] }>(await adminOnFirst.request('GET', '/api/v3/categories'));
    const two = api<{ categories: Category[] }>(await adminOnSecond.request('GET', '/api/v3/categories'));
    expect(two.categories.map(c => c.cid).sort((a, b) => a - b)).to.deep.equal(one.categories.map(c => c.cid).sort((a, b) => a - b));
  });

  it('provisioned once: one Specialties, lounge and Seminars category, one category per specialty', async () => {
    const { categories } = api<{ categories: Category[] }>(await adminOnSecond.request('GET', '/api/v3/categories'));
    const names = categories.map(c => c.name.replace(/&#x27;|&#39;/g, '\''));
    for (const name of ['Specialties', 'Physicians\' lounge', 'Seminars']) {
      expect(names.filter(n => n === name), name).to.have.length(1);
    }
    const { specialties } = api<{ specialties: SpecialtyRow[] }>(await adminOnSecond.request('GET', `${API}/specialties`));
    const cids = specialties.map(s => s.cid);
    expect(new Set(cids).size, 'no specialty shares or repeats a category').to.equal(specialties.length);
    // Every specialty category name appears once among all categories.
    for (const specialty of specialties) {
      const category = categories.find(c => c.cid === specialty.cid);
      expect(category, specialty.slug).to.not.equal(undefined);
      expect(categories.filter(c => c.name === category?.name), specialty.slug).to.have.length(1);
    }
  });

  it('registered the plugin\'s cron jobs in the first process only (runJobs), none in the second', () => {
    // Since each process last started: a spec before this one may have restarted the forum.
    const [firstLog = '', secondLog = ''] = forumLogFiles().map(file => sinceLastStart(readForumLog(file)));
    const ours = (jobs: string[]): string[] => jobs.filter(job => job.startsWith('physician-network:')).sort();
    expect(ours(registeredJobs(firstLog))).to.deep.equal(['physician-network:seminar-reminders', 'physician-network:seminar-repair', 'physician-network:verification-daily']);
    // NodeBB's own analytics:publish and errors:publish run on every process (runOnAllNodes); ours must not.
    expect(ours(registeredJobs(secondLog)), 'the second process schedules none of the plugin\'s jobs').to.deep.equal([]);
    expect(registeredJobs(secondLog).filter(job => !['analytics:publish', 'errors:publish'].includes(job)), 'nor any runJobs-only core job').to.deep.equal([]);
    // And the log lines are really the second process's: it started and listens on its own port.
    expect(secondLog).to.match(new RegExp(`NodeBB is now listening on: \\S*:${new URL(second).port}\\b`));
  });

  it('a setting saved through the second process is seen by the first at once', async () => {
    const page: Page = await browser.newPage();
    try {
      await adminOnSecond.shareWith(page.context());
      await page.goto(`${second}/admin/plugins/physician-network`, { waitUntil: 'networkidle' });
      const lounge = (await adminOnFirst.request<{ response: { categories: Category[] } }>('GET', '/api/v3/categories'))
        .body.response.categories.find(c => c.name.replace(/&#x27;|&#39;/g, '\'') === 'Physicians\' lounge');
      expect(lounge).to.not.equal(undefined);
      const wanted = String(lounge?.cid);
      const before = (await adminOnFirst.request<{ physicianNetwork?: { clinicalCids?: number[] } }>('GET', '/api/config')).body.physicianNetwork?.clinicalCids ?? [];
      expect(before.length, 'by default every specialty category and the lounge are clinical').to.be.greaterThan(1);
      const saved = await page.evaluate(async (value) => new Promise<string | null>((resolve) => {
        const socket = (window as unknown as { socket: { emit(event: string, data: unknown, cb: (err: { message: string } | null) => void): void } }).socket;
        socket.emit('admin.settings.set', { hash: 'physician-network', values: { redactionClinicalCategories: value } }, (err) => { resolve(err ? err.message : null); });
      }), wanted);
      expect(saved).to.equal(null);
      try {
        const after = (await adminOnFirst.request<{ physicianNetwork?: { clinicalCids?: number[] } }>('GET', '/api/config')).body.physicianNetwork?.clinicalCids;
        expect(after, 'the first process reads the new setting').to.deep.equal([lounge?.cid]);
      } finally {
        await page.evaluate(async () => new Promise<void>((resolve) => {
          const socket = (window as unknown as { socket: { emit(event: string, data: unknown, cb: () => void): void } }).socket;
          socket.emit('admin.settings.set', { hash: 'physician-network', values: { redactionClinicalCategories: '' } }, () => { resolve(); });
        }));
      }
      const restored = (await adminOnFirst.request<{ physicianNetwork?: { clinicalCids?: number[] } }>('GET', '/api/config')).body.physicianNetwork?.clinicalCids ?? [];
      expect(restored.slice().sort((a, b) => a - b)).to.deep.equal(before.slice().sort((a, b) => a - b));
    } finally {
      await page.close();
    }
  });

  it('a specialty renamed through the first process is seen by the second, in the plugin and in its category', async () => {
    const { specialties } = api<{ specialties: SpecialtyRow[] }>(await adminOnFirst.request('GET', `${API}/specialties`));
    const specialty = specialties.find(s => s.slug === 'dermatology') ?? specialties[0];
    if (!specialty) {
      throw new Error('no specialty provisioned');
    }
    const newName = `Dermatology ${Math.random().toString(36).slice(2, 7)}`;
    api(await adminOnFirst.request('PUT', `${API}/specialties/${specialty.slug}`, { name: newName }));
    try {
      const seen = api<{ specialties: SpecialtyRow[] }>(await adminOnSecond.request('GET', `${API}/specialties`)).specialties.find(s => s.slug === specialty.slug);
      expect(seen?.name).to.equal(newName);
      const category = api<{ name: string }>(await adminOnSecond.request('GET', `/api/v3/categories/${String(specialty.cid)}`));
      expect(category.name).to.contain(newName);
    } finally {
      api(await adminOnFirst.request('PUT', `${API}/specialties/${specialty.slug}`, { name: specialty.name }));
    }
  });

  it('an image uploaded through the second process is served, cleaned, by the first', async () => {
    const { session: member } = await adminOnSecond.createMember('e2e-two-procs');
    const bytes = await sharp({ create: { width: 24, height: 16, channels: 3, background: { r: 10, g: 120, b: 200 } } })
      .jpeg().withMetadata({ exif: { IFD0: { Artist: 'Patient Name' } } }).toBuffer();
    const uploaded = await member.uploadFile('/api/post/upload', { bytes, name: 'scan.jpg', type: 'image/jpeg' }, { cid: '2' });
    expect(uploaded.status, uploaded.text).to.equal(200);
    const url = (uploaded.body as { response?: { images?: { url: string }[] } }).response?.images?.[0]?.url ?? '';
    expect(url).to.match(/\/assets\/uploads\//);
    const path = url.replace(/^https?:\/\/[^/]+/, '');
    const viaFirst = await NodeBBSession.guest(first).then(async guest => guest.download(path));
    const viaSecond = await NodeBBSession.guest(second).then(async guest => guest.download(path));
    expect(viaFirst.status).to.equal(200);
    expect(viaFirst.bytes.equals(viaSecond.bytes), 'the same stored file').to.equal(true);
    expect(viaFirst.bytes.includes(Buffer.from('Patient Name')), 'metadata removed').to.equal(false);
  });

  it('a verification document submitted through the first process is read by a reviewer through the second', async () => {
    const { session: applicant } = await adminOnFirst.createMember('e2e-two-procs-doc');
    const photo = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 120, b: 80 } } }).png().toBuffer();
    const form = new FormData();
    form.append('fullName', 'Two Processes');
    form.append('registrationType', 'npi');
    form.append('registrationNumber', '1234567893');
    form.append('specialties', 'cardiology');
    form.append('institution', 'General Hospital');
    form.append('consent', 'true');
    form.append('licence', new Blob([new Uint8Array(photo)], { type: 'image/png' }), 'licence.png');
    const submitted = api<{ rid: number; documents: { url: string }[] }>(await applicant.upload('POST', `${API}/verification/requests`, form));
    const document = submitted.documents[0];
    expect(document).to.not.equal(undefined);
    const read = await adminOnSecond.download(document?.url ?? '');
    expect(read.status).to.equal(200);
    expect(read.bytes.equals(photo) || (await sharp(read.bytes).metadata()).width === 16, 'the document, readable through the other process').to.equal(true);
    expect((await (await NodeBBSession.guest(second)).download(document?.url ?? '')).status, 'guests still get 404').to.equal(404);
  });
});
