/**
 * Registrations every capability makes with NodeBB in the same way: cron jobs that run only
 * where `runJobs` is set, and notification types members choose a delivery for.
 */
import { nodebb, log } from '../nodebb';

/**
 * A cron job on the NodeBB process that runs jobs (`runJobs`), and nowhere else. A failing run
 * is logged and the next tick tries again; nothing is thrown into NodeBB's cron.
 */
export async function scheduleJob(job: { name: string; cronTime: string; description: string; run: () => Promise<unknown> }): Promise<void> {
  if (nodebb.nconf.get('runJobs') !== true) {
    return;
  }
  await nodebb.cron.addJob({
    name: job.name,
    cronTime: job.cronTime,
    onTick: async () => {
      try {
        await job.run();
      } catch (err) {
        log.error(`${job.description} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      }
    },
  });
}

export interface NotificationTypes {
  types: string[];
  [key: string]: unknown;
}

/**
 * filter:user.notificationTypes: each type becomes a member setting (`notificationType_<type>`),
 * so members choose whether it arrives as a notification, an email, or both.
 */
export function addNotificationTypes(data: NotificationTypes, types: readonly string[]): NotificationTypes {
  for (const type of types) {
    const setting = `notificationType_${type}`;
    if (!data.types.includes(setting)) {
      data.types.push(setting);
    }
  }
  return data;
}
