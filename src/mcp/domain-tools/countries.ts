import type { ToolCall } from '../tool.js';
import type { RecordReference } from './arguments.js';
import {
  describeFound,
  type FoundRecord,
  idsOf,
  lookupRecords,
  noMatchError,
  searchNames,
} from './lookup.js';

/**
 * Short names and old names in everyday English for countries whose Odoo name (18.0 base data)
 * is different, with the ISO 3166-1 code they mean. A name search alone reads "USA" as "USA
 * Minor Outlying Islands" and "UK" as "Ukraine".
 */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  usa: 'US',
  'u.s.': 'US',
  'u.s.a.': 'US',
  'united states of america': 'US',
  uk: 'GB',
  'u.k.': 'GB',
  britain: 'GB',
  'great britain': 'GB',
  england: 'GB',
  uae: 'AE',
  holland: 'NL',
  russia: 'RU',
  turkey: 'TR',
  czechia: 'CZ',
  'ivory coast': 'CI',
};

const COUNTRY = { model: 'res.country', argument: 'country', noun: 'country' };

/** The countries a `country` argument stands for, and a note when the choice needs one. */
export interface CountryMatch {
  ids: number[];
  note?: string;
}

/**
 * Resolves a `country` argument. It tries in order an id, a two-letter ISO code, a country
 * whose name is exactly the text (in any case), a common alias such as "USA" or "UK", and last
 * every country whose name contains the text. Raises a ToolError with close names when nothing
 * matches.
 */
export async function resolveCountry(
  call: ToolCall,
  reference: RecordReference,
  context: Record<string, unknown>,
): Promise<CountryMatch> {
  if (typeof reference === 'number') {
    return { ids: idsOf(await lookupRecords(call, COUNTRY, reference, context)) };
  }
  const text = reference.trim();
  if (/^[A-Za-z]{2}$/.test(text)) {
    const ids = await countriesWithCode(call, text, context);
    if (ids.length > 0) {
      return { ids };
    }
  }
  const found = await searchNames(call, COUNTRY, text, context);
  const exact = found.filter((country) => country.name.toLowerCase() === text.toLowerCase());
  if (exact.length > 0 && exact.length === found.length) {
    return { ids: idsOf(exact) };
  }
  if (exact.length > 0) {
    return chosenCountries(reference, exact, found, 'the country of that exact name');
  }
  const aliasCode = COUNTRY_ALIASES[text.toLowerCase()];
  const aliased = aliasCode === undefined ? [] : await countriesNamed(call, aliasCode, context);
  if (aliased.length > 0) {
    return chosenCountries(reference, aliased, found, `what "${text}" means in common usage`);
  }
  if (found.length === 0) {
    throw await noMatchError(call, COUNTRY, text, context);
  }
  return { ids: idsOf(found), note: `country "${reference}" matched ${describeFound(found)}.` };
}

async function countriesWithCode(
  call: ToolCall,
  code: string,
  context: Record<string, unknown>,
): Promise<number[]> {
  const domain = [['code', '=ilike', code]];
  return call.odoo.executeKw<number[]>('res.country', 'search', [domain], { context });
}

/** Reads the id and name of the country with ISO code `code`, as a found record. */
async function countriesNamed(
  call: ToolCall,
  code: string,
  context: Record<string, unknown>,
): Promise<FoundRecord[]> {
  const rows = await call.odoo.executeKw<Array<{ id: number; display_name?: unknown }>>(
    'res.country',
    'search_read',
    [[['code', '=', code]]],
    { fields: ['display_name'], context },
  );
  return rows.map((row) => ({
    id: row.id,
    name: typeof row.display_name === 'string' ? row.display_name : code,
  }));
}

/** Builds the match of the countries chosen, with a note naming the others the name matched. */
function chosenCountries(
  reference: string,
  chosen: FoundRecord[],
  found: FoundRecord[],
  reason: string,
): CountryMatch {
  const ids = idsOf(chosen);
  const others = found.filter((country) => !ids.includes(country.id));
  const start = `country "${reference}" is taken as ${describeFound(chosen)}, ${reason}`;
  if (others.length === 0) {
    return { ids, note: `${start}.` };
  }
  const leftOut = others.length === 1 ? 'which is left out' : 'which are left out';
  return { ids, note: `${start}; the name also matches ${describeFound(others)}, ${leftOut}.` };
}
