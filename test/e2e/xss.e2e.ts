/**
 * Member text is data, never markup, in a real NodeBB: members plant script and translator
 * payloads in every text field the plugin stores (verification form and resubmit answer,
 * reviewer questions and reasons, every seminar field, admin-typed specialty names) and in
 * the address (/seminars?city=…); then the admin, a global moderator and the member open
 * every plugin page in Chromium. The spec fails on any dialog, any payload that runs (each
 * calls window.__pwned, which the page records), and any element the payloads injected.
 *
 * Pages opened (each by every viewer allowed to see it):
 * - member: /user/<slug>/physician-verification, /seminars, /seminars/past, /seminars/calendar,
 *   /seminars/calendar/<year>/<month>, /seminars?city=<payload>, the seminar's topic (panel),
 *   /seminars/<tid>/edit (as its author);
 * - admin and global moderator: /physician-verification/queue (pending and rejected),
 *   /physician-verification/requests/<rid>, /physician-verification/audit, the listings above;
 * - admin only: /physicians, /admin/plugins/physician-network, /admin/plugins/physician-network/specialties.
 */
import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { launchBrowser } from '../harness/browser';
import { NodeBBSession, requireE2EConfig, type ApiResponse } from './nodebb-session';

const API = '/api/v3/plugins/physician-network';

/** Each calls window.__pwned when it runs; short enough for a registration number (64). */
const PAYLOADS = [
  '<img src=x onerror="__pwned(\'img\')">',
  '<svg onload="__pwned(\'svg\')"></svg>',
  '"><script>__pwned(\'script\')</script>',
  '</script><script>__pwned(\'close\')</script>',
  '" onmouseover="__pwned(1)" autofocus onfocus="__pwned(2)',
  '[[harness:x, javascript:__pwned(3), tap]]',
  '[[global:home, javascript:__pwned(4)]]',
] as const;

interface Member { uid: number; username: string; session: NodeBBSession }
interface Planted { member: Member; rid: number }

function api<T>(response: ApiResponse<{ response: T }>): T {
  if (response.status !== 200) {
    throw new Error(`unexpected ${response.status}: ${response.text.slice(0, 300)}`);
  }
  return response.body.response;
}

function minimalPdf(): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>'];
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

function verificationForm(text: string): FormData {
  const form = new FormData();
  form.append('fullName', `Dr ${text}`);
  form.append('registrationType', 'other');
  form.append('registrationNumber', text.slice(0, 64));
  form.append('country', 'MY');
  form.append('specialties', 'cardiology');
  form.append('institution', text);
  form.append('consent', 'true');
  form.append('licence', new Blob([new Uint8Array(minimalPdf())], { type: 'application/pdf' }), `${text}.pdf`);
  return form;
}

const eventDate = DateTime.now().setZone('Asia/Jakarta').plus({ days: 3 }).toISODate() ?? '';

function seminarBody(cid: number, text: string): Record<string, unknown> {
  return {
    cid, title: `Seminar ${text}`, content: `Programme ${text}`, type: 'seminar', timezone: 'Asia/Jakarta', allDay: false,
    start: `${eventDate}T09:00`, end: `${eventDate}T12:00`, attendance: 'hybrid',
    venue: text, city: text, country: 'ID', onlineUrl: 'https://meet.example.org/e2e', organiser: text, contact: text,
    specialties: ['all'], creditsAmount: '2', creditsBody: text, creditsArea: text,
    free: false, feeAmount: '100', feeCurrency: 'IDR', registrationUrl: 'https://example.org/register', registrationDeadline: '',
    capacity: '', language: 'en', status: 'scheduled',
  };
}

/** What a page did with the payloads: those that ran, dialogs, injected elements. */
async function problemsOn(page: Page, path: string): Promise<string[]> {
  const dialogs: string[] = [];
  const onDialog = (dialog: { message(): string; dismiss(): Promise<void> }): void => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  };
  page.on('dialog', onDialog);
  try {
    const response = await page.goto(path, { waitUntil: 'networkidle' });
    // Let ajaxify and client modules render (the seminar panel is drawn by client code).
    await page.waitForTimeout(500);
    await page.evaluate(() => {
      for (const element of Array.from(document.querySelectorAll('body *'))) {
        element.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
      }
    });
    await page.waitForTimeout(100);
    const found = await page.evaluate(() => {
      const injected: string[] = [];
      for (const element of Array.from(document.querySelectorAll('*'))) {
        for (const attribute of Array.from(element.attributes)) {
          if (/^on/i.test(attribute.name) && attribute.value.includes('__pwned')) {
            injected.push(`${element.tagName.toLowerCase()}[${attribute.name}]`);
          }
          if (['href', 'src', 'action', 'formaction'].includes(attribute.name) && /^\s*javascript:/i.test(attribute.value)) {
            injected.push(`${element.tagName.toLowerCase()}[${attribute.name}=${attribute.value}]`);
          }
        }
        if (element.tagName === 'SCRIPT' && !/json/i.test(element.getAttribute('type') ?? '') && element.textContent.includes('__pwned')) {
          injected.push('script');
        }
      }
      return { injected, ran: (window as unknown as { __pwnedCalls: string[] }).__pwnedCalls };
    });
    const problems = [...found.ran.map(label => `ran ${label}`), ...found.injected.map(what => `injected ${what}`), ...dialogs.map(d => `dialog ${d}`)];
    if ((response?.status() ?? 0) >= 400) {
      problems.push(`status ${response?.status() ?? 0}`);
    }
    return problems.map(p => `${path}: ${p}`);
  } finally {
    page.off('dialog', onDialog);
  }
}

describe('member text never runs (real NodeBB)', function () {
  this.timeout(600_000);
  const config = requireE2EConfig();
  let admin: NodeBBSession;
  let adminUid = 0;
  let moderator: Member;
  let doctor: Member;
  let browser: Browser;
  const planted: Planted[] = [];
  const rejected: Planted[] = [];
  const seminars: { tid: number; slug: string; text: string }[] = [];

  async function contextFor(session: NodeBBSession): Promise<BrowserContext> {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Stockholm' });
    await session.shareWith(context);
    await context.addInitScript(() => {
      const w = window as unknown as { __pwnedCalls: string[]; __pwned(label: unknown): void };
      w.__pwnedCalls = [];
      w.__pwned = (label) => { w.__pwnedCalls.push(String(label)); };
    });
    return context;
  }

  before(async () => {
    admin = await NodeBBSession.login(config.url, config.admin.username, config.admin.password);
    adminUid = Number((await admin.request<{ uid?: number }>('GET', '/api/config')).body.uid);
    moderator = await admin.createMember('e2e-xss-gmod');
    await admin.makeGlobalModerator(moderator.uid);
    doctor = await admin.createMember('e2e-xss-doctor');
    api(await admin.request('PUT', `${API}/members/${doctor.uid}/specialties`, { specialties: ['emergency-medicine'] }));
    const form = await doctor.session.request<{ categories?: { cid: number }[] }>('GET', '/api/seminars/new');
    const seminarsCid = form.body.categories?.[0]?.cid ?? 0;
    expect(seminarsCid).to.be.greaterThan(0);

    for (const [i, text] of PAYLOADS.entries()) {
      // Verification: the form, a reviewer's question, the member's answer (left pending).
      const member = await admin.createMember(`e2e-xss-m${i}`);
      const request = api<{ rid: number }>(await member.session.upload('POST', `${API}/verification/requests`, verificationForm(text)));
      api(await moderator.session.request('POST', `${API}/verification/requests/${request.rid}/request-info`, { message: text }));
      api(await member.session.request('POST', `${API}/verification/requests/${request.rid}/resubmit`, { answer: text }));
      planted.push({ member, rid: request.rid });
      // A rejection with the reviewer's reason.
      const other = await admin.createMember(`e2e-xss-r${i}`);
      const second = api<{ rid: number }>(await other.session.upload('POST', `${API}/verification/requests`, verificationForm(text)));
      api(await admin.request('POST', `${API}/verification/requests/${second.rid}/reject`, { reasonCode: 'other', reasonText: text }));
      rejected.push({ member: other, rid: second.rid });
      // Seminars: every text field.
      const saved = api<{ tid: number; slug: string }>(await doctor.session.request('POST', `${API}/seminars`, seminarBody(seminarsCid, text)));
      seminars.push({ tid: saved.tid, slug: saved.slug, text });
      // Specialties: a name typed by the admin (the name rules refuse ':'; then nothing is stored).
      const added = await admin.request('POST', `${API}/specialties`, { name: `${text} specialists` });
      expect(added.status, `specialty ${text}`).to.be.oneOf([200, 400]);
    }
    browser = await launchBrowser();
  });

  after(async () => {
    await browser.close();
  });

  const month = DateTime.fromISO(eventDate);
  const listings = (): string[] => [
    '/seminars', '/seminars/past', '/seminars/calendar', `/seminars/calendar/${month.year}/${month.month}`,
    ...PAYLOADS.map(text => `/seminars?city=${encodeURIComponent(text)}`),
    ...seminars.map(s => `/topic/${s.slug}`),
  ];

  it('the admin opens every plugin page: nothing runs, nothing is injected', async () => {
    const context = await contextFor(admin);
    const page = await context.newPage();
    const paths = [
      '/physician-verification/queue', '/physician-verification/queue?status=rejected', '/physician-verification/audit',
      ...planted.map(p => `/physician-verification/requests/${p.rid}`), ...rejected.map(p => `/physician-verification/requests/${p.rid}`),
      '/physicians', '/admin/plugins/physician-network', '/admin/plugins/physician-network/specialties',
      ...listings(), ...seminars.map(s => `/seminars/${s.tid}/edit`),
    ];
    const problems: string[] = [];
    for (const path of paths) {
      problems.push(...await problemsOn(page, `${config.url}${path}`));
    }
    await context.close();
    expect(adminUid).to.be.greaterThan(0);
    expect(problems).to.deep.equal([]);
  });

  it('a global moderator opens the reviewer pages and the listings: nothing runs, nothing is injected', async () => {
    const context = await contextFor(moderator.session);
    const page = await context.newPage();
    const paths = [
      '/physician-verification/queue', '/physician-verification/queue?status=rejected', '/physician-verification/audit',
      ...planted.map(p => `/physician-verification/requests/${p.rid}`), ...listings(),
    ];
    const problems: string[] = [];
    for (const path of paths) {
      problems.push(...await problemsOn(page, `${config.url}${path}`));
    }
    await context.close();
    expect(problems).to.deep.equal([]);
  });

  it('each member opens their own tab (pending and rejected), the listings and their seminar: nothing runs', async () => {
    const problems: string[] = [];
    for (const { member } of [...planted, ...rejected]) {
      const context = await contextFor(member.session);
      const page = await context.newPage();
      problems.push(...await problemsOn(page, `${config.url}/user/${member.username.toLowerCase()}/physician-verification`));
      await context.close();
    }
    const context = await contextFor(doctor.session);
    const page = await context.newPage();
    for (const path of [...listings(), ...seminars.map(s => `/seminars/${s.tid}/edit`)]) {
      problems.push(...await problemsOn(page, `${config.url}${path}`));
    }
    await context.close();
    expect(problems).to.deep.equal([]);
  });
});
