/**
 * Seminar notifications through NodeBB's notifications: reminders, changes of time,
 * cancellations, and seats given from the waitlist. Each kind is its own notification
 * type, so members can choose how each reaches them (the lead registers SEMINAR_NOTIFICATION_TYPES
 * with filter:user.notificationTypes).
 */
import { nodebb } from '../nodebb';
import { translationToken } from '../common/user-error';
import { describeSeminarTime } from './time';
import type { Seminar } from './model';

export const SEMINAR_NOTIFICATION_TYPES = ['seminar-reminder', 'seminar-change', 'seminar-waitlist'] as const;
export type SeminarNoticeKind = 'reminder' | 'rescheduled' | 'cancelled' | 'postponed' | 'promoted';

const KIND_TYPE: Record<SeminarNoticeKind, typeof SEMINAR_NOTIFICATION_TYPES[number]> = {
  reminder: 'seminar-reminder',
  rescheduled: 'seminar-change',
  cancelled: 'seminar-change',
  postponed: 'seminar-change',
  promoted: 'seminar-waitlist',
};

const KIND_TEXT: Record<SeminarNoticeKind, string> = {
  reminder: 'seminars.notification.reminder',
  rescheduled: 'seminars.notification.rescheduled',
  cancelled: 'seminars.notification.cancelled',
  postponed: 'seminars.notification.postponed',
  promoted: 'seminars.notification.promoted',
};

/** The time in the event's own zone: members' zones are not known server-side. */
function whenLabel(seminar: Seminar): string {
  const display = describeSeminarTime(seminar, seminar.timezone);
  return display.allDay ? display.label : `${display.startDate} ${display.event.start?.label ?? ''}`.trim();
}

/**
 * Notify members about a seminar. `key` makes the notification id unique per occasion
 * (e.g. the start instant for a reminder, the sequence for a change).
 */
export async function notifySeminarMembers(kind: SeminarNoticeKind, seminar: Seminar, uids: number[], key: string | number): Promise<void> {
  const recipients = [...new Set(uids)].filter(uid => uid > 0);
  if (!recipients.length) {
    return;
  }
  const notification = await nodebb.notifications.create({
    type: KIND_TYPE[kind],
    nid: `physician-network:seminar-${kind}:${seminar.tid}:${key}`,
    bodyShort: translationToken(KIND_TEXT[kind], [seminar.title, whenLabel(seminar)]),
    path: `/topic/${seminar.slug || String(seminar.tid)}`,
    tid: seminar.tid,
    // NodeBB folds notifications with the same mergeId; each seminar and kind stays separate.
    mergeId: `physician-network:seminar-${kind}:${seminar.tid}`,
  });
  if (notification) {
    await nodebb.notifications.push(notification, recipients);
  }
}

/** Keep only the members who may still read the seminar's category. */
export async function readersAmong(seminar: Seminar, uids: number[]): Promise<number[]> {
  if (!uids.length) {
    return [];
  }
  return (await nodebb.privileges.categories.filterUids('topics:read', seminar.cid, uids)).map(Number);
}
