/**
 * The one rendering boundary: every value a template prints goes through `pageModel`, which
 * escapes every string in it unless the string was explicitly marked as markup. Server page
 * models (lib/common/page.ts) and client-rendered templates (static/src/templates.ts) both
 * use it, so a new field is escaped whether or not its author thought about it.
 *
 * Why NodeBB needs this: inside NodeBB, Benchpress prints `{x}` raw (NodeBB makes its
 * `__escape` helper the identity), and every rendered page is then run through NodeBB's
 * translator, which expands `[[namespace:key, args]]` wherever it appears, member text
 * included. So text must reach a template with HTML escaped and the translator's brackets
 * neutralised.
 *
 * Brackets become `&lsqb;`/`&rsqb;`, not `&#91;`/`&#93;`: inside a translation token's
 * arguments NodeBB decodes numeric references (and the common named ones) before translating
 * the argument again, so `&#91;&#91;…&#93;&#93;` would be expanded there; `&lsqb;` is not in
 * its decoder's table and survives. The browser shows both as `[`/`]`.
 *
 * Like registration-rules.ts, this file imports nothing and touches neither Node nor the DOM:
 * the server build compiles it to CommonJS, the client build to an anonymous AMD module.
 */

const REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\'': '&#39;',
  '`': '&#96;',
  '=': '&#61;',
  '[': '&lsqb;',
  ']': '&rsqb;',
};

/** Plain text (anyone typed it) as HTML text or a quoted attribute value that NodeBB's translator leaves alone. */
export function escapeText(text: string): string {
  return text.replace(/[&<>"'`=[\]]/g, c => REFERENCES[c] ?? c);
}

/**
 * Text NodeBB already HTML-escaped (usernames, topic titles, category names as its data
 * modules return them): only the translator's brackets are neutralised, so `&amp;` is not
 * escaped twice.
 */
export function neutraliseTranslator(escapedHtml: string): string {
  return escapedHtml.replace(/[[\]]/g, c => REFERENCES[c] ?? c);
}

/** A string that is already safe markup; `pageModel` prints it as it is. Create it only with the functions below. */
export class Markup {
  readonly html: string;
  /** Private, so only a real Markup (not any object with an `html` field) is one. */
  private readonly isMarkup = true;

  private constructor(html: string) {
    this.html = html;
  }

  /** Markup the plugin itself wrote (a translation token, a path it built): nothing a person typed. */
  static trusted(html: string): Markup {
    return new Markup(html);
  }
}

/** `[[namespace:key]]` for the translator, e.g. a status label; arguments are escaped like `translationArg`. */
export function translation(nameAndKey: string, args: readonly (string | number)[] = []): Markup {
  if (!/^[\w-]+:[\w.-]+$/.test(nameAndKey)) {
    throw new Error(`not a translation key: ${nameAndKey}`);
  }
  return Markup.trusted(`[[${[nameAndKey, ...args.map(translationArg)].join(', ')}]]`);
}

/**
 * A value for a translation token's `%n`: HTML-escaped, brackets neutralised, and commas as
 * references so it stays one argument (NodeBB splits arguments on commas before decoding them).
 */
export function translationArg(value: string | number): string {
  return escapeText(String(value)).replace(/,/g, '&#44;').replace(/%/g, '&#37;');
}

/**
 * A label the plugin's API sent as a translation token (`[[physician-network:…]]`, no
 * arguments): markup when it is exactly that, escaped text otherwise.
 */
export function pluginToken(token: string): Markup | string {
  return /^\[\[physician-network:[\w.-]+\]\]$/.test(token) ? Markup.trusted(token) : token;
}

/** Text NodeBB escaped (see `neutraliseTranslator`), marked so `pageModel` does not escape it again. */
export function escapedByNodeBB(escapedHtml: string): Markup {
  return Markup.trusted(neutraliseTranslator(escapedHtml));
}

/**
 * Text NodeBB escaped and means to be translated: category names, which admins may write as
 * translation keys (NodeBB's own templates print them raw and translate them).
 */
export function translatableByNodeBB(escapedHtml: string): Markup {
  return Markup.trusted(escapedHtml);
}

/**
 * A link a person typed, for `href`/`src`: http(s) only (anything else, `javascript:` and
 * `data:` included, becomes ''), then escaped like any text.
 */
export function safeLink(url: string): string {
  const trimmed = url.trim();
  return /^https?:\/\/[^\s]+$/i.test(trimmed) ? trimmed : '';
}

/** What `pageModel` accepts: plain data, with `Markup` wherever a string is already safe. */
export type PageValue = string | number | boolean | null | undefined | Markup | readonly PageValue[] | PageObject;
export interface PageObject { readonly [key: string]: PageValue }

/** What a template receives: `Markup` unwrapped, every other string escaped. */
export type Escaped<T> =
  T extends Markup ? string
    : T extends string ? string
      : T extends readonly (infer U)[] ? Escaped<U>[]
        : T extends object ? { [K in keyof T]: Escaped<T[K]> }
          : T;

declare const ESCAPED: unique symbol;
/** A template's data as `pageModel` returned it: only it can make one. */
export type PageModel<T> = Escaped<T> & { readonly [ESCAPED]: true };

const escapedModels = new WeakSet();

function escapeValue(value: unknown, path: string): unknown {
  if (typeof value === 'string') {
    return escapeText(value);
  }
  if (value instanceof Markup) {
    return value.html;
  }
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => escapeValue(item, `${path}[${i}]`));
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = escapeValue(item, `${path}.${key}`);
    }
    return out;
  }
  // A Date, a Map, a class instance: its template form is a decision to make where it is built.
  throw new TypeError(`page model value at ${path} is not plain data`);
}

/**
 * A template's data with every string escaped (`escapeText`) except `Markup`. Escaping twice
 * is refused: a model that already went through here cannot go through again.
 */
export function pageModel<T extends object>(data: T): PageModel<T> {
  if (escapedModels.has(data)) {
    throw new TypeError('page model escaped twice');
  }
  const out = escapeValue(data, 'model') as PageModel<T>;
  escapedModels.add(out);
  return out;
}
