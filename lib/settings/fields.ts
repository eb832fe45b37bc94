/**
 * The plugin's ACP settings: one table that the validator, the stored-value parser
 * and the ACP form are all derived from, so a bound is written once.
 *
 * Keys are prefixed by the capability that reads them; each capability's issue adds its own.
 */

export { SETTINGS_HASH } from './keys';

export const SECTIONS = ['verification', 'specialties', 'redaction', 'seminars'] as const;
export type SettingsSection = typeof SECTIONS[number];

interface IntegerField { readonly kind: 'integer'; readonly section: SettingsSection; readonly min: number; readonly max: number; readonly default: number }
interface BooleanField { readonly kind: 'boolean'; readonly section: SettingsSection; readonly default: boolean }
interface TextField { readonly kind: 'text'; readonly section: SettingsSection; readonly maxLength: number; readonly default: string; readonly group?: boolean; readonly pattern?: RegExp }
interface ChoiceField { readonly kind: 'choice'; readonly section: SettingsSection; readonly choices: readonly string[]; readonly default: string }
export type FieldSpec = IntegerField | BooleanField | TextField | ChoiceField;

export const ACCESS_POLICIES = ['closed', 'specialty-posting', 'specialty-only', 'public-read'] as const;
export type AccessPolicy = typeof ACCESS_POLICIES[number];

export const settingFields = {
  // Verification (issue: physician verification)
  verificationDocumentMaxMb: { kind: 'integer', section: 'verification', min: 1, max: 50, default: 10 },
  verificationRetentionDays: { kind: 'integer', section: 'verification', min: 1, max: 3650, default: 30 },
  verificationSubmissionsPerDay: { kind: 'integer', section: 'verification', min: 1, max: 20, default: 3 },
  verificationExpiryWarningDays: { kind: 'integer', section: 'verification', min: 1, max: 365, default: 30 },
  // Empty means: admins and global moderators only.
  verificationReviewerGroup: { kind: 'text', section: 'verification', maxLength: 255, default: '', group: true },

  // Specialties (issue: specialty taxonomy and closed categories)
  specialtiesDefaultPolicy: { kind: 'choice', section: 'specialties', choices: ACCESS_POLICIES, default: 'closed' },
  specialtiesMaxPerMember: { kind: 'integer', section: 'specialties', min: 1, max: 3, default: 3 },

  // Image redaction (issue: image redaction)
  redactionKeepIccProfile: { kind: 'boolean', section: 'redaction', default: true },
  redactionRefuseSvg: { kind: 'boolean', section: 'redaction', default: true },
  // Off: a post or chat file that is HTML, or XML that could run script, is refused. On: stored as .txt
  // (plain text), and only if NodeBB's allowed file extensions name its own extension.
  redactionMarkupFilesAsText: { kind: 'boolean', section: 'redaction', default: false },
  redactionMaxMegapixels: { kind: 'integer', section: 'redaction', min: 1, max: 400, default: 50 },
  // Category ids, comma-separated. Empty means: every specialty category and the lounge.
  redactionClinicalCategories: { kind: 'text', section: 'redaction', maxLength: 2000, default: '', pattern: /^[\d,\s]*$/ },
  // Category ids, comma-separated: posts with images there wait in NodeBB's post queue. Empty means: none.
  redactionReviewCategories: { kind: 'text', section: 'redaction', maxLength: 2000, default: '', pattern: /^[\d,\s]*$/ },

  // Seminars (issue: seminar listings)
  seminarsReminderHours: { kind: 'integer', section: 'seminars', min: 1, max: 336, default: 24 },
  seminarsPageSize: { kind: 'integer', section: 'seminars', min: 5, max: 100, default: 20 },
  // Empty means: verified physicians only. The plugin provisions the "Organisers" group.
  seminarsOrganiserGroup: { kind: 'text', section: 'seminars', maxLength: 255, default: 'Organisers', group: true },
  // Category ids, comma-separated. Empty means: the provisioned "Seminars" category.
  seminarsCategories: { kind: 'text', section: 'seminars', maxLength: 2000, default: '', pattern: /^[\d,\s]*$/ },
} as const satisfies Record<string, FieldSpec>;

export type SettingKey = keyof typeof settingFields;

type ValueOf<F> =
  F extends { kind: 'integer' } ? number :
  F extends { kind: 'boolean' } ? boolean :
  F extends { kind: 'choice'; choices: readonly (infer C)[] } ? C :
  string;

export type PluginSettings = { readonly [K in SettingKey]: ValueOf<typeof settingFields[K]> };

export const settingKeys = Object.keys(settingFields) as SettingKey[];

export function fieldSpec(key: SettingKey): FieldSpec {
  return settingFields[key];
}

export function defaultSettings(): PluginSettings {
  return Object.fromEntries(settingKeys.map(key => [key, settingFields[key].default])) as unknown as PluginSettings;
}
