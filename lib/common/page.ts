/**
 * The server side of the rendering boundary (lib/shared/page-text.ts): the only place that
 * calls `res.render`. A page's data reaches its template only as a model built by
 * `pageModel`, every string escaped unless marked as `Markup`; NodeBB's own data for the
 * page (the account header's `userData`, which NodeBB escaped itself) is passed beside it,
 * untouched, and never mixed into the plugin's model.
 */
import type { Response } from 'express';

import { nodebb } from '../nodebb';
import { pageModel, translation, type Markup, type PageModel } from '../shared/page-text';

export { escapeText, escapedByNodeBB, Markup, pageModel, safeLink, translatableByNodeBB, translation, translationArg, type Escaped, type PageModel, type PageValue } from '../shared/page-text';

/** `[[physician-network:<key>, args…]]` as markup for a page model. */
export function pluginText(key: string, args: readonly (string | number)[] = []): ReturnType<typeof translation> {
  return translation(`physician-network:${key}`, args);
}

/**
 * Render a plugin template. `model` must come from `pageModel` (the type says so), and
 * `nodebbData` is NodeBB's own, already escaped data that core partials of the page read.
 */
export function renderPage<T extends object>(res: Response, template: string, model: PageModel<T>, nodebbData: Readonly<Record<string, unknown>> = {}): void {
  res.render(template, { ...nodebbData, ...(model as object) });
}

/** NodeBB's own 404 page. */
export function renderNotFound(res: Response): void {
  res.status(404);
  renderPage(res, '404', pageModel({ title: translation('global:404.title') }));
}

/**
 * NodeBB's breadcrumbs for a page, passed beside the model as NodeBB's own data (core's
 * partial prints them, with NodeBB's home crumb first). Each crumb's text must already be
 * markup: a translation token or a name NodeBB escaped.
 */
export function breadcrumbs(crumbs: readonly { text: Markup; url?: string }[]): unknown[] {
  return nodebb.controllerHelpers.buildBreadcrumbs(crumbs.map(c => (c.url === undefined ? { text: c.text.html } : { text: c.text.html, url: c.url })));
}

/** A plugin template rendered to a string (a widget's HTML), from a page model like any page. */
export async function renderFragment<T extends object>(template: string, model: PageModel<T>): Promise<string> {
  return nodebb.webserver.app.renderAsync(template, model as Record<string, unknown>);
}
