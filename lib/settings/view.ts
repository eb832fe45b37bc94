/**
 * The ACP settings page's model: the form (drawn from the same table as the validator, so a
 * bound is written once) and what start-up left unfinished, escaped at the one boundary.
 */
import { pageModel, pluginText } from '../common/page';
import type { StartupReport } from '../common/startup-report';
import { SECTIONS, settingFields, settingKeys, type FieldSpec, type SettingKey, type SettingsSection } from './fields';

export interface SettingsFormField {
  key: SettingKey;
  kind: FieldSpec['kind'];
  isInteger: boolean;
  isBoolean: boolean;
  isText: boolean;
  isChoice: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  choices?: { value: string; labelKey: string }[];
}

export interface SettingsFormSection {
  section: SettingsSection;
  fields: SettingsFormField[];
}

/** What the ACP template needs to draw the form, bounds included, from the same table. */
export function describeSettingsForm(): SettingsFormSection[] {
  return SECTIONS.map(section => ({
    section,
    fields: settingKeys
      .filter(key => settingFields[key].section === section)
      .map((key): SettingsFormField => {
        const spec = settingFields[key] as FieldSpec;
        const field: SettingsFormField = {
          key,
          kind: spec.kind,
          isInteger: spec.kind === 'integer',
          isBoolean: spec.kind === 'boolean',
          isText: spec.kind === 'text',
          isChoice: spec.kind === 'choice',
        };
        if (spec.kind === 'integer') {
          field.min = spec.min;
          field.max = spec.max;
        } else if (spec.kind === 'text') {
          field.maxLength = spec.maxLength;
        } else if (spec.kind === 'choice') {
          field.choices = spec.choices.map(value => ({ value, labelKey: `settings.${key}.${value}` }));
        }
        return field;
      }),
  }));
}

/** The label of each start-up step: the ACP section of its capability, or its own for settings. */
function stepLabelKey(id: StartupReport['needsAttention'][number]['id']): string {
  return id === 'settings' ? 'acp.startup.step.settings' : `acp.section.${id}`;
}

/** The settings page's model: the form, and each unfinished start-up step (its error text may echo names and tokens). */
function buildSettingsPageModel(report: StartupReport) {
  const needsAttention = report.needsAttention.map(problem => ({
    labelKey: stepLabelKey(problem.id),
    message: problem.message,
    at: problem.at > 0 ? new Date(problem.at).toISOString() : '',
    process: problem.process,
  }));
  return pageModel({
    title: pluginText('acp.title'),
    sections: describeSettingsForm(),
    needsAttention,
    hasAttention: needsAttention.length > 0,
  });
}

export type SettingsPageModel = ReturnType<typeof buildSettingsPageModel>;

export function settingsPageModel(report: StartupReport): SettingsPageModel {
  return buildSettingsPageModel(report);
}

/** What the template shows of each unfinished step, escaped at the page boundary like the rest. */
export function attentionView(report: StartupReport): SettingsPageModel['needsAttention'] {
  return settingsPageModel(report).needsAttention;
}
