/**
 * What the seminar page and widget tests need beyond the seminar stand-ins: NodeBB's
 * controller helpers (breadcrumbs), its webserver's template renderer (Benchpress over the
 * plugin's own templates, partials inlined as NodeBB's build does), and a fake request and
 * response that capture what a controller renders.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response } from 'express';

import { provideForTests } from '../../lib/nodebb';

const templatesDir = join(__dirname, '..', '..', '..', 'templates');

/** A plugin template's source with its `<!-- IMPORT … -->` partials inlined (recursively). */
export function templateSource(name: string, depth = 0): string {
  const source = readFileSync(join(templatesDir, name.endsWith('.tpl') ? name : `${name}.tpl`), 'utf8');
  if (depth > 5) {
    return source;
  }
  return source.replace(/<!-- IMPORT ([\w/.-]+) -->/g, (_whole, partial: string) => templateSource(partial, depth + 1));
}

/** Render a plugin template with Benchpress, as NodeBB's webserver does (translation happens later). */
export async function renderPluginTemplate(name: string, data: object): Promise<string> {
  const benchpress = await import('benchpressjs');
  return benchpress.compileRender(templateSource(name), data);
}

export function providePageStandIns(): void {
  provideForTests({
    controllerHelpers: {
      formatApiResponse: async () => { throw new Error('not in the page stand-in'); },
      notAllowed: async () => { throw new Error('not in the page stand-in'); },
      buildBreadcrumbs: crumbs => [{ text: '[[global:home]]', url: '/' }, ...crumbs],
    },
    webserver: { app: { renderAsync: renderPluginTemplate } },
  });
}

export interface Rendered {
  template: string;
  data: Record<string, unknown>;
}

/** A response that records res.render(template, data). */
export function capturingResponse(): { res: Response; rendered: Rendered[] } {
  const rendered: Rendered[] = [];
  const res = {
    render(template: string, data: Record<string, unknown>) {
      rendered.push({ template, data });
    },
  } as unknown as Response;
  return { res, rendered };
}

/** A request as NodeBB's middleware leaves it: uid (0 for guests), parsed query and cookies, route params. */
export function pageRequest(options: { uid?: number; query?: Record<string, string | string[]>; params?: Record<string, string>; zone?: string } = {}): Request {
  return {
    uid: options.uid ?? 0,
    query: options.query ?? {},
    params: options.params ?? {},
    cookies: options.zone ? { pn_tz: options.zone } : {},
  } as unknown as Request;
}

/** The query of a path the page rendered (e.g. its nextPath), as Express would parse it. */
export function queryOf(path: string): Record<string, string> {
  const index = path.indexOf('?');
  return index < 0 ? {} : Object.fromEntries(new URLSearchParams(path.slice(index + 1)));
}
