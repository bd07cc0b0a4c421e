import { z } from 'zod';
import { companyContext } from '../company.js';
import { todayIn } from '../dates.js';
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
  moneyOf,
  moneySchema,
  pageSummary,
  referenceOf,
  referenceSchema,
  selectionLabel,
  textOf,
} from '../domain-tools/format.js';
import {
  daysBefore,
  daysOverdue,
  type DueTotals,
  dueTotals,
  dueTotalSchema,
  formatDueTotals,
  INVOICE_KIND_NAMES,
  INVOICE_KINDS,
  type InvoiceKind,
  INVOICE_STATE_NAMES,
  INVOICE_STATES,
  type InvoiceState,
  invoiceStateOf,
  kindOf,
  OVERDUE_KINDS,
  openAmountLabel,
  overdueLeaves,
  PAYMENT_STATES,
  type PaymentState,
  paymentStateLeaf,
  UNPAID_STATES,
} from '../domain-tools/invoices.js';
import { linkMaker, presentFields } from '../domain-tools/page.js';
import { dateLeaves, rangeNote, resolveDayRange, zoneText } from '../domain-tools/periods.js';
import { ToolError } from '../errors.js';
import type { FieldMap } from '../fields.js';
import { type PersonContext, personContext } from '../person-context.js';
import { joinResultText, type OdooRecord } from '../records.js';
import { companyArgument, nextOffsetSchema, notesSchema, offsetArgument } from '../schemas.js';
import type { ToolCall, ToolDefinition, ToolRunResult } from '../tool.js';
import { searchPage } from '../search-page.js';

const MODEL = 'account.move';

/** Values of Odoo's `payment_state`, which a caller may pass as `state` by mistake. */
const PAYMENT_STATE_HINTS = Object.fromEntries(
  PAYMENT_STATES.map((state) => [state, `pass payment_state "${state}"`]),
);

const STATE_HINTS = {
  ...PAYMENT_STATE_HINTS,
  cancel: 'use "cancelled"',
  unpaid: 'pass payment_state ["not_paid", "partial"]',
  open: 'pass state "posted" and payment_state ["not_paid", "partial"]',
  overdue: 'pass overdue_days 0',
};

const PAYMENT_HINTS = {
  draft: 'pass state "draft"',
  posted: 'pass state "posted"',
  cancel: 'pass state "cancelled"',
  cancelled: 'pass state "cancelled"',
  unpaid: 'use ["not_paid", "partial"]',
  overdue: 'pass overdue_days 0',
};

const KIND_HINTS = {
  invoice: 'use "customer_invoice", or "vendor_bill" for an invoice from a vendor',
  bill: 'use "vendor_bill"',
  credit_note: 'use "customer_credit_note" or "vendor_credit_note"',
  refund: 'use "customer_credit_note" or "vendor_credit_note"',
  out_invoice: 'use "customer_invoice"',
  in_invoice: 'use "vendor_bill"',
  out_refund: 'use "customer_credit_note"',
  in_refund: 'use "vendor_credit_note"',
};

const inputSchema = z.object({
  partner: recordReferenceArgument(
    'Customer or vendor of the invoices, by name, email or reference. Invoices of a ' +
      "company's contacts and addresses count as the company's.",
  ).optional(),
  kind: choiceArgument('kind', INVOICE_KIND_NAMES, KIND_HINTS)
    .optional()
    .describe(
      'Kind of invoice, or a list of kinds: "customer_invoice", "vendor_bill", ' +
        '"customer_credit_note" or "vendor_credit_note". Default: all four.',
    ),
  state: choiceArgument('state', INVOICE_STATE_NAMES, STATE_HINTS)
    .optional()
    .describe('"draft" (not yet posted, no number), "posted" or "cancelled", or a list of them.'),
  payment_state: choiceArgument('payment_state', PAYMENT_STATES, PAYMENT_HINTS)
    .optional()
    .describe(
      'Payment state, or a list: "not_paid", "partial" (partly paid), "in_payment" (paid, ' +
        'waiting for the bank), "paid", "reversed" (cancelled by a credit note) or "blocked" ' +
        '(payment on hold, Odoo 18.0 and later).',
    ),
  overdue_days: z
    .number()
    .int()
    .min(0)
    .max(3650)
    .optional()
    .describe(
      'Only customer invoices and vendor bills more than this many days past their due date ' +
        'and still not fully paid (posted, payment state not_paid or partial), counted from ' +
        "today in the person's time zone. Credit notes are never overdue and are left out. 0 " +
        'means any overdue invoice; 30 means "past 30 days".',
    ),
  date_from: dateArgument('First day of the invoice date (invoice_date).').optional(),
  date_to: dateArgument('Last day of the invoice date (invoice_date).').optional(),
  due_from: dateArgument('First day of the due date (invoice_date_due).').optional(),
  due_to: dateArgument('Last day of the due date (invoice_date_due).').optional(),
  limit: pageLimitArgument.optional(),
  offset: offsetArgument.optional(),
  company: companyArgument.optional(),
});

const invoiceSchema = z.object({
  id: z.number().int(),
  number: z
    .string()
    .nullable()
    .describe('Invoice number, such as "INV/2026/00012"; null for a draft.'),
  partner: referenceSchema.nullable(),
  kind: z
    .string()
    .describe('customer_invoice, vendor_bill, customer_credit_note or vendor_credit_note.'),
  state: z.string().describe('draft, posted or cancelled.'),
  payment_state: z.string().nullable().describe("Odoo's payment_state, such as not_paid or paid."),
  invoice_date: z.string().nullable().describe('YYYY-MM-DD; null for a draft without a date.'),
  due_date: z.string().nullable().describe('invoice_date_due, YYYY-MM-DD.'),
  days_overdue: z
    .number()
    .int()
    .nullable()
    .describe(
      "Days past the due date on the person's today, or null when not overdue. Always null " +
        'for a credit note.',
    ),
  amount_total: moneySchema,
  amount_due: moneySchema.describe(
    'What is still to pay (amount_residual), always positive: for a credit note, what is still ' +
      'to refund.',
  ),
  link: z.string().describe('The invoice in the Odoo web client.'),
});

const outputSchema = z.object({
  invoices: z.array(invoiceSchema),
  total: z.number().int().describe('How many invoices match in all.'),
  next_offset: nextOffsetSchema,
  amount_due_total: z
    .array(dueTotalSchema)
    .describe(
      'amount_residual summed over every matching invoice, not only this page: one entry per ' +
        'side (receivable, payable) and currency, credit notes subtracted. Empty when nothing ' +
        'matches.',
    ),
  notes: notesSchema,
});

type FindInvoicesInput = z.output<typeof inputSchema>;
type FindInvoicesOutput = z.output<typeof outputSchema>;
type Invoice = z.output<typeof invoiceSchema>;

export const findInvoicesTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'find_invoices',
  title: 'Find invoices, bills and credit notes',
  description:
    'Find customer invoices, vendor bills and credit notes by partner, kind, state, payment ' +
    'state, invoice date, due date or days overdue, one page at a time, with the amount due ' +
    'summed over all matches. Each invoice comes with its number, partner, dates, days ' +
    'overdue, total, amount due and link. Results are only what this person may see in Odoo. ' +
    'Every filter given must match something: an unknown partner is an error, never ignored. ' +
    'Example: "who owes us money past 30 days?" is kind "customer_invoice", overdue_days 30; ' +
    '"unpaid bills of Redwood" is partner "Redwood", kind "vendor_bill", payment_state ' +
    '["not_paid", "partial"].',
  inputSchema,
  outputSchema,
  run: findInvoices,
};

const INVOICE_NOUN = { one: 'invoice', many: 'invoices' };

const INVOICE_FIELDS = [
  'name',
  'partner_id',
  'move_type',
  'state',
  'payment_state',
  'invoice_date',
  'invoice_date_due',
  'amount_total',
  'amount_residual',
  'currency_id',
];

async function findInvoices(
  args: FindInvoicesInput,
  call: ToolCall,
): Promise<ToolRunResult<FindInvoicesOutput>> {
  call.audit.model = MODEL;
  const fields = await call.fieldsCache.fields(call.odoo, call.session.odooUid, MODEL);
  const context = await companyContext(call, args.company);
  const person = await personContext(call);
  const today = todayIn(person.tz);
  const filters = await invoiceFilters(args, call, { fields, context, person, today });
  call.domain = { domain: filters.domain, fields };

  const offset = args.offset ?? 0;
  const page = await searchPage(call, {
    model: MODEL,
    domain: filters.domain,
    fields: presentFields(INVOICE_FIELDS, fields),
    fieldMap: fields,
    limit: args.limit ?? DEFAULT_PAGE_LIMIT,
    offset,
    // Overdue lists read best with the oldest debt first. Other lists keep Odoo's order.
    order: args.overdue_days === undefined ? undefined : 'invoice_date_due asc, id asc',
    context,
  });
  const complete = offset === 0 && page.nextOffset === null;
  const due = await dueTotals(call, filters.domain, context, { records: page.records, complete });

  const link = await linkMaker(call, MODEL);
  const invoices = page.records.map((record) => toInvoice(record, today, link));
  const notes = [...filters.notes, ...daysOverdueNote(args, invoices, today, person)];
  const note = dueNote(page.total, due.method);
  if (note !== undefined) {
    notes.push(note);
  }
  const structured: FindInvoicesOutput = {
    invoices,
    total: page.total,
    next_offset: page.nextOffset,
    amount_due_total: due.totals,
    notes,
  };
  return {
    structured,
    text: invoicesText(structured, offset, fields),
    recordCount: invoices.length,
  };
}

function invoicesText(output: FindInvoicesOutput, offset: number, fields: FieldMap): string {
  const { invoices, total, next_offset: nextOffset } = output;
  const summary = pageSummary(INVOICE_NOUN, total, offset, invoices.length, nextOffset);
  const lines = invoices.map((invoice) => invoiceLine(invoice, fields));
  if (total === 0) {
    return joinResultText([summary, lines.join('\n')], output.notes);
  }
  const matches = total === 1 ? 'the one match' : `all ${total} matches`;
  const dueLine = `Amount due over ${matches}: ${formatDueTotals(output.amount_due_total)}.`;
  return joinResultText([`${summary}\n${dueLine}`, lines.join('\n')], output.notes);
}

/**
 * Names the day and zone that the days overdue on the lines count from, once, unless the
 * overdue note already names them.
 */
function daysOverdueNote(
  args: FindInvoicesInput,
  invoices: Invoice[],
  today: string,
  person: PersonContext,
): string[] {
  if (
    args.overdue_days !== undefined ||
    invoices.every((invoice) => invoice.days_overdue === null)
  ) {
    return [];
  }
  return [`Days overdue count from today, ${today} in ${zoneText(person)}.`];
}

/** Inputs of the filters besides the arguments. */
interface FilterInputs {
  fields: FieldMap;
  context: Record<string, unknown>;
  person: PersonContext;
  today: string;
}

/**
 * Builds the domain from the filter arguments. Without `kind`, the domain still names the four
 * invoice kinds, so that journal entries and receipts never count.
 */
async function invoiceFilters(
  args: FindInvoicesInput,
  call: ToolCall,
  inputs: FilterInputs,
): Promise<FilterSet> {
  const filters = new FilterSet();

  const kinds = asList(args.kind);
  const chosenKinds = searchedKinds(kinds, args.overdue_days !== undefined);
  filters.add([['move_type', 'in', chosenKinds.map((kind) => INVOICE_KINDS[kind])]]);
  const states = asList(args.state);
  if (states.length > 0) {
    filters.add([['state', 'in', states.map((state) => INVOICE_STATES[state])]]);
  }
  const paymentStates = asList(args.payment_state);
  if (paymentStates.length > 0) {
    filters.add([paymentStateLeaf(paymentStates, inputs.fields)]);
  }

  if (args.overdue_days !== undefined) {
    checkOverdueCombination(states, paymentStates);
    filters.add(overdueLeaves(daysBefore(inputs.today, args.overdue_days)));
    filters.notes.push(overdueNote(args.overdue_days, kinds, paymentStates, inputs));
  }
  if (args.partner !== undefined) {
    const leaf = { field: 'partner_id', operator: 'child_of' as const };
    await filters.addLookup(call, PARTNER, args.partner, leaf, inputs.context);
  }

  addDateRange(filters, 'invoice_date', INVOICE_DATE_ARGUMENTS, args, inputs.person);
  addDateRange(filters, 'invoice_date_due', DUE_DATE_ARGUMENTS, args, inputs.person);
  return filters;
}

/** The lookup of a partner name. Archived partners match, because old invoices name them. */
const PARTNER = {
  model: 'res.partner',
  argument: 'partner',
  noun: 'partner',
  includeArchived: true,
};

/**
 * Returns the kinds to search: those asked for, else all four. overdue_days keeps customer
 * invoices and vendor bills only, and raises when `kind` names credit notes alone.
 */
function searchedKinds(kinds: InvoiceKind[], overdue: boolean): InvoiceKind[] {
  const chosen = kinds.length > 0 ? kinds : INVOICE_KIND_NAMES;
  if (!overdue) {
    return chosen;
  }
  const debts = chosen.filter((kind) => OVERDUE_KINDS.includes(kind));
  if (debts.length === 0) {
    throw new ToolError(
      'invalid_value',
      `overdue_days finds customer invoices and vendor bills only, so it cannot be combined ` +
        `with kind ${kinds.join(', ')}: a credit note is owed to the partner and is never ` +
        'overdue. Leave overdue_days out to list open credit notes with payment_state ' +
        '["not_paid", "partial"].',
    );
  }
  return debts;
}

/** Rejects a state or payment state that no overdue invoice has, instead of finding nothing. */
function checkOverdueCombination(states: InvoiceState[], paymentStates: PaymentState[]): void {
  if (states.length > 0 && !states.includes('posted')) {
    throw new ToolError(
      'invalid_value',
      'overdue_days finds posted invoices only, so it cannot be combined with state ' +
        `${states.join(', ')}. Leave state out, or pass "posted".`,
    );
  }
  if (paymentStates.length > 0 && !paymentStates.some((state) => UNPAID_STATES.includes(state))) {
    throw new ToolError(
      'invalid_value',
      'overdue_days finds invoices whose payment state is not_paid or partial, so it cannot be ' +
        `combined with payment_state ${paymentStates.join(', ')}. Leave payment_state out.`,
    );
  }
}

/** The arguments of a date range: the "from" and the "to" end. */
interface RangeArguments {
  from: 'date_from' | 'due_from';
  to: 'date_to' | 'due_to';
}

const INVOICE_DATE_ARGUMENTS: RangeArguments = { from: 'date_from', to: 'date_to' };
const DUE_DATE_ARGUMENTS: RangeArguments = { from: 'due_from', to: 'due_to' };

function addDateRange(
  filters: FilterSet,
  field: string,
  names: RangeArguments,
  args: FindInvoicesInput,
  person: PersonContext,
): void {
  const range = resolveDayRange(args[names.from], args[names.to], names, person.tz);
  filters.add(dateLeaves(field, range));
  const note = rangeNote(field, range, person);
  if (note !== undefined) {
    filters.notes.push(note);
  }
}

function overdueNote(
  overdueDays: number,
  kinds: InvoiceKind[],
  paymentStates: PaymentState[],
  inputs: FilterInputs,
): string {
  const cutoff = daysBefore(inputs.today, overdueDays);
  const parts = [
    'Overdue means a customer invoice or vendor bill that is posted, has payment state ' +
      `not_paid or partial, and was due before ${cutoff} (today ${inputs.today} in ` +
      `${zoneText(inputs.person)}, less ${overdueDays} days).`,
  ];
  if (kinds.some((kind) => !OVERDUE_KINDS.includes(kind))) {
    parts.push('The credit notes in kind are left out, because a credit note is never overdue.');
  }
  const blocked = inputs.fields
    .get('payment_state')
    ?.selection?.some(([value]) => value === 'blocked');
  if (blocked && paymentStates.length === 0) {
    parts.push(
      'Invoices whose payment is blocked (payment_state "blocked") are not counted; ask for ' +
        'payment_state "blocked" to see them.',
    );
  }
  return parts.join(' ');
}

/**
 * Explains how amount_due_total was summed when Odoo grouped the matches. A total summed from
 * a complete page, or from no match at all, needs no explanation.
 */
function dueNote(total: number, method: DueTotals['method']): string | undefined {
  if (total === 0 || method === 'page') {
    return undefined;
  }
  return (
    `amount_due_total sums amount_residual with Odoo's ${method} over all ${total} matches, ` +
    'per currency, credit notes subtracted.'
  );
}

function toInvoice(record: OdooRecord, today: string, link: (id: number) => string): Invoice {
  const name = textOf(record.name);
  return {
    id: record.id as number,
    number: name === '/' ? null : name,
    partner: referenceOf(record.partner_id),
    kind: kindOf(record.move_type),
    state: invoiceStateOf(record.state),
    payment_state: textOf(record.payment_state),
    invoice_date: textOf(record.invoice_date),
    due_date: textOf(record.invoice_date_due),
    days_overdue: daysOverdue(record, today),
    amount_total: moneyOf(record, 'amount_total'),
    amount_due: moneyOf(record, 'amount_residual'),
    link: link(record.id as number),
  };
}

/** "INV/2026/00012 · Azure Interior · customer invoice · not paid · 2026-10-01 · due …" */
function invoiceLine(invoice: Invoice, fields: FieldMap): string {
  const overdue = invoice.days_overdue === null ? null : `${invoice.days_overdue} days overdue`;
  return joinLine([
    invoice.number ?? 'draft, no number yet',
    invoice.partner?.name,
    invoice.kind.replaceAll('_', ' '),
    // Only a posted invoice has a payment state worth reading.
    invoice.state === 'posted'
      ? selectionLabel(fields, 'payment_state', invoice.payment_state)
      : invoice.state,
    invoice.invoice_date,
    invoice.due_date === null ? null : `due ${invoice.due_date}`,
    overdue,
    formatMoney(invoice.amount_total),
    `${formatMoney(invoice.amount_due)} ${openAmountLabel(invoice.kind)}`,
    invoice.link,
  ]);
}
