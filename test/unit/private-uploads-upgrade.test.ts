import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { provideForTests } from '../../lib/nodebb';
import { privateUploadsIn } from '../../lib/private-uploads/names';
import { mayFetch } from '../../lib/private-uploads/policy';
import { syncPost } from '../../lib/private-uploads/references';
import { getRecord } from '../../lib/private-uploads/store';
import { privatiseExistingUploads, privatiseTopic } from '../../lib/private-uploads/privatise';
import { method as upgrade } from '../../lib/upgrades/physician-network-private-uploads';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB, recordedLogs } from '../harness/nodebb-stand-ins';
import { providePrivateUploadStandIns, setClinicalCategories, type PrivateUploadStandIns } from '../harness/private-uploads-stand-ins';
import { grantToGroup, joinGroup } from '../harness/seminars-stand-ins';
import { baseImage, removeCorpusDir } from '../harness/redaction-corpus';

const CLOSED = 5;
const OPEN = 6;
const POSTER = 2;
const CARDIOLOGIST = 3;
const OLD_NAME = '1796092936413-budi_santoso_rm778123_thorax.jpg';
const OLD_RESIZED = '1796092936413-budi_santoso_rm778123_thorax-resized.jpg';
const OPEN_NAME = '1796092936999-ward-round.png';

let standIns: PrivateUploadStandIns;
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

function publicPath(name: string): string {
  return join(standIns.uploadPath, 'files', name);
}

async function postContent(pid: number): Promise<string> {
  return String(await testDatabase().getObjectField(`post:${pid}`, 'content'));
}

/** A forum as it was before private uploads: public files, posts showing them, NodeBB's upload records. */
async function forumBeforeTheChange(): Promise<void> {
  const db = testDatabase();
  await mkdir(join(standIns.uploadPath, 'files'), { recursive: true });
  await writeFile(publicPath(OLD_NAME), await baseImage('jpeg', 400, 300));
  await writeFile(publicPath(OLD_RESIZED), await baseImage('jpeg', 200, 150));
  await writeFile(publicPath(OPEN_NAME), await baseImage('png'));
  await db.sortedSetAdd('categories:cid', [1, 2], [String(CLOSED), String(OPEN)]);
  await db.setObject('topic:10', { tid: 10, cid: CLOSED, mainPid: 100, deleted: 0 });
  await db.setObject('topic:11', { tid: 11, cid: OPEN, mainPid: 110, deleted: 0 });
  await db.sortedSetAdd(`cid:${CLOSED}:tids:lastposttime`, 1, '10');
  await db.sortedSetAdd(`cid:${OPEN}:tids:lastposttime`, 1, '11');
  await db.sortedSetAdd('tid:10:posts', 2, '101');
  await db.setObject('post:100', { pid: 100, tid: 10, uid: POSTER, deleted: 0, content: `Thorax:\n![budi_santoso_rm778123_thorax.jpg](/assets/uploads/files/${OLD_RESIZED})` });
  await db.setObject('post:101', { pid: 101, tid: 10, uid: CARDIOLOGIST, deleted: 0, content: `Original: /assets/uploads/files/${OLD_NAME}` });
  await db.setObject('post:110', { pid: 110, tid: 11, uid: POSTER, deleted: 0, content: `![ward](/assets/uploads/files/${OPEN_NAME})` });
  // NodeBB's own bookkeeping (src/user/uploads.js, src/posts/uploads.js).
  await db.setObjectField(`upload:${md5(`/files/${OLD_NAME}`)}`, 'uid', POSTER);
  await db.sortedSetAdd(`upload:${md5(`/files/${OLD_NAME}`)}:pids`, [1, 2], ['100', '101']);
}

describe('private uploads: moving uploads of existing forums (upgrade script, topic moves)', function () {
  this.timeout(30_000);

  before(async () => {
    standIns = await providePrivateUploadStandIns(testDatabase());
    provideForTests({ pubsub: { publish: () => undefined, on: () => undefined } });
  });

  after(async () => {
    await standIns.cleanup();
    removeCorpusDir();
    provideTestNodeBB(testDatabase());
  });

  beforeEach(async () => {
    const db = testDatabase();
    await db.flushAll();
    await rm(standIns.privateDir, { recursive: true, force: true });
    await rm(join(standIns.uploadPath, 'files'), { recursive: true, force: true });
    await setClinicalCategories(String(CLOSED));
    await grantToGroup(db, CLOSED, 'topics:read', 'Cardiology physicians');
    await joinGroup(db, CARDIOLOGIST, 'Cardiology physicians');
    await grantToGroup(db, OPEN, 'topics:read', 'guests');
    await forumBeforeTheChange();
  });

  it('moves a file shown in a closed category (and its resized copy) into private storage, renamed, and rewrites every post', async () => {
    const report = await privatiseExistingUploads();
    expect(report.moved).to.have.length(1);
    expect(report.moved[0]?.from).to.equal(`/files/${OLD_NAME}`);
    expect(report.moved[0]?.pids.sort()).to.deep.equal([100, 101]);
    const [content100, content101] = [await postContent(100), await postContent(101)];
    expect(content100 + content101).not.to.match(/budi|santoso|rm778123|1796092936413/i);
    expect(content100).to.match(/\/assets\/uploads\/files\/pn-private\/[0-9a-f]{32}-resized\.jpg\)$/);
    const [id] = privateUploadsIn(content101);
    expect(privateUploadsIn(content100)).to.deep.equal([id]);
    expect(existsSync(publicPath(OLD_NAME))).to.equal(false);
    expect(existsSync(publicPath(OLD_RESIZED))).to.equal(false);
    expect(readdirSync(standIns.privateDir).sort()).to.deep.equal([`${id}-resized.jpg`, `${id}.jpg`]);
    const record = await getRecord(id ?? '');
    expect(record?.uid).to.equal(POSTER);
    // The uploader's post counts; the cardiologist's copy of the address does not.
    expect(record?.references.map(r => r.pid)).to.deep.equal([100]);
    expect(record && await mayFetch(CARDIOLOGIST, record)).to.equal(true);
    expect(record && await mayFetch(0, record)).to.equal(false);
    // Open categories keep NodeBB's storage.
    expect(existsSync(publicPath(OPEN_NAME))).to.equal(true);
    expect(await postContent(110)).to.contain(`/assets/uploads/files/${OPEN_NAME}`);
  });

  it('is idempotent: a second run moves nothing and changes no post', async () => {
    await privatiseExistingUploads();
    const before = [await postContent(100), await postContent(101), readdirSync(standIns.privateDir).sort()];
    const again = await privatiseExistingUploads();
    expect(again.moved).to.deep.equal([]);
    expect([await postContent(100), await postContent(101), readdirSync(standIns.privateDir).sort()]).to.deep.equal(before);
  });

  it('resumes a run that stopped after copying: the copy is reused, not made again', async () => {
    await privatiseExistingUploads();
    const [id] = privateUploadsIn(await postContent(101));
    // As if the first run had stopped before rewriting post 101 and deleting the public file.
    await testDatabase().setObjectField('post:101', 'content', `Original: /assets/uploads/files/${OLD_NAME}`);
    await writeFile(publicPath(OLD_NAME), await baseImage('jpeg', 400, 300));
    const resumed = await privatiseExistingUploads();
    expect(resumed.moved.map(m => m.to)).to.deep.equal([`/files/pn-private/${id}.jpg`]);
    expect(privateUploadsIn(await postContent(101))).to.deep.equal([id]);
    expect(readdirSync(standIns.privateDir)).to.have.length(2);
    expect(existsSync(publicPath(OLD_NAME))).to.equal(false);
  });

  it('the upgrade script reports what it moved', async () => {
    recordedLogs.length = 0;
    let progress = 0;
    await upgrade.call({ progress: { incr: () => { progress += 1; } } });
    expect(progress).to.equal(2);
    const lines = recordedLogs.map(l => l.message).join('\n');
    expect(lines).to.contain('moved 1 files, rewrote 2 posts');
    expect(lines).to.contain(`/files/${OLD_NAME} -> /files/pn-private/`);
  });

  it('a topic moved from an open into a closed category takes its files into private storage', async () => {
    await testDatabase().setObjectField('topic:11', 'cid', CLOSED);
    const moved = await privatiseTopic(11);
    expect(moved).to.have.length(1);
    expect(existsSync(publicPath(OPEN_NAME))).to.equal(false);
    const [id] = privateUploadsIn(await postContent(110));
    await syncPost(110);
    const record = await getRecord(id ?? '');
    expect(record && await mayFetch(0, record)).to.equal(false);
    expect(record && await mayFetch(CARDIOLOGIST, record)).to.equal(true);
    expect((await readFile(join(standIns.privateDir, `${id}.png`))).length).to.be.greaterThan(0);
  });
});
