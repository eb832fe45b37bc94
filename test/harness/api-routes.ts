/**
 * API route controllers as NodeBB would mount and call them, without Express: the route
 * helpers record each mounted controller, the controller helpers record each answer.
 */
import type { Request, Response, Router } from 'express';

import { provideForTests } from '../../lib/nodebb';
import type { PageController } from '../../lib/nodebb';

export interface SentAnswer { status: number; payload: unknown }

export interface CapturedRoutes {
  /** `<verb> <path>` → controller, for every route the capability mounted. */
  readonly mounted: Map<string, PageController>;
  /** `<verb> <path>` → the route's own middlewares (what runs after NodeBB's multer and before the controller). */
  readonly middlewares: Map<string, unknown[]>;
  /** Every answer so far (formatApiResponse, and notAllowed as 403); empty it with `sent.length = 0`. */
  readonly sent: SentAnswer[];
  /** Run a mounted controller with this request; its last answer. */
  call(route: string, req: Partial<Request> & { uid?: number }): Promise<SentAnswer>;
}

/** Provide recording route and controller helpers, then let `mount` add the capability's routes. */
export function captureApiRoutes(mount: (router: Router) => void): CapturedRoutes {
  const mounted = new Map<string, PageController>();
  const middlewares = new Map<string, unknown[]>();
  const sent: SentAnswer[] = [];
  provideForTests({
    routeHelpers: {
      setupPageRoute: () => undefined,
      setupAdminPageRoute: () => undefined,
      setupApiRoute: (_router: Router, verb: string, path: string, routeMiddlewares: unknown[], controller: PageController) => {
        mounted.set(`${verb} ${path}`, controller);
        middlewares.set(`${verb} ${path}`, routeMiddlewares);
      },
    },
    controllerHelpers: {
      formatApiResponse: async (status: number, _res: Response, payload?: unknown) => { sent.push({ status, payload }); },
      notAllowed: async () => { sent.push({ status: 403, payload: null }); },
      buildBreadcrumbs: () => [],
    },
  });
  mount({} as Router);

  async function call(route: string, req: Partial<Request> & { uid?: number }): Promise<SentAnswer> {
    const controller = mounted.get(route);
    if (!controller) {
      throw new Error(`no route ${route}`);
    }
    const res = { headersSent: false, req: { method: 'POST', originalUrl: route } } as unknown as Response;
    const request: unknown = { params: {}, query: {}, body: {}, ...req };
    await controller(request as Request, res, () => undefined);
    const last = sent.at(-1);
    if (!last) {
      throw new Error('nothing sent');
    }
    return last;
  }

  return { mounted, middlewares, sent, call };
}
