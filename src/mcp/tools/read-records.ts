import { z } from 'zod';
import { companyContext } from '../company.js';
import { type ReadOutcome, readVisibleRecords } from '../record-rules.js';
import {
  MAX_LIMIT,
  chooseFields,
  fieldsNote,
  joinResultText,
  pageOfRecords,
  renderContextFor,
  sizeCapNote,
  type FieldChoice,
  type RecordPage,
} from '../records.js';
import {
  companyArgument,
  fieldsArgument,
  modelArgument,
  notesSchema,
  recordSchema,
} from '../schemas.js';
import type { ToolRunResult, ToolCall, ToolDefinition } from '../tool.js';

const inputSchema = z.object({
  model: modelArgument,
  ids: z
    .array(z.number().int().positive())
    .min(1)
    .max(MAX_LIMIT)
    .describe(`Ids of the records to read, at most ${MAX_LIMIT}, such as [3, 7].`),
  fields: fieldsArgument.optional(),
  company: companyArgument.optional(),
});

const outputSchema = z.object({
  model: z.string(),
  fields: z.array(z.string()).describe('The fields read, besides id.'),
  records: z.array(recordSchema),
  missing_ids: z
    .array(z.number().int())
    .describe('Requested ids Odoo returned no record for: they do not exist or were deleted.'),
  hidden_ids: z
    .array(z.number().int())
    .describe(
      "Requested ids of records that exist but that Odoo's record rules hide from this person.",
    ),
  omitted_ids: z
    .array(z.number().int())
    .describe('Ids that were read but left out because the result reached its size limit.'),
  notes: notesSchema,
});

type ReadInput = z.output<typeof inputSchema>;
type ReadOutput = z.output<typeof outputSchema>;

export const readRecordsTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'read_records',
  title: 'Read Odoo records by id',
  description:
    'Read records of one Odoo model by their ids, with the chosen fields. Use it when you ' +
    'already have ids, for example from search_records or from a many2one value such as ' +
    'partner_id [10, "Deco Addict"], to see more fields of those records. Ids that do not ' +
    "exist are listed in missing_ids, and ids of records Odoo's record rules hide from this " +
    'person in hidden_ids. Example: model "res.partner", ids [10, 12], fields ["name", ' +
    '"email", "phone", "city"].',
  inputSchema,
  outputSchema,
  run: readRecords,
};

async function readRecords(args: ReadInput, call: ToolCall): Promise<ToolRunResult<ReadOutput>> {
  call.audit.model = args.model;
  const ids = [...new Set(args.ids)];
  const choice = await chooseFields(call, args.model, args.fields);
  const context = await companyContext(call, args.company);
  const request = { model: args.model, ids, fields: choice.names, context };
  const outcome = await readVisibleRecords(call, request);
  const renderContext = await renderContextFor(call, args.model, choice.fieldMap);
  const page = pageOfRecords(outcome.found, renderContext);
  return readResult({ ...request, email: call.session.person.email }, choice, outcome, page);
}

function readResult(
  request: { model: string; ids: number[]; email: string },
  choice: FieldChoice,
  outcome: ReadOutcome,
  page: RecordPage,
): ToolRunResult<ReadOutput> {
  const { model, ids } = request;
  const { found, hiddenIds } = outcome;
  const foundIds = new Set(found.map((record) => record.id));
  const missingIds = ids.filter((id) => !foundIds.has(id) && !hiddenIds.includes(id));
  const shownIds = new Set(page.records.map((record) => record.id));
  const omittedIds = found.map((record) => record.id as number).filter((id) => !shownIds.has(id));
  const notes = [...page.notes];
  if (omittedIds.length > 0) {
    notes.push(sizeCapNote(`Call read_records again with ids ${JSON.stringify(omittedIds)}.`));
  }
  const fieldsLine = fieldsNote(choice);
  if (fieldsLine !== undefined) {
    notes.push(fieldsLine);
  }
  const structured: ReadOutput = {
    model,
    fields: choice.names,
    records: page.records,
    missing_ids: missingIds,
    hidden_ids: hiddenIds,
    omitted_ids: omittedIds,
    notes,
  };
  const summary = [summaryLine(model, found.length, missingIds)];
  if (hiddenIds.length > 0) {
    summary.push(hiddenLine(model, hiddenIds, request.email));
  }
  const text = joinResultText([summary.join(' '), page.text], notes);
  return { structured, text, recordCount: page.records.length };
}

function hiddenLine(model: string, hiddenIds: number[], email: string): string {
  const ids = hiddenIds.join(', ');
  const start = `Odoo's record rules hide the ${model}`;
  if (hiddenIds.length === 1) {
    return `${start} record with id ${ids} from ${email}: it belongs to someone else.`;
  }
  return `${start} records with ids ${ids} from ${email}: they belong to someone else.`;
}

function summaryLine(model: string, foundCount: number, missingIds: number[]): string {
  const noun = foundCount === 1 ? 'record' : 'records';
  const read = `Read ${foundCount} ${model} ${noun}.`;
  if (missingIds.length === 0) {
    return read;
  }
  if (missingIds.length === 1) {
    return `${read} No record has id ${missingIds[0]}: it does not exist or was deleted.`;
  }
  return `${read} No records have ids ${missingIds.join(', ')}: they do not exist or were deleted.`;
}
