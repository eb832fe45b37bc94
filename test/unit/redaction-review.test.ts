/**
 * Review before publication (posts with images wait in NodeBB's post queue in chosen
 * categories) and the clinical confirmation on edits, through the hooks as core fires them.
 */
import { expect } from 'chai';

import { hooks as redactionHooks } from '../../lib/redaction';
import { containsImage, imagesAdded, imagesOrUploadsAdded, imagesShown, uploadedImageLinks } from '../../lib/redaction/images-in-content';
import type { PostEditPayload } from '../../lib/redaction/post-context';
import { SETTINGS_HASH, validateSubmittedSettings } from '../../lib/settings';
import { nodebb } from '../../lib/nodebb';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { provideRedactionStandIns, type RedactionStandIns } from '../harness/redaction-stand-ins';
import { refusal } from '../harness/refusal';

const { checkEditConfirmation, keepEditedImagesInReview, queueImagePostsForReview } = redactionHooks;

const REVIEWED = 7;
const ELSEWHERE = 8;
const CLINICAL = 9;
const MEMBER = 20;
const ADMIN = 1;
const GLOBAL_MOD = 2;
const CATEGORY_MOD = 3;
const GROUP_MOD = 4;
const IMAGE_POST = 'Look at this ![x-ray](/assets/uploads/files/1700000000000-x-ray.png)';

describe('redaction: images in post text', () => {
  it('finds markdown images, reference-style images and HTML <img>, with their sources', () => {
    expect(imagesShown('a ![scan](/assets/uploads/files/a.png "title") b')).to.deep.equal(['/assets/uploads/files/a.png']);
    expect(imagesShown('![scan](<https://example.org/a.png>)')).to.deep.equal(['https://example.org/a.png']);
    expect(imagesShown('![Scan][ward]\n\n[ward]: /x.jpg')).to.deep.equal(['[ward]']);
    expect(imagesShown('<p><IMG alt="x" SRC="/y.gif"></p><img src=\'/z.webp\'><img data-x=1>')).to.deep.equal(['/y.gif', '/z.webp', '<img data-x=1>']);
    expect(imagesShown('[a link](/assets/uploads/files/a.pdf) and ! [not] (an image) `img` <imgx>')).to.deep.equal([]);
    // Brackets may nest in the alt text; an escaped "!" or "[" makes no image.
    expect(imagesShown('![ECG [lead II]](/e.png) \\![not](/n.png) !\\[not](/m.png) ![]( /s.png )')).to.deep.equal(['/e.png', '/s.png']);
    expect(imagesShown(undefined)).to.deep.equal([]);
    expect(imagesShown(42)).to.deep.equal([]);
  });

  it('finds links to uploaded files whose path is an image, in every form a post links them', () => {
    expect(uploadedImageLinks('[scan](/assets/uploads/files/1-scan.JPG)')).to.deep.equal(['/assets/uploads/files/1-scan.JPG']);
    expect(uploadedImageLinks('see https://forum.example/forum/assets/uploads/files/2-ward.jpeg?v=1 now')).to.deep.equal(['/assets/uploads/files/2-ward.jpeg']);
    expect(uploadedImageLinks('<a href="/assets/uploads/files/3.webp">x</a> and /assets/uploads/files/4.heic.'))
      .to.deep.equal(['/assets/uploads/files/3.webp', '/assets/uploads/files/4.heic']);
    // Not images, not uploads, or only looking like one.
    expect(uploadedImageLinks('[report](/assets/uploads/files/report.pdf) https://example.org/a.png /assets/uploads/files/x.pngs /assets/uploads/files/x.png.txt')).to.deep.equal([]);
    expect(uploadedImageLinks('[scan](/media/files/a.png)', '/media')).to.deep.equal(['/media/files/a.png']);
  });

  it('containsImage: an image shown or an uploaded image linked; plain text and other files are not', () => {
    expect(containsImage(IMAGE_POST)).to.equal(true);
    expect(containsImage('<img src="https://example.org/a">')).to.equal(true);
    expect(containsImage('[photo.png](/assets/uploads/files/photo.png)')).to.equal(true);
    expect(containsImage('[notes](/assets/uploads/files/notes.txt) and the word image.png')).to.equal(false);
    expect(containsImage('')).to.equal(false);
    expect(containsImage(null)).to.equal(false);
  });

  it('imagesAdded / imagesOrUploadsAdded: only what the new text brings that the old did not', () => {
    expect(imagesAdded('![a](/a.png)', '![a](/a.png) more words')).to.deep.equal([]);
    expect(imagesAdded('![a](/a.png)', '![a](/a.png) ![b](/b.png)')).to.deep.equal(['/b.png']);
    expect(imagesAdded('', '<img src="/c.png">')).to.deep.equal(['/c.png']);
    expect(imagesOrUploadsAdded('text', 'text [b](/assets/uploads/files/b.png)')).to.deep.equal(['/assets/uploads/files/b.png']);
    expect(imagesOrUploadsAdded('[b](/assets/uploads/files/b.png)', '[see](/assets/uploads/files/b.png)')).to.deep.equal([]);
  });
});

describe('redaction: review before publication and edits', function () {
  this.timeout(30_000);
  let standIns: RedactionStandIns;

  before(async () => {
    standIns = await provideRedactionStandIns(testDatabase());
    // As plugin.json registers them.
    standIns.bus.on('filter:post.shouldQueue', 10, queueImagePostsForReview);
    standIns.bus.on('filter:post.edit', 10, checkEditConfirmation);
    standIns.bus.on('filter:post.edit', 10, keepEditedImagesInReview);
  });

  after(async () => {
    await standIns.cleanup();
    provideTestNodeBB(testDatabase());
  });

  beforeEach(async () => {
    const db = testDatabase();
    await db.flushAll();
    await nodebb.meta.settings.set(SETTINGS_HASH, { redactionReviewCategories: `${REVIEWED}, 12`, redactionClinicalCategories: String(CLINICAL) });
    await db.sortedSetAdd('group:administrators:members', 1, String(ADMIN));
    await db.sortedSetAdd('group:Global Moderators:members', 1, String(GLOBAL_MOD));
    // A moderator of the reviewed category in person, and one through a group (as privileges.categories.give does).
    await db.sortedSetAdd(`group:cid:${REVIEWED}:privileges:moderate:members`, 1, String(CATEGORY_MOD));
    await db.sortedSetAdd(`group:cid:${REVIEWED}:privileges:groups:moderate:members`, 1, 'ward-leads');
    await db.sortedSetAdd('group:ward-leads:members', 1, String(GROUP_MOD));
    // The moderator of another category moderates only there.
    await db.sortedSetAdd(`group:cid:${ELSEWHERE}:privileges:moderate:members`, 1, String(MEMBER + 1));
    await db.setObject('topic:50', { tid: 50, cid: REVIEWED });
    await db.setObject('topic:51', { tid: 51, cid: ELSEWHERE });
    await db.setObject('topic:52', { tid: 52, cid: CLINICAL });
  });

  /** What core's Posts.shouldQueue returns when its own queue is off (meta.config.postQueue 0). */
  async function shouldQueue(uid: number, data: Record<string, unknown>, coreSays = false): Promise<boolean> {
    const result = await standIns.bus.hooks.fire('filter:post.shouldQueue', { shouldQueue: coreSays, uid, data });
    return result.shouldQueue;
  }

  it('queues a member\'s new topic or reply with an image in a review category', async () => {
    expect(await shouldQueue(MEMBER, { cid: REVIEWED, title: 'ECG', content: IMAGE_POST })).to.equal(true);
    expect(await shouldQueue(MEMBER, { cid: String(REVIEWED), content: '<img src="/assets/uploads/files/a.jpg">' })).to.equal(true);
    // Replies carry the topic, not the category: it is read from the topic.
    expect(await shouldQueue(MEMBER, { tid: 50, content: IMAGE_POST })).to.equal(true);
    expect(await shouldQueue(MEMBER, { tid: '50', content: '[scan.png](/assets/uploads/files/scan.png)' })).to.equal(true);
    // Core's getType: a payload with a tid is a reply, whatever cid it also names.
    expect(await shouldQueue(MEMBER, { tid: 51, cid: REVIEWED, content: IMAGE_POST })).to.equal(false);
  });

  it('does not queue the same post elsewhere, nor a post without an image', async () => {
    expect(await shouldQueue(MEMBER, { cid: ELSEWHERE, content: IMAGE_POST })).to.equal(false);
    expect(await shouldQueue(MEMBER, { tid: 51, content: IMAGE_POST })).to.equal(false);
    expect(await shouldQueue(MEMBER, { cid: REVIEWED, content: 'Text only, and a [report](/assets/uploads/files/r.pdf)' })).to.equal(false);
    expect(await shouldQueue(MEMBER, { tid: 50, content: 'no picture' })).to.equal(false);
    expect(await shouldQueue(MEMBER, { tid: 999, content: IMAGE_POST })).to.equal(false);
  });

  it('exempts the reviewers: admins, global moderators and the category\'s moderators, not other categories\' moderators or guests', async () => {
    for (const uid of [ADMIN, GLOBAL_MOD, CATEGORY_MOD, GROUP_MOD]) {
      expect(await shouldQueue(uid, { cid: REVIEWED, content: IMAGE_POST }), `uid ${uid}`).to.equal(false);
      expect(await shouldQueue(uid, { tid: 50, content: IMAGE_POST }), `uid ${uid}`).to.equal(false);
    }
    expect(await shouldQueue(MEMBER + 1, { cid: REVIEWED, content: IMAGE_POST })).to.equal(true);
    expect(await shouldQueue(0, { cid: REVIEWED, content: IMAGE_POST })).to.equal(true);
  });

  it('with the setting empty nothing changes; core\'s own decision to queue is always kept', async () => {
    await nodebb.meta.settings.set(SETTINGS_HASH, { redactionReviewCategories: '' });
    expect(await shouldQueue(MEMBER, { cid: REVIEWED, content: IMAGE_POST })).to.equal(false);
    expect(await shouldQueue(MEMBER, { tid: 50, content: IMAGE_POST })).to.equal(false);
    expect(await shouldQueue(MEMBER, { cid: ELSEWHERE, content: 'text' }, true)).to.equal(true);
    expect(await shouldQueue(ADMIN, { cid: REVIEWED, content: IMAGE_POST }, true)).to.equal(true);
  });

  it('only digits and commas are accepted for the review categories', async () => {
    expect((await refusal(validateSubmittedSettings({ redactionReviewCategories: '7, x' }))).key).to.equal('error.settings-text-invalid');
    expect(await validateSubmittedSettings({ redactionReviewCategories: ' 7,12 ' })).to.deep.equal({ redactionReviewCategories: '7,12' });
  });

  it('refuses an unconfirmed image post in a clinical category before it can be queued', async () => {
    expect((await refusal(shouldQueue(MEMBER, { tid: 52, content: IMAGE_POST }, true))).key).to.equal('error.redaction-confirmation-required');
    expect((await refusal(shouldQueue(MEMBER, { cid: CLINICAL, content: IMAGE_POST }))).key).to.equal('error.redaction-confirmation-required');
    expect(await shouldQueue(MEMBER, { tid: 52, content: IMAGE_POST, physicianNetworkNoPatientIdentifiers: true }, true)).to.equal(true);
    expect(await shouldQueue(MEMBER, { cid: CLINICAL, content: 'no picture' })).to.equal(false);
  });

  describe('edits (filter:post.edit)', () => {
    async function storePost(pid: number, tid: number, content: string): Promise<void> {
      await testDatabase().setObject(`post:${pid}`, { pid, tid, uid: MEMBER, content });
    }

    /** The payload core's Posts.edit fires. */
    function edit(pid: number, content: string, uid = MEMBER, extra: Record<string, unknown> = {}): Promise<PostEditPayload> {
      const data = { pid, uid, content, title: 'x', timestamp: Date.now(), ...extra };
      return standIns.bus.hooks.fire('filter:post.edit', { req: {}, post: { content, editor: uid, edited: Date.now() }, data, uid });
    }

    it('an edit that adds an image in a clinical category needs the confirmation', async () => {
      await storePost(100, 52, 'Findings: normal');
      expect((await refusal(edit(100, 'Findings: ![ecg](/assets/uploads/files/ecg.png)'))).key).to.equal('error.redaction-confirmation-required');
      expect((await refusal(edit(100, '<img src="/x.png">', MEMBER, { physicianNetworkNoPatientIdentifiers: false }))).key).to.equal('error.redaction-confirmation-required');
      const confirmed = await edit(100, 'Findings: ![ecg](/assets/uploads/files/ecg.png)', MEMBER, { physicianNetworkNoPatientIdentifiers: true });
      expect(confirmed.post.content).to.equal('Findings: ![ecg](/assets/uploads/files/ecg.png)');
    });

    it('an edit that keeps the images it had, removes one, or adds text needs no confirmation', async () => {
      await storePost(101, 52, 'Before ![ecg](/assets/uploads/files/ecg.png) ![cxr](/assets/uploads/files/cxr.png)');
      expect((await edit(101, 'After ![ecg](/assets/uploads/files/ecg.png) ![cxr](/assets/uploads/files/cxr.png) and more')).post.content).to.contain('and more');
      expect((await edit(101, 'Only ![ecg](/assets/uploads/files/ecg.png)')).post.content).to.contain('Only');
      // sourceContent (what the member wrote, when a plugin rewrote content) is what the edit compares with.
      await testDatabase().setObject('post:102', { pid: 102, tid: 52, content: '<p>parsed</p>', sourceContent: '![ecg](/e.png)' });
      expect((await edit(102, '![ecg](/e.png) more')).post.content).to.equal('![ecg](/e.png) more');
    });

    it('an edit adding an image outside clinical and review categories goes through', async () => {
      await storePost(103, 51, 'text');
      expect((await edit(103, IMAGE_POST)).post.content).to.equal(IMAGE_POST);
      // A post that does not exist is core's business (it refuses it before the hook).
      expect((await edit(999, IMAGE_POST)).post.content).to.equal(IMAGE_POST);
    });

    it('in a review category a member cannot add an image by editing; reviewers can, and text edits pass', async () => {
      await storePost(104, 50, 'text');
      expect((await refusal(edit(104, IMAGE_POST))).key).to.equal('error.redaction-review-edit-image');
      expect((await refusal(edit(104, 'text [ward](/assets/uploads/files/w.jpg)'))).key).to.equal('error.redaction-review-edit-image');
      expect((await edit(104, 'text, corrected')).post.content).to.equal('text, corrected');
      expect((await edit(104, IMAGE_POST, CATEGORY_MOD)).post.content).to.equal(IMAGE_POST);
      expect((await edit(104, IMAGE_POST, ADMIN)).post.content).to.equal(IMAGE_POST);
      await storePost(105, 50, IMAGE_POST);
      expect((await edit(105, `${IMAGE_POST} (accepted earlier; typo fixed)`)).post.content).to.contain('typo fixed');
      await nodebb.meta.settings.set(SETTINGS_HASH, { redactionReviewCategories: '' });
      expect((await edit(104, IMAGE_POST)).post.content).to.equal(IMAGE_POST);
    });
  });
});
