import { ToolError } from '../errors.js';
import type { ToolCall } from '../tool.js';
import type { RecordReference } from './arguments.js';

/**
 * Maximum number of records one name may match, because a name that matches more is too vague
 * to filter on.
 */
export const MAX_NAME_MATCHES = 200;

/** Matches listed as suggestions when a name matches nothing. */
const MAX_SUGGESTIONS = 5;

/** The model and argument of a name or id given as a filter. */
export interface LookupTarget {
  model: string;
  /** The tool argument the value came in, such as "customer". */
  argument: string;
  /** Name of the records in messages, such as "customer". */
  noun: string;
  /** Whether archived records match too, as they should for filters on past documents. */
  includeArchived?: boolean;
}

/** A record a lookup found: its id and display name. */
export interface FoundRecord {
  id: number;
  name: string;
}

/**
 * Finds the records a filter argument names: the record with that id, or the records whose
 * name Odoo's `name_search` matches (for contacts also email and reference, for products also
 * internal reference and barcode). Raises a ToolError when nothing matches, listing close
 * names, and when the name matches more than `MAX_NAME_MATCHES` records, because a filter must
 * never be dropped or cut silently.
 */
export async function lookupRecords(
  call: ToolCall,
  target: LookupTarget,
  reference: RecordReference,
  context: Record<string, unknown>,
): Promise<FoundRecord[]> {
  const lookupContext = target.includeArchived ? { ...context, active_test: false } : context;
  if (typeof reference === 'number') {
    return [await recordById(call, target, reference, lookupContext)];
  }
  const found = await searchNames(call, target, reference, context);
  if (found.length === 0) {
    throw await noMatchError(call, target, reference, lookupContext);
  }
  return found;
}

/**
 * Returns the records whose name Odoo's `name_search` matches, possibly none. Raises a
 * ToolError when the name matches more than `MAX_NAME_MATCHES` records.
 */
export async function searchNames(
  call: ToolCall,
  target: LookupTarget,
  name: string,
  context: Record<string, unknown>,
): Promise<FoundRecord[]> {
  const lookupContext = target.includeArchived ? { ...context, active_test: false } : context;
  const found = await nameSearch(call, target.model, name, MAX_NAME_MATCHES + 1, lookupContext);
  if (found.length > MAX_NAME_MATCHES) {
    throw new ToolError(
      'invalid_value',
      `More than ${MAX_NAME_MATCHES} records of ${target.model} match "${name}" ` +
        `(argument ${target.argument}); give more of the name, or an id.`,
    );
  }
  return found;
}

/** Returns the ids of found records. */
export function idsOf(records: readonly FoundRecord[]): number[] {
  return records.map((record) => record.id);
}

/** Lists found records for a note or message: "Azure Interior (id 14), …", at most 5 names. */
export function describeFound(records: readonly FoundRecord[]): string {
  const listed = records
    .slice(0, MAX_SUGGESTIONS)
    .map((record) => `${record.name} (id ${record.id})`);
  const more =
    records.length > MAX_SUGGESTIONS ? ` and ${records.length - MAX_SUGGESTIONS} more` : '';
  return `${listed.join(', ')}${more}`;
}

/** Companies named in a note on partner matches; the others are counted. */
const MAX_LISTED_COMPANIES = 3;

/** The partners a name matched under one commercial entity (a company or a lone person). */
interface PartnerGroup {
  company: FoundRecord;
  companyMatched: boolean;
  contacts: FoundRecord[];
}

/**
 * Lists partner matches for a note by company: "Gemini Furniture (id 10) and 3 of its
 * contacts", at most three companies. A child_of filter on a company already covers its
 * contacts, so listing every contact would repeat it. One match needs no grouping, so only
 * several matches cost a `read` of their `commercial_partner_id`.
 */
export async function describePartnerMatches(
  call: ToolCall,
  found: readonly FoundRecord[],
  context: Record<string, unknown>,
): Promise<string> {
  if (found.length <= 1) {
    return describeFound(found);
  }
  const rows = await call.odoo.executeKw<Array<{ id: number; commercial_partner_id?: unknown }>>(
    'res.partner',
    'read',
    [idsOf(found)],
    { fields: ['commercial_partner_id'], context },
  );
  const groups = groupByCompany(found, rows);
  const listed = groups.slice(0, MAX_LISTED_COMPANIES).map(describeGroup);
  const more = groups.length - listed.length;
  return more > 0 ? `${listed.join(', ')} and ${more} more` : listed.join(', ');
}

function groupByCompany(
  found: readonly FoundRecord[],
  rows: Array<{ id: number; commercial_partner_id?: unknown }>,
): PartnerGroup[] {
  const companyOf = new Map(rows.map((row) => [row.id, row.commercial_partner_id]));
  const groups = new Map<number, PartnerGroup>();
  for (const record of found) {
    const company = companyReference(companyOf.get(record.id)) ?? record;
    const group = groups.get(company.id) ?? { company, companyMatched: false, contacts: [] };
    if (company.id === record.id) {
      group.companyMatched = true;
    } else {
      group.contacts.push(record);
    }
    groups.set(company.id, group);
  }
  return [...groups.values()];
}

function companyReference(value: unknown): FoundRecord | undefined {
  if (Array.isArray(value) && typeof value[0] === 'number') {
    return { id: value[0], name: typeof value[1] === 'string' ? value[1] : `${value[0]}` };
  }
  return undefined;
}

function describeGroup(group: PartnerGroup): string {
  const company = `${group.company.name} (id ${group.company.id})`;
  const count = group.contacts.length;
  if (group.companyMatched) {
    return count === 0 ? company : `${company} and ${count} of its contacts`;
  }
  const [only] = group.contacts;
  return count === 1 && only !== undefined
    ? `${only.name} (id ${only.id})`
    : `${count} contacts of ${company}`;
}

async function recordById(
  call: ToolCall,
  target: LookupTarget,
  id: number,
  context: Record<string, unknown>,
): Promise<FoundRecord> {
  const rows = await call.odoo.executeKw<Array<{ id: number; display_name?: unknown }>>(
    target.model,
    'search_read',
    [[['id', '=', id]]],
    { fields: ['display_name'], context },
  );
  const row = rows[0];
  if (row === undefined) {
    throw new ToolError(
      'invalid_value',
      `No ${target.noun} has id ${id} (argument ${target.argument}), or Odoo does not let ` +
        `${call.session.person.email} see it. Pass a name instead, or look it up with ` +
        `find_by_name on ${target.model}.`,
    );
  }
  return { id: row.id, name: typeof row.display_name === 'string' ? row.display_name : `${id}` };
}

/**
 * Calls `name_search` with keyword arguments only, because 17.0 and 18.0 call its extra
 * domain `args` and 19.0 calls it `domain`.
 */
async function nameSearch(
  call: ToolCall,
  model: string,
  name: string,
  limit: number,
  context: Record<string, unknown>,
): Promise<FoundRecord[]> {
  const kwargs = { name, operator: 'ilike', limit, context };
  const result = await call.odoo.executeKw<unknown>(model, 'name_search', [], kwargs);
  if (!Array.isArray(result)) {
    return [];
  }
  const found: FoundRecord[] = [];
  for (const pair of result) {
    if (Array.isArray(pair) && typeof pair[0] === 'number') {
      found.push({ id: pair[0], name: typeof pair[1] === 'string' ? pair[1] : `${pair[0]}` });
    }
  }
  return found;
}

/** Builds the error for a name that matches nothing, listing close names when there are any. */
export async function noMatchError(
  call: ToolCall,
  target: LookupTarget,
  name: string,
  context: Record<string, unknown>,
): Promise<ToolError> {
  const suggestions = await closeNames(call, target.model, name, context);
  const start = `No ${target.noun} matches "${name}" (argument ${target.argument}).`;
  const lookUp = `look the name up with find_by_name on ${target.model}`;
  if (suggestions.length === 0) {
    return new ToolError(
      'invalid_value',
      `${start} No name contains any word of it either. Check the spelling, or ${lookUp}.`,
    );
  }
  const listed = suggestions.map((suggestion) => `"${suggestion}"`).join(', ');
  return new ToolError(
    'invalid_value',
    `${start} Names that share a word or its start: ${listed}. Pass one of them, or ${lookUp}.`,
  );
}

/**
 * Looks for names that share a word of `name`, or the first three letters of its first word,
 * which finds the name meant when a later letter is mistyped. At most four `name_search` calls.
 */
export async function closeNames(
  call: ToolCall,
  model: string,
  name: string,
  context: Record<string, unknown>,
): Promise<string[]> {
  const words = name.split(/[\s,.;:/()-]+/).filter((word) => word.length >= 3);
  const fragments = [...new Set([...words.slice(0, 3), ...words.slice(0, 1).map(firstLetters)])];
  const names = new Set<string>();
  for (const fragment of fragments.slice(0, 4)) {
    for (const record of await nameSearch(call, model, fragment, MAX_SUGGESTIONS, context)) {
      names.add(record.name);
    }
  }
  return [...names].slice(0, MAX_SUGGESTIONS);
}

function firstLetters(word: string): string {
  return word.slice(0, 3);
}
