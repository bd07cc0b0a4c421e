import { z } from 'zod';
import { MAX_LIMIT } from './records.js';

/** Odoo model names: words joined by dots, such as "sale.order" or "x_fleet.car". */
export const modelArgument = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, 'must be an Odoo model name such as "sale.order"')
  .describe(
    'Technical name of the Odoo model, such as "sale.order", "account.move", "res.partner", ' +
      '"product.product" or "stock.quant".',
  );

export const domainArgument = z
  .union([z.array(z.unknown()), z.string()])
  .describe(
    'Odoo domain that filters the records, as a JSON list of [field, operator, value] ' +
      'conditions that must all hold; put "|" before two conditions for "or", "!" before one ' +
      'for "not". Example: [["state", "=", "sale"], ["partner_id.name", "ilike", "deco"]]. ' +
      'Operators: =, !=, <, >, <=, >=, in, not in, like, ilike, not ilike, =like, =ilike, ' +
      'child_of, parent_of, any, not any. Dates are "YYYY-MM-DD", datetimes ' +
      '"YYYY-MM-DD HH:MM:SS" in UTC. Omit it, or pass [], to match every record.',
  );

export const fieldsArgument = z
  .array(z.string().min(1).max(128))
  .min(1)
  .max(100)
  .describe(
    'Technical names of the fields to return, such as ["name", "partner_id", "amount_total"]. ' +
      'Omit it to get about a dozen useful fields chosen by the bridge; describe_model lists ' +
      'every field.',
  );

export const companyArgument = z
  .union([z.number().int().positive(), z.string().min(1).max(256)])
  .describe(
    'Company to work in, by id or by name, for people who belong to several companies. ' +
      "Omit it to see the records of all the person's companies.",
  );

export const limitArgument = z
  .number()
  .int()
  .min(1)
  .max(MAX_LIMIT)
  .describe(`How many records to return, at most ${MAX_LIMIT}. Default 20.`);

export const offsetArgument = z
  .number()
  .int()
  .min(0)
  .describe('How many matching records to skip, for the next page: pass next_offset. Default 0.');

export const orderArgument = z
  .string()
  .min(1)
  .max(256)
  .describe(
    'Sort order: comma-separated field names, each optionally followed by asc or desc, such as ' +
      '"date_order desc, id". Omit it for the model\'s default order.',
  );

/** A record as Odoo's `read` returns it: many2one values are `[id, "name"]`, empty ones `false`. */
export const recordSchema = z.record(z.string(), z.unknown());

export const notesSchema = z
  .array(z.string())
  .describe('Facts about this result for the person or the model, such as what was cut.');

/** The offset of the next page of a paged result, or null when there is nothing more. */
export const nextOffsetSchema = z
  .number()
  .int()
  .nullable()
  .describe('The offset of the next page, or null when there is nothing more.');
