/**
 * NodeBB's meta.settings as core 4.11.2 runs it (src/meta/settings.js), over the test
 * database: `set` first fires `filter:settings.set` through every listener plugin.json
 * names (the plugin's own save-time check included), then writes `settings:<hash>`;
 * `setOnEmpty` goes through `set` for the missing keys, so defaults meet the same check.
 *
 * The root stand-in writes without the filter; tests of start-up use this one, because
 * the first-start failure it reproduces lives exactly in that filter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { provideForTests, type MetaSettings } from '../../lib/nodebb';
import type { RedisTestDatabase } from './redis-db';

const root = join(__dirname, '..', '..', '..');

interface ManifestHook { hook: string; method: string; priority?: number }

type Listener = (payload: unknown) => Promise<unknown>;

/** The listeners plugin.json registers for `hook`, in NodeBB's order (priority, default 10). */
function listenersFor(hook: string): Listener[] {
  const manifest = JSON.parse(readFileSync(join(root, 'plugin.json'), 'utf8')) as { hooks: ManifestHook[] };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const library = require(join(root, 'build', 'library.js')) as Record<string, unknown>;
  return manifest.hooks
    .filter(entry => entry.hook === hook)
    .sort((a, b) => (a.priority ?? 10) - (b.priority ?? 10))
    .map((entry) => {
      const method = entry.method.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), library);
      if (typeof method !== 'function') {
        throw new Error(`plugin.json names ${entry.method} for ${hook}, which the library does not export`);
      }
      return method as Listener;
    });
}

/** Fire a filter hook through the plugin's own listeners, as NodeBB's plugins.hooks.fire does. */
export async function fireFilter<T>(hook: string, payload: T): Promise<T> {
  let current: unknown = payload;
  for (const listener of listenersFor(hook)) {
    current = await listener(current);
  }
  return current as T;
}

export function hostSettings(db: RedisTestDatabase): MetaSettings {
  const settings: MetaSettings = {
    get: async hash => (await db.getObject(`settings:${hash}`)) ?? {},
    set: async (hash, values, quiet) => {
      const filtered = await fireFilter('filter:settings.set', { plugin: hash, settings: values, quiet: quiet ?? false });
      if (Object.keys(filtered.settings).length) {
        await db.setObject(`settings:${filtered.plugin}`, filtered.settings as Record<string, string>);
      }
    },
    setOnEmpty: async (hash, values) => {
      const current = await settings.get(hash);
      const missing = Object.fromEntries(Object.entries(values).filter(([key]) => !Object.prototype.hasOwnProperty.call(current, key)));
      if (Object.keys(missing).length) {
        await settings.set(hash, missing);
      }
    },
  };
  return settings;
}

/** Use NodeBB's settings behaviour (filter included) for the rest of the test file. */
export function provideHostSettings(db: RedisTestDatabase): void {
  provideForTests({ meta: { config: {}, settings: hostSettings(db) } });
}
