/**
 * The database keys of the plugin's shared machinery (lib/common), in one place, under the
 * plugin's prefix like every capability's own (lib/<capability>/keys.ts).
 */
const PREFIX = 'physician-network';

export const keys = {
  /** Hash: a forum-wide lock (./lock.ts): holder count, holder token; expires. */
  lock: (name: string): string => `${PREFIX}:lock:${name}`,
  /** Hash: per start-up step that did not finish, its error (`<id>`), when (`<id>:at`) and where (`<id>:process`). */
  startupAttention: `${PREFIX}:startup:attention`,
};
