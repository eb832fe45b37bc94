/**
 * The verification form's rules: each registration type's number shape (with real NPIs),
 * and one translated key per broken rule.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

import { UserFacingError } from '../../lib/common/user-error';
import type { RegistrationType } from '../../lib/verification/model';
import {
  isCountryCode, luhnValid, licenceExpiresAt, normaliseRegistrationNumber, npiCheckDigitValid, validateVerificationForm, type VerificationForm,
} from '../../lib/verification/registration';
import { registryLookupLink } from '../../lib/verification/registry-links';

const NOW = Date.UTC(2026, 10, 22, 12);
const known = new Set(['cardiology', 'general-practice', 'paediatrics', 'radiology']);
const rules = { maxSpecialties: 3, isKnownSpecialty: async (slug: string) => known.has(slug), now: NOW };

function validForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    fullName: 'Dr. Siti Rahmawati',
    registrationType: 'npi',
    registrationNumber: '1234567893',
    specialties: ['cardiology'],
    institution: 'RS Cipto Mangunkusumo',
    consent: true,
    ...overrides,
  };
}

async function refusalKey(input: Record<string, unknown>): Promise<string> {
  try {
    await validateVerificationForm(input, rules);
  } catch (error) {
    expect(error).to.be.instanceOf(UserFacingError);
    return (error as UserFacingError).key;
  }
  throw new Error('expected the form to be refused');
}

function numberKey(type: Parameters<typeof normaliseRegistrationNumber>[0], value: string): string {
  try {
    normaliseRegistrationNumber(type, value);
  } catch (error) {
    return (error as UserFacingError).key;
  }
  return 'accepted';
}

describe('verification: registration numbers', () => {
  it('accepts real NPIs whose Luhn check over 80840 passes', () => {
    // 1234567893 is the example in CMS's check-digit paper; the other two are NPIs from public NPPES data.
    for (const npi of ['1234567893', '1003000126', '1245319599']) {
      expect(npiCheckDigitValid(npi), npi).to.equal(true);
    }
    expect(normaliseRegistrationNumber('npi', ' 1234-567893 ')).to.equal('1234567893');
  });

  it('refuses NPIs with a wrong check digit or shape, each with its own key', () => {
    for (const npi of ['1234567890', '1234567894', '1003000127', '0000000001']) {
      expect(numberKey('npi', npi), npi).to.equal('error.verification-npi-check-digit');
    }
    for (const npi of ['123456789', '12345678931', '12345678a3', '']) {
      expect(numberKey('npi', npi), npi).to.equal(npi === '' ? 'error.verification-number-required' : 'error.verification-npi-format');
    }
  });

  it('computes the Luhn check as ISO 7812 does', () => {
    expect(luhnValid('79927398713')).to.equal(true);
    expect(luhnValid('79927398710')).to.equal(false);
    expect(luhnValid('80840123456789')).to.equal(false);
    expect(luhnValid('808401234567893')).to.equal(true);
  });

  it('GMC: 7 digits', () => {
    expect(normaliseRegistrationNumber('gmc', '7 012 345')).to.equal('7012345');
    for (const bad of ['701234', '70123456', 'GMC1234', '7O12345']) {
      expect(numberKey('gmc', bad), bad).to.equal('error.verification-gmc-format');
    }
  });

  it('BIG: 11 digits', () => {
    expect(normaliseRegistrationNumber('big', '19012345601')).to.equal('19012345601');
    expect(normaliseRegistrationNumber('big', '190.123.456.01')).to.equal('19012345601');
    for (const bad of ['1901234560', '190123456012', 'BIG19012345']) {
      expect(numberKey('big', bad), bad).to.equal('error.verification-big-format');
    }
  });

  it('STR: 10 to 20 digits, with spaces, dots, hyphens or slashes as printed', () => {
    expect(normaliseRegistrationNumber('str', '3121 1002 2014 5869')).to.equal('3121100220145869');
    expect(normaliseRegistrationNumber('str', '31.2.1.100.2.20.145869')).to.equal('3121100220145869');
    for (const bad of ['123456789', '1'.repeat(21), 'STR-1234567890', '3121 1002 2014 586X']) {
      expect(numberKey('str', bad), bad).to.equal('error.verification-str-format');
    }
  });

  it('Sweden: 6 to 9 digits, and never a personnummer', () => {
    expect(normaliseRegistrationNumber('se-legitimation', '123 456')).to.equal('123456');
    expect(normaliseRegistrationNumber('se-legitimation', '1234567')).to.equal('1234567');
    for (const bad of ['12345', '8001011234', '198001011234', '19800101-1234', 'ABC123']) {
      expect(numberKey('se-legitimation', bad), bad).to.equal('error.verification-se-format');
    }
  });

  it('other: bounded printable text', () => {
    expect(normaliseRegistrationNumber('other', ' MCI/2011/12345 ')).to.equal('MCI/2011/12345');
    expect(numberKey('other', 'x'.repeat(65))).to.equal('error.verification-other-number-format');
    expect(numberKey('other', 'abc\u0000')).to.equal('error.verification-other-number-format');
  });

  it('knows ISO country codes and refuses made-up or reserved ones', () => {
    expect(isCountryCode('IN')).to.equal(true);
    expect(isCountryCode('DE')).to.equal(true);
    expect(isCountryCode('QQ')).to.equal(false);
    expect(isCountryCode('ZZ')).to.equal(false);
    expect(isCountryCode('de')).to.equal(false);
  });
});

describe('verification: the form', () => {
  it('accepts a complete form and normalises it', async () => {
    const form: VerificationForm = await validateVerificationForm(validForm({
      fullName: '  Dr. Siti Rahmawati ', inTraining: 'on', licenceExpiry: '2030-01-31', registrationNumber: '1234 567 893',
    }), rules);
    expect(form).to.deep.equal({
      fullName: 'Dr. Siti Rahmawati',
      registrationType: 'npi',
      registrationNumber: '1234567893',
      country: 'US',
      specialties: ['cardiology'],
      inTraining: true,
      institution: 'RS Cipto Mangunkusumo',
      licenceExpiry: '2030-01-31',
    });
  });

  it('takes the country from "other" and checks it', async () => {
    const form = await validateVerificationForm(validForm({ registrationType: 'other', registrationNumber: 'MCI-12345', country: 'in' }), rules);
    expect(form.country).to.equal('IN');
    expect(await refusalKey(validForm({ registrationType: 'other', registrationNumber: 'MCI-12345' }))).to.equal('error.verification-country-invalid');
    expect(await refusalKey(validForm({ registrationType: 'other', registrationNumber: 'MCI-12345', country: 'XX' }))).to.equal('error.verification-country-invalid');
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ['missing name', { fullName: undefined }, 'error.verification-full-name-required'],
    ['one-letter name', { fullName: 'A' }, 'error.verification-full-name-required'],
    ['over-long name', { fullName: 'A'.repeat(201) }, 'error.verification-full-name-too-long'],
    ['name without letters', { fullName: '12345' }, 'error.verification-full-name-invalid'],
    ['unknown type', { registrationType: 'dea' }, 'error.verification-type-invalid'],
    ['missing number', { registrationNumber: undefined }, 'error.verification-number-required'],
    ['blank number', { registrationNumber: '   ' }, 'error.verification-number-required'],
    ['bad NPI', { registrationNumber: '1234567890' }, 'error.verification-npi-check-digit'],
    ['GMC shape', { registrationType: 'gmc', registrationNumber: '123' }, 'error.verification-gmc-format'],
    ['no specialties', { specialties: [] }, 'error.verification-specialties-required'],
    ['specialties not a list', { specialties: 'cardiology' }, 'error.verification-specialties-required'],
    ['too many specialties', { specialties: ['cardiology', 'radiology', 'paediatrics', 'general-practice'] }, 'error.verification-specialties-too-many'],
    ['duplicate specialty', { specialties: ['cardiology', 'cardiology'] }, 'error.verification-specialties-duplicate'],
    ['malformed specialty', { specialties: ['Cardiology!'] }, 'error.verification-specialty-invalid'],
    ['specialty not in the taxonomy', { specialties: ['astrology'] }, 'error.verification-specialty-unknown'],
    ['bad in-training flag', { inTraining: 'perhaps' }, 'error.verification-in-training-invalid'],
    ['missing institution', { institution: '' }, 'error.verification-institution-required'],
    ['over-long institution', { institution: 'x'.repeat(201) }, 'error.verification-institution-too-long'],
    ['institution with control characters', { institution: 'RS\u0007X' }, 'error.verification-institution-invalid'],
    ['impossible expiry date', { licenceExpiry: '2030-02-30' }, 'error.verification-expiry-invalid'],
    ['expiry in another format', { licenceExpiry: '31/01/2030' }, 'error.verification-expiry-invalid'],
    ['expiry in the past', { licenceExpiry: '2026-11-21' }, 'error.verification-expiry-past'],
    ['missing consent', { consent: undefined }, 'error.verification-consent-required'],
    ['consent refused', { consent: false }, 'error.verification-consent-required'],
    ['consent "off"', { consent: 'off' }, 'error.verification-consent-required'],
  ];
  for (const [name, overrides, key] of cases) {
    it(`refuses ${name} with ${key}`, async () => {
      expect(await refusalKey(validForm(overrides))).to.equal(key);
    });
  }

  it('refuses something that is not a form at all', async () => {
    try {
      await validateVerificationForm('nonsense', rules);
      expect.fail('accepted');
    } catch (error) {
      expect((error as UserFacingError).key).to.equal('error.verification-form-invalid');
    }
  });

  it('names the limit in the too-many-specialties message', async () => {
    try {
      await validateVerificationForm(validForm({ specialties: ['cardiology', 'radiology'] }), { ...rules, maxSpecialties: 1 });
      expect.fail('accepted');
    } catch (error) {
      expect((error as UserFacingError).message).to.equal('[[physician-network:error.verification-specialties-too-many, 1]]');
    }
  });

  it('treats a licence as valid through its expiry day (UTC)', () => {
    expect(licenceExpiresAt('2030-01-31')).to.equal(Date.UTC(2030, 1, 1));
    expect(licenceExpiresAt('2030-13-01')).to.equal(null);
  });
});

describe('verification: one set of number rules for server and browser', () => {
  type Check = { ok: true; value: string } | { ok: false; key: string; args: number[] };

  /** The client build of the rules, as the browser gets it (an AMD module), evaluated on its own. */
  function clientRules(): { checkRegistrationNumber(type: string, raw: string): Check } {
    const source = readFileSync(join(__dirname, '..', '..', 'static', 'registration-rules.js'), 'utf8');
    const exports: Record<string, unknown> = {};
    const define = (deps: string[], factory: (...args: unknown[]) => void) => {
      factory(...deps.map(dep => (dep === 'exports' ? exports : undefined)));
    };
    runInNewContext(source, { define });
    return exports as unknown as ReturnType<typeof clientRules>;
  }

  it('the browser module imports nothing and judges every number as the server does', () => {
    const client = clientRules();
    const samples: [RegistrationType, string][] = [
      ['npi', '1234567893'], ['npi', '1234-567893'], ['npi', '1234567890'], ['npi', '123.4567893'], ['npi', ''],
      ['gmc', '7 012 345'], ['gmc', '701.2345'], ['gmc', '70123456'],
      ['big', '190.1234.5601'], ['big', '1901234560'], ['str', '3121 1002 2014 5869'], ['str', '31211/002'],
      ['se-legitimation', '123-456'], ['se-legitimation', '198001011234'],
      ['other', 'MD-12345'], ['other', 'x'.repeat(65)], ['other', 'bad\u0007'],
    ];
    for (const [type, raw] of samples) {
      const server = numberKey(type, raw) === 'accepted' ? { ok: true, value: normaliseRegistrationNumber(type, raw) } : { ok: false, key: numberKey(type, raw) };
      const browser = client.checkRegistrationNumber(type, raw);
      expect(browser.ok ? { ok: true, value: browser.value } : { ok: false, key: browser.key }, `${type} ${raw}`).to.deep.equal(server);
    }
  });
});

describe('verification: registry links', () => {
  it('prefills the NPPES and GMC lookups and links the others', () => {
    expect(registryLookupLink('npi', '1234567893')).to.deep.include({ url: 'https://npiregistry.cms.hhs.gov/provider-view/1234567893', prefilled: true });
    expect(registryLookupLink('gmc', '7012345')?.url).to.equal('https://www.gmc-uk.org/doctors/7012345');
    expect(registryLookupLink('big', '19012345601')).to.deep.include({ prefilled: false });
    expect(registryLookupLink('str', '3121100220145869')?.url).to.match(/^https:\/\/kki\.go\.id\//);
    expect(registryLookupLink('se-legitimation', '123456')?.url).to.match(/socialstyrelsen\.se/);
    expect(registryLookupLink('other', 'x')).to.equal(null);
  });

  it('never lets a number change the link beyond its path segment', () => {
    expect(registryLookupLink('gmc', '../../evil?x=1')?.url).to.equal('https://www.gmc-uk.org/doctors/..%2F..%2Fevil%3Fx%3D1');
  });
});
