import { z } from 'zod';
import type { Domain } from '../domain.js';
import { ToolError } from '../errors.js';
import type { FieldMap } from '../fields.js';
import type { OdooRecord } from '../records.js';
import type { ToolCall } from '../tool.js';
import { formatMoney, referenceOf, roundAmount } from './format.js';
import { type GroupingMethod, sumByGroups } from './grouping.js';

/** The invoice kinds find_invoices takes, with the `move_type` of each. */
export const INVOICE_KINDS = {
  customer_invoice: 'out_invoice',
  vendor_bill: 'in_invoice',
  customer_credit_note: 'out_refund',
  vendor_credit_note: 'in_refund',
} as const;

export type InvoiceKind = keyof typeof INVOICE_KINDS;

export const INVOICE_KIND_NAMES = Object.keys(INVOICE_KINDS) as [InvoiceKind, ...InvoiceKind[]];

/** The invoice states find_invoices takes, with Odoo's `state` of each. */
export const INVOICE_STATES = { draft: 'draft', posted: 'posted', cancelled: 'cancel' } as const;

export type InvoiceState = keyof typeof INVOICE_STATES;

export const INVOICE_STATE_NAMES = Object.keys(INVOICE_STATES) as [InvoiceState, ...InvoiceState[]];

/** Payment states of 17.0 to 19.0; "blocked" exists from 18.0 on, checked with `fields_get`. */
export const PAYMENT_STATES = [
  'not_paid',
  'partial',
  'in_payment',
  'paid',
  'reversed',
  'blocked',
] as const;

export type PaymentState = (typeof PAYMENT_STATES)[number];

/**
 * The kinds that overdue_days finds: money the partner owes the company or the company owes a
 * vendor. A credit note is the other way round, so it is never overdue.
 */
export const OVERDUE_KINDS: readonly InvoiceKind[] = ['customer_invoice', 'vendor_bill'];

/** The payment states of a posted invoice that still waits for money, as overdue counts them. */
export const UNPAID_STATES: readonly PaymentState[] = ['not_paid', 'partial'];

/** Returns the find_invoices kind of a `move_type`, or the `move_type` for other moves. */
export function kindOf(moveType: unknown): string {
  const entry = Object.entries(INVOICE_KINDS).find(([, value]) => value === moveType);
  return entry === undefined ? String(moveType) : entry[0];
}

/** Returns the find_invoices state of an Odoo `state`. */
export function invoiceStateOf(state: unknown): string {
  const entry = Object.entries(INVOICE_STATES).find(([, value]) => value === state);
  return entry === undefined ? String(state) : entry[0];
}

/** Builds `["payment_state", "in", …]`, each value checked against the server's selection. */
export function paymentStateLeaf(
  states: readonly PaymentState[],
  fields: FieldMap,
): [string, string, string[]] {
  const known = (fields.get('payment_state')?.selection ?? []).map(([value]) => String(value));
  const unknown = states.filter((state) => known.length > 0 && !known.includes(state));
  if (unknown.length > 0) {
    throw new ToolError(
      'invalid_value',
      `This Odoo has no payment state ${unknown.map((state) => `"${state}"`).join(', ')}; ` +
        `account.move payment states here are ${known.join(', ')}.`,
    );
  }
  return ['payment_state', 'in', [...states]];
}

/**
 * Builds the overdue condition: posted, not fully paid (`payment_state` not_paid or partial),
 * and due before `cutoff`, the person's today less `overdue_days`.
 */
export function overdueLeaves(cutoff: string): Domain {
  return [
    ['state', '=', 'posted'],
    ['payment_state', 'in', [...UNPAID_STATES]],
    ['invoice_date_due', '<', cutoff],
  ];
}

/** Returns the day `days` days before `day` (both `YYYY-MM-DD`). */
export function daysBefore(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date - days)).toISOString().slice(0, 10);
}

/** Counts the days from `earlier` to `later` (both `YYYY-MM-DD`). */
export function daysBetween(earlier: string, later: string): number {
  return Math.round(
    (Date.parse(`${later}T00:00:00Z`) - Date.parse(`${earlier}T00:00:00Z`)) / 86_400_000,
  );
}

/**
 * Returns how many days an invoice is overdue on `today`, or null when it is not. A credit
 * note is never overdue, because it is money owed to the partner.
 */
export function daysOverdue(record: OdooRecord, today: string): number | null {
  const due = record.invoice_date_due;
  const unpaid = UNPAID_STATES.includes(record.payment_state as PaymentState);
  if (record.state !== 'posted' || !unpaid || typeof due !== 'string' || due >= today) {
    return null;
  }
  return isCreditNote(record.move_type) ? null : daysBetween(due, today);
}

/** Tells whether a `move_type` is a customer or vendor credit note. */
export function isCreditNote(moveType: unknown): boolean {
  return (
    moveType === INVOICE_KINDS.customer_credit_note || moveType === INVOICE_KINDS.vendor_credit_note
  );
}

/**
 * Names the open amount of an invoice as its partner would read it: what the partner owes on
 * an invoice or bill ("due"), and what is to be paid back on a credit note. The amount is
 * `amount_residual`, which Odoo keeps positive for every kind.
 */
export function openAmountLabel(kind: string): string {
  switch (kind) {
    case 'customer_credit_note':
      return 'to refund';
    case 'vendor_credit_note':
      return 'to be refunded to us';
    default:
      return 'due';
  }
}

export const dueTotalSchema = z.object({
  type: z
    .enum(['receivable', 'payable'])
    .describe(
      'receivable: owed to the company (customer invoices less customer credit notes); ' +
        'payable: owed by it (vendor bills less vendor credit notes).',
    ),
  amount: z.number(),
  currency: z.string().nullable().describe('ISO 4217 code, such as "USD".'),
});

export type DueTotal = z.output<typeof dueTotalSchema>;

/** The amount due over all matching invoices, and how it was computed. */
export interface DueTotals {
  totals: DueTotal[];
  /** "page" when the page held every matching invoice, else the grouping method. */
  method: 'page' | GroupingMethod;
}

/** One (move type, currency, amount due) triple, from the page or from a group. */
interface DueAmount {
  moveType: unknown;
  currency: string | null;
  residual: number;
}

/**
 * Sums `amount_residual` over every matching invoice, per currency, with credit notes
 * subtracted from their side. When the page already contains every match, it sums the page.
 * Otherwise Odoo groups the matches by move type and currency, so that no invoice is left out.
 */
export async function dueTotals(
  call: ToolCall,
  domain: Domain,
  context: Record<string, unknown>,
  page: { records: OdooRecord[]; complete: boolean },
): Promise<DueTotals> {
  if (page.complete) {
    const amounts = page.records.map((record) => ({
      moveType: record.move_type,
      currency: referenceOf(record.currency_id)?.name ?? null,
      residual: typeof record.amount_residual === 'number' ? record.amount_residual : 0,
    }));
    return { totals: combineDue(amounts), method: 'page' };
  }
  const grouped = await sumByGroups(
    call,
    'account.move',
    domain,
    ['move_type', 'currency_id'],
    ['amount_residual'],
    context,
  );
  const amounts = grouped.groups.map((group) => ({
    moveType: group.keys.move_type,
    currency: referenceOf(group.keys.currency_id)?.name ?? null,
    residual: group.sums.amount_residual ?? 0,
  }));
  return { totals: combineDue(amounts), method: grouped.method };
}

/** Adds amounts per side and currency; credit notes count negative. Receivable comes first. */
function combineDue(amounts: DueAmount[]): DueTotal[] {
  const sums = new Map<string, DueTotal>();
  for (const { moveType, currency, residual } of amounts) {
    const side = sideOf(moveType);
    if (side === undefined) {
      continue;
    }
    const key = `${side.type}\u0000${currency ?? ''}`;
    const entry = sums.get(key) ?? { type: side.type, amount: 0, currency };
    entry.amount += side.sign * residual;
    sums.set(key, entry);
  }
  return [...sums.values()]
    .map((entry) => ({ ...entry, amount: roundAmount(entry.amount) }))
    .sort((a, b) => SIDE_RANK[a.type] - SIDE_RANK[b.type] || compareCurrency(a, b));
}

const SIDE_RANK: Record<DueTotal['type'], number> = { receivable: 0, payable: 1 };

function compareCurrency(a: DueTotal, b: DueTotal): number {
  return (a.currency ?? '').localeCompare(b.currency ?? '');
}

function sideOf(moveType: unknown): { type: DueTotal['type']; sign: number } | undefined {
  switch (moveType) {
    case 'out_invoice':
      return { type: 'receivable', sign: 1 };
    case 'out_refund':
      return { type: 'receivable', sign: -1 };
    case 'in_invoice':
      return { type: 'payable', sign: 1 };
    case 'in_refund':
      return { type: 'payable', sign: -1 };
    default:
      return undefined;
  }
}

/** Shows the totals: "12,345.00 USD receivable, 800.00 USD payable", or "nothing". */
export function formatDueTotals(totals: readonly DueTotal[]): string {
  if (totals.length === 0) {
    return 'nothing';
  }
  return totals.map((total) => `${formatMoney(total)} ${total.type}`).join(', ');
}
