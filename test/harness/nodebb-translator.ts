/**
 * NodeBB's translator, reproduced from its behaviour (public/src/modules/translator.common.js
 * and utils.common.js at v4.11.2, read, not copied) so tests run rendered pages through the
 * same pass a real forum does:
 *
 * - `[[namespace:key]]` and `[[namespace:key, arg1, arg2]]` anywhere in the text are replaced,
 *   tokens nest (`[[a:b, [[c:d]]]]`), and arguments split on commas outside nested tokens;
 * - a token is recognised only when `[[` is followed by name characters (`a-zA-Z0-9-_./`), a
 *   colon and a key; any other character before the first comma makes it plain text;
 * - each argument is trimmed, whitespace-collapsed, HTML-entity-decoded (numeric references and
 *   common names, not `&lsqb;`), HTML-escaped, and then translated again (so a token hidden as
 *   `&#91;&#91;…&#93;&#93;` in an argument is expanded there);
 * - `%1`, `%2`… in the translation take the arguments (`%` before a digit and `\,` in an argument
 *   become references first; `&amp;lsqb;`/`&amp;rsqb;` go back to `&lsqb;`/`&rsqb;`);
 * - a missing key gives the key's name (or, with arguments, the token's inner text translated);
 *   a token without a key gives `[[namespace]]`;
 * - on the server, `translator.unescape` runs over the result: `&lsqb;&lsqb;ns:key&rsqb;&rsqb;`
 *   becomes `[[ns:key]]` again (after translation, so it stays text).
 *
 * It is written with no imports so the browser tests can inject the same function (see
 * `translatorSource`).
 */

export type Namespaces = Record<string, Record<string, unknown>>;

export function createNodeBBTranslator(namespaces: Namespaces): (text: string) => string {
  const NAME_CHAR = /[a-zA-Z0-9\-_./]/;
  const NOT_NAME_CHAR = /[^a-zA-Z0-9\-_./\]]/;
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'', nbsp: '\u00a0' };

  function decodeEntities(text: string): string {
    return text
      .replace(/&#(\d+);?/g, (_m, code: string) => String.fromCharCode(Number(code)))
      .replace(/&#[xX]([A-Fa-f0-9]+);?/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/&([a-zA-Z0-9]+);?/g, (whole, name: string) => named[name] ?? whole);
  }

  function escapeHtml(text: string): string {
    const refs: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
    return text.replace(/[&<>"'`=]/g, c => refs[c] ?? c);
  }

  function lookup(namespace: string, key: string): string | null {
    const table = namespaces[namespace];
    if (!table) {
      return null;
    }
    if (typeof table[key] === 'string') {
      return table[key];
    }
    // Dotted keys may also be nested objects.
    let node: unknown = table;
    for (const part of key.split('.')) {
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    }
    return typeof node === 'string' ? node : null;
  }

  /** Split a token's inner text on top-level commas (not inside nested tokens, not after a backslash). */
  function splitArgs(inner: string): string[] {
    const parts: string[] = [];
    let level = 0;
    let start = 0;
    for (let i = 0; i < inner.length; i += 1) {
      if (inner.startsWith('[[', i)) {
        level += 1;
        i += 1;
      } else if (inner.startsWith(']]', i)) {
        level -= 1;
        i += 1;
      } else if (level === 0 && inner[i] === ',' && inner[i - 1] !== '\\') {
        parts.push(inner.slice(start, i).trim());
        start = i + 1;
      }
    }
    parts.push(inner.slice(start).trim());
    return parts;
  }

  function translateKey(inner: string): string {
    const [name = '', ...args] = splitArgs(inner);
    const colon = name.indexOf(':');
    const namespace = colon < 0 ? name : name.slice(0, colon);
    const key = colon < 0 ? '' : name.slice(colon + 1).split(':')[0] ?? '';
    if (!key) {
      return `[[${namespace}]]`;
    }
    const value = lookup(namespace, key);
    if (value === null) {
      return args.length ? translate(inner) : key;
    }
    let out = value;
    args.forEach((arg, i) => {
      const cleaned = escapeHtml(decodeEntities(arg.replace(/[\s\u00a0]+/g, ' ').trim()));
      const translated = translate(cleaned)
        .replace(/%(?=\d)/g, '&#37;')
        .replace(/\\,/g, '&#44;')
        .replace(/&amp;lsqb;/g, '&lsqb;')
        .replace(/&amp;rsqb;/g, '&rsqb;');
      out = out.split(`%${i + 1}`).join(translated);
    });
    return out;
  }

  /**
   * Where the token opening at `open` (the index of `[[`) ends: the index after its `]]`; or,
   * when it is not a token (its `[[` is plain text), minus the index to look on from.
   */
  function tokenEnd(text: string, open: number): number {
    let i = open + 2;
    let stage = 0; // 0: before name, 1: in namespace, 2: after colon, 3: in key, 4: after first comma
    let level = 0;
    while (i + 2 <= text.length) {
      const c = text[i] ?? '';
      if (stage === 0 && NAME_CHAR.test(c)) {
        stage = 1;
        i += 1;
      } else if (stage === 1 && c === ':') {
        stage = 2;
        i += 1;
      } else if (stage === 2 && NAME_CHAR.test(c)) {
        stage = 3;
        i += 1;
      } else if (stage === 3 && c === ',') {
        stage = 4;
        i += 1;
      } else if (stage < 4 && NOT_NAME_CHAR.test(c)) {
        if (level > 0) {
          level -= 1;
          i += 1;
        } else {
          return -(i + 1);
        }
      } else if (text.startsWith('[[', i)) {
        level += 1;
        i += 2;
      } else if (text.startsWith(']]', i)) {
        if (level === 0) {
          return i + 2;
        }
        level -= 1;
        i += 2;
      } else {
        i += 1;
      }
    }
    return -text.length;
  }

  function translate(text: string): string {
    let out = '';
    let from = 0;
    let open = text.indexOf('[[');
    while (open !== -1) {
      const end = tokenEnd(text, open);
      if (end < 0) {
        open = text.indexOf('[[', -end);
        continue;
      }
      out += text.slice(from, open) + translateKey(text.slice(open + 2, end - 2));
      from = end;
      open = text.indexOf('[[', end);
    }
    return out + text.slice(from);
  }

  return translate;
}

/** NodeBB's `translator.unescape`, which its server runs over every translated page. */
export function unescapeTranslator(text: string): string {
  return text.replace(/&lsqb;&lsqb;([a-zA-Z0-9_.-]+:[a-zA-Z0-9_.-]+)&rsqb;&rsqb;/g, '[[$1]]');
}

/** The translator's source, for injecting into a browser page as `window.createNodeBBTranslator`. */
export function translatorSource(): string {
  return `window.createNodeBBTranslator = ${createNodeBBTranslator.toString()};`;
}
