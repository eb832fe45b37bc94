/**
 * Render the plugin's templates the way a real NodeBB 4.11.2 does, so escaping is tested in
 * the pipeline that serves pages: Benchpress with `__escape` as the identity (NodeBB's
 * public/src/modules/helpers.common.js), the plugin's partials inlined (core partials, which
 * the plugin does not ship, left out), then NodeBB's translator over the result with the
 * plugin's real language files, then `translator.unescape` as NodeBB's render middleware does.
 *
 * Importing this file makes every Benchpress render in the test run NodeBB-faithful (the
 * helper is global to the module): a test that relied on standalone Benchpress escaping
 * proved nothing about a real forum.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as benchpress from 'benchpressjs';

import { createNodeBBTranslator, unescapeTranslator, type Namespaces } from './nodebb-translator';

const root = join(__dirname, '..', '..', '..');
const templatesDir = join(root, 'templates');

benchpress.registerHelper('__escape', (value: unknown) => value);

/** A plugin template's source with its own `<!-- IMPORT … -->` partials inlined; core partials become ''. */
export function pluginTemplateSource(name: string, depth = 0): string {
  const file = join(templatesDir, name.endsWith('.tpl') ? name : `${name}.tpl`);
  if (!existsSync(file)) {
    if (depth === 0) {
      throw new Error(`no plugin template ${name}`);
    }
    return '';
  }
  const source = readFileSync(file, 'utf8');
  return depth > 5 ? source : source.replace(/<!-- IMPORT ([\w/.-]+) -->/g, (_whole, partial: string) => pluginTemplateSource(partial, depth + 1));
}

/**
 * The namespaces the harness translator knows: the plugin's, from its language files, and a
 * few of core's keys the templates use. Unknown core keys come out as their key name, as in
 * NodeBB when a translation is missing.
 */
export function languageNamespaces(lang = 'en-GB'): Namespaces {
  const plugin = JSON.parse(readFileSync(join(root, 'languages', lang, 'physician-network.json'), 'utf8')) as Record<string, unknown>;
  return {
    'physician-network': plugin,
    global: { home: 'Home', '404.title': 'Not found', guest: 'Guest', save: 'Save' },
    // Core keys whose translations carry an argument into markup: what a member's token would reach for.
    'harness-core': { link: '<a href="%1">%2</a>' },
  };
}

/** Benchpress as NodeBB runs it: no escaping. */
export async function renderRawLikeNodeBB(source: string, data: object): Promise<string> {
  return benchpress.compileRender(source, data);
}

/** A plugin template rendered and translated as NodeBB's server renders a page. */
export async function renderLikeNodeBB(name: string, data: object, lang = 'en-GB'): Promise<string> {
  const html = await renderRawLikeNodeBB(pluginTemplateSource(name), data);
  return unescapeTranslator(createNodeBBTranslator(languageNamespaces(lang))(html));
}
