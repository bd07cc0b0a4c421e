import { z } from 'zod';
import { DATE_FORMS } from '../dates.js';

/** Records per call when the model gives no `limit`. */
export const DEFAULT_PAGE_LIMIT = 20;

/** Maximum of `limit`: these tools answer questions, and a longer list is no answer. */
export const MAX_PAGE_LIMIT = 100;

export const pageLimitArgument = z
  .number()
  .int()
  .min(1)
  .max(MAX_PAGE_LIMIT)
  .describe(
    `How many records to return, at most ${MAX_PAGE_LIMIT}. Default ${DEFAULT_PAGE_LIMIT}.`,
  );

/** A record given by id (a number) or by name (a string that Odoo's name search matches). */
export type RecordReference = number | string;

/** Builds the argument for a record given by id or by name, with its own description. */
export function recordReferenceArgument(description: string) {
  return z
    .union([z.number().int().positive(), z.string().trim().min(1).max(256)])
    .describe(`${description} A number is taken as the record id, any text as a name.`);
}

/** Builds the argument for one end of a date range, with the forms `resolvePeriod` accepts. */
export function dateArgument(description: string) {
  return z
    .string()
    .trim()
    .min(1)
    .max(64)
    .describe(
      `${description} Days are in the person's time zone. Accepts ${DATE_FORMS}; a period ` +
        'starts at its first day in a "from" argument and ends at its last day in a "to" one.',
    );
}

/** Turns an optional "one value or a list" argument into a list without repeats. */
export function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) {
    return [];
  }
  return [...new Set(Array.isArray(value) ? value : [value])];
}
