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

import type { Router } from 'express';

import { nodebb, log } from '../nodebb';
import type { HostMiddleware } from '../nodebb';
import { apiController, callerUid, type CapabilityRoutes } from './http';
import { requireAdministrator } from './policy';
import { clearStepFailure, recordStepFailure, startupReport, type StartupReport, type StartupStepId } from './startup-report';

export { STARTUP_STEP_IDS, startupReport, type StartupProblem, type StartupReport, type StartupStepId } from './startup-report';
import { storeMissingDefaults } from '../settings';
import { start as seminarsStart } from '../seminars';
import { start as specialtiesStart } from '../specialties';
import { start as startVerification } from '../verification';

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


export interface StartupStep {
  id: StartupStepId;
  /** Idempotent: safe on every start, in every process, and again after a failure. */
  run(): Promise<void>;
}

/** In order: settings first, as the others read them. */
export const STARTUP_STEPS: readonly StartupStep[] = [
  { id: 'settings', run: storeSettingsDefaults },
  { id: 'specialties', run: specialtiesStart.provisionOnFirstStart },
  { id: 'verification', run: startVerification },
  { id: 'seminars', run: seminarsStart.seminars },
];

/** NodeBB pubsub channel: "retry what did not finish", heard by every process. */
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
      await recordStepFailure(step.id, message, processName());
    } catch (recordErr) {
      log.error(`start-up: could not record that "${step.id}" needs attention: ${errorMessage(recordErr)}`);
    }
    return false;
  }
  await clearStepFailure(step.id);
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

/**
 * Admin API: `GET /physician-network/startup` (what needs attention) and
 * `POST /physician-network/startup/retry` (retry it now, in every process): the ACP settings
 * page's "Retry now" button.
 */
export function addStartupApiRoutes(router: Router, middleware: HostMiddleware): void {
  const { setupApiRoute } = nodebb.routeHelpers;
  const loggedIn = [middleware.ensureLoggedIn];
  setupApiRoute(router, 'get', '/physician-network/startup', loggedIn, apiController(async (req) => {
    await requireAdministrator(callerUid(req));
    return startupReport();
  }));
  setupApiRoute(router, 'post', '/physician-network/startup/retry', loggedIn, apiController(async (req) => {
    await requireAdministrator(callerUid(req));
    return retryStartup();
  }));
}

/** Start-up's own routes (library.ts registers them beside the capabilities'). */
export const startupRoutes = {
  /** static:api.routes */
  api(router: Router, middleware: HostMiddleware): void {
    addStartupApiRoutes(router, middleware);
  },
} satisfies CapabilityRoutes;
