/**
 * Which images a post's source text (markdown, possibly with HTML) brings along. Pure text
 * functions, so the post queue, the clinical confirmation and the edit checks share one reading.
 */

/** Extensions of files a browser (or a download) shows as a picture. */
const IMAGE_EXTENSIONS = ['apng', 'avif', 'bmp', 'gif', 'heic', 'heif', 'ico', 'jfif', 'jpe', 'jpeg', 'jpg', 'png', 'svg', 'tif', 'tiff', 'webp'];

// <img …>, up to its end or the next tag: stopping at "<" keeps the search linear.
const HTML_IMAGE = /<img\b[^<>]*>?/gi;
const IMAGE_PATH = new RegExp(`\\.(?:${IMAGE_EXTENSIONS.join('|')})$`, 'i');
const HTML_SRC = /\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The sources of every image the text shows: markdown images (inline and reference-style)
 * and HTML <img> tags. An <img> without a readable src counts with its whole tag, so it is
 * never overlooked.
 */
export function imagesShown(content: unknown): string[] {
  if (typeof content !== 'string' || content === '') {
    return [];
  }
  const found = markdownImages(content);
  for (const match of content.matchAll(HTML_IMAGE)) {
    const src = HTML_SRC.exec(match[0]);
    found.push(src ? src[1] ?? src[2] ?? src[3] ?? '' : match[0]);
  }
  return found;
}

/**
 * Markdown images, found in one pass over the text (a regular expression with an open-ended
 * alt text takes quadratic time on text like "![![![…", which a post may be): every "[" is
 * pushed, every "]" closes the latest open one, and a closed "![…]" followed by "(" or "[" is
 * an image. Brackets may nest in the alt text, as CommonMark allows; backslash escapes count.
 */
function markdownImages(content: string): string[] {
  const found: string[] = [];
  const open: { image: boolean; start: number }[] = [];
  let escaped = -1;
  for (let i = 0; i < content.length; i++) {
    const char = content[i];
    if (char === '\\') {
      escaped = ++i;
      continue;
    }
    if (char === '[') {
      open.push({ image: content[i - 1] === '!' && escaped !== i - 1, start: i + 1 });
      continue;
    }
    if (char !== ']') {
      continue;
    }
    const closed = open.pop();
    if (!closed?.image) {
      continue;
    }
    const next = content[i + 1];
    if (next === '(') {
      // ![alt](url "title") and ![alt](<url>): the url is what we keep.
      // Only the first 2 KiB are read, so a run of "![](" cannot make this quadratic.
      const url = /^\(\s*<?([^)\s>]*)/.exec(content.slice(i + 1, i + 2048));
      const source = url?.[1] ?? '';
      found.push(source !== '' ? source : `![${content.slice(closed.start, i)}]`);
    } else if (next === '[') {
      // ![alt][ref] and ![alt][]: the url is defined elsewhere; the reference names the image.
      const end = content.indexOf(']', i + 2);
      const ref = end < 0 ? '' : content.slice(i + 2, end);
      found.push(`[${(ref || content.slice(closed.start, i)).toLowerCase()}]`);
    }
  }
  return found;
}

/**
 * Links to files uploaded to this forum whose path names an image: `[scan](/assets/uploads/files/x.jpg)`,
 * a bare URL, or an HTML link, with or without the forum's address or relative path in front.
 * `uploadUrl` is NodeBB's upload_url (by default /assets/uploads).
 */
export function uploadedImageLinks(content: unknown, uploadUrl = '/assets/uploads'): string[] {
  if (typeof content !== 'string' || content === '') {
    return [];
  }
  // Each candidate runs to the next space, quote, bracket or angle bracket (one linear pass);
  // its query or fragment and any sentence punctuation after it are then cut off.
  const candidate = new RegExp(`${escapeRegExp(uploadUrl.replace(/\/+$/, ''))}/[^\\s"'<>()\\[\\]]*`, 'g');
  const found: string[] = [];
  for (const [match] of content.matchAll(candidate)) {
    const path = match.replace(/[?#].*$/, '').replace(/[.,;:!]+$/, '');
    if (IMAGE_PATH.test(path)) {
      found.push(path);
    }
  }
  return found;
}

/** True when the post carries an image: shown (markdown or HTML) or linked as an uploaded image file. */
export function containsImage(content: unknown, uploadUrl = '/assets/uploads'): boolean {
  return imagesShown(content).length > 0 || uploadedImageLinks(content, uploadUrl).length > 0;
}

/** Images the new text shows that the old one did not (by source), for edits. */
export function imagesAdded(oldContent: unknown, newContent: unknown): string[] {
  const before = new Set(imagesShown(oldContent));
  return imagesShown(newContent).filter(source => !before.has(source));
}

/** Images (shown or linked uploads) the new text carries that the old one did not, for edits. */
export function imagesOrUploadsAdded(oldContent: unknown, newContent: unknown, uploadUrl = '/assets/uploads'): string[] {
  const before = new Set([...imagesShown(oldContent), ...uploadedImageLinks(oldContent, uploadUrl)]);
  return [...imagesShown(newContent), ...uploadedImageLinks(newContent, uploadUrl)].filter(source => !before.has(source));
}
