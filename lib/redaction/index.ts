/**
 * Image redaction: one sanitiser in front of every NodeBB upload path, the patient
 * confirmation in clinical categories, and review before publication.
 *
 * It has no HTTP routes and no database of its own (so no routes.ts, store.ts or keys.ts):
 * it works inside NodeBB's own upload, post and queue paths through the hooks below, reads its
 * settings through lib/settings, and stores files through NodeBB (lib/nodebb/core-mirrors.ts)
 * or a storage plugin. No start-up work either.
 *
 * - hooks.ts: the listeners plugin.json names;
 * - policy.ts: clinical and review categories, who reviews;
 * - upload-sanitising.ts / upload-storage.ts / upload-files.ts: the upload paths;
 * - image-steps.ts: core's image steps, on sanitised bytes;
 * - clinical.ts / review.ts: the patient confirmation and the post queue;
 * - sanitise.ts, sniff.ts, markup.ts, containers/: the sanitiser itself (pure, on bytes).
 */
export { hooks } from './hooks';
// Verification sanitises licence scans with the same sanitiser (lib/verification/documents.ts).
export { sanitiseImage } from './sanitise';
