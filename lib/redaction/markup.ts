/**
 * Is this upload markup a browser could run script from? Judged from the bytes as a browser
 * would read them: decoded (UTF-8, UTF-16 LE/BE with or without a byte order mark, or the
 * encoding its XML declaration names), then parsed as XML with saxes far enough to know the
 * root element and every namespace in use, whatever the prolog (comments, processing
 * instructions, a DOCTYPE with an internal subset) or prefix (`svg:svg`).
 *
 * Bounded: only the first MARKUP_SCAN_BYTES are decoded and parsed; markup that cannot be
 * judged within them is refused, never guessed at. saxes expands no DTD entity, so an
 * entity-expansion bomb stays a few bytes long.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';

/** How much of a file is decoded and parsed. Larger markup that still needs judging is refused. */
export const MARKUP_SCAN_BYTES = 4 * 1024 * 1024;

export type ActiveMarkupReason =
  /** A page: the HTML parser would run it (doctype html, or a tag browsers sniff as HTML first). */
  | 'html'
  /** An element or namespace declaration in the XHTML, SVG, MathML, XSLT, XLink, XML Events or XUL namespace. */
  | 'scriptable-namespace'
  /** `<?xml-stylesheet?>`: XSLT can turn any XML into a scripted page. */
  | 'stylesheet'
  /** A DOCTYPE internal subset: its entities and default attributes change the document in ways we do not expand. */
  | 'internal-subset'
  /** UTF-32, EBCDIC or a declared encoding no browser decoder knows: not decoded, so not judged. */
  | 'undecodable'
  /** Declares namespaces yet is not well-formed: which elements a browser would build cannot be known. */
  | 'malformed'
  /** Still undecided after MARKUP_SCAN_BYTES. */
  | 'too-long';

export type MarkupVerdict =
  /** Not markup: binary, or text that does not start with a tag. */
  | { kind: 'none' }
  /** XML a browser can only show as a tree. */
  | { kind: 'inert' }
  /** An SVG image (root `svg` in the SVG namespace or none): the SVG setting decides. */
  | { kind: 'svg' }
  | { kind: 'active'; reason: ActiveMarkupReason };

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Namespaces whose elements or attributes a browser turns into something that can run script or navigate. */
const SCRIPTABLE_NAMESPACES = new Set([
  'http://www.w3.org/1999/xhtml',
  SVG_NS,
  'http://www.w3.org/1998/Math/MathML',
  'http://www.w3.org/1999/XSL/Transform',
  'http://www.w3.org/1999/xlink',
  'http://www.w3.org/2001/xml-events',
  'http://www.mozilla.org/keymaster/gatekeeper/there.is.only.xul',
]);

/**
 * The tags a browser sniffs as HTML (WHATWG MIME Sniffing, "rules for identifying an unknown
 * MIME type"), plus the two foreign roots an HTML parser also turns into scriptable elements.
 */
const HTML_FIRST_TAGS = new Set(['html', 'head', 'script', 'iframe', 'h1', 'div', 'font', 'table', 'a', 'style', 'title', 'b', 'body', 'br', 'p', 'svg', 'math']);

const PARSE_CHUNK_CHARS = 64 * 1024;

interface Decoded {
  text: string;
}

type Decoding = Decoded | 'undecodable' | 'none';

function isAsciiSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** The first code unit that is not whitespace, read as UTF-16 of the given byte order. */
function firstUtf16Char(bytes: Uint8Array, start: number, littleEndian: boolean): number | undefined {
  for (let i = start; i + 1 < bytes.length && i < start + 256; i += 2) {
    const unit = littleEndian ? (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) : ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
    if (!isAsciiSpace(unit)) {
      return unit;
    }
  }
  return undefined;
}

function startsWithBytes(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((value, i) => bytes[i] === value);
}

function decode(bytes: Uint8Array, encoding: string, skip: number): Decoded {
  return { text: new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes.subarray(skip)) };
}

/** The encoding label of an XML declaration at the very start, if any. */
function declaredEncoding(bytes: Uint8Array, skip: number): string | undefined {
  const head = Buffer.from(bytes.subarray(skip, skip + 256)).toString('latin1');
  const declaration = /^<\?xml\s[^?>]*?encoding\s*=\s*(["'])([^"']*)\1/.exec(head);
  return declaration?.[2];
}

/**
 * Decode as a browser would: a byte order mark first, then UTF-16 recognised by its zero
 * bytes around `<` (XML 1.0, appendix F), then the XML declaration's label, else UTF-8.
 * UTF-32 and EBCDIC markup, and labels TextDecoder (the WHATWG Encoding Standard browsers
 * implement) does not know, are 'undecodable'.
 */
function decodeMarkup(bytes: Uint8Array): Decoding {
  if (startsWithBytes(bytes, [0x00, 0x00, 0xfe, 0xff]) || startsWithBytes(bytes, [0xff, 0xfe, 0x00, 0x00])
    || startsWithBytes(bytes, [0x00, 0x00, 0x00, 0x3c]) || startsWithBytes(bytes, [0x3c, 0x00, 0x00, 0x00])
    || startsWithBytes(bytes, [0x4c, 0x6f, 0xa7, 0x94])) {
    return 'undecodable';
  }
  if (startsWithBytes(bytes, [0xfe, 0xff])) {
    return decode(bytes, 'utf-16be', 2);
  }
  if (startsWithBytes(bytes, [0xff, 0xfe])) {
    return decode(bytes, 'utf-16le', 2);
  }
  if (bytes[0] === 0x00 && firstUtf16Char(bytes, 0, false) === 0x3c) {
    return decode(bytes, 'utf-16be', 0);
  }
  if (bytes[1] === 0x00 && bytes[0] !== 0x00 && firstUtf16Char(bytes, 0, true) === 0x3c) {
    return decode(bytes, 'utf-16le', 0);
  }
  const skip = startsWithBytes(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  let first = skip;
  while (first < bytes.length && isAsciiSpace(bytes[first])) {
    first++;
  }
  if (bytes[first] !== 0x3c) {
    return 'none';
  }
  const label = skip === 0 ? declaredEncoding(bytes, 0) : undefined;
  if (label === undefined) {
    return decode(bytes, 'utf-8', skip);
  }
  let encoding: string;
  try {
    encoding = new TextDecoder(label).encoding;
  } catch {
    return 'undecodable';
  }
  // A UTF-16 label over bytes that are not UTF-16 contradicts itself: no guess which is true.
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    return 'undecodable';
  }
  return decode(bytes, encoding, 0);
}

const SKIPPED_BEFORE_FIRST_TAG = /\s*(?:<!--[\s\S]*?-->|<\?[^>]*>|<![^>]*>)/y;
const HTML_DOCTYPE = /\s*<!doctype\s+html[\s>]/iy;
const FIRST_TAG = /\s*<([a-z][a-z0-9]*)[\s/>]/iy;

/** The first tag after whitespace, comments, processing instructions and doctypes, as an HTML parser skips them. */
function looksLikeHtml(text: string): boolean {
  // Sticky expressions walk the text by index: no copy of a long prolog per comment.
  let index = 0;
  for (;;) {
    HTML_DOCTYPE.lastIndex = index;
    if (HTML_DOCTYPE.test(text)) {
      return true;
    }
    SKIPPED_BEFORE_FIRST_TAG.lastIndex = index;
    if (!SKIPPED_BEFORE_FIRST_TAG.test(text)) {
      break;
    }
    index = SKIPPED_BEFORE_FIRST_TAG.lastIndex;
  }
  FIRST_TAG.lastIndex = index;
  const tag = FIRST_TAG.exec(text);
  return tag !== null && HTML_FIRST_TAGS.has((tag[1] ?? '').toLowerCase());
}

/**
 * The markup re-encoded as UTF-8, its XML declaration saying so, for a renderer (librsvg) that
 * reads only UTF-8; null when it cannot be decoded.
 */
export function markupAsUtf8(bytes: Uint8Array): Buffer | null {
  const decoded = decodeMarkup(bytes);
  if (decoded === 'none' || decoded === 'undecodable') {
    return null;
  }
  const text = decoded.text.replace(/^\uFEFF/, '').replace(/^(<\?xml\s[^?>]*?encoding\s*=\s*)(["'])[^"']*\2/, '$1$2UTF-8$2');
  return Buffer.from(text, 'utf8');
}

interface XmlFindings {
  rootName?: string;
  root?: SaxesTagNS;
  errorBeforeRoot: boolean;
  errors: number;
  internalSubset: boolean;
  stylesheet: boolean;
  scriptableNamespace: boolean;
}

function usesScriptableNamespace(tag: SaxesTagNS): boolean {
  // Every namespace in use was declared on some element, so the declarations would do; the element
  // and its attributes are checked as well. Loops, not Object.values: this runs for every element.
  if (SCRIPTABLE_NAMESPACES.has(tag.uri)) {
    return true;
  }
  for (const prefix in tag.ns) {
    if (SCRIPTABLE_NAMESPACES.has(tag.ns[prefix] ?? '')) {
      return true;
    }
  }
  for (const name in tag.attributes) {
    if (SCRIPTABLE_NAMESPACES.has(tag.attributes[name]?.uri ?? '')) {
      return true;
    }
  }
  return false;
}

/**
 * Parse with saxes. Without any `xmlns` in the text no element can be in a namespace, so the
 * prolog and the root's name are enough and parsing stops there; otherwise every element is seen.
 */
function parseXml(text: string, declaresNamespaces: boolean, truncated: boolean): XmlFindings {
  const findings: XmlFindings = {
    errorBeforeRoot: false, errors: 0, internalSubset: false, stylesheet: false, scriptableNamespace: false,
  };
  const parser = new SaxesParser({ xmlns: true, position: false });
  parser.on('error', () => {
    findings.errors++;
    if (findings.root === undefined) {
      findings.errorBeforeRoot = true;
    }
  });
  parser.on('doctype', (doctype) => {
    if (doctype.includes('[')) {
      findings.internalSubset = true;
    }
  });
  parser.on('processinginstruction', ({ target }) => {
    if (target.toLowerCase() === 'xml-stylesheet') {
      findings.stylesheet = true;
    }
  });
  parser.on('opentagstart', (tag) => {
    findings.rootName ??= tag.name;
  });
  parser.on('opentag', (tag) => {
    findings.root ??= tag;
    if (usesScriptableNamespace(tag)) {
      findings.scriptableNamespace = true;
    }
  });
  for (let offset = 0; offset < text.length; offset += PARSE_CHUNK_CHARS) {
    parser.write(text.slice(offset, offset + PARSE_CHUNK_CHARS));
    if (findings.scriptableNamespace || (!declaresNamespaces && findings.rootName !== undefined)) {
      return findings;
    }
  }
  if (!truncated) {
    // The end of the text is the end of the document (not of what was read): unclosed elements are errors.
    parser.close();
  }
  return findings;
}

function isSvgRoot(findings: XmlFindings): boolean {
  if (findings.root) {
    return findings.root.local === 'svg' && (findings.root.uri === SVG_NS || findings.root.uri === '');
  }
  // The root's start tag broke off (an error, or the end of what was read): judge by its name.
  return findings.rootName?.split(':').pop() === 'svg';
}

/** Judge the markup at the start of `bytes` (a whole file, or at least its first MARKUP_SCAN_BYTES + 1 bytes). */
export function judgeMarkup(bytes: Uint8Array): MarkupVerdict {
  const truncated = bytes.length > MARKUP_SCAN_BYTES;
  const decoded = decodeMarkup(bytes.subarray(0, MARKUP_SCAN_BYTES));
  if (decoded === 'none') {
    return { kind: 'none' };
  }
  if (decoded === 'undecodable') {
    return { kind: 'active', reason: 'undecodable' };
  }
  const text = decoded.text.replace(/^\uFEFF/, '');
  if (!text.trimStart().startsWith('<')) {
    return { kind: 'none' };
  }
  const declaresNamespaces = text.includes('xmlns');
  const findings = parseXml(text, declaresNamespaces, truncated);
  if (isSvgRoot(findings)) {
    return { kind: 'svg' };
  }
  if (findings.internalSubset) {
    return { kind: 'active', reason: 'internal-subset' };
  }
  if (findings.stylesheet) {
    return { kind: 'active', reason: 'stylesheet' };
  }
  if (findings.scriptableNamespace) {
    return { kind: 'active', reason: 'scriptable-namespace' };
  }
  if (looksLikeHtml(text)) {
    return { kind: 'active', reason: 'html' };
  }
  if (findings.errorBeforeRoot && !declaresNamespaces) {
    // Not XML: a browser reading it as XML stops before any element, and it is no HTML either.
    return { kind: 'none' };
  }
  if (truncated) {
    // What follows the scanned bytes could declare any namespace: markup this long is not judged.
    return { kind: 'active', reason: 'too-long' };
  }
  if (declaresNamespaces && findings.errors > 0) {
    return { kind: 'active', reason: 'malformed' };
  }
  return { kind: 'inert' };
}
