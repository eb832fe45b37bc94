/**
 * The seminar use cases, caller first (NodeBB core's src/api style): each starts with the
 * policy check (policy.ts), then does the work. Routes parse the request and shape the answer;
 * nothing here reads a request except to hand it to core's own API, which wants it.
 */
import type { Request } from 'express';

import { nodebb } from '../nodebb';
import { forumUrl } from '../common/http';
import { UserFacingError } from '../common/user-error';
import { isOfferedSpecialty } from '../specialties/taxonomy';
import { canCreate, canEditSeminar, editableSeminar, readableSeminar } from './policy';
import { seminarCategoryCids } from './provision';
import { validateSeminarInput } from './validation';
import { plainTitle, type Seminar, type SeminarTopic } from './model';
import {
  discardPendingSeminar, holdPendingSeminar, markPendingQueued, publishPendingSeminar, SEMINAR_PENDING_FIELD,
} from './pending';
import { cancelAndNotify, saveValidatedSeminar } from './save';
import { getRsvpCounts, getRsvpState, removeRsvp, setRsvp, type RsvpResult } from './rsvp';
import { notifyPromoted } from './reminders';
import {
  getFeedSpecialties, hasFeedToken, regenerateFeedToken, revokeFeedToken, setFeedSpecialties,
} from './feed';
import { seminarView } from './view';
import type { CreatedSeminar, PublishedSeminar, RsvpAnswer, SeminarDetails } from '../shared/seminar-shapes';

export type { CreatedSeminar, PublishedSeminar, RsvpAnswer, SeminarDetails } from '../shared/seminar-shapes';
export { submitSeminar, saveValidatedSeminar, cancelAndNotify, type SubmittedSeminar } from './save';

/** Who is asking: their uid, and the request core's own API (topic create, post edit) wants. */
export interface Caller {
  uid: number;
  req: Request;
}

export interface SeminarCategory {
  cid: number;
  /** As NodeBB's categories module returns it: HTML-escaped (and possibly a translation key). */
  name: string;
}

/** The categories hosting seminars in which the member may start a topic, in the setting's order. */
export async function seminarCategoriesFor(uid: number): Promise<SeminarCategory[]> {
  const cids = await nodebb.privileges.categories.filterCids('topics:create', await seminarCategoryCids(), uid);
  const rows = await Promise.all(cids.map(async cid => ({ cid, fields: await nodebb.categories.getCategoryFields(cid, ['name', 'disabled']) })));
  return rows
    .filter(row => String(row.fields.disabled) !== '1')
    .map(row => ({ cid: row.cid, name: typeof row.fields.name === 'string' ? row.fields.name : String(row.cid) }));
}

/** The caller's uid; a guest is refused (401) with the given reason. */
function requireMember(caller: Caller, reasonKey: string): number {
  if (caller.uid <= 0) {
    throw new UserFacingError(reasonKey, [], 401);
  }
  return caller.uid;
}

/** The topic as core now has it (title and slug may differ from what was sent). */
export async function topicOf(tid: number, fallback: Pick<SeminarTopic, 'cid' | 'uid' | 'title' | 'slug'>): Promise<SeminarTopic> {
  const stored = await nodebb.topics.getTopicFields(tid, ['cid', 'uid', 'title', 'slug']);
  return {
    tid,
    cid: Number(stored.cid) || fallback.cid,
    uid: Number(stored.uid) || fallback.uid,
    title: typeof stored.title === 'string' ? plainTitle(stored.title) : fallback.title,
    slug: typeof stored.slug === 'string' && stored.slug ? stored.slug : fallback.slug,
  };
}

function published(topic: SeminarTopic): PublishedSeminar {
  return { tid: topic.tid, slug: topic.slug, path: `/topic/${topic.slug || String(topic.tid)}` };
}

export interface SeminarSubmission {
  title?: string;
  content?: string;
  /** The whole submitted form, for validateSeminarInput. */
  form: unknown;
}

export async function createSeminar(caller: Caller, cid: number, submission: SeminarSubmission): Promise<CreatedSeminar> {
  const uid = requireMember(caller, 'error.not-allowed');
  if (!await canCreate(uid)) {
    throw new UserFacingError('error.seminars-create-not-allowed', [], 403);
  }
  if (!(await seminarCategoriesFor(uid)).some(category => category.cid === cid)) {
    throw new UserFacingError('error.seminars-category-invalid');
  }
  const title = submission.title ?? '';
  const content = submission.content ?? '';
  // Every seminar rule first: a refusal must leave no topic behind.
  const fields = await validateSeminarInput(submission.form, { isKnownSpecialty: isOfferedSpecialty });
  // The fields wait under an id the topic payload carries, so that a topic the post queue
  // holds (core's rules, or the plugin's image review) gets its seminar when accepted.
  const pendingId = await holdPendingSeminar({ uid, cid, title }, fields);
  let created;
  try {
    // Core's own create (POST /api/v3/topics): blacklist, post queue, new-topic events.
    created = await nodebb.api.topics.create(caller.req, { cid, title, content, [SEMINAR_PENDING_FIELD]: pendingId });
  } catch (err) {
    await discardPendingSeminar(pendingId);
    throw err;
  }
  if (created.queued) {
    await markPendingQueued(pendingId, created.id);
    return { queued: true, message: '[[physician-network:seminars.form.queued]]' };
  }
  let topic: SeminarTopic = { tid: created.tid, cid, uid, title, slug: created.slug };
  try {
    topic = await topicOf(created.tid, topic);
    await publishPendingSeminar(pendingId, topic);
  } catch (err) {
    // The seminar could not be stored: take the topic back out rather than leave half a seminar.
    await nodebb.topics.purgePostsAndTopic(created.tid, uid);
    await discardPendingSeminar(pendingId);
    throw err;
  }
  return published(topic);
}

export async function editSeminar(caller: Caller, tid: number, submission: SeminarSubmission): Promise<PublishedSeminar> {
  const seminar = await editableSeminar(tid, caller.uid);
  const fields = await validateSeminarInput(submission.form, { isKnownSpecialty: isOfferedSpecialty });
  const { title, content } = submission;
  if (title !== undefined || content !== undefined) {
    // NodeBB's own edit: its privilege check, history and search index stay right.
    const mainPid = Number(await nodebb.topics.getTopicField(seminar.tid, 'mainPid'));
    await nodebb.posts.edit({ pid: mainPid, uid: caller.uid, title, content: content ?? null, req: caller.req });
  }
  const topic = await topicOf(seminar.tid, seminar);
  await saveValidatedSeminar(topic, fields);
  return published(topic);
}

export async function cancel(caller: Caller, tid: number): Promise<{ tid: number; status: Seminar['status'] }> {
  const seminar = await editableSeminar(tid, caller.uid);
  const saved = await cancelAndNotify(seminar.tid);
  return { tid: saved.seminar.tid, status: saved.seminar.status };
}

/** GET …/seminars/feed: the member's calendar subscription. */
export interface FeedSettings { hasToken: boolean; specialties: string[] | 'all'; publicUrl: string }

/** One seminar as the topic page's panel shows it, for whoever may read it. */
export async function seminarDetails(caller: Caller, tid: number, viewerZone: string): Promise<SeminarDetails> {
  const { uid } = caller;
  const seminar = await readableSeminar(tid, uid);
  const now = Date.now();
  const [state, counts, canEdit, banned] = await Promise.all([
    uid > 0 ? getRsvpState(seminar.tid, uid) : Promise.resolve('none' as const),
    getRsvpCounts(seminar.tid),
    canEditSeminar(seminar, uid),
    uid > 0 ? nodebb.userBans.bans.isBanned(uid) : Promise.resolve(false),
  ]);
  return {
    seminar: seminarView(seminar, viewerZone),
    rsvp: { state, counts },
    canEdit,
    canRsvp: uid > 0 && !banned && seminar.status !== 'cancelled' && seminar.end > now,
  };
}

async function rsvpAnswer(seminar: Seminar, result: RsvpResult): Promise<RsvpAnswer> {
  await notifyPromoted(seminar, result.promoted);
  return { state: result.state, counts: await getRsvpCounts(seminar.tid), promoted: result.promoted };
}

export async function answerRsvp(caller: Caller, tid: number, choice: unknown): Promise<RsvpAnswer> {
  const uid = requireMember(caller, 'error.seminars-rsvp-members-only');
  const seminar = await readableSeminar(tid, uid);
  return rsvpAnswer(seminar, await setRsvp(seminar.tid, uid, choice));
}

export async function withdrawRsvp(caller: Caller, tid: number): Promise<RsvpAnswer> {
  const uid = requireMember(caller, 'error.seminars-rsvp-members-only');
  const seminar = await readableSeminar(tid, uid);
  return rsvpAnswer(seminar, await removeRsvp(seminar.tid, uid));
}

/** The member's calendar subscription: whether they have a private feed, and what it carries. */
export async function feedSettings(caller: Caller): Promise<FeedSettings> {
  const uid = requireMember(caller, 'error.seminars-feed-members-only');
  return { hasToken: await hasFeedToken(uid), specialties: await getFeedSpecialties(uid), publicUrl: `${forumUrl()}/seminars.ics` };
}

/** A new private feed address (the old one stops working); shown once. */
export async function renewFeed(caller: Caller): Promise<{ url: string }> {
  const token = await regenerateFeedToken(caller.uid);
  return { url: `${forumUrl()}/seminars/feed/${token}.ics` };
}

export async function revokeFeed(caller: Caller): Promise<Record<string, never>> {
  await revokeFeedToken(requireMember(caller, 'error.seminars-feed-members-only'));
  return {};
}

/** Which specialties the private feed carries: 'all', or slugs the taxonomy offers. */
export async function chooseFeedSpecialties(caller: Caller, chosen: string[] | 'all'): Promise<{ specialties: string[] | 'all' }> {
  const uid = requireMember(caller, 'error.seminars-feed-members-only');
  if (chosen !== 'all') {
    for (const slug of chosen) {
      if (!await isOfferedSpecialty(slug)) {
        throw new UserFacingError('error.seminars-specialty-invalid', [slug.slice(0, 64)]);
      }
    }
  }
  await setFeedSpecialties(uid, chosen === 'all' || !chosen.length ? 'all' : chosen);
  return { specialties: await getFeedSpecialties(uid) };
}
