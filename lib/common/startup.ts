/**
 * What the plugin does when NodeBB starts (static:app.load), capability by capability.
 *
 * Each capability's start-up runs on its own: one that fails is logged with a clear message
 * and recorded, and the others still run. What did not finish is tried again on the next
 * start (every step is idempotent, and work that must happen once takes a forum-wide lock),
 * and the ACP settings page shows it as needing attention, with a button that retries at once
 * in every NodeBB process.
 */
import { hostname } from 'node:os';

import { nodebb, log } from '../nodebb';
import { storeMissingDefaults } from '../settings';
import { start as seminarsStart } from '../seminars';
import { provisionOnFirstStart } from '../specialties/web';
import { defaultNotificationsToEmail, scheduleDailyJobs } from '../verification/web';

/**
 * Settings: store a default for every setting not yet saved, keeping the admin's values.
 *
 * NodeBB stores defaults through the same filter:settings.set as the ACP form, so the
 * save-time check refuses a group that does not exist. The organiser-group default names a
 * group the plugin creates, so it is created first; on an empty forum it does not exist yet.
 * Admin input keeps the full check.
 */
export async function storeSettingsDefaults(): Promise<void> {
  await seminarsStart.organisersGroup();
  await storeMissingDefaults();
}

export const STARTUP_STEP_IDS = ['settings', 'specialties', 'verification', 'seminars'] as const;
export type StartupStepId = typeof STARTUP_STEP_IDS[number];

export interface StartupStep {
  id: StartupStepId;
  /** Idempotent: safe on every start, in every process, and again after a failure. */
  run(): Promise<void>;
}

/** In order: settings first, as the others read them. */
export const STARTUP_STEPS: readonly StartupStep[] = [
  { id: 'settings', run: storeSettingsDefaults },
  { id: 'specialties', run: provisionOnFirstStart },
  {
    id: 'verification',
    run: async (): Promise<void> => {
      await defaultNotificationsToEmail();
      await scheduleDailyJobs();
    },
  },
  { id: 'seminars', run: seminarsStart.seminars },
];

/** Hash: per step that did not finish, its error (`<id>`), when (`<id>:at`) and where (`<id>:process`). */
const ATTENTION_KEY = 'physician-network:startup:attention';
const RETRY_EVENT = 'physician-network:startup:retry';
/** Stored messages are for the admin's eyes; a long one is cut rather than filling the page. */
const MAX_MESSAGE_LENGTH = 500;

/** This process, as the log and the ACP name it. */
function processName(): string {
  return `${hostname()}:${process.pid}`;
}

function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}

export interface StartupProblem {
  id: StartupStepId;
  /** The error as thrown (may be a translation token or library text): escape before showing it. */
  message: string;
  /** When it last failed (ms since the epoch). */
  at: number;
  /** The NodeBB process it failed in (`host:pid`). */
  process: string;
}

export interface StartupReport {
  /** Steps that did not finish, in start-up order; empty when everything did. */
  needsAttention: StartupProblem[];
}

/** What did not finish, as recorded by whichever process tried last. */
export async function startupReport(): Promise<StartupReport> {
  const raw = await nodebb.db.getObject(ATTENTION_KEY) ?? {};
  const needsAttention: StartupProblem[] = [];
  for (const id of STARTUP_STEP_IDS) {
    const message = raw[id];
    if (message === undefined || message === null) {
      continue;
    }
    // Stored as strings; a database that keeps types (Mongo, Postgres) may hand back numbers.
    needsAttention.push({
      id,
      message: String(message),
      at: Number(raw[`${id}:at`]) || 0,
      process: typeof raw[`${id}:process`] === 'string' ? String(raw[`${id}:process`]) : '',
    });
  }
  return { needsAttention };
}

async function runStep(step: StartupStep): Promise<boolean> {
  try {
    await step.run();
  } catch (err) {
    const message = errorMessage(err);
    log.error(`start-up: "${step.id}" did not finish (${message}); it is tried again on the next start, or now from ACP › Plugins › Physician network`);
    if (err instanceof Error && err.stack) {
      log.verbose(`start-up: "${step.id}": ${err.stack}`);
    }
    try {
      await nodebb.db.setObject(ATTENTION_KEY, { [step.id]: message, [`${step.id}:at`]: Date.now(), [`${step.id}:process`]: processName() });
    } catch (recordErr) {
      log.error(`start-up: could not record that "${step.id}" needs attention: ${errorMessage(recordErr)}`);
    }
    return false;
  }
  await nodebb.db.deleteObjectFields(ATTENTION_KEY, [step.id, `${step.id}:at`, `${step.id}:process`]);
  return true;
}

/** Run every step (or those given), each on its own, in order; never throws. */
export async function runStartupSteps(steps: readonly StartupStep[] = STARTUP_STEPS): Promise<StartupReport> {
  for (const step of steps) {
    await runStep(step);
  }
  try {
    return await startupReport();
  } catch (err) {
    log.error(`start-up: could not read what needs attention: ${errorMessage(err)}`);
    return { needsAttention: [] };
  }
}

/**
 * Retry now (the ACP button): run the steps that did not finish here, and ask the other NodeBB
 * processes to do the same, as some of a step's work (scheduling jobs) is each process's own.
 */
export async function retryStartup(steps: readonly StartupStep[] = STARTUP_STEPS): Promise<StartupReport> {
  nodebb.pubsub.publish(RETRY_EVENT, { from: processName() });
  return runPendingSteps(steps);
}

async function runPendingSteps(steps: readonly StartupStep[]): Promise<StartupReport> {
  const pending = new Set((await startupReport()).needsAttention.map(problem => problem.id));
  return runStartupSteps(steps.filter(step => pending.has(step.id)));
}

let listening = false;

/** Hear retries asked for in another process (NodeBB's pubsub also delivers a process its own messages). */
export function listenForStartupRetries(steps: readonly StartupStep[] = STARTUP_STEPS): void {
  if (listening) {
    return;
  }
  listening = true;
  nodebb.pubsub.on(RETRY_EVENT, (data) => {
    const from = data && typeof data === 'object' ? (data as { from?: unknown }).from : undefined;
    if (from === processName()) {
      return;
    }
    runPendingSteps(steps).catch((err: unknown) => {
      log.error(`start-up: retry asked by ${String(from)} failed: ${errorMessage(err)}`);
    });
  });
}

/** static:app.load: every step, each on its own; then listen for the ACP's retries. */
export async function startCapabilities(): Promise<StartupReport> {
  listenForStartupRetries();
  const report = await runStartupSteps();
  if (report.needsAttention.length) {
    log.warn(`start-up: needs attention: ${report.needsAttention.map(problem => problem.id).join(', ')} (see ACP › Plugins › Physician network)`);
  }
  return report;
}
