/**
 * The settings' one database name: NodeBB's meta.settings stores them in the hash
 * `settings:<this>` (and clears its cache in every process on save).
 */
export const SETTINGS_HASH = 'physician-network';
