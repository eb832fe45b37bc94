/**
 * The seminars capability's NodeBB hooks (plugin.json), its cron jobs and its start-up work.
 *
 * Topic lifecycle: the seminar follows its topic (reconcile.ts) and the post queue carries
 * it; members choose how notices reach them; the "Upcoming seminars" widget (widget.ts) and
 * the topic page's marker and JSON-LD (topic-panel.ts).
 */
import { positiveId } from '../common/ids';
import { log } from '../nodebb';
import { addNotificationTypes, runsJobs, scheduleJob, type NotificationTypes } from '../common/host-registrations';
import { withForumLock } from '../common/lock';
import { provisionOrganisersGroup, provisionSeminars } from './provision';
import { getSeminar } from './store';
import { discardPendingSeminar, pendingIdOf, publishPendingSeminar, recordPendingTid } from './pending';
import { followTopic, reconcileSeminarsWithTopics, repairOutOfStepSeminars } from './reconcile';
import { removeMemberRsvps } from './rsvp';
import { notifyPromoted, sendDueReminders } from './reminders';
import { SEMINAR_NOTIFICATION_TYPES } from './notify';
import { revokeFeedToken } from './feed';
import { topicOf } from './service';
import { addSeminarsWidget, renderSeminarsWidget } from './widget';
import { addSeminarToTopicPage } from './topic-panel';

interface TopicHookData { topic?: { tid?: unknown; cid?: unknown; title?: unknown; slug?: unknown }; [key: string]: unknown }

function hookTid(data: TopicHookData): number {
  return positiveId(data.topic?.tid);
}

/**
 * action:topic.purge, action:topic.delete, action:topic.restore, action:topic.edit: the
 * seminar follows its topic as the topic now is (reconcile.ts), so a hook that fired late,
 * twice or not at all is healed by the next one, the repair job or start-up.
 */
export async function purgeSeminarWithTopic(data: TopicHookData): Promise<void> {
  await followTopic(hookTid(data));
}

export async function hideSeminarWithTopic(data: TopicHookData): Promise<void> {
  await followTopic(hookTid(data));
}

export async function showSeminarWithTopic(data: TopicHookData): Promise<void> {
  await followTopic(hookTid(data));
}

export async function renameSeminarWithTopic(data: TopicHookData): Promise<void> {
  await followTopic(hookTid(data));
}

/** action:topic.move: the seminar follows its topic (and so the new category's privileges). */
export async function moveSeminarWithTopic(data: { tid?: unknown }): Promise<void> {
  await followTopic(Number(data.tid));
}

/**
 * action:topic.merge: core deletes the merged topics (their posts now in the kept one)
 * without firing action:topic.delete, so their seminars would stay listed. The kept topic
 * is followed too (a merge into a new title renames it).
 */
export async function followMergedTopics(data: { mergeIntoTid?: unknown; otherTids?: unknown }): Promise<void> {
  const others = Array.isArray(data.otherTids) ? data.otherTids.map(Number) : [];
  for (const tid of [...others, Number(data.mergeIntoTid)]) {
    await followTopic(tid);
  }
}

/** action:topic.changeOwner (src/posts/user.js, when a topic's main post changes owner): the seminar's author follows. */
export async function followTopicOwnerChange(data: { topics?: unknown }): Promise<void> {
  const changed = Array.isArray(data.topics) ? data.topics as ({ tid?: unknown } | null)[] : [];
  for (const topic of changed) {
    await followTopic(Number(topic?.tid));
  }
}

/**
 * filter:topic.create: core is creating the topic of a held seminar (published at once, or
 * accepted from the post queue). Its tid is recorded before the topic exists, so a crash
 * or a failed hook after this point is finished by reconciliation.
 */
export async function recordQueuedSeminarTopic<T extends { topic?: { tid?: unknown }; data?: unknown }>(payload: T): Promise<T> {
  const pendingId = pendingIdOf(payload.data);
  const tid = Number(payload.topic?.tid);
  if (pendingId && Number.isInteger(tid) && tid > 0) {
    await recordPendingTid(pendingId, tid);
  }
  return payload;
}

/** action:topic.post: a queued seminar's topic was accepted; the seminar is published with it. */
export async function publishAcceptedSeminar(data: { topic?: { tid?: unknown }; data?: unknown }): Promise<void> {
  const pendingId = pendingIdOf(data.data);
  const tid = Number(data.topic?.tid);
  const fromQueue = (data.data as { fromQueue?: unknown } | undefined)?.fromQueue;
  // Topics published at once are stored by the create route itself.
  if (!pendingId || fromQueue !== true || !Number.isInteger(tid) || tid <= 0) {
    return;
  }
  try {
    const topic = await topicOf(tid, { cid: 0, uid: 0, title: '', slug: '' });
    await publishPendingSeminar(pendingId, topic);
  } catch (err) {
    // The held fields know their tid (filter:topic.create): reconciliation publishes them.
    log.error(`seminar ${tid}: publishing after the post queue failed, retried on reconciliation: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** action:post-queue:removeFromQueue: a moderator rejected the topic; its seminar fields go with it. */
export async function discardRejectedSeminar(payload: { data?: { data?: unknown } }): Promise<void> {
  const pendingId = pendingIdOf(payload.data?.data);
  if (pendingId) {
    await discardPendingSeminar(pendingId);
  }
}

/** static:user.delete: their RSVPs go (seats pass to those waiting) and their feed stops. */
export async function forgetDeletedSeminarMember(data: { uid: number | string }): Promise<void> {
  const uid = Number(data.uid);
  if (!Number.isInteger(uid) || uid <= 0) {
    return;
  }
  await revokeFeedToken(uid);
  for (const { tid, promoted } of await removeMemberRsvps(uid)) {
    const seminar = promoted.length ? await getSeminar(tid) : null;
    if (seminar) {
      await notifyPromoted(seminar, promoted);
    }
  }
}

/** filter:user.notificationTypes: reminders, changes and waitlist seats, each a member setting. */
export async function registerSeminarNotificationTypes(data: NotificationTypes): Promise<NotificationTypes> {
  return addNotificationTypes(data, SEMINAR_NOTIFICATION_TYPES);
}

/**
 * Reminders every five minutes, only where runJobs is set; exactly-once delivery is the
 * reminder module's claim, so several processes or a restart never send twice.
 */
export async function scheduleSeminarJobs(): Promise<void> {
  await scheduleJob({
    name: 'physician-network:seminar-reminders',
    cronTime: '*/5 * * * *',
    description: 'seminar reminders',
    run: async () => sendDueReminders(),
  });
  await scheduleJob({
    name: 'physician-network:seminar-repair',
    cronTime: '*/5 * * * *',
    description: 'seminars out of step with their topics',
    run: async () => { await repairOutOfStepSeminars(); },
  });
}

/**
 * Start-up: the Organisers group and the Seminars category, under a forum-wide lock so that
 * processes starting together never create two categories (whichever gets the lock does it;
 * it is idempotent, so every start checks). A failure throws, for start-up to report and retry.
 */
export async function provisionSeminarsOnStart(): Promise<void> {
  await withForumLock('seminars-provision', 120, provisionSeminars);
}

/**
 * static:app.load, after provisioning: every seminar checked against its topic (hooks core
 * fired while the plugin was off, or that failed), and held seminars settled. One process.
 */
export async function reconcileSeminarsOnStart(): Promise<void> {
  if (!runsJobs()) {
    return;
  }
  try {
    const summary = await reconcileSeminarsWithTopics();
    if (summary.updated || summary.deleted || summary.failed || summary.published || summary.discarded) {
      log.info(`seminars reconciled with their topics: ${JSON.stringify(summary)}`);
    }
  } catch (err) {
    log.error(`seminars reconciliation failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Start-up (lib/common/startup.ts): provisioning, then reconciliation, then the jobs. */
export async function startSeminars(): Promise<void> {
  await provisionSeminarsOnStart();
  await reconcileSeminarsOnStart();
  await scheduleSeminarJobs();
}

/** The listeners plugin.json names (`seminars.<name>`), as library.ts exports them. */
export const hooks = {
  purgeWithTopic: purgeSeminarWithTopic,
  hideWithTopic: hideSeminarWithTopic,
  showWithTopic: showSeminarWithTopic,
  moveWithTopic: moveSeminarWithTopic,
  renameWithTopic: renameSeminarWithTopic,
  followMergedTopics,
  followOwnerChange: followTopicOwnerChange,
  recordQueuedTopic: recordQueuedSeminarTopic,
  publishAccepted: publishAcceptedSeminar,
  discardRejected: discardRejectedSeminar,
  forgetDeletedMember: forgetDeletedSeminarMember,
  registerNotificationTypes: registerSeminarNotificationTypes,
  addWidget: addSeminarsWidget,
  renderWidget: renderSeminarsWidget,
  addToTopicPage: addSeminarToTopicPage,
};

/** Start-up steps: the Organisers group is also needed before the settings' defaults are stored. */
export const start = {
  organisersGroup: provisionOrganisersGroup,
  seminars: startSeminars,
};
