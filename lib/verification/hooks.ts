/**
 * Ready-made functions for library.ts to hang on NodeBB hooks and cron, so the wiring
 * stays one line each. They are async functions, as NodeBB awaits only those.
 */
import { log } from '../nodebb';
import { runsJobs } from '../common/host-registrations';
import type { VerificationService } from './service';

export interface VerificationHooks {
  /** For `static:user.delete` ({ uid }). */
  onUserDelete(data: { uid: number | string }): Promise<void>;
  /** For a daily cron job: runs only where nconf `runJobs` is true (one NodeBB process). */
  runDailyJobs(): Promise<void>;
}

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
