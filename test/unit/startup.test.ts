/**
 * Start-up on an empty forum, with NodeBB's own settings behaviour: storing defaults goes
 * through filter:settings.set, so the plugin's save-time check sees them as it sees an admin's.
 * Each capability starts on its own; what fails is recorded, shown and retried; several
 * processes starting at once provision once.
 */
import { EventEmitter } from 'node:events';

import { expect } from 'chai';

import { nodebb, provideForTests, type GroupCreateData, type PubSubModule } from '../../lib/nodebb';
import {
  runStartupSteps, retryStartup, startupReport, listenForStartupRetries, storeSettingsDefaults, addStartupApiRoutes, type StartupReport,
} from '../../lib/common/startup';
import { runsJobs, scheduleJob } from '../../lib/common/host-registrations';
import { withForumLock } from '../../lib/common/lock';
import { SETTINGS_HASH } from '../../lib/settings';
import { defaultSettings, settingKeys } from '../../lib/settings/fields';
import { ORGANISERS_GROUP } from '../../lib/seminars/provision';
import { SEMINARS_CATEGORY_NAME } from '../../lib/seminars/provision';
import { getProvisionedState, LOUNGE_CATEGORY_NAME, PARENT_CATEGORY_NAME } from '../../lib/specialties/structure';
import { listSpecialties } from '../../lib/specialties/taxonomy';
import { VERIFIED_PHYSICIANS_GROUP } from '../../lib/specialties/policy';
import { DEFAULT_SPECIALTIES } from '../../lib/specialties/defaults';
import { NOTIFICATION_SETTING } from '../../lib/verification/hooks';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB, recordedLogs } from '../harness/nodebb-stand-ins';
import { installSpecialtyStandIns, seedTaxonomy, type SpecialtyStandIns } from '../harness/specialties-stand-ins';
import { provideHostSettings } from '../harness/host-settings';
import { refusal } from '../harness/refusal';
import { captureApiRoutes } from '../harness/api-routes';
import { documentedRoutes } from '../harness/openapi-routes';
import { attentionView } from '../../lib/settings/view';
import type { HostMiddleware } from '../../lib/nodebb';

const scheduledJobs: string[] = [];
let runJobs: unknown = true;

async function categoryNames(): Promise<string[]> {
  const db = testDatabase();
  const cids = await db.getSortedSetRange('categories:cid', 0, -1);
  const names = await Promise.all(cids.map(async cid => String(await db.getObjectField(`category:${cid}`, 'name'))));
  return names.sort();
}

describe('start-up on an empty forum', () => {
  let nb: SpecialtyStandIns;
  let realCreate: (data: GroupCreateData) => Promise<Record<string, unknown>>;
  let pubsub: EventEmitter;

  before(() => {
    nb = installSpecialtyStandIns(testDatabase());
    realCreate = nb.groups.create.bind(nb.groups);
    provideHostSettings(testDatabase());
    pubsub = new EventEmitter();
    const bus: PubSubModule = { publish: (event, data) => { pubsub.emit(event, data); }, on: (event, listener) => { pubsub.on(event, listener); } };
    provideForTests({
      pubsub: bus,
      cron: { addJob: async ({ name }) => { scheduledJobs.push(name); } },
      nconf: { get: (key: string) => (key === 'runJobs' ? runJobs : undefined) },
    });
  });
  after(() => { provideTestNodeBB(testDatabase()); });
  beforeEach(async () => {
    await testDatabase().flushAll();
    nb.groups.create = realCreate;
    runJobs = true;
    recordedLogs.length = 0;
  });

  it('stores every default, the organiser group included, and creates that group', async () => {
    await storeSettingsDefaults();
    const stored = await testDatabase().getObject(`settings:${SETTINGS_HASH}`);
    expect(Object.keys(stored ?? {}).sort()).to.deep.equal([...settingKeys].sort());
    expect(stored?.seminarsOrganiserGroup).to.equal(defaultSettings().seminarsOrganiserGroup);
    expect(await nodebb.groups.exists(ORGANISERS_GROUP)).to.equal(true);
  });

  it('still refuses an organiser group that does not exist when an admin saves it', async () => {
    await storeSettingsDefaults();
    const err = await refusal(nodebb.meta.settings.set(SETTINGS_HASH, { seminarsOrganiserGroup: 'Nobody here' }));
    expect(err.key).to.equal('error.settings-unknown-group');
    expect((await testDatabase().getObject(`settings:${SETTINGS_HASH}`))?.seminarsOrganiserGroup).to.equal(ORGANISERS_GROUP);
  });

  it('provisions everything on the first start of an empty database, with nothing left for attention', async function () {
    this.timeout(120_000);
    const report = await runStartupSteps();
    expect(report.needsAttention).to.deep.equal([]);
    expect(recordedLogs.filter(entry => entry.level === 'error')).to.deep.equal([]);

    const stored = await testDatabase().getObject(`settings:${SETTINGS_HASH}`);
    expect(Object.keys(stored ?? {}).sort()).to.deep.equal([...settingKeys].sort());
    for (const group of [ORGANISERS_GROUP, VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians']) {
      expect(await nodebb.groups.exists(group), group).to.equal(true);
    }
    const state = await getProvisionedState();
    expect(state.parentCid).to.be.greaterThan(0);
    expect(state.loungeCid).to.be.greaterThan(0);
    const records = await listSpecialties();
    expect(records).to.have.length(DEFAULT_SPECIALTIES.length);
    expect(records.filter(r => !(r.cid > 0))).to.deep.equal([]);
    const names = await categoryNames();
    expect(names.filter(name => name === SEMINARS_CATEGORY_NAME || name === PARENT_CATEGORY_NAME || name === LOUNGE_CATEGORY_NAME))
      .to.deep.equal([LOUNGE_CATEGORY_NAME, SEMINARS_CATEGORY_NAME, PARENT_CATEGORY_NAME].sort());
    expect(names).to.have.length(DEFAULT_SPECIALTIES.length + 3);
    expect(await testDatabase().getObjectField('config', NOTIFICATION_SETTING)).to.equal('notificationemail');
    expect(scheduledJobs).to.include.members(['physician-network:verification-daily', 'physician-network:seminar-reminders']);
  });

  it('a capability whose start-up fails does not stop the others; it is reported, and the next start finishes it', async () => {
    await seedTaxonomy(['cardiology', 'paediatrics']);
    nb.groups.create = async (data) => {
      if (data.name === VERIFIED_PHYSICIANS_GROUP) {
        throw new Error('the database refused the write');
      }
      return realCreate(data);
    };
    const first = await runStartupSteps();
    expect(first.needsAttention.map(problem => problem.id)).to.deep.equal(['specialties']);
    expect(first.needsAttention[0]?.message).to.equal('the database refused the write');
    expect(first.needsAttention[0]?.at).to.be.greaterThan(0);
    // The others ran: defaults stored, seminars provisioned, notification default set.
    expect(Object.keys(await testDatabase().getObject(`settings:${SETTINGS_HASH}`) ?? {})).to.have.length(settingKeys.length);
    expect(await categoryNames()).to.deep.equal([SEMINARS_CATEGORY_NAME]);
    expect(await testDatabase().getObjectField('config', NOTIFICATION_SETTING)).to.equal('notificationemail');
    // One clear line in the log naming the step, no stack trace (that is verbose only).
    const errors = recordedLogs.filter(entry => entry.level === 'error');
    expect(errors).to.have.length(1);
    expect(errors[0]?.message).to.contain('"specialties" did not finish').and.contain('the database refused the write');
    expect(errors[0]?.message).not.to.match(/\n\s+at /);
    // Every process sees it, as it is kept in the database.
    expect((await startupReport()).needsAttention.map(problem => problem.id)).to.deep.equal(['specialties']);

    nb.groups.create = realCreate;
    const next = await runStartupSteps();
    expect(next.needsAttention).to.deep.equal([]);
    expect((await getProvisionedState()).parentCid).to.be.greaterThan(0);
    expect((await listSpecialties()).every(r => r.cid > 0)).to.equal(true);
    expect(await categoryNames()).to.have.length(5);
  });

  it('finishes a provisioning run that stopped half-way on the next start, and never re-runs a finished one', async () => {
    await seedTaxonomy(['cardiology', 'paediatrics']);
    nb.groups.create = async (data) => {
      if (data.name === 'Paediatrics physicians') {
        throw new Error('interrupted');
      }
      return realCreate(data);
    };
    expect((await runStartupSteps()).needsAttention.map(problem => problem.id)).to.deep.equal(['specialties']);
    // The parent category exists already; the run still counts as unfinished.
    expect((await getProvisionedState()).parentCid).to.be.greaterThan(0);
    nb.groups.create = realCreate;
    expect((await runStartupSteps()).needsAttention).to.deep.equal([]);
    const paediatrics = (await listSpecialties()).find(r => r.slug === 'paediatrics');
    expect(paediatrics?.cid).to.be.greaterThan(0);

    // Finished: an admin's deletion of a specialty category is not undone by a restart.
    await testDatabase().sortedSetRemove('categories:cid', String(paediatrics?.cid));
    await testDatabase().delete(`category:${paediatrics?.cid ?? 0}`);
    const before = await categoryNames();
    await runStartupSteps();
    expect(await categoryNames()).to.deep.equal(before);
  });

  it('"Retry now" runs what needs attention, here and in the other processes (pubsub)', async () => {
    await seedTaxonomy(['cardiology']);
    nb.groups.create = async () => { throw new Error('still broken'); };
    const first = await runStartupSteps();
    expect(first.needsAttention.map(problem => problem.id)).to.deep.equal(['settings', 'specialties', 'seminars']);

    const published: unknown[] = [];
    pubsub.on('physician-network:startup:retry', (data) => { published.push(data); });
    nb.groups.create = realCreate;
    const retried = await retryStartup();
    expect(retried.needsAttention).to.deep.equal([]);
    expect(published).to.have.length(1);
    expect(await nodebb.groups.exists(ORGANISERS_GROUP)).to.equal(true);
    expect(await categoryNames()).to.have.length(4);
  });

  it('a retry asked by another process runs the unfinished steps in this one', async () => {
    await seedTaxonomy(['cardiology']);
    nb.groups.create = async () => { throw new Error('broken'); };
    await runStartupSteps();
    nb.groups.create = realCreate;
    listenForStartupRetries();
    pubsub.emit('physician-network:startup:retry', { from: 'another-host:4242' });
    for (let wait = 0; wait < 100 && (await startupReport()).needsAttention.length; wait += 1) {
      await new Promise((resolve) => { setTimeout(resolve, 20); });
    }
    expect((await startupReport()).needsAttention).to.deep.equal([]);
    expect((await getProvisionedState()).parentCid).to.be.greaterThan(0);
  });

  it('two processes starting at once provision once', async () => {
    await seedTaxonomy(['cardiology', 'paediatrics', 'radiology']);
    const reports = await Promise.all([runStartupSteps(), runStartupSteps(), runStartupSteps()]);
    expect(reports.map(report => report.needsAttention)).to.deep.equal([[], [], []]);
    // A startup on an idle forum afterwards still creates nothing more.
    await runStartupSteps();
    const names = await categoryNames();
    expect(names).to.deep.equal([LOUNGE_CATEGORY_NAME, 'Cardiology', 'Paediatrics', 'Radiology', SEMINARS_CATEGORY_NAME, PARENT_CATEGORY_NAME].sort());
    const groups = await testDatabase().getSortedSetRange('groups:createtime', 0, -1);
    expect(groups.filter(name => !name.startsWith('cid:')).sort()).to.deep.equal(
      [ORGANISERS_GROUP, VERIFIED_PHYSICIANS_GROUP, 'Cardiology physicians', 'Paediatrics physicians', 'Radiology physicians'].sort(),
    );
    expect(await testDatabase().exists('physician-network:lock:provision')).to.equal(false);
    expect(await testDatabase().exists('physician-network:lock:seminars-provision')).to.equal(false);
  });

  it('the admin API lists what needs attention and retries it; members and guests are refused; the routes are documented', async () => {
    await seedTaxonomy(['cardiology']);
    nb.groups.create = async () => { throw new Error('<b>broken</b> [[error:no-privileges]]'); };
    await runStartupSteps();
    const routes = captureApiRoutes((router) => { addStartupApiRoutes(router, { ensureLoggedIn: () => undefined } as unknown as HostMiddleware); });
    expect([...routes.mounted.keys()].sort()).to.deep.equal(documentedRoutes('startup'));
    const db = testDatabase();
    await db.sortedSetAdd('group:administrators:members', Date.now(), '1');
    await nb.createUser(1, 'admin');
    await nb.createUser(2, 'member');

    const listed = await routes.call('get /physician-network/startup', { uid: 1 });
    expect(listed.status).to.equal(200);
    const report = listed.payload as StartupReport;
    expect(report.needsAttention.map(problem => problem.id)).to.deep.equal(['settings', 'specialties', 'seminars']);
    // What the ACP page shows: labelled, and the error text can neither inject markup nor a translation.
    const shown = attentionView(report);
    expect(shown.map(row => row.labelKey)).to.deep.equal(['acp.startup.step.settings', 'acp.section.specialties', 'acp.section.seminars']);
    expect(shown[0]?.message).not.to.match(/[<>[\]]/);

    expect((await routes.call('post /physician-network/startup/retry', { uid: 2 })).status).to.equal(403);
    expect((await routes.call('post /physician-network/startup/retry', { uid: 0 })).status).to.equal(401);
    expect((await startupReport()).needsAttention).to.have.length(3);

    nb.groups.create = realCreate;
    const retried = await routes.call('post /physician-network/startup/retry', { uid: 1 });
    expect(retried).to.deep.equal({ status: 200, payload: { needsAttention: [] } });
  });

  it('schedules jobs only where NodeBB runs jobs, and each job once', async () => {
    const job = (name: string): Parameters<typeof scheduleJob>[0] => ({ name, cronTime: '* * * * *', description: name, run: async () => undefined });
    for (const [value, expected] of [[true, true], ['true', true], [1, true], [false, false], [undefined, false], ['false', false], [0, false]] as const) {
      runJobs = value;
      expect(runsJobs(), String(value)).to.equal(expected);
    }
    runJobs = false;
    await scheduleJob(job('test:not-here'));
    expect(scheduledJobs).not.to.include('test:not-here');
    runJobs = true;
    await scheduleJob(job('test:here'));
    await scheduleJob(job('test:here'));
    expect(scheduledJobs.filter(name => name === 'test:here')).to.have.length(1);
  });
});

describe('forum-wide lock', () => {
  beforeEach(async () => { await testDatabase().flushAll(); });

  it('lets one of several callers at once do the work; the others return at once', async () => {
    let runs = 0;
    const outcomes = await Promise.all([1, 2, 3, 4].map(async () => withForumLock('test', 30, async () => {
      runs += 1;
      await new Promise((resolve) => { setTimeout(resolve, 50); });
      return runs;
    })));
    expect(runs).to.equal(1);
    expect(outcomes.filter(outcome => outcome.held)).to.deep.equal([{ held: true, value: 1 }]);
    expect(await testDatabase().exists('physician-network:lock:test')).to.equal(false);
  });

  it('releases on failure, and only the holder releases: a lock taken over after expiry stays with its new holder', async () => {
    await refusalOf(withForumLock('test', 30, async () => { throw new Error('boom'); }), 'boom');
    expect(await testDatabase().exists('physician-network:lock:test')).to.equal(false);

    await withForumLock('test', 30, async () => {
      // The lock expires under a slow holder, and another process takes it.
      await testDatabase().delete('physician-network:lock:test');
      await testDatabase().incrObjectField('physician-network:lock:test', 'holders');
      await testDatabase().setObjectField('physician-network:lock:test', 'holder', 'someone else');
    });
    expect(await testDatabase().getObjectField('physician-network:lock:test', 'holder')).to.equal('someone else');
  });

  it('gives a lock left without expiry by a crashed holder an expiry, so it cannot block for ever', async () => {
    await testDatabase().incrObjectField('physician-network:lock:test', 'holders');
    expect(await testDatabase().ttl('physician-network:lock:test')).to.equal(-1);
    expect(await withForumLock('test', 30, async () => 'ran')).to.deep.equal({ held: false });
    const ttl = await testDatabase().ttl('physician-network:lock:test');
    expect(ttl).to.be.greaterThan(0).and.at.most(30);
  });
});

async function refusalOf(work: Promise<unknown>, message: string): Promise<void> {
  try {
    await work;
  } catch (err) {
    expect(err instanceof Error ? err.message : err).to.equal(message);
    return;
  }
  throw new Error('expected a failure');
}
