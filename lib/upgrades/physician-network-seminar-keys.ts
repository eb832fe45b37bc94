/**
 * NodeBB upgrade script (plugin.json `upgrades`; NodeBB records it by this file's name, prefixed
 * so it never clashes with core's): seminar data moves from its unprefixed keys (`seminar:<tid>`,
 * `seminars:*`) to the plugin's prefix (lib/seminars/keys.ts). Safe to run again (key-move.ts).
 */
import { log } from '../nodebb';
import { moveLegacySeminarKeys } from '../seminars/key-move';

export const name = 'Physician network: move seminar data under the plugin\'s own key prefix';
export const timestamp = Date.UTC(2026, 11, 1, 6);

interface UpgradeContext { progress?: { incr(value?: number): void } }

export async function method(this: UpgradeContext | undefined): Promise<void> {
  const report = await moveLegacySeminarKeys(() => { this?.progress?.incr(); });
  log.info(`seminar keys: ${report.renamed} moved, ${report.merged} merged into keys an earlier run had moved`);
}
