import { OdooError } from '../odoo/errors.js';
import type { Domain } from './domain.js';
import type { FieldMap } from './fields.js';
import type { OdooRecord } from './records.js';
import type { ToolCall } from './tool.js';

/** The first major version whose `web_search_read` takes a field specification. */
const WEB_SEARCH_READ_SINCE = 17;

/** One page of a search, with what the total count needs. */
export interface PageRequest {
  model: string;
  domain: Domain;
  fields: string[];
  /** The model's fields, which tell how `web_search_read` must be asked for each one. */
  fieldMap: FieldMap;
  limit: number;
  offset: number;
  /** Odoo's sort order; the model's default order when absent. */
  order?: string;
  context: Record<string, unknown>;
}

/** The records of one page, how many match in all, and the offset of the next page. */
export interface Page {
  records: OdooRecord[];
  total: number;
  nextOffset: number | null;
}

/**
 * Reads one page of records and how many match in all. On Odoo 17 and later one
 * `web_search_read` returns both, in one round trip. Older servers get `search_read`, then
 * `search_count` when the page alone does not tell the total. Records come back in
 * `search_read`'s shape either way.
 */
export async function searchPage(call: ToolCall, request: PageRequest): Promise<Page> {
  const version = await call.odoo.version();
  const found =
    version.major >= WEB_SEARCH_READ_SINCE
      ? await webSearchRead(call, request)
      : await searchRead(call, request);
  const end = request.offset + found.records.length;
  return { ...found, nextOffset: end < found.total ? end : null };
}

async function searchRead(
  call: ToolCall,
  request: PageRequest,
): Promise<{ records: OdooRecord[]; total: number }> {
  const kwargs = pageKwargs(request, { fields: request.fields });
  const records = await call.odoo.executeKw<OdooRecord[]>(
    request.model,
    'search_read',
    [request.domain],
    kwargs,
  );
  const found = records.length;
  const pageEndsResult = found < request.limit && (found > 0 || request.offset === 0);
  const total = pageEndsResult ? request.offset + found : await countMatches(call, request);
  return { records, total };
}

async function webSearchRead(
  call: ToolCall,
  request: PageRequest,
): Promise<{ records: OdooRecord[]; total: number }> {
  const specification = webSpecification(request.fields, request.fieldMap);
  const kwargs = pageKwargs(request, { specification });
  const result = await call.odoo.executeKw<unknown>(
    request.model,
    'web_search_read',
    [request.domain],
    kwargs,
  );
  const { length, records } = checkWebSearchResult(result, request.model);
  const shaped = records.map((record) => fromWebRecord(record, request.fieldMap));
  // Odoo returns length 0 for an empty page, even past the end of a longer result.
  const total =
    shaped.length === 0 && request.offset > 0 ? await countMatches(call, request) : length;
  return { records: shaped, total };
}

function pageKwargs(request: PageRequest, read: Record<string, unknown>): Record<string, unknown> {
  const kwargs: Record<string, unknown> = {
    ...read,
    offset: request.offset,
    limit: request.limit,
    context: request.context,
  };
  if (request.order !== undefined) {
    kwargs.order = request.order;
  }
  return kwargs;
}

function countMatches(call: ToolCall, request: PageRequest): Promise<number> {
  const kwargs = { context: request.context };
  return call.odoo.executeKw<number>(request.model, 'search_count', [request.domain], kwargs);
}

/**
 * Builds the `web_search_read` specification of `fields`. A many2one requests the related
 * record's `display_name`, which Odoo reads as superuser as `read` does. Every other field,
 * x2many ones included (their ids), requests its plain value.
 */
export function webSpecification(
  fields: readonly string[],
  fieldMap: FieldMap,
): Record<string, object> {
  const specification: Record<string, object> = {};
  for (const name of fields) {
    const many2one = fieldMap.get(name)?.type === 'many2one';
    specification[name] = many2one ? { fields: { display_name: {} } } : {};
  }
  return specification;
}

/** Turns a record of `web_search_read` into `search_read`'s shape: a many2one as `[id, name]`. */
export function fromWebRecord(record: OdooRecord, fieldMap: FieldMap): OdooRecord {
  const result: OdooRecord = {};
  for (const [name, value] of Object.entries(record)) {
    const many2one = fieldMap.get(name)?.type === 'many2one';
    result[name] = many2one ? namedPair(value) : value;
  }
  return result;
}

function namedPair(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('id' in value)) {
    return value;
  }
  const related = value as { id: unknown; display_name?: unknown };
  return [related.id, related.display_name ?? false];
}

function checkWebSearchResult(
  result: unknown,
  model: string,
): { length: number; records: OdooRecord[] } {
  const shaped = result as { length?: unknown; records?: unknown } | null;
  if (
    typeof shaped !== 'object' ||
    shaped === null ||
    typeof shaped.length !== 'number' ||
    !Array.isArray(shaped.records)
  ) {
    const message = 'Odoo returned a web_search_read result without "length" and "records".';
    throw new OdooError('transport', message, { model, method: 'web_search_read' });
  }
  return { length: shaped.length, records: shaped.records as OdooRecord[] };
}
