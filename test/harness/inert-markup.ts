/**
 * Whether text planted in a page stayed text: the page is loaded in Chromium with its scripts
 * running, and compared with the same page rendered from harmless text in the same fields.
 *
 * Payloads call `window.__pwned(label)` (or open a dialog) when they run; a page is inert when
 * none ran, its element tree (tags and attribute names, in order) is the same as the harmless
 * page's, no link or frame points at `javascript:`, and every payload shows as typed (so no
 * translator token in it was expanded).
 */
import type { Browser } from 'playwright-core';

/** What members and staff type, each short enough for a registration number (64 characters). */
export const PAYLOADS: readonly string[] = [
  '<img src=x onerror="__pwned(\'img\')">',
  '<svg onload="__pwned(\'svg\')"></svg>',
  '"><script>__pwned(\'script\')</script>',
  '</script><script>__pwned(\'close\')</script>',
  '\' onmouseover=\'__pwned(1)\' autofocus onfocus=\'__pwned(2)',
  '" onmouseover="__pwned(1)" autofocus onfocus="__pwned(2)',
  '[[harness-core:link, javascript:__pwned(3), tap]]',
  '&#91;&#91;harness-core:link, javascript:__pwned(4), x&#93;&#93;',
  '[[physician-network:verification.title]]',
  'javascript:__pwned(\'href\')',
];

/** Harmless text of the same kind, for the page to compare with. */
export const HARMLESS = 'Plain text';

export interface PageShape {
  /** One line per element: tag and attribute names. */
  elements: string[];
  /** Every text node and attribute value, joined by newlines. */
  text: string;
  /** href/src/action/formaction values that are not http(s), relative or fragment links. */
  scriptedLinks: string[];
  /** Labels passed to __pwned, and dialogs opened. */
  ran: string[];
}

/** Load HTML in a fresh page, let its scripts and autofocus run, and describe what it became. */
export async function loadAndDescribe(browser: Browser, html: string): Promise<PageShape> {
  const page = await browser.newPage();
  const ran: string[] = [];
  page.on('dialog', (dialog) => {
    ran.push(`dialog:${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.exposeFunction('__pwned', (label: unknown) => { ran.push(String(label)); });
  // No network: every relative src fails at once (which is what onerror payloads need).
  await page.route('**/*', route => route.abort());
  try {
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"></head><body>${html}</body></html>`, { waitUntil: 'load' });
    // Hover and focus everything, so event-handler payloads get their chance.
    await page.evaluate(() => {
      for (const element of Array.from(document.body.querySelectorAll('*'))) {
        element.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
        if (element instanceof HTMLElement) {
          element.focus();
        }
      }
    });
    await page.waitForTimeout(50);
    const described = await page.evaluate(() => {
      const elements: string[] = [];
      const texts: string[] = [];
      const scriptedLinks: string[] = [];
      for (const element of Array.from(document.body.querySelectorAll('*'))) {
        elements.push(`${element.tagName.toLowerCase()}[${element.getAttributeNames().sort().join(' ')}]`);
        for (const name of element.getAttributeNames()) {
          const value = element.getAttribute(name) ?? '';
          texts.push(value);
          if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name) && /^\s*[a-z][a-z0-9+.-]*:/i.test(value) && !/^\s*https?:/i.test(value)) {
            scriptedLinks.push(`${name}=${value}`);
          }
        }
        if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
          texts.push(element.value);
        }
      }
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        texts.push(node.nodeValue ?? '');
      }
      return { elements, text: texts.join('\n'), scriptedLinks };
    });
    return { ...described, ran };
  } finally {
    await page.close();
  }
}

/** Everything wrong with a page rendered from `payload`, compared with the same page from harmless text. */
export async function injectionProblems(browser: Browser, payload: string, planted: string, harmless: string): Promise<string[]> {
  const [bad, good] = await Promise.all([loadAndDescribe(browser, planted), loadAndDescribe(browser, harmless)]);
  const problems: string[] = [];
  if (bad.ran.length) {
    problems.push(`payload ran: ${bad.ran.join(', ')}`);
  }
  if (bad.scriptedLinks.length) {
    problems.push(`scripted links: ${bad.scriptedLinks.join(', ')}`);
  }
  const extra = bad.elements.filter((line, i) => good.elements[i] !== line);
  if (bad.elements.length !== good.elements.length || extra.length) {
    problems.push(`element tree differs from the harmless page: ${bad.elements.length} vs ${good.elements.length} elements; first difference ${extra[0] ?? '(missing elements)'}`);
  }
  if (!bad.text.includes(payload)) {
    problems.push('the payload is not shown as typed (changed or translated)');
  }
  return problems;
}
