import { TtlCache } from '../util/ttl-cache.js';
import { ToolError } from './errors.js';
import type { OdooCalls } from './tool.js';

/** One field of a model, from `fields_get`. */
export interface FieldInfo {
  name: string;
  /** Odoo's field type: char, text, html, many2one, monetary, selection, binary, … */
  type: string;
  /** The field's label (`string`), in the language of the call. */
  label: string;
  /** The related model of a relational field. */
  relation?: string;
  /** `[value, label]` pairs of a selection field. */
  selection?: Array<[string | number, string]>;
  required: boolean;
  readonly: boolean;
  /** Whether the value is stored in the database; unknown when Odoo left the attribute out. */
  store?: boolean;
  /** The field that contains the currency of a monetary field (Odoo's `currency_field`). */
  currencyField?: string;
}

/** A model's fields by name, in the order `fields_get` returned them. */
export type FieldMap = ReadonlyMap<string, FieldInfo>;

export const FIELD_ATTRIBUTES = [
  'string',
  'type',
  'relation',
  'selection',
  'required',
  'readonly',
  'store',
  'currency_field',
];

export interface FieldsCacheOptions {
  /** Maximum number of (person, model) entries. Default 500. */
  maxEntries?: number;
  /** How long a model's fields are reused, in milliseconds. Default 10 minutes. */
  ttlMs?: number;
  nowMs?: () => number;
}

/**
 * Caches `fields_get` per person and model. The key contains the uid because Odoo leaves out
 * the fields whose groups the person lacks. Records are never cached.
 */
export class FieldsCache {
  private readonly entries: TtlCache<string, FieldMap>;

  constructor(options: FieldsCacheOptions = {}) {
    const ttlMs = options.ttlMs ?? 10 * 60_000;
    this.entries = new TtlCache(options.maxEntries ?? 500, ttlMs, options.nowMs);
  }

  /** Returns the fields of `model` visible to `uid`, calling `fields_get` on a miss. */
  async fields(calls: OdooCalls, uid: number, model: string): Promise<FieldMap> {
    const key = JSON.stringify([calls.server.url.href, calls.server.db, uid, model]);
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const kwargs = { attributes: FIELD_ATTRIBUTES };
    const result = await calls.executeKw(model, 'fields_get', [], kwargs);
    const fields = parseFieldsGet(result);
    this.entries.set(key, fields);
    return fields;
  }
}

/** Reads the result of `fields_get`, tolerating attributes that an Odoo version leaves out. */
export function parseFieldsGet(result: unknown): FieldMap {
  const fields = new Map<string, FieldInfo>();
  if (typeof result !== 'object' || result === null) {
    return fields;
  }
  for (const [name, description] of Object.entries(result)) {
    fields.set(name, toFieldInfo(name, description as Record<string, unknown>));
  }
  return fields;
}

function toFieldInfo(name: string, description: Record<string, unknown>): FieldInfo {
  const info: FieldInfo = {
    name,
    type: typeof description.type === 'string' ? description.type : 'unknown',
    label: typeof description.string === 'string' ? description.string : name,
    required: description.required === true,
    readonly: description.readonly === true,
  };
  if (typeof description.relation === 'string') {
    info.relation = description.relation;
  }
  if (Array.isArray(description.selection)) {
    info.selection = description.selection.filter(isSelectionPair);
  }
  if (typeof description.store === 'boolean') {
    info.store = description.store;
  }
  if (typeof description.currency_field === 'string') {
    info.currencyField = description.currency_field;
  }
  return info;
}

function isSelectionPair(value: unknown): value is [string | number, string] {
  if (!Array.isArray(value) || value.length !== 2) {
    return false;
  }
  const [key, label] = value;
  return (typeof key === 'string' || typeof key === 'number') && typeof label === 'string';
}

/**
 * Throws an `unknown_field` error unless every name is a field of the model. Only the first
 * part of a path is checked: the rest names fields of a related model.
 */
export function checkFieldNames(
  paths: readonly string[],
  fields: FieldMap,
  model: string,
  argument: string,
): void {
  for (const path of paths) {
    const name = path.split('.')[0] ?? path;
    if (fields.has(name)) {
      continue;
    }
    throw new ToolError(
      'unknown_field',
      `${model} has no field "${name}" (in ${argument}).${didYouMean(name, fields)} ` +
        `describe_model with model "${model}" lists its fields.`,
    );
  }
}

/** Builds " Did you mean "a", "b"?" for an unknown field name, or "" without close names. */
export function didYouMean(name: string, fields: FieldMap): string {
  const suggestions = closestNames(name, [...fields.keys()]);
  if (suggestions.length === 0) {
    return '';
  }
  return ` Did you mean ${suggestions.map((suggestion) => `"${suggestion}"`).join(', ')}?`;
}

/**
 * Rejects sorting by a field that is not stored: Odoo sorts in SQL and refuses it. A dotted
 * path sorts by the many2one's own order and is left to Odoo.
 */
export function checkSortable(paths: readonly string[], fields: FieldMap, model: string): void {
  for (const path of paths) {
    const field = fields.get(path);
    if (field?.store !== false) {
      continue;
    }
    const stored = [...fields.values()]
      .filter((candidate) => candidate.store === true && candidate.type !== 'binary')
      .map((candidate) => candidate.name);
    const suggestions = closestNames(path, stored).map((name) => `"${name}"`);
    const hint =
      suggestions.length === 0 ? '' : ` Stored fields close to it: ${suggestions.join(', ')}.`;
    throw new ToolError(
      'invalid_order',
      `${model} cannot be sorted by "${path}" because the field is computed and not stored.${hint}`,
    );
  }
}

/** Up to five names close to `name`: names containing it first, then by edit distance. */
export function closestNames(name: string, candidates: readonly string[]): string[] {
  const target = name.toLowerCase();
  const maxDistance = Math.max(2, Math.floor(target.length / 3));
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    if (lower.includes(target) || target.includes(lower)) {
      scored.push({ candidate, score: Math.abs(lower.length - target.length) / 100 });
      continue;
    }
    const distance = editDistance(target, lower);
    if (distance <= maxDistance) {
      scored.push({ candidate, score: distance });
    }
  }
  scored.sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, 5).map((entry) => entry.candidate);
}

/**
 * Finds fields whose label shares the start of a word with the name asked for, so that
 * "salesman_id" finds `user_id` ("Salesperson"), which no spelling distance would.
 */
export function labelMatches(name: string, fields: FieldMap): string[] {
  const words = name
    .toLowerCase()
    .replace(/_ids?$/, '')
    .split(/[_\s.]+/)
    .filter((word) => word.length >= 4);
  const matches: string[] = [];
  for (const field of fields.values()) {
    const labelWords = field.label.toLowerCase().split(/[^a-z0-9]+/);
    const shared = words.some((word) =>
      labelWords.some((labelWord) => labelWord.length >= 4 && commonPrefix(word, labelWord) >= 5),
    );
    if (shared) {
      matches.push(field.name);
    }
  }
  return matches.slice(0, 3);
}

function commonPrefix(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) {
    length += 1;
  }
  return length;
}

/** Levenshtein distance, with one row of memory. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const ORDER_TERM = /^([A-Za-z_][A-Za-z0-9_.]*)(\s+(asc|desc))?(\s+nulls\s+(first|last))?$/i;

/**
 * Checks an `order` argument such as "date_order desc, id" and returns its field paths.
 * Throws an `invalid_order` error for anything else, so no SQL-like text reaches Odoo.
 */
export function parseOrder(order: string): string[] {
  const paths: string[] = [];
  for (const term of order.split(',')) {
    const match = ORDER_TERM.exec(term.trim());
    if (match === null || match[1] === undefined) {
      throw new ToolError(
        'invalid_order',
        `Invalid order ${JSON.stringify(order)}: each comma-separated part is a field name, ` +
          'optionally followed by asc or desc. Example: "date_order desc, id".',
      );
    }
    paths.push(match[1]);
  }
  return paths;
}
