/**
 * Physician verification: members submit their licence for review, reviewers decide, daily
 * jobs expire and clean up. The one barrel library.ts imports: its routes (routes.ts), the
 * hook listeners named in plugin.json (hooks.ts) and its start-up step (hooks.ts).
 *
 * Inside: routes.ts → service.ts (use cases: member-requests, decisions, reading,
 * housekeeping, each checking policy.ts first) → transition.ts (the state protocol) →
 * store.ts (every database read and write; keys in keys.ts). view.ts shapes the pages.
 */
export { routes } from './routes';
export { hooks, start } from './hooks';
