/**
 * Private clinical uploads: files composed in closed or clinical categories are stored outside
 * NodeBB's public folders and served only to readers of a post that shows them. The one barrel
 * library.ts imports: its routes (routes.ts) and the hook listeners named in plugin.json
 * (hooks.ts); no start-up step. Redaction stores uploads through it, and the upgrade script
 * moves existing ones.
 *
 * Inside: routes.ts (serving, checked by policy.ts) and hooks.ts → references.ts (each file's
 * referring posts), privatise.ts (moving public files in); files.ts stores a new upload,
 * storage.ts writes it to disk, names.ts names it; store.ts holds every database read and
 * write (keys in keys.ts, the record's layout in model.ts).
 */
export { routes } from './routes';
export { hooks } from './hooks';
export { privateDestinationOf } from './destination';
export type { PrivateDestination } from './destination';
export { randomFileName } from './names';
export { storePrivately } from './files';
export { privatiseExistingUploads } from './privatise';
