import { z } from 'zod';
import { measureCurrencies, noCurrencies } from '../aggregate/currency.js';
import { type GroupingQuery, readGroups } from '../aggregate/grouping-methods.js';
import { type NormalizedGroup, normalizeGroups } from '../aggregate/normalize.js';
import { parseGroupOrder } from '../aggregate/order.js';
import { type GroupLineContext, renderGroupLine } from '../aggregate/render.js';
import {
  AGGREGATE_FUNCTIONS,
  COUNT_MEASURE,
  GRANULARITIES,
  type GroupbyLevel,
  parseGroupby,
  parseMeasures,
} from '../aggregate/specs.js';
import { companyContext } from '../company.js';
import { checkDomainValues, domainFieldPaths, parseDomain } from '../domain.js';
import { checkFieldNames, type FieldMap } from '../fields.js';
import { languageContext, type PersonContext, personContext } from '../person-context.js';
import { capRecords, joinResultText, sizeCapNote } from '../records.js';
import { companyArgument, domainArgument, modelArgument, notesSchema } from '../schemas.js';
import type { ToolCall, ToolDefinition, ToolRunResult } from '../tool.js';

/** Groups per call when the model gives no `limit`. */
export const DEFAULT_GROUP_LIMIT = 100;

/** Maximum of `limit`. At about a hundred characters a line, 500 lines stay under the text cap. */
export const MAX_GROUP_LIMIT = 500;

/** Maximum of groupby levels; Odoo takes more, but more levels than this are rarely readable. */
const MAX_LEVELS = 5;

/**
 * Builds a list argument of specs that also accepts one spec alone, because models sometimes
 * send `"state"` for `["state"]`. A lone spec becomes a list of one.
 */
function oneOrMore(spec: z.ZodString, minItems: number, maxItems: number) {
  const list = z.array(spec).min(minItems).max(maxItems);
  return z.union([spec, list]).transform((value) => (typeof value === 'string' ? [value] : value));
}

const inputSchema = z.object({
  model: modelArgument,
  groupby: oneOrMore(z.string().min(1).max(160), 1, MAX_LEVELS).describe(
    'Fields to group by, outermost first. A field name groups by its values, such as ' +
      '"partner_id" (customer), "state" or "user_id". A date or datetime field takes a ' +
      `period after a colon: ${GRANULARITIES.map((g) => `"date_order:${g}"`).join(', ')}; ` +
      'without one it is grouped by month.',
  ),
  measures: oneOrMore(z.string().min(1).max(160), 0, 20)
    .optional()
    .describe(
      `Aggregates per group, as "field:function" with function ${AGGREGATE_FUNCTIONS.join(', ')}, ` +
        `on integer, float or monetary fields, such as ["amount_total:sum"]; "${COUNT_MEASURE}" ` +
        'counts records. Every group has its record count anyway, so omit it to count only.',
    ),
  domain: domainArgument.optional(),
  order: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe(
      'Sort order of the groups: comma-separated groupby specs, measures or count, each ' +
        'optionally followed by asc or desc, such as "amount_total:sum desc" for the largest ' +
        'totals first. Omit it to sort by the groupby fields.',
    ),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_GROUP_LIMIT)
    .optional()
    .describe(
      `How many groups to return, at most ${MAX_GROUP_LIMIT}. Default ${DEFAULT_GROUP_LIMIT}. ` +
        'With order, the first groups in that order.',
    ),
  company: companyArgument.optional(),
});

const groupValueSchema = z
  .object({
    value: z
      .union([z.string(), z.number(), z.boolean(), z.null()])
      .describe(
        "The value to filter on: a many2one's id, a selection key, a period's first day as " +
          '"YYYY-MM-DD", or null for records without a value.',
      ),
    label: z
      .string()
      .describe('The name, selection label or period label, such as "October 2026".'),
  })
  .describe('The value of one groupby level.');

const groupSchema = z
  .object({
    count: z
      .number()
      .int()
      .nullable()
      .describe('How many records the group has; null only if Odoo returned no count.'),
  })
  .catchall(z.union([groupValueSchema, z.number(), z.null()]))
  .describe(
    'One group: each groupby spec maps to {value, label}, each measure spec (such as ' +
      '"amount_total:sum") to a number, or null when no record of the group has a value.',
  );

const outputSchema = z.object({
  model: z.string(),
  groups: z.array(groupSchema),
  notes: notesSchema,
});

type AggregateInput = z.output<typeof inputSchema>;
type AggregateOutput = z.output<typeof outputSchema>;

export const aggregateRecordsTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'aggregate_records',
  title: 'Aggregate Odoo records',
  description:
    'Group the records of one Odoo model and compute totals, averages, minimums, maximums and ' +
    'counts per group, without reading the records. Use it for "per month", "per customer", ' +
    '"by salesperson" or "total of" questions. Each group gives its groupby values with labels, ' +
    'its measures and its record count. Totals cover only the records this person may see in ' +
    'Odoo. Use describe_model first when you do not know the field names. Periods are cut at ' +
    'midnight in the person\'s time zone; a datetime in the domain is UTC, so for "this year" ' +
    'group by the period and drop the groups outside it rather than writing a UTC bound. ' +
    'Example, confirmed sales per month: model "sale.order", groupby ["date_order:month"], ' +
    'measures ["amount_total:sum"], domain [["state", "=", "sale"]]. For money still due on ' +
    'account.move, sum amount_residual_signed, which counts credit notes as negative; ' +
    'amount_residual is always positive, and group by commercial_partner_id rather than ' +
    'partner_id to total a customer with its contacts.',
  inputSchema,
  outputSchema,
  run: aggregateRecords,
};

async function aggregateRecords(
  args: AggregateInput,
  call: ToolCall,
): Promise<ToolRunResult<AggregateOutput>> {
  call.audit.model = args.model;
  const { query, fields, person, notes } = await prepareGrouping(args, call);
  const limit = args.limit ?? DEFAULT_GROUP_LIMIT;
  // One group more than the limit shows whether more groups exist.
  const raw = await readGroups(call, { ...query, limit: limit + 1 });
  const groups = normalizeGroups(raw, query.levels, query.measures, person.tz);
  const currencies =
    groups.length === 0 ? noCurrencies() : await measureCurrencies(call, query, fields, raw.method);
  if (groups.length > limit) {
    notes.push(
      `More than ${limit} ${limit === 1 ? 'group matches' : 'groups match'}, so the list stops there. Raise limit (at most ` +
        `${MAX_GROUP_LIMIT}), narrow the domain, or sort with order, such as "count desc", to ` +
        'get the largest groups first.',
    );
  }
  const lineContext = { levels: query.levels, measures: query.measures, currencies };
  return aggregateResult(args.model, groups.slice(0, limit), lineContext, notes);
}

/** A checked grouping, the model's fields, the person's context and the notes so far. */
interface PreparedGrouping {
  query: GroupingQuery;
  fields: FieldMap;
  person: PersonContext;
  notes: string[];
}

/**
 * Checks the domain, groupby, measures and order against the model's fields before anything
 * is grouped, so that a malformed call never reaches Odoo. The context carries the person's
 * time zone and language, as Odoo's web client sends them, so datetime periods are the
 * person's own days and months and period labels are in their language.
 */
async function prepareGrouping(args: AggregateInput, call: ToolCall): Promise<PreparedGrouping> {
  const domain = parseDomain(args.domain ?? []);
  const fields = await call.fieldsCache.fields(call.odoo, call.session.odooUid, args.model);
  checkFieldNames(domainFieldPaths(domain), fields, args.model, 'domain');
  checkDomainValues(domain, fields, args.model);
  call.domain = { domain, fields };
  const groupby = parseGroupby(args.groupby, fields, args.model);
  const measures = parseMeasures(args.measures ?? [], fields, args.model);
  const order =
    args.order === undefined ? [] : parseGroupOrder(args.order, groupby.levels, measures);
  const person = await personContext(call);
  const context = { ...languageContext(person), ...(await companyContext(call, args.company)) };
  const query: GroupingQuery = {
    model: args.model,
    domain,
    levels: groupby.levels,
    measures,
    order,
    limit: undefined,
    context,
  };
  const notes = groupbyNotes(groupby.levels, groupby.defaultedToMonth, person);
  return { query, fields, person, notes };
}

function groupbyNotes(
  levels: readonly GroupbyLevel[],
  defaultedToMonth: string[],
  person: PersonContext,
): string[] {
  const notes: string[] = [];
  if (defaultedToMonth.length > 0) {
    notes.push(
      `Grouped ${defaultedToMonth.join(', ')} by month. Add ":day", ":week", ":quarter" or ` +
        '":year" to the field for another period.',
    );
  }
  const datetimes = levels.filter(
    (level) => level.granularity !== undefined && level.field.type === 'datetime',
  );
  if (datetimes.length > 0) {
    const names = datetimes.map((level) => level.field.name).join(', ');
    const zone = person.tzUnset
      ? 'UTC, because the person has no time zone set in Odoo'
      : `the person's time zone, ${person.tz}`;
    notes.push(`Periods of ${names} start and end at midnight in ${zone}.`);
  }
  return notes;
}

function aggregateResult(
  model: string,
  groups: NormalizedGroup[],
  lineContext: GroupLineContext,
  notes: string[],
): ToolRunResult<AggregateOutput> {
  // capRecords takes any records, and it returns the groups it was given, cut to the caps.
  const renderLine = (group: object) => renderGroupLine(group as NormalizedGroup, lineContext);
  const capped = capRecords(groups, renderLine);
  const shown = capped.records as NormalizedGroup[];
  if (capped.omitted > 0) {
    notes.push(
      sizeCapNote(
        `${capped.omitted} more groups were left out. Narrow the domain, use fewer groupby ` +
          'levels, or sort with order to get the groups that matter first.',
      ),
    );
  }
  notes.push(...lineContext.currencies.notes);
  const lines = capped.texts.join('\n');
  const text = joinResultText([summaryLine(model, shown.length, lineContext), lines], notes);
  const recordCount = shown.reduce((sum, group) => sum + (group.count ?? 0), 0);
  return { structured: { model, groups: shown, notes }, text, recordCount };
}

function summaryLine(model: string, shown: number, context: GroupLineContext): string {
  if (shown === 0) {
    return `No ${model} record matches, so there are no groups.`;
  }
  const specs = context.levels.map((level) => level.spec).join(', ');
  return `${shown} ${shown === 1 ? 'group' : 'groups'} of ${model} by ${specs}:`;
}
