/**
 * Browser-test harness: Debian's Chromium driven headless by playwright-core, and fixture
 * pages built from the plugin's real templates (rendered with Benchpress, NodeBB's own
 * template engine) and its real compiled client modules, loaded through a small AMD loader
 * beside stand-ins for the NodeBB client modules they use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

import { createNodeBBTranslator, translatorSource } from './nodebb-translator';
import { languageNamespaces } from './nodebb-render';

const root = join(__dirname, '..', '..', '..');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // This machine's network is closed: no background calls home, no GPU, no sandbox as root.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export function languageStrings(lang = 'en-GB'): Record<string, string> {
  return JSON.parse(readFileSync(join(root, 'languages', lang, 'physician-network.json'), 'utf8')) as Record<string, string>;
}

/** Translate as NodeBB's translator does (test/harness/nodebb-translator.ts), with these plugin strings. */
export function translate(text: string, strings: Record<string, string>): string {
  return createNodeBBTranslator({ ...languageNamespaces(), 'physician-network': strings })(text);
}

/** Render one of the plugin's templates with Benchpress, inlining the given partials. */
export async function renderTemplate(name: string, data: object, partials: Record<string, string> = {}): Promise<string> {
  // benchpressjs ships no types; its compileRender(source, data) resolves to HTML.
  const benchpress = await import('benchpressjs');
  let source = readFileSync(join(root, 'templates', `${name}.tpl`), 'utf8');
  source = source.replace(/<!-- IMPORT ([\w/.-]+) -->/g, (_whole, partial: string) => partials[partial] ?? '');
  return benchpress.compileRender(source, data);
}

const AMD_LOADER = `
(function () {
  var registry = {};
  window.define = function (name, deps, factory) {
    // An anonymous module is named by the page (as NodeBB names it by where it links the file).
    if (typeof name !== 'string') { factory = deps; deps = name; name = window.__anonymousModuleName; }
    if (typeof deps === 'function') { factory = deps; deps = []; }
    registry[name] = { deps: deps, factory: factory, done: false, exports: undefined };
  };
  window.requireModule = function (name) {
    var m = registry[name];
    if (!m) { throw new Error('no module ' + name); }
    if (m.done) { return m.exports; }
    var exports = {};
    var args = m.deps.map(function (dep) {
      if (dep === 'exports') { return exports; }
      if (dep === 'require') { return window.requireModule; }
      return window.requireModule(dep);
    });
    var result = m.factory.apply(null, args);
    m.exports = result !== undefined ? result : exports;
    m.done = true;
    return m.exports;
  };
})();`;

/**
 * Stand-ins for NodeBB's client modules: every call is recorded in window.__calls.
 * The translator resolves the plugin's tokens from the real language file.
 */
function clientStandIns(strings: Record<string, string>): string {
  return `
${translatorSource()}
window.__calls = [];
window.__strings = ${JSON.stringify(strings)};
define('translator', [], function () {
  function compile() {
    var args = Array.prototype.slice.call(arguments).map(function (a) { return String(a).replace(/%/g, '&#37;').replace(/,/g, '&#44;'); });
    return '[[' + args.join(', ') + ']]';
  }
  // NodeBB's translator behaviour (test/harness/nodebb-translator.ts), over the real language file.
  var translateText = window.createNodeBBTranslator({ 'physician-network': window.__strings });
  function translate(text) {
    return Promise.resolve(translateText(String(text)));
  }
  return { compile: compile, translate: translate };
});
define('alerts', [], function () {
  return {
    success: function (m) { window.__calls.push(['alerts.success', String(m)]); },
    error: function (m) { window.__calls.push(['alerts.error', String(m && m.message || m)]); },
  };
});
define('api', [], function () {
  function record(method) {
    return function (route, data) {
      var body = data;
      if (typeof FormData !== 'undefined' && data instanceof FormData) {
        body = [];
        data.forEach(function (v, k) { body.push([k, typeof v === 'string' ? v : 'file:' + v.name + ':' + v.type]); });
      }
      window.__calls.push(['api.' + method, route, body === undefined ? null : body]);
      // A test may set what the API answers: window.__apiResult, or window.__apiError to fail.
      if (window.__apiError) { return Promise.reject(new Error(window.__apiError)); }
      return Promise.resolve(window.__apiResult || {});
    };
  }
  return { get: record('get'), post: record('post'), put: record('put'), del: record('del') };
});
define('bootbox', [], function () {
  return { confirm: function (m, cb) { window.__calls.push(['bootbox.confirm', String(m)]); cb(true); } };
});
window.ajaxify = {
  data: {},
  refresh: function () { window.__calls.push(['ajaxify.refresh']); },
  go: function (url) { window.__calls.push(['ajaxify.go', url]); },
};
define('settings', [], function () {
  return {
    load: function (hash) { window.__calls.push(['settings.load', hash]); },
    save: function (hash, form, cb) {
      var values = {};
      new FormData(form.get(0)).forEach(function (v, k) { values[k] = String(v); });
      window.__calls.push(['settings.save', hash, values]);
      if (cb) { cb(null); }
    },
  };
});
window.__hooks = {};
define('hooks', [], function () {
  return {
    on: function (name, listener) { (window.__hooks[name] = window.__hooks[name] || []).push(listener); },
    fire: async function (name, data) {
      var listeners = window.__hooks[name] || [];
      for (var i = 0; i < listeners.length; i++) { data = (await listeners[i](data)) || data; }
      return data;
    },
  };
});
// NodeBB's app.require, over the fixture's AMD registry.
window.app = {
  require: function (names) {
    try {
      return Promise.resolve(Array.isArray(names) ? names.map(window.requireModule) : window.requireModule(names));
    } catch (err) { return Promise.reject(err); }
  },
};`;
}

export interface FixturePage {
  page: Page;
  calls(): Promise<unknown[][]>;
}

/** A page holding the given HTML, jQuery, the AMD loader, the stand-ins and the named compiled modules. */
export async function openFixture(browser: Browser, html: string, modules: string[], lang = 'en-GB'): Promise<FixturePage> {
  const page = await browser.newPage();
  const strings = languageStrings(lang);
  await page.setContent(`<!doctype html><html><head><meta charset="utf-8"></head><body>${translate(html, strings)}</body></html>`);
  await page.addScriptTag({ path: require.resolve('jquery/dist/jquery.min.js') });
  await page.addScriptTag({ content: AMD_LOADER });
  await page.addScriptTag({ content: clientStandIns(strings) });
  for (const module of modules) {
    // Named modules ignore this; an anonymous one gets the name plugin.json "modules" gives it.
    await page.evaluate((name) => { (window as unknown as { __anonymousModuleName: string }).__anonymousModuleName = name; }, `physician-network/${module}`);
    await page.addScriptTag({ path: join(root, 'build', 'static', `${module}.js`) });
  }
  return {
    page,
    calls: async () => page.evaluate(() => (window as unknown as { __calls: unknown[][] }).__calls),
  };
}
