import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_SPECIALTIES } from '../../lib/specialties/defaults';
import {
  addSpecialty, listSpecialties, reorderSpecialties, seedDefaultTaxonomy, displayName, slugFromName,
} from '../../lib/specialties/taxonomy';
import { renameSpecialty, setSpecialtyEnabled, mergeSpecialties, setSpecialtyPolicy } from '../../lib/specialties/admin';
import { keys } from '../../lib/specialties/keys';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { installSpecialtyStandIns } from '../harness/specialties-stand-ins';
import { refusal } from '../harness/refusal';

const languagesDir = join(__dirname, '..', '..', '..', 'languages');

describe('specialties: taxonomy', () => {
  before(() => { installSpecialtyStandIns(testDatabase()); });
  after(() => { provideTestNodeBB(testDatabase()); });
  beforeEach(async () => { await testDatabase().flushAll(); });

  describe('the default list', () => {
    it('has at least 40 specialties plus General Practice, with unique well-formed slugs', () => {
      const slugs = DEFAULT_SPECIALTIES.map(s => s.slug);
      expect(slugs).to.include('general-practice');
      expect(slugs.filter(s => s !== 'general-practice').length).to.be.at.least(40);
      expect(new Set(slugs).size).to.equal(slugs.length);
      for (const slug of slugs) {
        expect(slug).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      }
      for (const entry of DEFAULT_SPECIALTIES) {
        expect(entry.en.trim(), entry.slug).to.not.equal('');
        expect(entry.id.trim(), entry.slug).to.not.equal('');
        expect(entry.en).to.not.include(':');
      }
    });

    it('carries the Indonesian specialist titles the issue names', () => {
      const title = (slug: string): string | undefined => DEFAULT_SPECIALTIES.find(s => s.slug === slug)?.title;
      expect(title('cardiology')).to.equal('Sp.JP');
      expect(DEFAULT_SPECIALTIES.find(s => s.slug === 'cardiology')?.id).to.equal('Jantung dan Pembuluh Darah');
      expect(title('paediatrics')).to.equal('Sp.A');
      expect(title('obstetrics-gynaecology')).to.equal('Sp.OG');
      expect(title('internal-medicine')).to.equal('Sp.PD');
      expect(title('radiology')).to.equal('Sp.Rad');
      expect(title('dermatology')).to.equal('Sp.DVE');
      expect(title('neurology')).to.equal('Sp.N');
      expect(title('general-practice')).to.equal(undefined);
    });

    it('has a name for every default slug in en-GB, id, sv and nl', () => {
      for (const lang of ['en-GB', 'id', 'sv', 'nl']) {
        const strings = JSON.parse(readFileSync(join(languagesDir, lang, 'physician-network.json'), 'utf8')) as Record<string, string>;
        for (const { slug } of DEFAULT_SPECIALTIES) {
          expect(strings[`specialties.name.${slug}`], `${lang} ${slug}`).to.be.a('string').and.not.equal('');
        }
      }
    });
  });

  it('seeds once: a second seed keeps the admin\'s changes', async () => {
    expect(await seedDefaultTaxonomy()).to.equal(DEFAULT_SPECIALTIES.length);
    await renameSpecialty('cardiology', 'Heart Medicine');
    expect(await seedDefaultTaxonomy()).to.equal(0);
    const records = await listSpecialties();
    expect(records).to.have.length(DEFAULT_SPECIALTIES.length);
    expect(records.find(r => r.slug === 'cardiology')?.name).to.equal('Heart Medicine');
    expect(records.map(r => r.slug)).to.deep.equal(DEFAULT_SPECIALTIES.map(s => s.slug));
  });

  it('adds a specialty with a new stable slug, shown by its own name', async () => {
    await seedDefaultTaxonomy();
    const added = await addSpecialty({ name: '  Tropical   Medicine ', nameId: 'Kedokteran Tropis', title: '' });
    expect(added.slug).to.equal('tropical-medicine');
    expect(added.name).to.equal('Tropical Medicine');
    expect(displayName(added)).to.equal('Tropical Medicine');
    const records = await listSpecialties();
    expect(records[records.length - 1]?.slug).to.equal('tropical-medicine');
    expect(slugFromName('Radiology', new Set(['radiology']))).to.equal('radiology-2');
  });

  it('renames without changing the slug', async () => {
    await seedDefaultTaxonomy();
    const renamed = await renameSpecialty('radiology', 'Diagnostic Imaging');
    expect(renamed.slug).to.equal('radiology');
    expect(displayName(renamed)).to.equal('Diagnostic Imaging');
    const untouched = (await listSpecialties()).find(r => r.slug === 'urology');
    expect(untouched && displayName(untouched)).to.equal('[[physician-network:specialties.name.urology]]');
  });

  it('re-orders when given every slug once', async () => {
    await seedDefaultTaxonomy();
    const slugs = DEFAULT_SPECIALTIES.map(s => s.slug).reverse();
    const reordered = await reorderSpecialties(slugs);
    expect(reordered.map(r => r.slug)).to.deep.equal(slugs);
    expect((await listSpecialties()).map(r => r.slug)).to.deep.equal(slugs);
  });

  describe('refuses bad input with a translated error and changes nothing', () => {
    const cases: [string, () => Promise<unknown>, string][] = [
      ['an empty name on add', () => addSpecialty({ name: '   ' }), 'error.specialties-name-empty'],
      ['a duplicate name on add (any case)', () => addSpecialty({ name: 'CARDIOLOGY' }), 'error.specialties-name-taken'],
      ['a colon in a name', () => addSpecialty({ name: 'Cardio: Heart' }), 'error.specialties-name-invalid'],
      ['an empty name on rename', () => renameSpecialty('cardiology', ''), 'error.specialties-name-empty'],
      ['a duplicate name on rename', () => renameSpecialty('cardiology', 'Radiology'), 'error.specialties-name-taken'],
      ['an unknown slug on rename', () => renameSpecialty('astrology', 'Stars'), 'error.specialties-unknown'],
      ['an unknown slug on disable', () => setSpecialtyEnabled('astrology', false), 'error.specialties-unknown'],
      ['an unknown policy', () => setSpecialtyPolicy('cardiology', 'open-to-all'), 'error.specialties-unknown-policy'],
      ['merging into itself', () => mergeSpecialties('cardiology', 'cardiology', 1), 'error.specialties-merge-into-itself'],
      ['merging an unknown slug', () => mergeSpecialties('astrology', 'cardiology', 1), 'error.specialties-unknown'],
      ['merging into an unknown slug', () => mergeSpecialties('cardiology', 'astrology', 1), 'error.specialties-unknown'],
      ['an order naming an unknown slug', () => reorderSpecialties(['astrology']), 'error.specialties-unknown'],
      ['an order missing slugs', () => reorderSpecialties(['cardiology', 'radiology']), 'error.specialties-order-incomplete'],
      ['an order naming one twice', () => reorderSpecialties([...DEFAULT_SPECIALTIES.map(s => s.slug).slice(1), 'cardiology']), 'error.specialties-order-incomplete'],
    ];
    for (const [what, work, key] of cases) {
      it(what, async () => {
        await seedDefaultTaxonomy();
        const before = await testDatabase().getObject(keys.taxonomy);
        const err = await refusal(work());
        expect(err.key).to.equal(key);
        expect(err.message).to.match(/^\[\[physician-network:error\.specialties-/);
        expect(await testDatabase().getObject(keys.taxonomy)).to.deep.equal(before);
      });
    }
  });
});
