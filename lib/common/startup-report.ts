/**
 * What start-up left unfinished, as recorded in the database by whichever process tried last:
 * read by the ACP settings page and the start-up API, written by ./startup.ts. No capability
 * imports here, so pages can show it without depending on every capability's start-up.
 */
import { nodebb } from '../nodebb';
import { keys } from './keys';

export const STARTUP_STEP_IDS = ['settings', 'specialties', 'verification', 'seminars'] as const;
export type StartupStepId = typeof STARTUP_STEP_IDS[number];

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
  const raw = await nodebb.db.getObject(keys.startupAttention) ?? {};
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

export async function recordStepFailure(id: StartupStepId, message: string, processName: string): Promise<void> {
  await nodebb.db.setObject(keys.startupAttention, { [id]: message, [`${id}:at`]: Date.now(), [`${id}:process`]: processName });
}

export async function clearStepFailure(id: StartupStepId): Promise<void> {
  await nodebb.db.deleteObjectFields(keys.startupAttention, [id, `${id}:at`, `${id}:process`]);
}
