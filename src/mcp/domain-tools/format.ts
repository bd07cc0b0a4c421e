import { formatNumber } from '../aggregate/render.js';
import { z } from 'zod';
import { formatInZone } from '../dates.js';
import type { FieldMap } from '../fields.js';
import type { OdooRecord } from '../records.js';

/** An amount with the ISO code of its currency, such as `{ amount: 1250, currency: "USD" }`. */
export const moneySchema = z.object({
  amount: z.number(),
  currency: z.string().nullable().describe('ISO 4217 code, such as "USD".'),
});

/** A related record: its id and display name. */
export const referenceSchema = z.object({ id: z.number().int(), name: z.string() });

export type Money = z.output<typeof moneySchema>;
export type Reference = z.output<typeof referenceSchema>;

/** The separator between the parts of a result line. */
export const LINE_SEPARATOR = ' · ';

/** Reads a many2one value, `[id, "display name"]` as Odoo sends it, or null when empty. */
export function referenceOf(value: unknown): Reference | null {
  if (Array.isArray(value) && typeof value[0] === 'number') {
    return { id: value[0], name: typeof value[1] === 'string' ? value[1] : String(value[0]) };
  }
  return null;
}

/** Reads an amount and the currency of the record's `currency_id`. */
export function moneyOf(record: OdooRecord, amountField: string): Money {
  const amount = record[amountField];
  return {
    amount: typeof amount === 'number' ? amount : 0,
    currency: referenceOf(record.currency_id)?.name ?? null,
  };
}

/** Reads a char field, turning Odoo's `false` for "not set" into null. */
export function textOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Shows an amount as aggregate_records does, with two decimals and commas between thousands,
 * then its currency: "1,250.00 USD". A comma cannot be read as two numbers, unlike a space.
 * NOTE: every currency gets two decimals, although Odoo rounds some (JPY) to none.
 */
export function formatMoney(money: Money): string {
  const currency = money.currency === null ? '' : ` ${money.currency}`;
  return `${formatNumber(money.amount, 2)}${currency}`;
}

/** Shows a quantity without float noise: 12, 12.5, 0.333. */
export function formatQuantity(quantity: number): string {
  return String(roundQuantity(quantity));
}

/** Rounds a sum of quantities to three decimals, which drops float noise such as 12.000000001. */
export function roundQuantity(quantity: number): number {
  return Math.round(quantity * 1000) / 1000;
}

/** Rounds a sum of amounts to cents. */
export function roundAmount(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** Returns the day of an Odoo datetime (UTC) in a time zone, as `YYYY-MM-DD`. */
export function localDay(odooDatetime: unknown, tz: string): string | null {
  if (typeof odooDatetime !== 'string' || odooDatetime === '') {
    return null;
  }
  // formatInZone writes "YYYY-MM-DD HH:MM ZONE"; the day is its first ten characters.
  return formatInZone(odooDatetime, tz).slice(0, 10);
}

/** Returns Odoo's label of a selection value in lower case ("to invoice"), or the value itself. */
export function selectionLabel(
  fields: FieldMap,
  field: string,
  value: string | null,
): string | null {
  if (value === null) {
    return null;
  }
  const label = fields.get(field)?.selection?.find(([key]) => key === value)?.[1];
  return (label ?? value).toLowerCase();
}

/** Joins the non-empty parts of a result line with " · ". */
export function joinLine(parts: Array<string | null | undefined>): string {
  return parts
    .filter((part): part is string => part !== null && part !== undefined && part !== '')
    .join(LINE_SEPARATOR);
}

/** Singular and plural of what a tool lists, such as "order" and "orders". */
export interface Noun {
  one: string;
  many: string;
}

/** Builds the summary line of a page: "42 orders, 20 shown; next_offset 20." */
export function pageSummary(
  noun: Noun,
  total: number,
  offset: number,
  shown: number,
  nextOffset: number | null,
): string {
  if (total === 0) {
    return `No ${noun.one} matches.`;
  }
  const count = `${total} ${total === 1 ? noun.one : noun.many}`;
  if (shown === 0) {
    return `${count}, but offset ${offset} is past the last one.`;
  }
  if (offset === 0 && nextOffset === null) {
    return total === 1 ? `${count}.` : `${count}, all shown.`;
  }
  const from = offset === 0 ? '' : ` from offset ${offset}`;
  const next = nextOffset === null ? 'no more' : `next_offset ${nextOffset}`;
  return `${count}, ${shown} shown${from}; ${next}.`;
}
