/**
 * Settings read path: reading and validating the plugin's settings, against the bare hash
 * read it is built on. Every capability reads settings on its hot paths.
 */
import { getSettings, SETTINGS_HASH, storeMissingDefaults } from '../../lib/settings';
import { benchDatabase, medianMs, ratio, report } from './measure';

export async function benchSettings(): Promise<void> {
  const { db, close } = await benchDatabase();
  try {
    await storeMissingDefaults();
    const runs = 2000;
    const baseline = await medianMs(runs, () => db.getObject(`settings:${SETTINGS_HASH}`));
    const typed = await medianMs(runs, () => getSettings());
    report('settings: typed read (getSettings) vs bare hash read');
    report(`  bare hash read   median ${baseline.toFixed(3)} ms`);
    report(`  getSettings()    median ${typed.toFixed(3)} ms   ratio ${ratio(typed, baseline)}x`);
  } finally {
    await close();
  }
}
