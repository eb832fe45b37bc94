/**
 * Registrations every capability makes with NodeBB in the same way: cron jobs that run only
 * where `runJobs` is set, and notification types members choose a delivery for.
 */
import { nodebb, log } from '../nodebb';

/**
 * Does this NodeBB process run the forum's jobs? NodeBB sets `runJobs` at start-up (primary
 * process, jobs not disabled) and casts it to a boolean; the string forms are accepted as
 * NodeBB's own casting does, in case a config file or the environment sets it directly.
 */
export function runsJobs(): boolean {
  const value = nodebb.nconf.get('runJobs');
  return value === true || value === 1 || value === 'true' || value === '1';
}

/** Jobs handed to each cron registry (one per NodeBB process), which refuses a second job of the same name. */
const scheduledJobs = new WeakMap<object, Set<string>>();

/**
 * A cron job on the NodeBB process that runs jobs (`runJobs`), and nowhere else. A failing run
 * is logged and the next tick tries again; nothing is thrown into NodeBB's cron. Scheduling
 * again (a start-up retry) leaves an already scheduled job alone.
 */
export async function scheduleJob(job: { name: string; cronTime: string; description: string; run: () => Promise<unknown> }): Promise<void> {
  const { cron } = nodebb;
  const scheduled = scheduledJobs.get(cron) ?? new Set<string>();
  scheduledJobs.set(cron, scheduled);
  if (!runsJobs() || scheduled.has(job.name)) {
    return;
  }
  await cron.addJob({
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
  scheduled.add(job.name);
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
