/**
 * Verification's NodeBB hooks (plugin.json: `verification.*`), its daily cron job and its
 * start-up step. All async functions, as NodeBB awaits only those.
 */
import { log, nodebb } from '../nodebb';
import { addNotificationTypes, runsJobs, scheduleJob, type NotificationTypes } from '../common/host-registrations';
import { callerFromUid } from './model';
import { canReview } from './policy';
import { NOTIFICATION_TYPE } from './notify';
import { readSiteConfigField } from './store';
import { verificationService } from './instance';
import { PROFILE_TAB } from './routes';
import type { VerificationService } from './service';

export interface VerificationHooks {
  /** For `static:user.delete` ({ uid }). */
  onUserDelete(data: { uid: number | string }): Promise<void>;
  /** For a daily cron job: runs only where nconf `runJobs` is true (one NodeBB process). */
  runDailyJobs(): Promise<void>;
}

/** Account deletion and the daily jobs of a service (the plugin's own, or a test's). */
export function createVerificationHooks(service: VerificationService): VerificationHooks {
  return {
    onUserDelete: async (data) => {
      await service.deleteAccountData(data.uid);
    },
    runDailyJobs: async () => {
      if (!runsJobs()) {
        return;
      }
      // Stale rounds first, so requests a dead process left claimed can expire or be decided below.
      const recovery = await service.runRecoveryJob();
      const expiry = await service.runExpiryJob();
      const retention = await service.runRetentionJob();
      const inactivity = await service.runInactivityJob();
      log.info(`verification jobs: ${expiry.warned.length} warned, ${expiry.expired.length} expired, documents of ${retention.deleted.length} requests deleted, ` +
        `${inactivity.expired.length} inactive requests expired, ${recovery.healed.length} stale changes finished, ${recovery.filesDeleted} file deletions retried (${recovery.filesFailing} still failing)`);
    },
  };
}

const verificationHooks = createVerificationHooks(verificationService);

/** static:user.delete: documents, requests and plugin keys go; the audit log keeps decisions only. */
async function forgetDeletedMember(data: { uid: number | string }): Promise<void> {
  await verificationHooks.onUserDelete(data);
}

interface ProfileMenu {
  links: { id: string; route: string; icon: string; name: string; visibility: Record<string, boolean> }[];
  [key: string]: unknown;
}

/** filter:user.profileMenu: the tab shows on the member's own profile only. */
async function addProfileTab(menu: ProfileMenu): Promise<ProfileMenu> {
  menu.links.push({
    id: PROFILE_TAB,
    route: PROFILE_TAB,
    icon: 'fa-user-doctor',
    name: '[[physician-network:verification.title]]',
    visibility: { self: true, other: false, moderator: false, globalMod: false, admin: false, canViewInfo: false },
  });
  return menu;
}

/** NodeBB keys a notification type's delivery setting as `notificationType_<type>`. */
export const NOTIFICATION_SETTING = `notificationType_${NOTIFICATION_TYPE}`;

/**
 * filter:user.notificationTypes: a type of its own, so members choose (in their settings)
 * whether it arrives as a notification, an email, or both; NodeBB sends the email.
 */
export async function registerNotificationType(data: NotificationTypes): Promise<NotificationTypes> {
  return addNotificationTypes(data, [NOTIFICATION_TYPE]);
}

/**
 * Decisions matter: unless the admin chose otherwise, members get them by notification and
 * email. NodeBB reads the site default from its config hash (members may still change theirs).
 */
export async function defaultNotificationsToEmail(): Promise<void> {
  const current = await readSiteConfigField(NOTIFICATION_SETTING);
  if (current === null || current === undefined || current === '') {
    // Through meta.configs, so every NodeBB process's copy of the config learns it, not only this one's.
    await nodebb.meta.configs.set(NOTIFICATION_SETTING, 'notificationemail');
  }
}

/** Daily at 03:17 server time; the job itself does nothing where runJobs is off. */
async function scheduleDailyJobs(): Promise<void> {
  await scheduleJob({
    name: 'physician-network:verification-daily',
    cronTime: '17 3 * * *',
    description: 'verification daily jobs',
    run: async () => verificationHooks.runDailyJobs(),
  });
}

interface ClientConfig {
  uid?: unknown;
  physicianNetwork?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * filter:config.get: reviewers (and only they) get the number of pending requests, which the
 * client shows on the queue's navigation entry. Everyone else gets nothing, not even a zero.
 */
async function addPendingCountForReviewers(config: ClientConfig): Promise<ClientConfig> {
  const caller = callerFromUid(config.uid);
  if (!await canReview(caller)) {
    return config;
  }
  const pending = await verificationService.pendingCount(caller);
  config.physicianNetwork = { ...(config.physicianNetwork ?? {}), pendingVerifications: pending };
  return config;
}

/** The listeners plugin.json names as `verification.<name>`. */
export const hooks = {
  addProfileTab,
  registerNotificationType,
  forgetDeletedMember,
  addPendingCountForReviewers,
};

/** Start-up (lib/common/startup.ts): the notification default, then the daily job. */
export async function start(): Promise<void> {
  await defaultNotificationsToEmail();
  await scheduleDailyJobs();
}
