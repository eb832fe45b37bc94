/**
 * Links to the public register a reviewer checks a number against. Links only: the
 * plugin never fetches a register. Prefilled where the register takes the number in its URL.
 */
import type { RegistrationType } from './model';

export type { RegistryLink } from '../shared/verification-shapes';
import type { RegistryLink } from '../shared/verification-shapes';

export function registryLookupLink(type: RegistrationType, registrationNumber: string): RegistryLink | null {
  const number = encodeURIComponent(registrationNumber);
  switch (type) {
    case 'npi':
      // NPPES NPI Registry: each provider has a public view addressed by the NPI.
      return { labelKey: 'verification.registry.npi', url: `https://npiregistry.cms.hhs.gov/provider-view/${number}`, prefilled: true };
    case 'gmc':
      // The GMC register addresses a doctor's entry by the GMC reference number.
      return { labelKey: 'verification.registry.gmc', url: `https://www.gmc-uk.org/doctors/${number}`, prefilled: true };
    case 'big':
      // The BIG-register search is a form; it takes no number in its URL.
      return { labelKey: 'verification.registry.big', url: 'https://zoeken.bigregister.nl/', prefilled: false };
    case 'str':
      // KKI's doctor check ("Cek Dokter") is a search form.
      return { labelKey: 'verification.registry.str', url: 'https://kki.go.id/cekdokter/form', prefilled: false };
    case 'se-legitimation':
      // Socialstyrelsen's HOSP lookup of licensed health-care staff (searched by name and birth date).
      return { labelKey: 'verification.registry.se-legitimation', url: 'https://hosp.socialstyrelsen.se/', prefilled: false };
    case 'other':
      return null;
  }
}
