/**
 * Telling the member what happened, through NodeBB's notifications (which also send the
 * email, per the member's notification settings). Bodies are translation tokens, so each
 * member reads them in their own language; reasons travel as escaped arguments.
 */
import { nodebb, log } from '../nodebb';
import { translationToken } from '../common/user-error';
import { PLUGIN_KEY_PREFIX } from './model';

export const NOTIFICATION_TYPE = 'physician-network-verification';

/** `request-expired`: an open request the member left alone past the retention period. */
export const NOTIFICATION_EVENTS = ['approved', 'rejected', 'needs-info', 'revoked', 'expired', 'expiry-warning', 'request-expired'] as const;
export type NotificationEvent = typeof NOTIFICATION_EVENTS[number];

export interface NotificationDetails {
  rid: number;
  uid: number;
  event: NotificationEvent;
  /** A distinct value per occurrence, so a repeat is not merged away. */
  occurrence: number;
  fromUid?: number;
  /** Translation arguments: a reason token, the reviewer's text, a date; already safe or escaped here. */
  args?: string[];
}

export function notificationBody(details: NotificationDetails): string {
  return translationToken(`verification.notification.${details.event}`, details.args ?? []);
}

/** Failing to notify must not undo a decision: it is logged instead. */
export async function notifyMember(details: NotificationDetails): Promise<void> {
  try {
    const notification = await nodebb.notifications.create({
      nid: `${PLUGIN_KEY_PREFIX}:verification:${details.rid}:${details.event}:${details.occurrence}`,
      type: NOTIFICATION_TYPE,
      bodyShort: notificationBody(details),
      path: '/me/physician-verification',
      ...(details.fromUid ? { from: details.fromUid } : {}),
    });
    if (notification) {
      await nodebb.notifications.push(notification, [details.uid]);
    }
  } catch (error) {
    log.error(`could not notify uid ${details.uid} about verification request ${details.rid}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
