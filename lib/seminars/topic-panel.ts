/**
 * A seminar's topic page (filter:topic.build, which NodeBB fires for the HTML page and for
 * its /api JSON alike):
 * - marks the page as a seminar (`physicianNetworkSeminar`), so the client panel asks the
 *   API for details only on seminar topics;
 * - for public seminars (guests may read the category), puts schema.org Event JSON-LD in
 *   the server-rendered HTML for search engines.
 *
 * The JSON-LD goes in `res.locals.postHeader`, which NodeBB's renderer places right after
 * the header, untranslated (header and page are run through the translator; this is not,
 * so `[[…]]` in a title stays as typed). It is only read for HTML pages, never for /api.
 */
import type { Request, Response } from 'express';

import { log } from '../nodebb';
import { forumUrl } from '../common/http';
import { getSeminar } from './store';
import { canViewSeminar } from './policy';
import { jsonLdScriptBody, seminarJsonLd } from './jsonld';

export interface TopicBuildData {
  req: Request;
  res: Response;
  templateData: Record<string, unknown>;
}

const DESCRIPTION_MAX = 500;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'', nbsp: ' ' };

/** The first post's parsed HTML as short plain text for the event's description. */
export function plainDescription(html: string): string {
  const text = html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
      if (entity.startsWith('#x') || entity.startsWith('#X')) {
        return String.fromCodePoint(parseInt(entity.slice(2), 16));
      }
      if (entity.startsWith('#')) {
        return String.fromCodePoint(Number(entity.slice(1)));
      }
      return ENTITIES[entity.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > DESCRIPTION_MAX ? `${text.slice(0, DESCRIPTION_MAX - 1).trimEnd()}…` : text;
}

function mainPostContent(templateData: Record<string, unknown>): string {
  const posts = Array.isArray(templateData.posts) ? templateData.posts as Record<string, unknown>[] : [];
  const main = posts.find(post => Number(post.index) === 0);
  return typeof main?.content === 'string' ? main.content : '';
}

/** filter:topic.build */
export async function addSeminarToTopicPage(data: TopicBuildData): Promise<TopicBuildData> {
  const tid = Number(data.templateData.tid);
  if (!Number.isInteger(tid) || tid <= 0) {
    return data;
  }
  try {
    const seminar = await getSeminar(tid);
    if (!seminar || seminar.hidden) {
      return data;
    }
    data.templateData.physicianNetworkSeminar = { tid };
    const locals = data.res.locals as { isAPI?: boolean; postHeader?: string };
    // Public seminars only: a guest (uid 0) must be able to read the category.
    if (locals.isAPI || !await canViewSeminar(seminar, 0)) {
      return data;
    }
    const description = plainDescription(mainPostContent(data.templateData));
    const body = jsonLdScriptBody(seminarJsonLd(seminar, { baseUrl: forumUrl(), ...(description ? { description } : {}) }));
    locals.postHeader = `${locals.postHeader ?? ''}<script type="application/ld+json" data-physician-network="seminar">${body}</script>`;
  } catch (err) {
    // A topic page must never fail because of its seminar details.
    log.error(`seminar details for topic ${tid}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return data;
}
