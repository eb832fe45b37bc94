/**
 * The plugin's hook listeners as NodeBB registers them: read from plugin.json, resolved in
 * the built library's exports. Tests fire core's hooks through this, so a listener missing
 * from the manifest fails the test as it would fail in a forum.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

interface ManifestHook { hook: string; method: string; priority?: number }

type Listener = (params: unknown) => Promise<unknown>;

function listenersOf(hook: string): Listener[] {
  const manifest = JSON.parse(readFileSync(join(root, 'plugin.json'), 'utf8')) as { hooks: ManifestHook[] };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const library = require(join(root, 'build', 'library.js')) as Record<string, unknown>;
  return manifest.hooks
    .filter(entry => entry.hook === hook)
    .sort((a, b) => (a.priority ?? 10) - (b.priority ?? 10))
    .map((entry) => {
      const target = entry.method.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), library);
      if (typeof target !== 'function') {
        throw new Error(`${hook}: ${entry.method} is not exported`);
      }
      return target as Listener;
    });
}

/** A filter hook: each listener gets what the previous one returned, as core chains them. */
export async function fireFilter<T>(hook: string, params: T): Promise<T> {
  let value: unknown = params;
  for (const listener of listenersOf(hook)) {
    value = await listener(value);
  }
  return value as T;
}

/** An action hook: every listener in turn (an error reaches the test; core would log it and go on). */
export async function fireAction(hook: string, params: unknown): Promise<void> {
  for (const listener of listenersOf(hook)) {
    await listener(params);
  }
}
