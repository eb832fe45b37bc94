/**
 * Plugin pages get NodeBB's normal headers because they are mounted as NodeBB pages
 * (setupPageRoute / setupAdminPageRoute run NodeBB's page middleware: its security headers,
 * session, CSRF token and /api twin). Only the calendar files are plain routes, and they are
 * downloads, not pages.
 */
import { expect } from 'chai';
import type { RequestHandler, Router } from 'express';

import { mountPages } from '../../library';
import { provideForTests } from '../../lib/nodebb';
import type { HostMiddleware } from '../../lib/nodebb';

describe('pages are NodeBB pages', () => {
  it('mounts every page through NodeBB\'s page routes, and only calendar files as plain routes', () => {
    const pages: string[] = [];
    const adminPages: string[] = [];
    const plain: string[] = [];
    provideForTests({
      routeHelpers: {
        setupPageRoute: (_router: Router, path: string) => { pages.push(path); },
        setupAdminPageRoute: (_router: Router, path: string) => { adminPages.push(path); },
        setupApiRoute: () => { throw new Error('API routes are mounted by static:api.routes'); },
      },
    });
    const router = new Proxy({}, {
      get: (_target, verb: string) => (path: string) => { plain.push(`${verb} ${path}`); },
    }) as Router;
    const middleware = new Proxy({}, { get: (): RequestHandler => (_req, _res, next) => { next(); } }) as HostMiddleware;
    mountPages(router, middleware);
    expect(adminPages.sort()).to.deep.equal(['/admin/plugins/physician-network', '/admin/plugins/physician-network/specialties']);
    expect(pages.sort()).to.deep.equal([
      '/me/physician-verification', '/physician-verification/audit', '/physician-verification/queue',
      '/physician-verification/requests/:rid', '/physicians', '/seminars', '/seminars/:tid/edit', '/seminars/calendar',
      '/seminars/calendar/:year/:month', '/seminars/new', '/seminars/past', '/user/:userslug/physician-verification',
    ]);
    expect(plain.sort()).to.deep.equal(['get /seminars.ics', 'get /seminars/:tid/ics', 'get /seminars/feed/:file']);
  });
});
