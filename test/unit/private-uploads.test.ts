import { expect } from 'chai';
import { createServer } from 'node:http';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { StoredUpload, UploadedFile } from '../../lib/redaction/upload-files';
import { forgetPurgedPosts } from '../../lib/private-uploads/hooks';
import { privateUploadRoute, privateUploadsIn } from '../../lib/private-uploads/names';
import { mayFetch } from '../../lib/private-uploads/policy';
import { syncPost, syncTopic } from '../../lib/private-uploads/references';
import { servePrivateUpload } from '../../lib/private-uploads/routes';
import { getRecord } from '../../lib/private-uploads/store';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { providePrivateUploadStandIns, setClinicalCategories, type PrivateUploadStandIns } from '../harness/private-uploads-stand-ins';
import { grantToGroup, joinGroup } from '../harness/seminars-stand-ins';
import { baseImage, removeCorpusDir } from '../harness/redaction-corpus';

const ORIGINAL_NAME = 'budi_santoso_RM778123_thorax.jpg';
const IDENTIFYING = /budi|santoso|rm778123|thorax/i;
const CLOSED = 5;
const OPEN = 6;
const POSTER = 2;
const CARDIOLOGIST = 3;
const OTHER_SPECIALTY = 4;
const MODERATOR = 7;

let standIns: PrivateUploadStandIns;
let tempDir: string;

async function tempUpload(bytes: Buffer, name: string, type: string): Promise<UploadedFile> {
  const path = join(tempDir, `upload-${Math.random().toString(36).slice(2)}`);
  await writeFile(path, bytes);
  return { fieldname: 'files[]', originalname: name, name, type, mimetype: type, path, size: bytes.length };
}

/** An image posted from the composer in category `cid`, as NodeBB's /api/post/upload runs it. */
async function uploadPostImage(cid: number | null, bytes?: Buffer, uid = POSTER, name = ORIGINAL_NAME): Promise<StoredUpload> {
  const image = await tempUpload(bytes ?? await baseImage('jpeg'), name, 'image/jpeg');
  const body = cid === null ? {} : { cid: String(cid) };
  return standIns.duringUpload('/api/post/upload', body, [image], () => standIns.bus.hooks.fire('filter:uploadImage', { image, uid, folder: 'files' }) as unknown as Promise<StoredUpload>);
}

async function uploadPostFile(cid: number, bytes: Buffer, name: string, uid = POSTER): Promise<StoredUpload> {
  const file = await tempUpload(bytes, name, 'text/plain');
  return standIns.duringUpload('/api/post/upload', { cid: String(cid) }, [file], () => standIns.bus.hooks.fire('filter:uploadFile', { file, uid, folder: 'files' }) as unknown as Promise<StoredUpload>);
}

function filesUnder(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter(e => e.isFile()).map(e => e.name) : [];
}

function idOf(url: string): string {
  const [id] = privateUploadsIn(url);
  if (!id) {
    throw new Error(`not a private upload url: ${url}`);
  }
  return id;
}

async function makeTopic(tid: number, cid: number, mainPid: number): Promise<void> {
  await testDatabase().setObject(`topic:${tid}`, { tid, cid, mainPid, deleted: 0 });
}

async function makePost(pid: number, tid: number, uid: number, content: string): Promise<void> {
  await testDatabase().setObject(`post:${pid}`, { pid, tid, uid, content, deleted: 0 });
  await syncPost(pid);
}

async function may(uid: number, url: string): Promise<boolean> {
  const record = await getRecord(idOf(url));
  return record !== null && mayFetch(uid, record);
}

describe('private uploads: storage, names and who may fetch them', function () {
  this.timeout(30_000);

  before(async () => {
    standIns = await providePrivateUploadStandIns(testDatabase());
    tempDir = await mkdtemp(join(tmpdir(), 'private-uploads-temp-'));
  });

  after(async () => {
    await standIns.cleanup();
    await rm(tempDir, { recursive: true, force: true });
    removeCorpusDir();
    provideTestNodeBB(testDatabase());
  });

  beforeEach(async () => {
    const db = testDatabase();
    await db.flushAll();
    await rm(standIns.privateDir, { recursive: true, force: true });
    await rm(join(standIns.uploadPath, 'files'), { recursive: true, force: true });
    standIns.config.allowedFileExtensions = 'png,jpg,txt';
    await setClinicalCategories(String(CLOSED));
    // Cardiology (closed, clinical): its physicians read; guests read the open category.
    await grantToGroup(db, CLOSED, 'topics:read', 'Cardiology physicians');
    await grantToGroup(db, CLOSED, 'posts:view_deleted', 'Cardiology moderators');
    await joinGroup(db, POSTER, 'Cardiology physicians');
    await joinGroup(db, CARDIOLOGIST, 'Cardiology physicians');
    await joinGroup(db, MODERATOR, 'Cardiology moderators');
    await joinGroup(db, OTHER_SPECIALTY, 'Neurology physicians');
    await grantToGroup(db, OPEN, 'topics:read', 'guests');
    await grantToGroup(db, OPEN, 'topics:read', 'registered-users');
    for (const uid of [POSTER, CARDIOLOGIST, OTHER_SPECIALTY, MODERATOR]) {
      await joinGroup(db, uid, 'registered-users');
    }
  });

  describe('names', () => {
    it('stores a public image under a random name with the extension of its bytes, nothing of the original name', async () => {
      const stored = await uploadPostImage(OPEN);
      const names = filesUnder(standIns.uploadPath);
      expect(names).to.have.length(1);
      expect(names[0]).to.match(/^[0-9a-f]{32}\.jpg$/);
      expect(stored.url).to.equal(`/forum/assets/uploads/files/${names[0]}`);
      expect(JSON.stringify(stored)).not.to.match(IDENTIFYING);
      expect(filesUnder(standIns.privateDir)).to.deep.equal([]);
    });

    it('names an image sent under a misleading name by its bytes (PNG bytes called .jpg)', async () => {
      const stored = await uploadPostImage(OPEN, await baseImage('png'));
      expect(stored.url).to.match(/\/[0-9a-f]{32}\.png$/);
    });

    it('names a non-image file by its bytes where they have a signature, else by its allowed extension', async () => {
      standIns.config.allowedFileExtensions = 'txt,pdf';
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
      const storedPdf = await uploadPostFile(OPEN, pdf, 'budi_santoso_RM778123_report.txt');
      expect(storedPdf.url).to.match(/\/files\/[0-9a-f]{32}\.pdf$/);
      const storedText = await uploadPostFile(OPEN, Buffer.from('notes for budi santoso'), 'Budi_Santoso.TXT');
      expect(storedText.url).to.match(/\/files\/[0-9a-f]{32}\.txt$/);
      expect(JSON.stringify([storedPdf, storedText])).not.to.match(IDENTIFYING);
    });

    it('refuses a file whose judged type is not allowed, storing nothing', async () => {
      standIns.config.allowedFileExtensions = 'txt';
      const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
      let error: unknown;
      try {
        await uploadPostFile(CLOSED, pdf, 'harmless.txt');
      } catch (caught) {
        error = caught;
      }
      expect(String(error)).to.contain('[[error:invalid-file-type');
      expect(filesUnder(standIns.uploadPath)).to.deep.equal([]);
      expect(filesUnder(standIns.privateDir)).to.deep.equal([]);
    });
  });

  describe('storage', () => {
    it('stores an image composed in a closed category outside the upload folder, with a resized copy beside it', async () => {
      standIns.config.resizeImageWidthThreshold = 100;
      standIns.config.resizeImageWidth = 50;
      const stored = await uploadPostImage(CLOSED, await baseImage('jpeg', 400, 300));
      expect(stored.url).to.match(/^\/forum\/assets\/uploads\/files\/pn-private\/[0-9a-f]{32}-resized\.jpg$/);
      expect(filesUnder(standIns.uploadPath)).to.deep.equal([]);
      const names = filesUnder(standIns.privateDir).sort();
      expect(names).to.have.length(2);
      expect(names[0]).to.match(/^[0-9a-f]{32}-resized\.jpg$/);
      expect(names[1]).to.equal(names[0]?.replace('-resized', ''));
      const record = await getRecord(idOf(stored.url));
      expect(record).to.include({ uid: POSTER, extension: '.jpg', mime: 'image/jpeg' });
      standIns.config.resizeImageWidthThreshold = 2000;
      standIns.config.resizeImageWidth = 760;
    });

    it('stores privately in a category guests cannot read even when it is not clinical', async () => {
      await setClinicalCategories('99');
      const stored = await uploadPostImage(CLOSED);
      expect(stored.url).to.contain('/files/pn-private/');
      expect(filesUnder(standIns.uploadPath)).to.deep.equal([]);
    });

    it('stores privately a quick reply\'s upload (no category in its form) sent from a closed category\'s topic page', async () => {
      await makeTopic(10, CLOSED, 100);
      await makeTopic(11, OPEN, 110);
      const upload = async (referer: string): Promise<StoredUpload> => {
        const image = await tempUpload(await baseImage('jpeg'), ORIGINAL_NAME, 'image/jpeg');
        return standIns.duringUpload('/api/post/upload', {}, [image], () => standIns.bus.hooks.fire('filter:uploadImage', { image, uid: POSTER, folder: 'files' }) as unknown as Promise<StoredUpload>, { referer });
      };
      expect((await upload('http://forum.test/forum/topic/10/chest-film')).url).to.contain('/files/pn-private/');
      expect((await upload('http://forum.test/forum/topic/11/open-case')).url).not.to.contain('pn-private');
      expect((await upload('http://forum.test/forum/chats/3')).url).not.to.contain('pn-private');
    });

    it('keeps NodeBB storage for uploads with no category (chat)', async () => {
      const stored = await uploadPostImage(null);
      expect(stored.url).not.to.contain('pn-private');
      expect(filesUnder(standIns.uploadPath)).to.have.length(1);
    });
  });

  describe('who may fetch', () => {
    it('before any post shows it: the uploader only', async () => {
      const { url } = await uploadPostImage(CLOSED);
      expect(await may(POSTER, url)).to.equal(true);
      expect(await may(CARDIOLOGIST, url)).to.equal(false);
      expect(await may(0, url)).to.equal(false);
    });

    it('once posted: readers of the category; not guests, not another specialty', async () => {
      const { url } = await uploadPostImage(CLOSED);
      await makeTopic(10, CLOSED, 100);
      await makePost(100, 10, POSTER, `![image](${url})`);
      expect(await may(CARDIOLOGIST, url)).to.equal(true);
      expect(await may(POSTER, url)).to.equal(true);
      expect(await may(OTHER_SPECIALTY, url)).to.equal(false);
      expect(await may(0, url)).to.equal(false);
    });

    it('follows the topic: public in an open category, closed again when moved back', async () => {
      const { url } = await uploadPostImage(CLOSED);
      await makeTopic(10, CLOSED, 100);
      await makePost(100, 10, POSTER, `![image](${url})`);
      await testDatabase().setObjectField('topic:10', 'cid', OPEN);
      await syncTopic(10);
      expect(await may(0, url)).to.equal(true);
      await testDatabase().setObjectField('topic:10', 'cid', CLOSED);
      await syncTopic(10);
      expect(await may(0, url)).to.equal(false);
      expect(await may(CARDIOLOGIST, url)).to.equal(true);
    });

    it('answers by the topic\'s current category the moment it moves, before any move listener has run', async () => {
      const { url } = await uploadPostImage(CLOSED);
      await makeTopic(10, CLOSED, 100);
      await makePost(100, 10, POSTER, `![image](${url})`);
      // NodeBB has moved the topic (topic:<tid> cid) and answered; action:topic.move listeners have not run.
      await testDatabase().setObjectField('topic:10', 'cid', OPEN);
      expect(await may(0, url), 'guest, moved into the open category').to.equal(true);
      await testDatabase().setObjectField('topic:10', 'cid', CLOSED);
      expect(await may(0, url), 'guest, moved back into the closed category').to.equal(false);
      expect(await may(OTHER_SPECIALTY, url), 'another specialty, moved back').to.equal(false);
      expect(await may(CARDIOLOGIST, url), 'a cardiologist, moved back').to.equal(true);
    });

    it('a deleted topic shows it only to those who see deleted posts, without waiting for a listener', async () => {
      const { url } = await uploadPostImage(CLOSED);
      await makeTopic(10, CLOSED, 100);
      await makePost(100, 10, POSTER, `![image](${url})`);
      await testDatabase().setObjectField('topic:10', 'deleted', 1);
      expect(await may(CARDIOLOGIST, url)).to.equal(false);
      await testDatabase().setObjectField('topic:10', 'deleted', 0);
      expect(await may(CARDIOLOGIST, url)).to.equal(true);
    });

    it('a deleted post shows it only to those who see deleted posts; restored, to readers again', async () => {
      const { url } = await uploadPostImage(CLOSED);
      await makeTopic(10, CLOSED, 100);
      await makePost(100, 10, POSTER, `![image](${url})`);
      await testDatabase().setObjectField('post:100', 'deleted', 1);
      await syncPost(100);
      expect(await may(CARDIOLOGIST, url)).to.equal(false);
      expect(await may(MODERATOR, url)).to.equal(true);
      await testDatabase().setObjectField('post:100', 'deleted', 0);
      await syncPost(100);
      expect(await may(CARDIOLOGIST, url)).to.equal(true);
    });

    it('an edit that removes the image withdraws it; a purge forgets the post', async () => {
      const { url } = await uploadPostImage(CLOSED);
      await makeTopic(10, CLOSED, 100);
      await makePost(100, 10, POSTER, `![image](${url})`);
      await makePost(101, 10, POSTER, `again ![image](${url})`);
      await testDatabase().setObjectField('post:100', 'content', 'no image any more');
      await syncPost(100);
      expect((await getRecord(idOf(url)))?.references.map(r => r.pid)).to.deep.equal([101]);
      expect(await may(CARDIOLOGIST, url)).to.equal(true);
      await forgetPurgedPosts({ posts: [{ pid: 101, tid: 10 }] });
      expect((await getRecord(idOf(url)))?.references).to.deep.equal([]);
      expect(await may(CARDIOLOGIST, url)).to.equal(false);
    });

    it('a copy of the address in another member\'s post in an open category does not open it', async () => {
      const { url } = await uploadPostImage(CLOSED);
      await makeTopic(10, CLOSED, 100);
      await makePost(100, 10, POSTER, `![image](${url})`);
      await makeTopic(11, OPEN, 110);
      await makePost(110, 11, CARDIOLOGIST, `> ![image](${url})`);
      expect(await may(0, url)).to.equal(false);
      expect(await may(OTHER_SPECIALTY, url)).to.equal(false);
    });
  });

  describe('the route', () => {
    let base: string;
    let close: () => Promise<void>;

    before(async () => {
      // Express's routing and NodeBB's authenticateRequest, stood in: the name from the path, the caller from a header.
      const prefix = privateUploadRoute().replace(':name', '');
      const server = createServer((req, res) => {
        const url = req.url ?? '';
        const request = Object.assign(req, {
          params: { name: url.startsWith(prefix) ? url.slice(prefix.length) : '' },
          uid: Number(req.headers['x-test-uid'] ?? 0),
        });
        void servePrivateUpload(request, res);
      });
      server.listen(0, '127.0.0.1');
      await new Promise(resolve => server.once('listening', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => new Promise(resolve => { server.close(() => { resolve(); }); });
    });

    after(async () => { await close(); });

    async function get(url: string, uid: number): Promise<Response> {
      return fetch(base + url.replace('/forum', ''), { headers: { 'x-test-uid': String(uid) } });
    }

    it('serves readers with private caching, nosniff, the type and inline disposition; others get the same empty 404', async () => {
      standIns.config.resizeImageWidthThreshold = 100;
      standIns.config.resizeImageWidth = 50;
      const bytes = await baseImage('jpeg', 400, 300);
      const { url } = await uploadPostImage(CLOSED, bytes);
      standIns.config.resizeImageWidthThreshold = 2000;
      standIns.config.resizeImageWidth = 760;
      const original = url.replace('-resized', '');
      await makeTopic(10, CLOSED, 100);
      await makePost(100, 10, POSTER, `![image](${url})`);
      for (const address of [url, original]) {
        const ok = await get(address, CARDIOLOGIST);
        expect(ok.status).to.equal(200);
        expect(ok.headers.get('content-type')).to.equal('image/jpeg');
        expect(ok.headers.get('cache-control')).to.equal('private, no-cache');
        expect(ok.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(ok.headers.get('content-disposition')).to.match(/^inline; filename="[0-9a-f]{32}(-resized)?\.jpg"$/);
        const served = Buffer.from(await ok.arrayBuffer());
        expect(served.equals(await readFile(join(standIns.privateDir, address.split('/').pop() ?? '')))).to.equal(true);
        for (const uid of [0, OTHER_SPECIALTY]) {
          const refused = await get(address, uid);
          expect(refused.status).to.equal(404);
          expect((await refused.arrayBuffer()).byteLength).to.equal(0);
        }
      }
      const unknown = await get(url.replace(/[0-9a-f]{32}/, '0'.repeat(32)), CARDIOLOGIST);
      expect(unknown.status).to.equal(404);
      const wrongExtension = await get(original.replace('.jpg', '.png'), CARDIOLOGIST);
      expect(wrongExtension.status).to.equal(404);
    });
  });
});
