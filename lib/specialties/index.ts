/**
 * Specialties: the taxonomy, the NodeBB structure behind it (groups, categories, privileges),
 * membership (verification's only way into the plugin's groups), badges and the directory.
 *
 * - routes.ts: the directory and ACP pages, the admin API; service.ts: their use cases;
 * - hooks.ts: badges, the group guards, deleted members, first-start provisioning;
 * - policy.ts: access policies as privileges, and who may manage or view;
 * - store.ts + keys.ts: every database read and write; model.ts: the records;
 * - view.ts: page models; taxonomy.ts, structure.ts, admin.ts, membership.ts, directory.ts,
 *   badges.ts, join-guard.ts: the domain work.
 *
 * Verification and seminars use taxonomy.ts, membership.ts and policy.ts directly.
 */
import { provisionOnFirstStart } from './hooks';

export { routes } from './routes';
export { hooks } from './hooks';

/** Start-up steps (lib/common/startup.ts). */
export const start = { provisionOnFirstStart };
