/** Countries, states and cities of the demo data. Ids of countries follow Odoo's base data. */

export interface CountryData {
  id: number;
  code: string;
  name: string;
  phoneCode: number;
  /** The currency id, or false for a currency the demo does not have. */
  currencyId: number | false;
}

export const COUNTRIES: CountryData[] = [
  { id: 21, code: 'BE', name: 'Belgium', phoneCode: 32, currencyId: 2 },
  { id: 38, code: 'CA', name: 'Canada', phoneCode: 1, currencyId: 4 },
  { id: 57, code: 'DE', name: 'Germany', phoneCode: 49, currencyId: 2 },
  { id: 75, code: 'FR', name: 'France', phoneCode: 33, currencyId: 2 },
  { id: 156, code: 'MX', name: 'Mexico', phoneCode: 52, currencyId: 5 },
  { id: 229, code: 'UA', name: 'Ukraine', phoneCode: 380, currencyId: false },
  { id: 231, code: 'GB', name: 'United Kingdom', phoneCode: 44, currencyId: 3 },
  { id: 232, code: 'UM', name: 'USA Minor Outlying Islands', phoneCode: 699, currencyId: 1 },
  { id: 233, code: 'US', name: 'United States', phoneCode: 1, currencyId: 1 },
  { id: 240, code: 'VI', name: 'Virgin Islands (USA)', phoneCode: 1340, currencyId: 1 },
];

export interface StateData {
  id: number;
  code: string;
  name: string;
  countryId: number;
}

export const STATES: StateData[] = [
  { id: 13, code: 'CA', name: 'California', countryId: 233 },
  { id: 15, code: 'CO', name: 'Colorado', countryId: 233 },
  { id: 23, code: 'ID', name: 'Idaho', countryId: 233 },
  { id: 24, code: 'IL', name: 'Illinois', countryId: 233 },
  { id: 31, code: 'MA', name: 'Massachusetts', countryId: 233 },
  { id: 32, code: 'MI', name: 'Michigan', countryId: 233 },
  { id: 33, code: 'MN', name: 'Minnesota', countryId: 233 },
  { id: 45, code: 'NY', name: 'New York', countryId: 233 },
  { id: 48, code: 'OR', name: 'Oregon', countryId: 233 },
  { id: 54, code: 'TX', name: 'Texas', countryId: 233 },
  { id: 57, code: 'WA', name: 'Washington', countryId: 233 },
  { id: 59, code: 'WI', name: 'Wisconsin', countryId: 233 },
  { id: 533, code: 'ON', name: 'Ontario', countryId: 38 },
  { id: 534, code: 'BC', name: 'British Columbia', countryId: 38 },
  { id: 512, code: 'NLE', name: 'Nuevo León', countryId: 156 },
];

/** A city with what an address there needs: state, ZIP code and phone prefix. */
export interface CityData {
  city: string;
  stateCode: string | false;
  countryCode: string;
  zip: string;
  /** The phone number before the last four digits, such as "+1 415-555-". */
  phonePrefix: string;
  /** Whether the city is closer to the Chicago company than to San Francisco. */
  midwest?: boolean;
}

export const CITIES: Record<string, CityData> = {
  sanFrancisco: city('San Francisco', 'CA', 'US', '94107', '+1 415-555-'),
  oakland: city('Oakland', 'CA', 'US', '94612', '+1 510-555-'),
  berkeley: city('Berkeley', 'CA', 'US', '94704', '+1 510-555-'),
  paloAlto: city('Palo Alto', 'CA', 'US', '94301', '+1 650-555-'),
  sanJose: city('San Jose', 'CA', 'US', '95113', '+1 408-555-'),
  sacramento: city('Sacramento', 'CA', 'US', '95814', '+1 916-555-'),
  napa: city('Napa', 'CA', 'US', '94559', '+1 707-555-'),
  santaCruz: city('Santa Cruz', 'CA', 'US', '95060', '+1 831-555-'),
  losAngeles: city('Los Angeles', 'CA', 'US', '90012', '+1 213-555-'),
  pasadena: city('Pasadena', 'CA', 'US', '91101', '+1 626-555-'),
  sanDiego: city('San Diego', 'CA', 'US', '92101', '+1 619-555-'),
  eureka: city('Eureka', 'CA', 'US', '95501', '+1 707-555-'),
  fresno: city('Fresno', 'CA', 'US', '93721', '+1 559-555-'),
  portland: city('Portland', 'OR', 'US', '97204', '+1 503-555-'),
  seattle: city('Seattle', 'WA', 'US', '98101', '+1 206-555-'),
  boise: city('Boise', 'ID', 'US', '83702', '+1 208-555-'),
  denver: city('Denver', 'CO', 'US', '80202', '+1 303-555-'),
  austin: city('Austin', 'TX', 'US', '78701', '+1 512-555-'),
  dallas: city('Dallas', 'TX', 'US', '75201', '+1 214-555-'),
  chicago: { ...city('Chicago', 'IL', 'US', '60601', '+1 312-555-'), midwest: true },
  evanston: { ...city('Evanston', 'IL', 'US', '60201', '+1 847-555-'), midwest: true },
  milwaukee: { ...city('Milwaukee', 'WI', 'US', '53202', '+1 414-555-'), midwest: true },
  minneapolis: { ...city('Minneapolis', 'MN', 'US', '55401', '+1 612-555-'), midwest: true },
  detroit: { ...city('Detroit', 'MI', 'US', '48226', '+1 313-555-'), midwest: true },
  grandRapids: { ...city('Grand Rapids', 'MI', 'US', '49503', '+1 616-555-'), midwest: true },
  newYork: city('New York', 'NY', 'US', '10001', '+1 212-555-'),
  brooklyn: city('Brooklyn', 'NY', 'US', '11201', '+1 718-555-'),
  boston: city('Boston', 'MA', 'US', '02108', '+1 617-555-'),
  toronto: city('Toronto', 'ON', 'CA', 'M5H 2N2', '+1 416-555-'),
  vancouver: city('Vancouver', 'BC', 'CA', 'V6B 1A1', '+1 604-555-'),
  monterrey: city('Monterrey', 'NLE', 'MX', '64000', '+52 81 5555 '),
  london: city('London', false, 'GB', 'EC1A 1BB', '+44 20 7946 '),
  brussels: city('Brussels', false, 'BE', '1000', '+32 2 555 '),
  lyon: city('Lyon', false, 'FR', '69002', '+33 4 72 55 '),
  berlin: city('Berlin', false, 'DE', '10115', '+49 30 5555 '),
};

function city(
  name: string,
  stateCode: string | false,
  countryCode: string,
  zip: string,
  phonePrefix: string,
): CityData {
  return { city: name, stateCode, countryCode, zip, phonePrefix };
}

export const STREET_NAMES = [
  'Market Street',
  'Mission Street',
  'Howard Street',
  'Broadway',
  'Main Street',
  'Oak Avenue',
  'Park Avenue',
  'Lake Shore Drive',
  'Harbor Boulevard',
  'Innovation Way',
  'Commerce Drive',
  'Elm Street',
  'Pine Street',
  'Maple Avenue',
  'Industrial Parkway',
  'Riverside Drive',
];

export function countryByCode(code: string): CountryData {
  return COUNTRIES.find((country) => country.code === code)!;
}

export function stateOf(city: CityData): StateData | undefined {
  const country = countryByCode(city.countryCode);
  return STATES.find((state) => state.code === city.stateCode && state.countryId === country.id);
}
