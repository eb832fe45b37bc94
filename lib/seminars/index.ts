/**
 * Seminar listings: what pages, routes, hooks and cron call. Pages and wiring are the
 * lead's; everything here is plain functions over NodeBB's gateway.
 */
import { validateSeminarInput, type SeminarValidationOptions } from './validation';
import { saveSeminar, cancelSeminar, type SavedSeminar } from './store';
import { fillSeatsFromWaitlist } from './rsvp';
import { notifyGoingOfChange, notifyPromoted } from './reminders';
import type { SeminarFields, SeminarTopic } from './model';
import type { SeminarNoticeKind } from './notify';

export * from './model';
export { validateSeminarInput, canonicalZone, parseInstant, SEMINAR_LIMITS } from './validation';
export type { SeminarValidationOptions } from './validation';
export {
  getSeminar, getSeminars, requireSeminar, saveSeminar, updateSeminarTopic, cancelSeminar, deleteSeminar,
  seminarIndexKeys, SEMINAR_INDEX, cityKey,
} from './store';
export type { SavedSeminar, SeminarChange } from './store';
export {
  listSeminars, listUpcoming, listPast, listBetween, listMonth, canViewSeminar, seminarMatches,
} from './listing';
export type { SeminarFilters, SeminarQuery, SeminarPage, ListPageOptions } from './listing';
export { describeSeminarTime, zoneAbbreviation, monthGrid, seminarDatesIn, viewerZoneOrUtc } from './time';
export type { SeminarTimeDisplay, ZonedTime, CalendarMonth, CalendarDay } from './time';
export { seminarIcs, seminarsToIcs, seminarUid, seminarTopicUrl, seminarIcsFilename } from './ics';
export type { IcsOptions } from './ics';
export {
  regenerateFeedToken, revokeFeedToken, hasFeedToken, resolveFeedToken, setFeedSpecialties, getFeedSpecialties,
  feedSeminars, feedIcsForToken, publicFeedIcs,
} from './feed';
export type { FeedSubscription } from './feed';
export {
  setRsvp, removeRsvp, getRsvpState, getRsvpCounts, getGoingUids, getWaitlistUids, fillSeatsFromWaitlist,
  getMemberRsvpTids, removeMemberRsvps, RSVP_CHOICES,
} from './rsvp';
export type { RsvpChoice, RsvpState, RsvpResult, RsvpCounts } from './rsvp';
export { sendDueReminders, notifyGoingOfChange, notifyPromoted, noticeForChange } from './reminders';
export type { SentReminder } from './reminders';
export { SEMINAR_NOTIFICATION_TYPES, notifySeminarMembers } from './notify';
export { seminarJsonLd, jsonLdScriptBody } from './jsonld';
export { withSeminarLock, SEMINAR_LOCK_TIMINGS } from './lock';
export { seminarView, seminarPageSize, upcomingForWidget } from './view';
export type { SeminarView } from './view';
export { ORGANISERS_GROUP, provisionOrganisersGroup, canCreateSeminars, canEditSeminar } from './permissions';

export interface SubmittedSeminar extends SavedSeminar {
  /** Going members told of a cancellation, postponement or new time. */
  notified: { kind: SeminarNoticeKind; uids: number[] } | null;
  /** Waiting members seated because capacity grew (already notified). */
  promoted: number[];
}

/**
 * The form's whole server side after the caller's permission check: validate (nothing is
 * saved on any error), save, seat waiting members if capacity grew, and notify going
 * members of a change of time, postponement or cancellation.
 */
export async function submitSeminar(topic: SeminarTopic, submitted: unknown, options: SeminarValidationOptions & { now?: number } = {}): Promise<SubmittedSeminar> {
  return saveValidatedSeminar(topic, await validateSeminarInput(submitted, options), options.now);
}

/** The same, for fields already validated (routes validate before they create the topic). */
export async function saveValidatedSeminar(topic: SeminarTopic, fields: SeminarFields, now?: number): Promise<SubmittedSeminar> {
  return afterSave(await saveSeminar(topic, fields, now));
}

/** Cancel (author, category moderators, admins: the caller checks) and notify those going. */
export async function cancelAndNotify(tid: number, now?: number): Promise<SubmittedSeminar> {
  return afterSave(await cancelSeminar(tid, now));
}

async function afterSave(saved: SavedSeminar): Promise<SubmittedSeminar> {
  let promoted: number[] = [];
  if (saved.change.capacityGrew) {
    promoted = await fillSeatsFromWaitlist(saved.seminar.tid);
    await notifyPromoted(saved.seminar, promoted);
  }
  const notified = await notifyGoingOfChange(saved.seminar, saved.change);
  return { ...saved, notified, promoted };
}
