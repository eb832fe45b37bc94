/**
 * Member text is data, never markup: every page the plugin renders, built by its real
 * controllers on real Redis from text members, reviewers and admins typed, then rendered the
 * way NodeBB renders it (Benchpress without escaping, then NodeBB's translator; see
 * test/harness/nodebb-render.ts) and loaded in Chromium. Each payload goes into every text
 * field at once; the page must come out with the same element tree as the same page built
 * from harmless text, run nothing, link nowhere but http(s), and show the payload as typed.
 */
import { expect } from 'chai';
import type { Request, Response } from 'express';
import type { Browser } from 'playwright-core';

import { provideForTests } from '../../lib/nodebb';
import { isUserFacingError } from '../../lib/common/user-error';
import { renderAuditPage, renderMemberTab, renderQueue, renderRequestPage } from '../../lib/verification/routes';
import { verificationService } from '../../lib/verification/instance';
import { renderAcpSpecialties } from '../../lib/specialties/routes';
import { addSpecialty, seedDefaultTaxonomy } from '../../lib/specialties/taxonomy';
import { listingClock } from '../../lib/seminars/listing-view';
import { renderCalendar, renderUpcoming, renderPast } from '../../lib/seminars/routes';
import { renderSeminarsWidget } from '../../lib/seminars/widget';
import { submitSeminar } from '../../lib/seminars/save';
import { SETTINGS_HASH } from '../../lib/settings';
import { nodebb } from '../../lib/nodebb';
import { launchBrowser } from '../harness/browser';
import { renderLikeNodeBB } from '../harness/nodebb-render';
import { HARMLESS, PAYLOADS, injectionProblems } from '../harness/inert-markup';
import { testDatabase } from '../harness/root-hooks';
import { installVerificationWorld, type VerificationWorld } from '../harness/verification-stand-ins';
import { grantToGroup, provideSeminarStandIns } from '../harness/seminars-stand-ins';
import { seminarForm } from '../harness/seminars-fixtures';
import { pdfBytes } from '../harness/verification-fixtures';

interface RenderedPage { template: string; data: Record<string, unknown> }

/** A response as NodeBB hands it to a page controller: records what it renders. */
function pageResponse(locals: Record<string, unknown> = {}): { res: Response; pages: RenderedPage[] } {
  const pages: RenderedPage[] = [];
  const res = {
    locals,
    statusCode: 200,
    status(code: number) { this.statusCode = code; return this; },
    render(template: string, data: Record<string, unknown>) { pages.push({ template, data }); },
  };
  return { res: res as unknown as Response, pages };
}

function pageRequest(uid: number, extra: { query?: Record<string, string>; params?: Record<string, string> } = {}): Request {
  return { uid, query: extra.query ?? {}, params: extra.params ?? {}, cookies: {}, headers: {} } as unknown as Request;
}

/** Render each captured page as NodeBB would (config and relative_path as NodeBB adds them). */
async function htmlOf(pages: RenderedPage[]): Promise<string> {
  const parts = await Promise.all(pages.map(async page => renderLikeNodeBB(page.template, { config: { relative_path: '' }, relative_path: '', ...page.data })));
  return parts.join('\n');
}

/**
 * A specialty an admin named with the text, where the name rules allow it (they refuse ':'
 * for instance: nothing of such a name can reach a page). The harmless page then gets one
 * too, or not, so both pages have the same structure.
 */
async function addTypedSpecialty(text: string, accepted: boolean | null = null): Promise<boolean> {
  if (accepted === false) {
    return false;
  }
  try {
    await addSpecialty({ name: `${text} specialists` });
    return true;
  } catch (err) {
    if (!isUserFacingError(err) || accepted === true) {
      throw err;
    }
    return false;
  }
}

describe('member text is data, never markup (pages rendered as NodeBB renders them, in Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let world: VerificationWorld;

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser.close();
  });

  describe('verification: the member\'s tab, the queue, a request, the audit log', () => {
    before(() => {
      world = installVerificationWorld(testDatabase());
      provideForTests({
        controllerHelpers: {
          formatApiResponse: async () => { throw new Error('not a page'); },
          notAllowed: async () => { throw new Error('refused'); },
          buildBreadcrumbs: crumbs => crumbs,
        },
      });
    });

    after(() => {
      world.restore();
    });

    /** Everything a member and reviewers type, all of it `text`; returns the HTML of every page that shows it. */
    async function pagesWith(text: string, withSpecialty: boolean | null = null): Promise<{ html: string; withSpecialty: boolean }> {
      await testDatabase().flushAll();
      await world.addUser(1, 'alice');
      await world.addUser(3, 'rita');
      await world.addUser(4, 'mia');
      await world.joinGroup(1, 'administrators');
      await world.joinGroup(3, 'Verification reviewers');
      await nodebb.meta.settings.set(SETTINGS_HASH, { verificationReviewerGroup: 'Verification reviewers', verificationSubmissionsPerDay: 5 });
      await seedDefaultTaxonomy();
      const added = await addTypedSpecialty(text, withSpecialty);
      const form = {
        fullName: text, registrationType: 'other', registrationNumber: text, country: 'MY',
        specialties: ['cardiology'], institution: text, consent: true,
      };
      const request = await verificationService.submit({ uid: 4 }, form, [{ kind: 'licence', bytes: pdfBytes() }]);
      await verificationService.requestInfo({ uid: 3 }, request.rid, { message: text });
      const pages: RenderedPage[] = [];
      const tab = async (): Promise<void> => {
        const { res, pages: rendered } = pageResponse({ userData: { uid: 4, username: 'mia', userslug: 'mia' } });
        await renderMemberTab(pageRequest(4), res);
        pages.push(...rendered);
      };
      await tab();
      await verificationService.resubmit({ uid: 4 }, request.rid, { answer: text });
      await verificationService.reject({ uid: 3 }, request.rid, { reasonCode: 'other', reasonText: text });
      await tab();
      for (const [controller, req] of [
        [renderQueue, pageRequest(1, { query: { status: 'rejected' } })],
        [renderRequestPage, pageRequest(1, { params: { rid: String(request.rid) } })],
        [renderAuditPage, pageRequest(1, { query: { rid: String(request.rid) } })],
      ] as const) {
        const { res, pages: rendered } = pageResponse();
        await controller(req, res);
        pages.push(...rendered);
      }
      expect(pages.map(p => p.template)).to.deep.equal([
        'account/physician-verification', 'account/physician-verification',
        'physician-verification-queue', 'physician-verification-request', 'physician-verification-audit',
      ]);
      return { html: await htmlOf(pages), withSpecialty: added };
    }

    for (const payload of PAYLOADS) {
      it(`stay inert with ${payload}`, async () => {
        const planted = await pagesWith(payload);
        const harmless = await pagesWith(HARMLESS, planted.withSpecialty);
        expect(await injectionProblems(browser, payload, planted.html, harmless.html)).to.deep.equal([]);
      });
    }

    it('shows an admin-typed specialty name on the ACP page as typed', async () => {
      for (const payload of [PAYLOADS[0] ?? '', PAYLOADS[2] ?? '']) {
        const page = async (text: string): Promise<string> => {
          await testDatabase().flushAll();
          await seedDefaultTaxonomy();
          await addTypedSpecialty(text, true);
          const { res, pages } = pageResponse();
          await renderAcpSpecialties(pageRequest(1), res);
          return htmlOf(pages);
        };
        expect(await injectionProblems(browser, payload, await page(payload), await page(HARMLESS))).to.deep.equal([]);
      }
    });
  });

  describe('seminars: the listings (with the city asked for in the address), the calendar, the widget', () => {
    const realClock = listingClock.now;

    before(() => {
      provideSeminarStandIns(testDatabase());
      provideForTests({
        controllerHelpers: {
          formatApiResponse: async () => { throw new Error('not a page'); },
          notAllowed: async () => { throw new Error('refused'); },
          buildBreadcrumbs: crumbs => crumbs,
        },
        webserver: { app: { renderAsync: async (name: string, data: object) => renderLikeNodeBB(name, data) } },
      });
      listingClock.now = () => Date.UTC(2030, 0, 1);
    });

    after(() => {
      listingClock.now = realClock;
    });

    async function pagesWith(text: string, withSpecialty: boolean | null = null): Promise<{ html: string; withSpecialty: boolean }> {
      const db = testDatabase();
      await db.flushAll();
      await seedDefaultTaxonomy();
      await grantToGroup(db, 1, 'topics:read', 'guests');
      const added = await addTypedSpecialty(text, withSpecialty);
      const typed = { venue: text, city: text, organiser: text, contact: text, creditsBody: text, creditsArea: text };
      await submitSeminar({ tid: 7, cid: 1, uid: 1, title: text, slug: '7/seminar' }, seminarForm({ ...typed, start: '2030-03-12T09:00', end: '2030-03-12T17:00' }));
      await submitSeminar({ tid: 8, cid: 1, uid: 1, title: text, slug: '8/past' }, seminarForm({ ...typed, start: '2029-03-12T09:00', end: '2029-03-12T17:00', registrationDeadline: '' }));
      const pages: RenderedPage[] = [];
      for (const [controller, req] of [
        [renderUpcoming, pageRequest(0, { query: { city: text } })],
        [renderUpcoming, pageRequest(0)],
        [renderPast, pageRequest(0, { query: { city: text } })],
        [renderCalendar, pageRequest(0, { params: { year: '2030', month: '3' }, query: { city: text } })],
      ] as const) {
        const { res, pages: rendered } = pageResponse();
        await controller(req, res);
        pages.push(...rendered);
      }
      const widget = await renderSeminarsWidget({ uid: 0, data: {}, req: pageRequest(0) });
      const listed = pages.map(p => (p.data.seminars as unknown[] | undefined)?.length ?? -1);
      // The seminars matched the planted city, so their text is on the pages.
      expect(listed).to.deep.equal([1, 1, 1, -1]);
      return { html: `${await htmlOf(pages)}\n${widget.html}`, withSpecialty: added };
    }

    for (const payload of PAYLOADS) {
      it(`stay inert with ${payload}`, async () => {
        const planted = await pagesWith(payload);
        const harmless = await pagesWith(HARMLESS, planted.withSpecialty);
        expect(await injectionProblems(browser, payload, planted.html, harmless.html)).to.deep.equal([]);
      });
    }
  });
});
