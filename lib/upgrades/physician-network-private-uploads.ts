/**
 * NodeBB upgrade script (plugin.json `upgrades`; NodeBB records it by this file's name, prefixed
 * so it never clashes with core's): uploads that posts in closed or clinical categories showed
 * before private uploads existed move into private storage. Safe to run again (see privatise.ts).
 */
import { log } from '../nodebb';
import { privatiseExistingUploads } from '../private-uploads';

export const name = 'Physician network: move uploads shown in closed and clinical categories into private storage, under random names';
export const timestamp = Date.UTC(2026, 11, 1);

interface UpgradeContext { progress?: { incr(value?: number): void } }

export async function method(this: UpgradeContext | undefined): Promise<void> {
  const report = await privatiseExistingUploads(() => { this?.progress?.incr(); });
  const posts = new Set(report.moved.flatMap(m => m.pids)).size;
  const summary = `private uploads: checked ${report.postsChecked} posts in closed and clinical categories, moved ${report.moved.length} files, rewrote ${posts} posts`;
  log.info(report.moved.length ? summary : `${summary} (nothing left to move)`);
  for (const moved of report.moved) {
    log.info(`private uploads: ${moved.from} -> ${moved.to}`);
  }
}
