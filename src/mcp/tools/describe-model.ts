import { z } from 'zod';
import { OdooError } from '../../odoo/errors.js';
import { selectDefaultFields } from '../default-fields.js';
import { isOdooOutage } from '../errors.js';
import { checkFieldNames, closestNames, type FieldInfo, type FieldMap } from '../fields.js';
import { MAX_RESULT_CHARS, joinResultText, sizeCapNote } from '../records.js';
import { fieldsArgument, modelArgument, notesSchema } from '../schemas.js';
import type { ToolRunResult, ToolCall, ToolDefinition } from '../tool.js';

/** Maximum of selection values listed per field, because `tz` on res.partner has hundreds. */
const MAX_SELECTION_VALUES = 40;

const inputSchema = z.object({
  model: modelArgument,
  fields: fieldsArgument
    .optional()
    .describe('Technical names of the fields to describe. Omit it to describe every field.'),
});

const fieldSchema = z.object({
  name: z.string(),
  type: z.string().describe('Odoo field type: char, many2one, selection, monetary, date, …'),
  label: z.string(),
  relation: z.string().optional().describe('The related model of a relational field.'),
  selection: z
    .array(z.array(z.union([z.string(), z.number()])).length(2))
    .optional()
    .describe('[value, label] pairs; domains use the value.'),
  required: z.boolean(),
  readonly: z.boolean(),
  store: z.boolean().optional().describe('Whether Odoo stores the value.'),
});

const outputSchema = z.object({
  model: z.string(),
  label: z.string().describe("The model's name for people, or the technical name when unknown."),
  fields: z.array(fieldSchema),
  default_fields: z
    .array(z.string())
    .describe('The fields search_records and read_records return when given no fields.'),
  notes: notesSchema,
});

type DescribeInput = z.output<typeof inputSchema>;
type DescribeOutput = z.output<typeof outputSchema>;
type FieldDescription = z.output<typeof fieldSchema>;

export const describeModelTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'describe_model',
  title: 'Describe an Odoo model',
  description:
    'List the fields of one Odoo model: technical name, type, label, related model, selection ' +
    'values, and whether each is required or read-only. Use it before search_records when you ' +
    'do not know the field names or the selection values a domain needs. The list holds the ' +
    'fields this person may see. Example: model "sale.order", or model "res.partner" with ' +
    'fields ["name", "email", "country_id"].',
  inputSchema,
  outputSchema,
  run: describeModel,
};

async function describeModel(
  args: DescribeInput,
  call: ToolCall,
): Promise<ToolRunResult<DescribeOutput>> {
  call.audit.model = args.model;
  const fieldMap = await call.fieldsCache.fields(call.odoo, call.session.odooUid, args.model);
  const notes: string[] = [];
  if (args.fields !== undefined) {
    const unknown = unknownFieldNote(args.model, args.fields, fieldMap);
    if (unknown !== undefined) {
      notes.push(unknown);
    }
  }
  const label = await modelLabel(call, args.model);
  if (label === undefined) {
    notes.push(
      `Odoo returned no label for ${args.model}, so the label shown is its technical name.`,
    );
  }
  const chosen = selectedFields(fieldMap, args.fields);
  return describeResult(args.model, label ?? args.model, chosen, fieldMap, notes);
}

/**
 * Builds the note naming requested fields the model does not have, with close names. When
 * none of the requested fields exists, it throws the `unknown_field` error instead.
 */
function unknownFieldNote(
  model: string,
  requested: readonly string[],
  fieldMap: FieldMap,
): string | undefined {
  const unique = [...new Set(requested)];
  const unknown = unique.filter((name) => !fieldMap.has(name));
  if (unknown.length === 0) {
    return undefined;
  }
  if (unknown.length === unique.length) {
    checkFieldNames(unique, fieldMap, model, 'fields');
  }
  const parts = unknown.map((name) => {
    const close = closestNames(name, [...fieldMap.keys()]).map((other) => `"${other}"`);
    return close.length === 0 ? `"${name}"` : `"${name}" (did you mean ${close.join(', ')}?)`;
  });
  return `The list leaves out the names that are not fields of ${model}: ${parts.join(', ')}.`;
}

/**
 * Reads the model's label with `ir.model.display_name_for` of Odoo's `web` module, because
 * ordinary users may not read `ir.model` itself. Odoo 18.0 returns the technical name to
 * portal and public users and for a model the person may not read, and that counts as no
 * label. Any failure other than an outage or a rejected key falls back to the technical name.
 * NOTE: no recording covers this method; 17.0 and 19.0 are assumed to have it as 18.0 does.
 */
async function modelLabel(call: ToolCall, model: string): Promise<string | undefined> {
  try {
    const result = await call.odoo.executeKw<unknown>('ir.model', 'display_name_for', [[model]]);
    const entries = Array.isArray(result) ? (result as Array<Record<string, unknown>>) : [];
    const label = entries.find((entry) => entry?.model === model)?.display_name;
    return typeof label === 'string' && label !== '' && label !== model ? label : undefined;
  } catch (error) {
    if (error instanceof OdooError && !isOdooOutage(error) && error.kind !== 'authentication') {
      return undefined;
    }
    throw error;
  }
}

function selectedFields(fieldMap: FieldMap, names: readonly string[] | undefined): FieldInfo[] {
  if (names !== undefined) {
    return names.map((name) => fieldMap.get(name)).filter((f): f is FieldInfo => f !== undefined);
  }
  return [...fieldMap.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function describeResult(
  model: string,
  label: string,
  chosen: FieldInfo[],
  fieldMap: FieldMap,
  notes: string[],
): ToolRunResult<DescribeOutput> {
  const shown = fieldsThatFit(chosen);
  if (shown.length < chosen.length) {
    const left = chosen.length - shown.length;
    notes.push(sizeCapNote(`${left} fields are left out; pass fields to describe them.`));
  }
  if (shown.some((field) => (field.selection?.length ?? 0) > MAX_SELECTION_VALUES)) {
    notes.push(`Selections list their first ${MAX_SELECTION_VALUES} values only.`);
  }
  const defaults = selectDefaultFields(fieldMap);
  const name = label === model ? model : `${model} ("${label}")`;
  const heading = `${name}: ${shown.length} of ${fieldMap.size} fields.`;
  const lines = shown.map(describeLine).join('\n');
  const defaultsLine = `Default fields of search_records and read_records: ${defaults.join(', ')}.`;
  const fields = shown.map(toDescription);
  const structured = { model, label, fields, default_fields: defaults, notes };
  return { structured, text: joinResultText([heading, lines, defaultsLine], notes) };
}

/** Returns the leading fields whose lines fit in `MAX_RESULT_CHARS`. */
function fieldsThatFit(fields: FieldInfo[]): FieldInfo[] {
  let length = 0;
  for (const [index, field] of fields.entries()) {
    length += describeLine(field).length + 1;
    if (length > MAX_RESULT_CHARS) {
      return fields.slice(0, index);
    }
  }
  return fields;
}

function toDescription(field: FieldInfo): FieldDescription {
  const description: FieldDescription = {
    name: field.name,
    type: field.type,
    label: field.label,
    required: field.required,
    readonly: field.readonly,
  };
  if (field.relation !== undefined) {
    description.relation = field.relation;
  }
  if (field.selection !== undefined) {
    description.selection = field.selection.slice(0, MAX_SELECTION_VALUES);
  }
  if (field.store !== undefined) {
    description.store = field.store;
  }
  return description;
}

/** Builds one line such as `partner_id (many2one → res.partner, required): Customer.` */
function describeLine(field: FieldInfo): string {
  const traits = [field.relation === undefined ? field.type : `${field.type} → ${field.relation}`];
  if (field.required) {
    traits.push('required');
  }
  if (field.readonly) {
    traits.push('read-only');
  }
  if (field.store === false) {
    traits.push('not stored');
  }
  const values = field.selection?.slice(0, MAX_SELECTION_VALUES) ?? [];
  const selection =
    values.length === 0
      ? ''
      : ` Values: ${values.map(([value, text]) => `${String(value)} "${text}"`).join(', ')}.`;
  return `- ${field.name} (${traits.join(', ')}): ${sentence(field.label)}${selection}`;
}

/** Ends a label with a period unless it ends with one already, as "Payment Ref." does. */
function sentence(label: string): string {
  return /[.!?]$/.test(label) ? label : `${label}.`;
}
