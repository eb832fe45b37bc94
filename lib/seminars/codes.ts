/**
 * Code lists the validation checks against. ISO 3166-1 alpha-2 is written out (Intl has no
 * list of regions, and its display names accept reserved codes); ISO 4217 comes from the
 * ICU data Node ships, which is kept current with the standard.
 */
const ISO_3166_ALPHA2 = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
  'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

const countries = new Set(ISO_3166_ALPHA2);
const currencies = new Set(Intl.supportedValuesOf('currency'));

/** Every ISO 3166-1 alpha-2 code, for the form's country list. */
export const COUNTRY_CODES: readonly string[] = Object.freeze([...ISO_3166_ALPHA2]);

/** Every ISO 4217 code this Node knows, for the form's currency list. */
export const CURRENCY_CODES: readonly string[] = Object.freeze([...currencies].sort());

export function isCountryCode(code: string): boolean {
  return countries.has(code);
}

export function isCurrencyCode(code: string): boolean {
  return currencies.has(code);
}
