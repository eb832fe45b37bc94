/**
 * Reading and validating the plugin's ACP settings, for every capability. Stored through
 * NodeBB's meta.settings (its own cache, cleared in every process) under ./keys.ts's hash:
 * meta.settings is the store, so the settings have no store.ts of their own.
 */
import { z } from 'zod';

import { nodebb } from '../nodebb';
import { UserFacingError } from '../common/user-error';
import {
  settingFields, settingKeys, defaultSettings, type FieldSpec, type PluginSettings, type SettingKey,
} from './fields';
import { SETTINGS_HASH } from './keys';

const TRUE_WORDS = new Set(['on', 'true', '1']);
const FALSE_WORDS = new Set(['off', 'false', '0', '']);

function fieldSchema(spec: FieldSpec): z.ZodType<string | number | boolean> {
  switch (spec.kind) {
    case 'integer':
      return z.union([z.number(), z.string().trim().regex(/^-?\d+$/).transform(Number)])
        .pipe(z.number().int().min(spec.min).max(spec.max));
    case 'boolean':
      return z.union([
        z.boolean(),
        z.number().transform(n => n !== 0),
        z.string().trim().toLowerCase().refine(s => TRUE_WORDS.has(s) || FALSE_WORDS.has(s)).transform(s => TRUE_WORDS.has(s)),
      ]);
    case 'text':
      // Control characters have no place in a setting and would corrupt stored strings.
      // eslint-disable-next-line no-control-regex
      return z.string().trim().max(spec.maxLength).refine(s => !/[\u0000-\u001f\u007f]/.test(s) && (spec.pattern?.test(s) ?? true));
    case 'choice':
      return z.string().refine(s => spec.choices.includes(s));
  }
}

const schemas = Object.fromEntries(settingKeys.map(key => [key, fieldSchema(settingFields[key])])) as Record<SettingKey, z.ZodType<string | number | boolean>>;

function labelToken(key: SettingKey): string {
  return `[[physician-network:settings.${key}]]`;
}

function invalidFieldError(key: SettingKey): UserFacingError {
  const spec = settingFields[key] as FieldSpec;
  switch (spec.kind) {
    case 'integer': return new UserFacingError('error.settings-integer-range', [labelToken(key), spec.min, spec.max]);
    case 'boolean': return new UserFacingError('error.settings-not-a-switch', [labelToken(key)]);
    case 'text': return new UserFacingError('error.settings-text-invalid', [labelToken(key), spec.maxLength]);
    case 'choice': return new UserFacingError('error.settings-choice-invalid', [labelToken(key)]);
  }
}

/** Tolerant read for runtime use: a value that no longer validates falls back to its default. */
export function parseStoredSettings(raw: Record<string, unknown> | null | undefined): PluginSettings {
  const values: Record<string, unknown> = { ...defaultSettings() };
  for (const key of settingKeys) {
    const stored = raw?.[key];
    if (stored === undefined || stored === null) {
      continue;
    }
    const parsed = schemas[key].safeParse(stored);
    if (parsed.success) {
      values[key] = parsed.data;
    }
  }
  return values as PluginSettings;
}

/** What meta.settings should store for these values (strings, as the ACP form sends them). */
export function toStoredSettings(values: Partial<PluginSettings>): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const key of settingKeys) {
    const value = values[key];
    if (value === undefined) {
      continue;
    }
    stored[key] = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
  }
  return stored;
}

/**
 * Strict check of a submitted settings form. Throws a translated error naming the first
 * bad field, so nothing is saved; returns the normalised values to store otherwise.
 * Keys the plugin does not know are dropped.
 */
export async function validateSubmittedSettings(submitted: Record<string, unknown>): Promise<Record<string, string>> {
  const accepted: Partial<Record<SettingKey, string | number | boolean>> = {};
  for (const key of settingKeys) {
    if (!(key in submitted)) {
      continue;
    }
    const parsed = schemas[key].safeParse(submitted[key]);
    if (!parsed.success) {
      throw invalidFieldError(key);
    }
    accepted[key] = parsed.data;
  }
  for (const key of settingKeys) {
    const spec = settingFields[key] as FieldSpec;
    const value = accepted[key];
    if (spec.kind === 'text' && spec.group === true && typeof value === 'string' && value !== '') {
      if (!await nodebb.groups.exists(value)) {
        throw new UserFacingError('error.settings-unknown-group', [labelToken(key), value]);
      }
    }
  }
  return toStoredSettings(accepted as Partial<PluginSettings>);
}

export async function getSettings(): Promise<PluginSettings> {
  return parseStoredSettings(await nodebb.meta.settings.get(SETTINGS_HASH));
}

/** On activation and start-up: store defaults for any setting not yet saved, keeping the admin's. */
export async function storeMissingDefaults(): Promise<void> {
  await nodebb.meta.settings.setOnEmpty(SETTINGS_HASH, toStoredSettings(defaultSettings()));
}
