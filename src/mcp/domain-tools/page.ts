import type { Domain } from '../domain.js';
import type { FieldMap } from '../fields.js';
import type { OdooRecord } from '../records.js';
import { recordUrl } from '../render.js';
import type { ToolCall } from '../tool.js';

/** One `search_read` of a page, with what the total count needs. */
export interface PageRequest {
  model: string;
  domain: Domain;
  fields: string[];
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
 * Reads one page of records and counts the matches. A page shorter than the limit ends the
 * result, so the total follows from it, and `search_count` runs only when the page is full or
 * empty.
 */
export async function searchPage(call: ToolCall, request: PageRequest): Promise<Page> {
  const kwargs: Record<string, unknown> = {
    fields: request.fields,
    offset: request.offset,
    limit: request.limit,
    context: request.context,
  };
  if (request.order !== undefined) {
    kwargs.order = request.order;
  }
  const records = await call.odoo.executeKw<OdooRecord[]>(
    request.model,
    'search_read',
    [request.domain],
    kwargs,
  );
  const total = await totalCount(call, request, records.length);
  const end = request.offset + records.length;
  return { records, total, nextOffset: end < total ? end : null };
}

async function totalCount(call: ToolCall, request: PageRequest, found: number): Promise<number> {
  const pageEndsResult = found < request.limit && (found > 0 || request.offset === 0);
  if (pageEndsResult) {
    return request.offset + found;
  }
  const kwargs = { context: request.context };
  return call.odoo.executeKw<number>(request.model, 'search_count', [request.domain], kwargs);
}

/** Keeps the names of fields the model has, so that one Odoo version's absent field is skipped. */
export function presentFields(names: readonly string[], fields: FieldMap): string[] {
  return names.filter((name) => fields.has(name));
}

/** Builds a function that returns the web client link of a record of `model`. */
export async function linkMaker(call: ToolCall, model: string): Promise<(id: number) => string> {
  const version = await call.odoo.version();
  return (id) => recordUrl(call.session.odooWebUrl, version, model, id);
}
