/**
 * Every language ships exactly the keys of the default language (en-GB), with no empty
 * strings and the same %N placeholders, and every key the templates and code use exists.
 */
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { settingFields, settingKeys, SECTIONS } from '../../lib/settings/fields';

const root = join(__dirname, '..', '..', '..');
const languagesDir = join(root, 'languages');
const plugin = JSON.parse(readFileSync(join(root, 'plugin.json'), 'utf8')) as { defaultLang: string };
const REQUIRED_LANGUAGES = ['en-GB', 'id', 'sv', 'nl'];

function load(lang: string, file: string): Record<string, string> {
  return JSON.parse(readFileSync(join(languagesDir, lang, file), 'utf8')) as Record<string, string>;
}

function placeholders(text: string): string[] {
  return [...new Set(text.match(/%\d/g) ?? [])].sort();
}

function filesUnder(dir: string, endings: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(entry => entry.isFile() && endings.some(ending => entry.name.endsWith(ending)))
    .map(entry => join(entry.parentPath, entry.name));
}

describe('languages', () => {
  const defaultLang = plugin.defaultLang;
  const namespaces = readdirSync(join(languagesDir, defaultLang));

  it('defaults to en-GB and ships en-GB, id, sv and nl', () => {
    expect(defaultLang).to.equal('en-GB');
    expect(readdirSync(languagesDir).sort()).to.include.members(REQUIRED_LANGUAGES);
  });

  for (const lang of REQUIRED_LANGUAGES.filter(l => l !== 'en-GB')) {
    for (const namespace of namespaces) {
      it(`${lang}/${namespace} has exactly en-GB's keys, each translated with the same placeholders`, () => {
        const base = load(defaultLang, namespace);
        const other = load(lang, namespace);
        const missing = Object.keys(base).filter(key => !(key in other));
        const extra = Object.keys(other).filter(key => !(key in base));
        expect(missing, `missing in ${lang}`).to.deep.equal([]);
        expect(extra, `not in en-GB`).to.deep.equal([]);
        for (const [key, text] of Object.entries(other)) {
          expect(text.trim(), `${lang} ${key} is empty`).to.not.equal('');
          expect(placeholders(text), `${lang} ${key} placeholders`).to.deep.equal(placeholders(base[key] ?? ''));
        }
      });
    }
  }

  it('every [[physician-network:…]] key used in templates and code exists in en-GB', () => {
    const keys = new Set(Object.keys(load(defaultLang, 'physician-network.json')));
    const sources = [
      ...filesUnder(join(root, 'templates'), ['.tpl']),
      ...filesUnder(join(root, 'lib'), ['.ts']),
      ...filesUnder(join(root, 'static', 'src'), ['.ts']),
      join(root, 'library.ts'),
    ];
    const used = new Set<string>();
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\[\[physician-network:([\w.-]+)|compile\('physician-network:([\w.-]+)'|new UserFacingError\('([\w.-]+)'/g)) {
        const key = match[1] ?? match[2] ?? match[3] ?? '';
        // Keys built in templates from data ({./key}) are checked by the settings test below.
        if (!key.endsWith('.') && !key.endsWith('-')) {
          used.add(key);
        }
      }
    }
    const unknown = [...used].filter(key => !keys.has(key));
    expect(unknown).to.deep.equal([]);
  });

  it('every settings field and section has its label, help and choice names in en-GB', () => {
    const keys = new Set(Object.keys(load(defaultLang, 'physician-network.json')));
    const needed: string[] = [];
    for (const section of SECTIONS) {
      needed.push(`acp.section.${section}`, `acp.section.${section}.help`);
    }
    for (const key of settingKeys) {
      needed.push(`settings.${key}`, `settings.${key}.help`);
      const spec = settingFields[key];
      if (spec.kind === 'choice') {
        needed.push(...spec.choices.map(choice => `settings.${key}.${choice}`));
      }
    }
    expect(needed.filter(key => !keys.has(key))).to.deep.equal([]);
  });

  it('strings placed inside HTML attributes by the templates hold no double quote in any language', () => {
    const inAttributes = new Set<string>();
    for (const file of filesUnder(join(root, 'templates'), ['.tpl'])) {
      for (const match of readFileSync(file, 'utf8').matchAll(/="\[\[physician-network:([\w.-]+)\]\]"/g)) {
        inAttributes.add(match[1] ?? '');
      }
    }
    const broken: string[] = [];
    for (const lang of REQUIRED_LANGUAGES) {
      const strings = load(lang, 'physician-network.json');
      for (const key of inAttributes) {
        if ((strings[key] ?? '').includes('"')) {
          broken.push(`${lang} ${key}`);
        }
      }
    }
    expect(inAttributes.size).to.be.greaterThan(0);
    expect(broken).to.deep.equal([]);
  });
});
