import { z } from 'zod';
import { companyContext } from '../company.js';
import {
  asList,
  choiceArgument,
  DEFAULT_PAGE_LIMIT,
  dateArgument,
  pageLimitArgument,
  recordReferenceArgument,
} from '../domain-tools/arguments.js';
import { FilterSet } from '../domain-tools/filters.js';
import {
  formatMoney,
  joinLine,
  localDay,
  moneyOf,
  moneySchema,
  pageSummary,
  referenceOf,
  referenceSchema,
  selectionLabel,
} from '../domain-tools/format.js';
import { linkMaker, presentFields } from '../domain-tools/page.js';
import { datetimeLeaves, rangeNote, resolveDayRange, zoneText } from '../domain-tools/periods.js';
import {
  type LockMarker,
  lockMarkerOf,
  SALE_STATES,
  saleStateDomain,
  saleStateOf,
} from '../domain-tools/sale-states.js';
import { ToolError } from '../errors.js';
import type { FieldMap } from '../fields.js';
import { type PersonContext, personContext } from '../person-context.js';
import { joinResultText, type OdooRecord } from '../records.js';
import { companyArgument, nextOffsetSchema, notesSchema, offsetArgument } from '../schemas.js';
import type { ToolCall, ToolDefinition, ToolRunResult } from '../tool.js';
import { searchPage } from '../search-page.js';

const MODEL = 'sale.order';

/** Odoo's own state values and other likely names, with the state meant. */
const STATE_HINTS = {
  draft: 'use "quotation"',
  quote: 'use "quotation"',
  confirm: 'use "confirmed"',
  sale: 'use "confirmed" (Odoo\'s state "sale"), or ["confirmed", "locked"] for every sales order',
  sales_order: 'use ["confirmed", "locked"]',
  done: 'use "locked"',
  cancel: 'use "cancelled"',
  canceled: 'use "cancelled"',
  open: 'use ["quotation", "sent"] for open quotations',
};

const inputSchema = z.object({
  customer: recordReferenceArgument(
    'Customer of the orders: a company or a person, by name, email or reference. The orders ' +
      "of a company's contacts and addresses count as the company's.",
  ).optional(),
  salesperson: recordReferenceArgument(
    'Salesperson (user_id) of the orders: "me" for the person asking, or a user\'s name or ' +
      'login.',
  ).optional(),
  state: choiceArgument('state', SALE_STATES, STATE_HINTS)
    .optional()
    .describe(
      'Order state, or a list of states that may each match: "quotation" (draft, not sent ' +
        'yet), "sent" (quotation sent to the customer), "confirmed" (a sales order that can ' +
        'still change), "locked" (a confirmed order locked against changes) or "cancelled". ' +
        'Open quotations are ["quotation", "sent"]; all sales orders are ["confirmed", "locked"].',
    ),
  date_from: dateArgument('First day of the order date (date_order).').optional(),
  date_to: dateArgument('Last day of the order date (date_order).').optional(),
  amount_min: z
    .number()
    .optional()
    .describe('Smallest order total, taxes included (amount_total), in the order currency.'),
  amount_max: z
    .number()
    .optional()
    .describe('Largest order total, taxes included (amount_total), in the order currency.'),
  product: recordReferenceArgument(
    'A product on at least one order line: its name, internal reference (such as ' +
      '"FURN_2201") or barcode.',
  ).optional(),
  limit: pageLimitArgument.optional(),
  offset: offsetArgument.optional(),
  company: companyArgument.optional(),
});

const orderSchema = z.object({
  id: z.number().int(),
  number: z.string().describe('Order reference, such as "S00042".'),
  customer: referenceSchema.nullable(),
  date: z
    .string()
    .nullable()
    .describe("Order date (date_order) as a day in the person's time zone, YYYY-MM-DD."),
  state: z.string().describe('quotation, sent, confirmed, locked or cancelled.'),
  amount_untaxed: moneySchema,
  amount_total: moneySchema.describe('Total, taxes included.'),
  invoice_status: z
    .string()
    .nullable()
    .describe('Odoo\'s invoice_status: "to invoice", "invoiced", "no" or "upselling".'),
  salesperson: referenceSchema.nullable(),
  link: z.string().describe('The order in the Odoo web client.'),
});

const outputSchema = z.object({
  orders: z.array(orderSchema),
  total: z.number().int().describe('How many orders match in all.'),
  next_offset: nextOffsetSchema,
  notes: notesSchema,
});

type FindOrdersInput = z.output<typeof inputSchema>;
type FindOrdersOutput = z.output<typeof outputSchema>;
type Order = z.output<typeof orderSchema>;

export const findSalesOrdersTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'find_sales_orders',
  title: 'Find sales orders and quotations',
  description:
    'Find sales orders and quotations by customer, salesperson, state, order date, total or ' +
    'product, newest first, one page at a time. Each order comes with its number, customer, ' +
    'date, state, amounts, invoice status, salesperson and link. Results are only what this ' +
    'person may see in Odoo. Every filter given must match something: an unknown customer, ' +
    'salesperson or product is an error, never ignored. Example: "which of my quotations are ' +
    'still open?" is salesperson "me", state ["quotation", "sent"]; "big orders of Azure ' +
    'this month" is customer "Azure", date_from "this month", date_to "this month", amount_min ' +
    '10000.',
  inputSchema,
  outputSchema,
  run: findSalesOrders,
};

async function findSalesOrders(
  args: FindOrdersInput,
  call: ToolCall,
): Promise<ToolRunResult<FindOrdersOutput>> {
  call.audit.model = MODEL;
  const fields = await call.fieldsCache.fields(call.odoo, call.session.odooUid, MODEL);
  const context = await companyContext(call, args.company);
  const person = await personContext(call);
  const filters = await orderFilters(args, call, fields, context, person);
  call.domain = { domain: filters.domain, fields };

  const offset = args.offset ?? 0;
  const page = await searchPage(call, {
    model: MODEL,
    domain: filters.domain,
    fields: presentFields(ORDER_FIELDS, fields),
    fieldMap: fields,
    limit: args.limit ?? DEFAULT_PAGE_LIMIT,
    offset,
    context,
  });

  const link = await linkMaker(call, MODEL);
  const marker = lockMarkerOf(fields);
  const orders = page.records.map((record) => toOrder(record, marker, person.tz, link));
  const dated = args.date_from !== undefined || args.date_to !== undefined;
  if (orders.length > 0 && !dated) {
    // A date range note names the zone already. Without one, the days on the lines need it once.
    filters.notes.push(`Order dates are days in ${zoneText(person)}.`);
  }
  const structured = {
    orders,
    total: page.total,
    next_offset: page.nextOffset,
    notes: filters.notes,
  };
  const summary = pageSummary(ORDER_NOUN, page.total, offset, orders.length, page.nextOffset);
  const lines = orders.map((order) => orderLine(order, fields));
  const text = joinResultText([summary, lines.join('\n')], filters.notes);
  return { structured, text, recordCount: orders.length };
}

const ORDER_NOUN = { one: 'order', many: 'orders' };

/** The fields read per order; `locked` exists from 17.0 on and is left out before. */
const ORDER_FIELDS = [
  'name',
  'partner_id',
  'date_order',
  'state',
  'locked',
  'amount_untaxed',
  'amount_total',
  'currency_id',
  'invoice_status',
  'user_id',
];

/**
 * Builds the domain from the filter arguments, in a fixed order. Names are resolved to ids
 * first, so a name that matches nothing fails the call instead of matching no order.
 */
async function orderFilters(
  args: FindOrdersInput,
  call: ToolCall,
  fields: FieldMap,
  context: Record<string, unknown>,
  person: PersonContext,
): Promise<FilterSet> {
  const filters = new FilterSet();

  const states = asList(args.state);
  if (states.length > 0) {
    filters.add(saleStateDomain(states, fields));
  }
  if (args.customer !== undefined) {
    const leaf = { field: 'partner_id', operator: 'child_of' as const };
    await filters.addLookup(call, CUSTOMER, args.customer, leaf, context);
  }
  await addSalesperson(filters, call, args.salesperson, context);

  const range = resolveDayRange(args.date_from, args.date_to, DATE_NAMES, person.tz);
  filters.add(datetimeLeaves('date_order', range, person.tz));
  const note = rangeNote('date_order', range, person);
  if (note !== undefined) {
    filters.notes.push(note);
  }

  checkAmountRange(args.amount_min, args.amount_max);
  if (args.amount_min !== undefined) {
    filters.add([['amount_total', '>=', args.amount_min]]);
  }
  if (args.amount_max !== undefined) {
    filters.add([['amount_total', '<=', args.amount_max]]);
  }

  if (args.product !== undefined) {
    const leaf = { field: 'order_line.product_id', operator: 'in' as const };
    await filters.addLookup(call, PRODUCT, args.product, leaf, context);
  }
  return filters;
}

const DATE_NAMES = { from: 'date_from', to: 'date_to' };

/** Lookups of names in the filters. Archived records match, because old orders name them. */
const CUSTOMER = {
  model: 'res.partner',
  argument: 'customer',
  noun: 'customer',
  includeArchived: true,
};
const SALESPERSON = {
  model: 'res.users',
  argument: 'salesperson',
  noun: 'user',
  includeArchived: true,
};
const PRODUCT = {
  model: 'product.product',
  argument: 'product',
  noun: 'product',
  includeArchived: true,
};

function checkAmountRange(min: number | undefined, max: number | undefined): void {
  if (min !== undefined && max !== undefined && min > max) {
    throw new ToolError(
      'invalid_value',
      `amount_min ${min} is above amount_max ${max}, so no order can match. Swap them.`,
    );
  }
}

/**
 * Adds the salesperson filter. "me" is the person asking, whose uid `whoami` reports, and any
 * other value is looked up among the users.
 */
async function addSalesperson(
  filters: FilterSet,
  call: ToolCall,
  salesperson: number | string | undefined,
  context: Record<string, unknown>,
): Promise<void> {
  if (salesperson === undefined) {
    return;
  }
  if (typeof salesperson === 'string' && salesperson.trim().toLowerCase() === 'me') {
    filters.add([['user_id', '=', call.session.odooUid]]);
    return;
  }
  const leaf = { field: 'user_id', operator: 'in' as const };
  await filters.addLookup(call, SALESPERSON, salesperson, leaf, context);
}

function toOrder(
  record: OdooRecord,
  marker: LockMarker,
  tz: string,
  link: (id: number) => string,
): Order {
  return {
    id: record.id as number,
    number: typeof record.name === 'string' ? record.name : String(record.id),
    customer: referenceOf(record.partner_id),
    date: localDay(record.date_order, tz),
    state: saleStateOf(record, marker),
    amount_untaxed: moneyOf(record, 'amount_untaxed'),
    amount_total: moneyOf(record, 'amount_total'),
    invoice_status: typeof record.invoice_status === 'string' ? record.invoice_status : null,
    salesperson: referenceOf(record.user_id),
    link: link(record.id as number),
  };
}

/** "S00042 · Azure Interior · 2026-11-03 · confirmed · 1,250.00 USD · to invoice · …" */
function orderLine(order: Order, fields: FieldMap): string {
  return joinLine([
    order.number,
    order.customer?.name,
    order.date,
    order.state,
    formatMoney(order.amount_total),
    selectionLabel(fields, 'invoice_status', order.invoice_status),
    order.salesperson?.name,
    order.link,
  ]);
}
