/**
 * Physician verification in a real NodeBB: a member submits a request with a PDF and a photo;
 * a global moderator (not an admin) finds it in the queue, opens both documents and approves;
 * the member then shows the badge and reads the closed cardiology category; guests and other
 * members get the same 404 on the documents; a rejection's reason reaches the member; a reviewer's
 * question is answered with corrected fields through resubmit; the audit page is for reviewers.
 */
import { expect } from 'chai';
import sharp from 'sharp';

import { NodeBBSession, requireE2EConfig, type ApiResponse } from './nodebb-session';

const BASE = '/api/v3/plugins/physician-network/verification';

interface SpecialtyRow { slug: string; cid: number; groupName: string }
interface DocumentRow { id: string; kind: string; contentType: string; url: string }
interface RequestRow {
  rid: number; uid: number; status: string; documents: DocumentRow[]; reasonText: string;
  registrationType: string; registrationNumber: string; institution: string; infoRequest: string; infoAnswer: string; submissions: number;
}
interface AuditPage { items: { rid: number; action: string; reasonText: string }[] }
interface QueuePage { items: { rid: number; uid: number; status: string }[]; total: number }
interface Member { uid: number; username: string; session: NodeBBSession }

function api<T>(response: ApiResponse<{ response: T }>): T {
  if (response.status !== 200) {
    throw new Error(`unexpected ${response.status}: ${response.text.slice(0, 300)}`);
  }
  return response.body.response;
}

/** A small but well-formed one-page PDF. */
function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map(o => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

async function photoPng(): Promise<Buffer> {
  return sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 120, b: 80 } } }).png().toBuffer();
}

function verificationForm(fullName: string, licence: Buffer, photo?: Buffer): FormData {
  const form = new FormData();
  form.append('fullName', fullName);
  form.append('registrationType', 'npi');
  // A check-digit-valid NPI (the CMS example).
  form.append('registrationNumber', '1234567893');
  form.append('specialties', 'cardiology');
  form.append('institution', 'General Hospital');
  form.append('consent', 'true');
  form.append('licence', new Blob([new Uint8Array(licence)], { type: 'application/pdf' }), 'licence.pdf');
  if (photo) {
    form.append('photoId', new Blob([new Uint8Array(photo)], { type: 'image/png' }), 'photo.png');
  }
  return form;
}

describe('physician verification (real NodeBB)', function () {
  this.timeout(180_000);
  const config = requireE2EConfig();
  let admin: NodeBBSession;
  let guest: NodeBBSession;
  let applicant: Member;
  let rejected: Member;
  let stranger: Member;
  let asked: Member;
  let moderator: Member;
  let cardiology: SpecialtyRow;
  let request: RequestRow;

  before(async () => {
    admin = await NodeBBSession.login(config.url, config.admin.username, config.admin.password);
    guest = await NodeBBSession.guest(config.url);
    const listing = api<{ specialties: SpecialtyRow[] }>(await admin.request('GET', '/api/v3/plugins/physician-network/specialties'));
    const row = listing.specialties.find(s => s.slug === 'cardiology');
    if (!row?.cid) {
      throw new Error('cardiology is not provisioned');
    }
    cardiology = row;
    applicant = await admin.createMember('e2e-applicant');
    rejected = await admin.createMember('e2e-rejected');
    stranger = await admin.createMember('e2e-stranger');
    asked = await admin.createMember('e2e-asked');
    moderator = await admin.createMember('e2e-gmod');
    await admin.makeGlobalModerator(moderator.uid);
  });

  it('before approval the applicant cannot read the closed cardiology category', async () => {
    const category = await applicant.session.request('GET', `/api/category/${cardiology.cid}`);
    expect(category.status).to.be.oneOf([403, 404]);
  });

  it('a member submits a request with a PDF licence and a PNG photo ID', async () => {
    const result = await applicant.session.upload<{ response: RequestRow }>('POST', `${BASE}/requests`, verificationForm('Ayu Lestari', minimalPdf(), await photoPng()));
    request = api(result);
    expect(request.status).to.equal('pending');
    expect(request.documents.map(d => d.contentType).sort()).to.deep.equal(['application/pdf', 'image/png']);
    const mine = api<{ status: string }>(await applicant.session.request('GET', `${BASE}/me`));
    expect(mine.status).to.equal('pending');
  });

  it('a second open request is refused, and so is a submission without CSRF token', async () => {
    const again = await applicant.session.upload('POST', `${BASE}/requests`, verificationForm('Ayu Lestari', minimalPdf()));
    expect(again.status).to.equal(409);
    const withoutToken = await fetch(`${config.url}${BASE}/requests`, { method: 'POST', body: verificationForm('Nobody', minimalPdf()) });
    expect(withoutToken.status).to.be.oneOf([401, 403]);
  });

  it('a global moderator (not an admin) finds it in the queue, with the pending count', async () => {
    const queue = api<QueuePage>(await moderator.session.request('GET', `${BASE}/queue?status=pending&type=npi&perPage=100`));
    expect(queue.items.map(i => i.rid)).to.include(request.rid);
    const count = api<{ pending: number }>(await moderator.session.request('GET', `${BASE}/queue/count`));
    expect(count.pending).to.be.at.least(1);
    const page = await moderator.session.request('GET', '/physician-verification/queue');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`/physician-verification/requests/${request.rid}`);
    const requestPage = await moderator.session.request('GET', `/physician-verification/requests/${request.rid}`);
    expect(requestPage.status).to.equal(200);
    expect(requestPage.text).to.contain('npiregistry.cms.hhs.gov');
    // The count travels in NodeBB's config to reviewers only, for the queue's nav badge.
    const reviewerConfig = await moderator.session.request<{ physicianNetwork?: { pendingVerifications?: number } }>('GET', '/api/config');
    expect(reviewerConfig.body.physicianNetwork?.pendingVerifications).to.be.at.least(1);
    const memberConfig = await stranger.session.request<{ physicianNetwork?: { pendingVerifications?: number } }>('GET', '/api/config');
    expect(memberConfig.body.physicianNetwork?.pendingVerifications).to.equal(undefined);
  });

  it('an ordinary member and a guest cannot open the queue pages', async () => {
    expect((await stranger.session.request('GET', '/physician-verification/queue')).status).to.be.oneOf([401, 403]);
    expect((await stranger.session.request('GET', `${BASE}/queue`)).status).to.equal(403);
    expect((await guest.request('GET', `${BASE}/queue`)).status).to.equal(401);
  });

  it('the moderator opens both documents, with private, sniffed, inline headers', async () => {
    for (const document of request.documents) {
      const file = await moderator.session.download(document.url);
      expect(file.status).to.equal(200);
      expect(file.headers.get('content-type')).to.equal(document.contentType);
      expect(file.headers.get('cache-control')).to.equal('no-store');
      expect(file.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(file.headers.get('content-disposition')).to.match(/^inline; filename="verification-\d+-[a-z-]+\.(pdf|png|jpg)"$/);
      if (document.contentType === 'application/pdf') {
        expect(file.bytes.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
      } else {
        expect([...file.bytes.subarray(0, 4)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47]);
      }
    }
  });

  it('the member reads their own document; a guest and another member both get 404 and no bytes', async () => {
    const [first] = request.documents;
    if (!first) {
      throw new Error('no document');
    }
    expect((await applicant.session.download(first.url)).status).to.equal(200);
    for (const viewer of [guest, stranger.session]) {
      for (const document of request.documents) {
        const file = await viewer.download(document.url);
        expect(file.status).to.equal(404);
        expect(file.headers.get('content-type') ?? '').to.not.match(/pdf|image/);
        expect(file.bytes.includes(Buffer.from('%PDF-'))).to.equal(false);
      }
    }
  });

  it('a guest gets the same 404 for a document of a request that exists and of one that does not', async () => {
    const [first] = request.documents;
    if (!first) {
      throw new Error('no document');
    }
    const missing = first.url.replace(`/requests/${request.rid}/`, `/requests/${request.rid + 100000}/`);
    const [real, absent] = [await guest.request('GET', first.url), await guest.request('GET', missing)];
    expect([real.status, absent.status]).to.deep.equal([404, 404]);
    expect(real.text).to.equal(absent.text);
  });

  it('the global moderator approves it', async () => {
    const approved = api<RequestRow>(await moderator.session.request('POST', `${BASE}/requests/${request.rid}/approve`, { specialties: ['cardiology'] }));
    expect(approved.status).to.equal('approved');
    const again = await admin.request('POST', `${BASE}/requests/${request.rid}/reject`, { reasonCode: 'other', reasonText: 'late' });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain(moderator.username);
  });

  it('the member now shows the badge on their posts and reads the closed cardiology category', async () => {
    const topic = api<{ tid: number }>(await applicant.session.request('POST', '/api/v3/topics', {
      cid: cardiology.cid, title: `Verified e2e ${Math.random().toString(36).slice(2, 8)}`, content: 'Now verified, posting in cardiology.',
    }));
    const read = await applicant.session.request<{ posts: { user: { selectedGroups: { name: string }[] } }[] }>('GET', `/api/topic/${topic.tid}`);
    expect(read.status).to.equal(200);
    expect(read.body.posts[0]?.user.selectedGroups.map(g => g.name)).to.include.members(['Verified physicians', cardiology.groupName]);
    expect((await applicant.session.request('GET', `/api/category/${cardiology.cid}`)).status).to.equal(200);
    const mine = api<{ status: string }>(await applicant.session.request('GET', `${BASE}/me`));
    expect(mine.status).to.equal('approved');
  });

  it('a rejection with a reason reaches the member in their notifications', async () => {
    const submitted = api<RequestRow>(await rejected.session.upload('POST', `${BASE}/requests`, verificationForm('Bram de Vries', minimalPdf())));
    const reason = `Licence photo is blurred ${Math.random().toString(36).slice(2, 8)}`;
    const decision = api<RequestRow>(await moderator.session.request('POST', `${BASE}/requests/${submitted.rid}/reject`, { reasonCode: 'document-unreadable', reasonText: reason }));
    expect(decision.status).to.equal('rejected');
    // NodeBB delivers notifications shortly after they are pushed.
    let notifications = await rejected.session.request('GET', '/api/notifications');
    for (let i = 0; i < 40 && !notifications.text.includes(reason); i += 1) {
      await new Promise(resolve => setTimeout(resolve, 250));
      notifications = await rejected.session.request('GET', '/api/notifications');
    }
    expect(notifications.status).to.equal(200);
    expect(notifications.text).to.contain(reason);
    const mine = api<{ status: string }>(await rejected.session.request('GET', `${BASE}/me`));
    expect(mine.status).to.equal('rejected');
    expect((await rejected.session.request('GET', `/api/category/${cardiology.cid}`)).status).to.be.oneOf([403, 404]);
  });

  it('a reviewer\'s question is answered through resubmit with corrected fields, and the reviewer sees the answer', async () => {
    const submitted = api<RequestRow>(await asked.session.upload('POST', `${BASE}/requests`, verificationForm('Sven Lind', minimalPdf())));
    const question = `Your NPI is not in NPPES: are you registered in the UK? ${Math.random().toString(36).slice(2, 8)}`;
    const askedInfo = api<RequestRow>(await moderator.session.request('POST', `${BASE}/requests/${submitted.rid}/request-info`, { message: question }));
    expect(askedInfo.status).to.equal('needs-info');

    // The member's tab shows the question and the form filled in from the open request.
    const slug = asked.username.toLowerCase();
    const tab = await asked.session.request('GET', `/user/${slug}/physician-verification`);
    expect(tab.status).to.equal(200);
    expect(tab.text).to.contain(question).and.contain('verification-resubmit').and.contain('value="General Hospital"');

    const answer = `Yes, GMC 7012345; I work at St Thomas' Hospital. ${Math.random().toString(36).slice(2, 8)}`;
    const corrected = new FormData();
    corrected.append('answer', answer);
    corrected.append('fullName', 'Sven Lind');
    corrected.append('registrationType', 'gmc');
    corrected.append('registrationNumber', '7012345');
    corrected.append('specialties', 'cardiology');
    corrected.append('institution', 'St Thomas\' Hospital');
    corrected.append('consent', 'true');
    const resubmitted = api<RequestRow>(await asked.session.upload('POST', `${BASE}/requests/${submitted.rid}/resubmit`, corrected));
    expect(resubmitted).to.deep.include({ status: 'pending', registrationType: 'gmc', registrationNumber: '7012345', infoAnswer: answer, submissions: 2 });
    // No new documents: the first licence stays.
    expect(resubmitted.documents.map(d => d.id)).to.deep.equal(submitted.documents.map(d => d.id));

    const seen = api<RequestRow>(await moderator.session.request('GET', `${BASE}/requests/${submitted.rid}`));
    expect(seen).to.deep.include({ status: 'pending', infoRequest: question, infoAnswer: answer, institution: 'St Thomas\' Hospital', registrationType: 'gmc' });
    const page = await moderator.session.request('GET', `/physician-verification/requests/${submitted.rid}`);
    expect(page.status).to.equal(200);
    // The page escapes the apostrophe; the random tail of the answer is plain text.
    expect(page.text).to.contain(answer.slice(-6)).and.contain('gmc-uk.org');
  });

  it('the audit page shows the global moderator every decision, newest first, and refuses a member', async () => {
    const log = api<AuditPage>(await moderator.session.request('GET', `${BASE}/audit?rid=${request.rid}`));
    expect(log.items.map(e => e.action)).to.deep.equal(['approve', 'submit']);
    const page = await moderator.session.request('GET', '/physician-verification/audit');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`/physician-verification/requests/${request.rid}`).and.contain(moderator.username);
    const filtered = await moderator.session.request('GET', `/physician-verification/audit?rid=${request.rid}`);
    expect(filtered.status).to.equal(200);
    expect(filtered.text).to.contain(`data-rid="${request.rid}"`);
    const queue = await moderator.session.request('GET', '/physician-verification/queue');
    expect(queue.text).to.contain('/physician-verification/audit');

    expect((await stranger.session.request('GET', '/physician-verification/audit')).status).to.be.oneOf([401, 403]);
    expect((await stranger.session.request('GET', '/api/physician-verification/audit')).status).to.be.oneOf([401, 403]);
    expect((await stranger.session.request('GET', `${BASE}/audit`)).status).to.equal(403);
  });

  it('the member\'s profile tab renders for them and is refused to others', async () => {
    // Throwaway usernames are already slugs (lower-case letters, digits and hyphens).
    const slug = applicant.username.toLowerCase();
    expect((await applicant.session.request('GET', `/user/${slug}/physician-verification`)).status).to.equal(200);
    expect((await stranger.session.request('GET', `/user/${slug}/physician-verification`)).status).to.be.oneOf([401, 403]);
  });
});
