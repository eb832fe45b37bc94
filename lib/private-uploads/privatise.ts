/**
 * Moves uploads that posts in closed or clinical categories already show out of NodeBB's public
 * folder into private storage: the upgrade script for forums that ran before this plugin
 * version, and the same step when a topic moves from an open into a closed category.
 *
 * Per file: copy it (and its resized copy) privately under a random name, record it, rewrite
 * every post that shows it, update the references, and only then delete the public copies.
 * A hash maps each old name to its new one, so a run that stops halfway resumes where it was:
 * files already copied are not copied again, posts already rewritten show no old address, and
 * running it twice changes nothing.
 */
import { access, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { log, nodebb } from '../nodebb';
import { isClosedCategory } from './destination';
import { PRIVATE_FOLDER, privateUploadPath, randomFileName, relativePath, uploadUrl } from './names';
import { allCids, categoryTids, coreUploaderOf, corePostsShowing, createRecord, movedName, recordMoved, setPostContent, topicReplyPids } from './store';
import { syncPost } from './references';
import { writePrivateFile } from './storage';

export interface MovedUpload {
  /** The old path under upload_url (`/files/…`). */
  from: string;
  /** The new private address's path under upload_url. */
  to: string;
  pids: number[];
}

export interface PrivatiseReport {
  postsChecked: number;
  moved: MovedUpload[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Public post uploads a text shows: names under `<upload_url>/files/`, resized copies folded into their original. */
export function publicUploadsIn(text: string): string[] {
  const pattern = new RegExp(`${escapeRegExp(uploadUrl())}/files/([^\\s"')\\]/?#]+)`, 'g');
  const names = new Set<string>();
  for (const match of text.matchAll(pattern)) {
    const name = match[1];
    if (name && name !== PRIVATE_FOLDER) {
      names.add(name.replace(/-resized(\.[^.]+)$/, '$1'));
    }
  }
  return [...names];
}

function publicFile(name: string): string | null {
  const uploadPath = nodebb.nconf.get('upload_path');
  if (typeof uploadPath !== 'string' || uploadPath === '') {
    return null;
  }
  const folder = resolve(uploadPath, 'files');
  const file = resolve(folder, name);
  return file.startsWith(`${folder}/`) ? file : null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function withResized(name: string): string {
  return nodebb.file.appendToFileName(name, '-resized');
}

/** The uploader NodeBB recorded (`upload:<md5(path)>` uid), else the post's author. */
async function uploaderOf(name: string, authorUid: number): Promise<number> {
  return await coreUploaderOf(name) || authorUid;
}

/** Every post NodeBB knows to show the file, plus the one at hand. */
async function postsShowing(name: string, pid: number): Promise<number[]> {
  return [...new Set([pid, ...await corePostsShowing(name)])];
}

async function judgedExtension(path: string, name: string): Promise<{ extension: string; mime: string }> {
  const { fileTypeFromFile } = await import('file-type');
  const found = await fileTypeFromFile(path);
  const dot = name.lastIndexOf('.');
  return found ? { extension: `.${found.ext}`, mime: found.mime } : { extension: dot > 0 ? name.slice(dot).toLowerCase() : '', mime: 'application/octet-stream' };
}

/** Copies the public file (and its resized copy) privately once; the new name, or null if there is nothing to move. */
async function copyOnce(name: string, authorUid: number): Promise<string | null> {
  const done = await movedName(name);
  if (done) {
    return done;
  }
  const source = publicFile(name);
  if (!source || !await exists(source)) {
    return null;
  }
  const { extension, mime } = await judgedExtension(source, name);
  const newName = randomFileName(extension);
  const id = newName.slice(0, 32);
  await writePrivateFile(source, newName);
  const resizedSource = publicFile(withResized(name));
  if (resizedSource && await exists(resizedSource)) {
    await writePrivateFile(resizedSource, withResized(newName));
  }
  await createRecord(id, { uid: await uploaderOf(name, authorUid), extension, mime });
  // Recorded last: a crash before this line leaves an unrecorded private copy, copied again next run.
  await recordMoved(name, newName);
  return newName;
}

/** The neutral link text, in the forum's default language (an upgrade has no member to ask). */
export async function neutralWords(): Promise<{ image: string; file: string }> {
  const language = typeof nodebb.meta.config.defaultLang === 'string' ? nodebb.meta.config.defaultLang : 'en-GB';
  for (const candidate of [language, 'en-GB']) {
    try {
      const strings = JSON.parse(await readFile(join(__dirname, '..', '..', '..', 'languages', candidate.replace(/[^\w-]/g, ''), 'physician-network.json'), 'utf8')) as Record<string, unknown>;
      const image = strings['redaction.neutral-image-name'];
      const file = strings['redaction.neutral-file-name'];
      if (typeof image === 'string' && typeof file === 'string') {
        return { image, file };
      }
    } catch {
      // That language is not shipped: try the default.
    }
  }
  return { image: 'image', file: 'file' };
}

/**
 * Points the post at the new address, and replaces the text of links and images that show the
 * file (NodeBB's composer put the member's file name there) with the neutral word.
 */
export function rewrite(content: string, name: string, newName: string, words: { image: string; file: string }): string {
  const oldBase = `${uploadUrl()}/files/`;
  const newBase = `${uploadUrl()}${privateUploadPath('')}`;
  const target = `${escapeRegExp(oldBase)}(?:${escapeRegExp(withResized(name))}|${escapeRegExp(name)})`;
  const labelled = new RegExp(`(!?)\\[[^\\]\\n]*\\]\\((\\S*?${target})`, 'g');
  return content
    .replace(labelled, (_match, bang: string, url: string) => `${bang}[${bang ? words.image : words.file}](${url}`)
    .split(`${oldBase}${withResized(name)}`).join(`${newBase}${withResized(newName)}`)
    .split(`${oldBase}${name}`).join(`${newBase}${newName}`);
}

async function rewritePost(pid: number, name: string, newName: string, words: { image: string; file: string }): Promise<boolean> {
  const content = await nodebb.posts.getPostField(pid, 'content');
  if (typeof content !== 'string') {
    return false;
  }
  const changed = rewrite(content, name, newName, words);
  if (changed === content) {
    return false;
  }
  await setPostContent(pid, changed);
  // NodeBB caches parsed posts per process: drop this one here and in the other processes.
  nodebb.pubsub.publish('post:edit', String(pid));
  return true;
}

/** Moves the public uploads one post shows into private storage, rewriting every post that shows them. */
export async function privatisePost(pid: number): Promise<MovedUpload[]> {
  const post = await nodebb.posts.getPostFields(pid, ['content', 'uid']);
  const content = typeof post?.content === 'string' ? post.content : '';
  const moved: MovedUpload[] = [];
  const words = await neutralWords();
  for (const name of publicUploadsIn(content)) {
    const newName = await copyOnce(name, Number(post?.uid) || 0);
    if (!newName) {
      continue;
    }
    const pids: number[] = [];
    for (const showing of await postsShowing(name, pid)) {
      if (await rewritePost(showing, name, newName, words)) {
        pids.push(showing);
      }
      await syncPost(showing);
    }
    for (const file of [publicFile(name), publicFile(withResized(name))]) {
      if (file) {
        await rm(file, { force: true });
      }
    }
    moved.push({ from: `/files/${name}`, to: privateUploadPath(newName), pids });
    log.info(`private uploads: moved ${uploadUrl()}/files/${name} to ${relativePath()}${uploadUrl()}${privateUploadPath(newName)} (posts ${pids.join(', ') || 'none changed'})`);
  }
  return moved;
}

async function topicPids(tid: number): Promise<number[]> {
  const [mainPid, replies] = await Promise.all([
    nodebb.topics.getTopicField(tid, 'mainPid'),
    topicReplyPids(tid),
  ]);
  return [Number(mainPid), ...replies.map(Number)].filter(n => Number.isInteger(n) && n > 0);
}

/** A topic's public uploads into private storage (when it moves into a closed category). */
export async function privatiseTopic(tid: number): Promise<MovedUpload[]> {
  const moved: MovedUpload[] = [];
  for (const pid of await topicPids(tid)) {
    moved.push(...await privatisePost(pid));
  }
  return moved;
}

/** Every closed or clinical category's topics, deleted ones included. */
export async function privatiseExistingUploads(onPost?: (checked: number) => void): Promise<PrivatiseReport> {
  const cids = await allCids();
  const report: PrivatiseReport = { postsChecked: 0, moved: [] };
  for (const cid of cids) {
    if (!await isClosedCategory(cid)) {
      continue;
    }
    const tids = await categoryTids(cid);
    for (const tid of tids) {
      for (const pid of await topicPids(tid)) {
        report.moved.push(...await privatisePost(pid));
        report.postsChecked += 1;
        onPost?.(report.postsChecked);
      }
    }
  }
  return report;
}
