import { z } from 'zod';
import { joinResultText } from '../records.js';
import { recordUrl } from '../render.js';
import { companyContext } from '../company.js';
import { closeNames } from '../domain-tools/lookup.js';
import { companyArgument, modelArgument, notesSchema } from '../schemas.js';
import type { ToolCall, ToolDefinition, ToolRunResult } from '../tool.js';

/** Matches per call when the model gives no `limit`. */
export const DEFAULT_NAME_LIMIT = 10;

/** Maximum of `limit`: a name search is for picking a record, not for listing many. */
export const MAX_NAME_LIMIT = 50;

const inputSchema = z.object({
  model: modelArgument,
  name: z
    .string()
    .trim()
    .min(1)
    .max(256)
    .describe(
      'Part of the name to look for, in any case, such as "azure" or "S00042". Odoo matches ' +
        "it against the model's name fields: a contact's name, a product's name and internal " +
        'reference, an order or invoice number.',
    ),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_NAME_LIMIT)
    .optional()
    .describe(
      `How many matches to return, at most ${MAX_NAME_LIMIT}. Default ${DEFAULT_NAME_LIMIT}.`,
    ),
  company: companyArgument.optional(),
});

const matchSchema = z.object({
  id: z.number().int(),
  name: z.string().describe("The record's display name."),
});

const outputSchema = z.object({
  model: z.string(),
  matches: z.array(matchSchema),
  notes: notesSchema,
});

type FindInput = z.output<typeof inputSchema>;
type FindOutput = z.output<typeof outputSchema>;
type Match = z.output<typeof matchSchema>;

export const findByNameTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'find_by_name',
  title: 'Find Odoo records by name',
  description:
    "Find records of one Odoo model by part of their name, as Odoo's own search boxes do, and " +
    'return their ids and display names. Use it to turn a name the person mentions (a customer, ' +
    'a product, an order number) into the id that domains and read_records take. Results are ' +
    'only what this person may see in Odoo. Example: model "res.partner", name "azure".',
  inputSchema,
  outputSchema,
  run: findByName,
};

async function findByName(args: FindInput, call: ToolCall): Promise<ToolRunResult<FindOutput>> {
  call.audit.model = args.model;
  const limit = args.limit ?? DEFAULT_NAME_LIMIT;
  // Odoo 17.0 and 18.0 name the extra domain `args` and 19.0 names it `domain`, so it is left out.
  const kwargs: Record<string, unknown> = { name: args.name, operator: 'ilike', limit };
  if (args.company !== undefined) {
    kwargs.context = await companyContext(call, args.company);
  }
  const result = await call.odoo.executeKw<unknown>(args.model, 'name_search', [], kwargs);
  const matches = parseMatches(result);
  const notes: string[] = [];
  if (matches.length === 0) {
    const context = (kwargs.context as Record<string, unknown> | undefined) ?? {};
    const suggestions = await closeNames(call, args.model, args.name, context);
    if (suggestions.length > 0) {
      const listed = suggestions.map((suggestion) => `"${suggestion}"`).join(', ');
      notes.push(`Names that share a word or its start: ${listed}. Search again with one of them.`);
    }
  }
  if (matches.length >= limit) {
    notes.push(
      `There may be more matches than these ${limit}: raise limit (at most ${MAX_NAME_LIMIT}), ` +
        'give more of the name, or use search_records with a domain.',
    );
  }
  const version = await call.odoo.version();
  const lines = matches.map((match) => {
    const url = recordUrl(call.session.odooWebUrl, version, args.model, match.id);
    return `${match.id} · ${match.name} · ${url}`;
  });
  const heading = summaryLine(args.model, args.name, matches.length);
  return {
    structured: { model: args.model, matches, notes },
    text: joinResultText([heading, lines.join('\n')], notes),
    recordCount: matches.length,
  };
}

/** Reads `name_search`'s `[[id, display_name], …]`, the same in Odoo 17.0-19.0. */
function parseMatches(result: unknown): Match[] {
  if (!Array.isArray(result)) {
    return [];
  }
  const matches: Match[] = [];
  for (const pair of result) {
    if (Array.isArray(pair) && typeof pair[0] === 'number') {
      const name = typeof pair[1] === 'string' ? pair[1] : String(pair[0]);
      matches.push({ id: pair[0], name });
    }
  }
  return matches;
}

function summaryLine(model: string, name: string, found: number): string {
  if (found === 0) {
    return (
      `No ${model} record has a name like "${name}". Try part of the name, or search_records ` +
      'with a domain on another field.'
    );
  }
  const noun = found === 1 ? 'record matches' : 'records match';
  return `${found} ${model} ${noun} "${name}":`;
}
