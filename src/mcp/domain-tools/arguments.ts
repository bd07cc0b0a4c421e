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

/**
 * Advice for values that a caller is likely to pass by mistake: the value meant, or the
 * argument the value belongs to, such as `{ paid: 'use payment_state "paid"' }`.
 */
export type ValueHints = Readonly<Record<string, string>>;

/**
 * Builds the argument for one value of `values` or a list of them. A wrong value gets a
 * message that lists the accepted values and any hint for it, in place of zod's bare
 * "Invalid input", because the model reads that message to correct its call.
 */
export function choiceArgument<const Values extends readonly [string, ...string[]]>(
  argument: string,
  values: Values,
  hints: ValueHints = {},
) {
  const error = (issue: { input?: unknown }) => choiceMessage(argument, values, hints, issue.input);
  const choice = z.enum(values, { error });
  const list = z.array(choice).min(1, { error }).max(values.length, { error });
  return z.union([choice, list], { error });
}

/** Writes the message for a wrong value of a choice argument. */
export function choiceMessage(
  argument: string,
  values: readonly string[],
  hints: ValueHints,
  input: unknown,
): string {
  const accepted = values.map((value) => `"${value}"`).join(', ');
  const takes = `It takes one of ${accepted}, or a list of them.`;
  const wrong = (Array.isArray(input) ? input : [input]).filter(
    (value) => typeof value !== 'string' || !values.includes(value),
  );
  if (wrong.length === 0) {
    // Every value is accepted, so the list itself is wrong: empty, or longer than the values.
    return `Invalid list ${JSON.stringify(input)} for ${argument}. ${takes}`;
  }
  const shown = wrong.map((value) => JSON.stringify(value) ?? String(value)).join(', ');
  const noun = wrong.length === 1 ? 'value' : 'values';
  const advice = wrong
    .filter((value): value is string => typeof value === 'string' && Object.hasOwn(hints, value))
    .map((value) => ` For "${value}", ${hints[value]}.`)
    .join('');
  return `Invalid ${noun} ${shown} for ${argument}. ${takes}${advice}`;
}
