/**
 * Stand-ins for the seminar form page and topic-page tests, over the real test database with
 * NodeBB's own key layout (`category:<cid>`, `topic:<tid>`, `post:<pid>`), returning fields
 * the way NodeBB does: category names and topic titles HTML-escaped, `titleRaw` with only
 * translator patterns escaped. Plus a response that records what a controller did.
 */
import type { Request, Response } from 'express';

import { provideForTests } from '../../lib/nodebb';
import type { CategoriesModule, PostsModule, TopicsModule } from '../../lib/nodebb';
import type { RedisTestDatabase } from './redis-db';

/** validator.escape, as NodeBB applies it to category names and topic titles. */
export function htmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/\//g, '&#x2F;').replace(/\\/g, '&#x5C;').replace(/`/g, '&#96;');
}

/** translator.escape */
export function translatorEscape(text: string): string {
  return text.replace(/\[\[([a-zA-Z0-9_.-]+:[a-zA-Z0-9_.-]+)\]\]/g, '&lsqb;&lsqb;$1&rsqb;&rsqb;');
}

function notHere(): never {
  throw new Error('not in the seminar form stand-in');
}

export function provideSeminarFormStandIns(db: RedisTestDatabase, notAllowed: (status: number) => void): void {
  const categories: CategoriesModule = {
    getCategoryFields: async (cid, fields) => {
      const raw = (await db.getObject(`category:${cid}`)) ?? {};
      return Object.fromEntries(fields.map(field => [field, field === 'name' ? htmlEscape(String(raw[field] ?? '')) : raw[field]]));
    },
    exists: notHere, create: notHere, setCategoryField: notHere, update: notHere, getWatchState: notHere,
    watchStates: { ignoring: 1, notwatching: 2, tracking: 3, watching: 4 },
  };
  const topics: TopicsModule = {
    getTopicFields: async (tid, fields) => {
      const raw = (await db.getObject(`topic:${tid}`)) ?? {};
      const title = String(raw.title ?? '');
      const out: Record<string, unknown> = {};
      for (const field of fields) {
        out[field] = field === 'title' ? translatorEscape(htmlEscape(title)) : field === 'titleRaw' ? translatorEscape(title) : raw[field];
      }
      return out;
    },
    getTopicField: async (tid, field) => db.getObjectField(`topic:${tid}`, field),
    tools: { move: notHere },
    post: notHere,
    purgePostsAndTopic: notHere,
  };
  const posts: PostsModule = {
    getPostField: async (pid, field) => db.getObjectField(`post:${pid}`, field),
    getPostFields: async (pid, fields) => db.getObjectFields(`post:${pid}`, fields),
    edit: notHere,
  };
  provideForTests({
    categories,
    topics,
    posts,
    nconf: { get: (key: string) => ({ url: 'https://forum.example.org', relative_path: '', runJobs: true } as Record<string, unknown>)[key] },
    controllerHelpers: {
      formatApiResponse: notHere,
      notAllowed: async (_req, res) => { notAllowed(res.statusCode); },
      buildBreadcrumbs: crumbs => crumbs,
    },
  });
}

export interface RecordedResponse {
  res: Response;
  rendered: { template: string; data: Record<string, unknown> } | null;
  statusCode: number;
}

/** A response that records render() and status(); locals as NodeBB's page routes leave them. */
export function recordingResponse(locals: Record<string, unknown> = {}): RecordedResponse {
  const record: RecordedResponse = { res: null as unknown as Response, rendered: null, statusCode: 200 };
  const res = {
    locals,
    get statusCode() { return record.statusCode; },
    status(code: number) { record.statusCode = code; return res; },
    render(template: string, data: Record<string, unknown>) { record.rendered = { template, data }; },
  };
  record.res = res as unknown as Response;
  return record;
}

export function pageRequest(uid: number, options: { params?: Record<string, string>; query?: Record<string, string>; cookies?: Record<string, string> } = {}): Request {
  return { uid, params: options.params ?? {}, query: options.query ?? {}, cookies: options.cookies ?? {} } as unknown as Request;
}
