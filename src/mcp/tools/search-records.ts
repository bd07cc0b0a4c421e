import { z } from 'zod';
import { companyContext } from '../company.js';
import { checkDomainValues, domainFieldPaths, parseDomain } from '../domain.js';
import { checkFieldNames, checkSortable, parseOrder } from '../fields.js';
import {
  DEFAULT_LIMIT,
  chooseFields,
  fieldsNote,
  type FieldChoice,
  type RecordPage,
  joinResultText,
  pageOfRecords,
  renderContextFor,
  sizeCapNote,
} from '../records.js';
import {
  companyArgument,
  domainArgument,
  fieldsArgument,
  limitArgument,
  modelArgument,
  nextOffsetSchema,
  notesSchema,
  offsetArgument,
  orderArgument,
  recordSchema,
} from '../schemas.js';
import { searchPage, type PageRequest } from '../search-page.js';
import type { ToolRunResult, ToolCall, ToolDefinition } from '../tool.js';

const inputSchema = z.object({
  model: modelArgument,
  domain: domainArgument.optional(),
  fields: fieldsArgument.optional(),
  order: orderArgument.optional(),
  limit: limitArgument.optional(),
  offset: offsetArgument.optional(),
  company: companyArgument.optional(),
});

const outputSchema = z.object({
  model: z.string(),
  fields: z.array(z.string()).describe('The fields read, besides id.'),
  records: z.array(recordSchema),
  total: z.number().int().describe('How many records match the domain in all.'),
  offset: z.number().int(),
  limit: z.number().int(),
  next_offset: nextOffsetSchema,
  notes: notesSchema,
});

type SearchInput = z.output<typeof inputSchema>;
type SearchOutput = z.output<typeof outputSchema>;

export const searchRecordsTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'search_records',
  title: 'Search Odoo records',
  description:
    'Find records of one Odoo model that match a domain, with the chosen fields, one page at a ' +
    'time. Use it to list or look up records: orders of a customer, unpaid invoices, products ' +
    'low in stock. It returns the records, how many match in all, and next_offset for the next ' +
    'page. Results are only what this person may see in Odoo. Use count_records when only the ' +
    'number matters, and describe_model first when you do not know the field names. Example: ' +
    'model "sale.order", domain [["state", "=", "sale"], ["partner_id.name", "ilike", "deco"]], ' +
    'fields ["name", "partner_id", "amount_total"], order "date_order desc", limit 10.',
  inputSchema,
  outputSchema,
  run: searchRecords,
};

async function searchRecords(
  args: SearchInput,
  call: ToolCall,
): Promise<ToolRunResult<SearchOutput>> {
  call.audit.model = args.model;
  const query = await prepareSearch(args, call);
  const found = await searchPage(call, query.page);
  const context = await renderContextFor(call, args.model, query.choice.fieldMap);
  return searchResult(args.model, query, pageOfRecords(found.records, context), found.total);
}

/** A checked search, ready to send. */
interface SearchQuery {
  choice: FieldChoice;
  page: PageRequest;
}

/**
 * Checks the arguments and builds the page request. The domain and order are checked
 * before the search, so a malformed domain never reaches Odoo.
 */
async function prepareSearch(args: SearchInput, call: ToolCall): Promise<SearchQuery> {
  const domain = parseDomain(args.domain ?? []);
  const orderPaths = args.order === undefined ? [] : parseOrder(args.order);
  const choice = await chooseFields(call, args.model, args.fields);
  checkFieldNames(domainFieldPaths(domain), choice.fieldMap, args.model, 'domain');
  checkDomainValues(domain, choice.fieldMap, args.model);
  call.domain = { domain, fields: choice.fieldMap };
  checkFieldNames(orderPaths, choice.fieldMap, args.model, 'order');
  checkSortable(orderPaths, choice.fieldMap, args.model);
  const context = await companyContext(call, args.company);
  const page: PageRequest = {
    model: args.model,
    domain,
    fields: choice.names,
    fieldMap: choice.fieldMap,
    limit: args.limit ?? DEFAULT_LIMIT,
    offset: args.offset ?? 0,
    context,
  };
  if (args.order !== undefined) {
    page.order = args.order;
  }
  return { choice, page };
}

function searchResult(
  model: string,
  query: SearchQuery,
  page: RecordPage,
  total: number,
): ToolRunResult<SearchOutput> {
  const shown = page.records.length;
  const end = query.page.offset + shown;
  const nextOffset = end < total ? end : null;
  const notes = [...page.notes, ...pagingNotes(page.omitted, nextOffset, total - end)];
  const fieldsLine = fieldsNote(query.choice);
  if (fieldsLine !== undefined) {
    notes.push(fieldsLine);
  }
  const structured: SearchOutput = {
    model,
    fields: query.choice.names,
    records: page.records,
    total,
    offset: query.page.offset,
    limit: query.page.limit,
    next_offset: nextOffset,
    notes,
  };
  const text = joinResultText(
    [summaryLine(model, total, query.page.offset, shown), page.text],
    notes,
  );
  return { structured, text, recordCount: shown };
}

function pagingNotes(omitted: number, nextOffset: number | null, remaining: number): string[] {
  if (nextOffset === null) {
    return [];
  }
  const more = `${remaining} more ${remaining === 1 ? 'record matches' : 'records match'}`;
  const again = `call search_records again with offset ${nextOffset}`;
  if (omitted > 0) {
    return [sizeCapNote(`${more}: ${again}, or ask for fewer fields.`)];
  }
  return [`${more}: ${again}.`];
}

function summaryLine(model: string, total: number, offset: number, shown: number): string {
  if (total === 0) {
    return `No ${model} record matches.`;
  }
  if (shown === 0) {
    return `${total} ${model} records match, but offset ${offset} is past the last one.`;
  }
  const noun = total === 1 ? 'record matches' : 'records match';
  return `${total} ${model} ${noun}; showing ${offset + 1}-${offset + shown}:`;
}
