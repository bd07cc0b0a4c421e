import { missingCurrencyFields } from './currency.js';
import { selectDefaultFields } from './default-fields.js';
import { checkFieldNames, type FieldMap } from './fields.js';
import { personContext } from './person-context.js';
import { renderRecord, type RenderContext } from './render.js';
import type { ToolCall } from './tool.js';

/** Records per call when the model gives no `limit`. */
export const DEFAULT_LIMIT = 20;

/** Maximum of `limit`, and of the ids `read_records` takes in one call. */
export const MAX_LIMIT = 200;

/**
 * Maximum length of the text result, in characters, and separately of the records' JSON in
 * the structured result. Kept well below the roughly 150 000 characters at which Claude is
 * reported to cut tool results; that figure is not measured here.
 */
export const MAX_RESULT_CHARS = 60_000;

/** Maximum length of one string value; a longer one is cut, so one record cannot fill a result. */
export const MAX_VALUE_CHARS = 4_000;

/** An Odoo record as `read` and `search_read` return it. */
export type OdooRecord = Record<string, unknown>;

/** Records cut to the caps, and whether anything was cut. */
export interface CappedRecords {
  records: OdooRecord[];
  /** The text of each kept record, as `render` returned it. */
  texts: string[];
  /** How many records were left out because the result would have been too long. */
  omitted: number;
  /** Names of the fields whose values were cut to `MAX_VALUE_CHARS`. */
  truncatedFields: string[];
}

/**
 * Cuts long string values, then keeps records in order while both the text and the JSON stay
 * within `MAX_RESULT_CHARS`. The first record is always kept, so a result is never empty
 * because of its size. `render` returns the text of one record, one line or block of the
 * text result.
 */
export function capRecords(
  records: readonly OdooRecord[],
  render: (record: OdooRecord) => string,
  budget: number = MAX_RESULT_CHARS,
): CappedRecords {
  const truncatedFields = new Set<string>();
  const kept: OdooRecord[] = [];
  const texts: string[] = [];
  let textLength = 0;
  let jsonLength = 0;
  for (const record of records) {
    const shortened = truncateValues(record, truncatedFields);
    const text = render(shortened);
    // Each text is followed by the newline that joins it to the next.
    const nextText = textLength + text.length + 1;
    const nextJson = jsonLength + JSON.stringify(shortened).length;
    if (kept.length > 0 && (nextText > budget || nextJson > budget)) {
      break;
    }
    kept.push(shortened);
    texts.push(text);
    textLength = nextText;
    jsonLength = nextJson;
  }
  return {
    records: kept,
    texts,
    omitted: records.length - kept.length,
    truncatedFields: [...truncatedFields],
  };
}

function truncateValues(record: OdooRecord, truncatedFields: Set<string>): OdooRecord {
  const result: OdooRecord = {};
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === 'string' && value.length > MAX_VALUE_CHARS) {
      truncatedFields.add(name);
      result[name] = `${value.slice(0, MAX_VALUE_CHARS)}… [cut: ${value.length} characters in all]`;
    } else {
      result[name] = value;
    }
  }
  return result;
}

/** Builds the note for values cut to `MAX_VALUE_CHARS`, or returns undefined when none was. */
export function truncationNote(truncatedFields: readonly string[]): string | undefined {
  if (truncatedFields.length === 0) {
    return undefined;
  }
  return (
    `Values longer than ${MAX_VALUE_CHARS} characters were cut in: ${truncatedFields.join(', ')}. ` +
    'Odoo holds the full text; open the record link to read it.'
  );
}

/** The fields a read requests, and the model's field descriptions they were checked against. */
export interface FieldChoice {
  fieldMap: FieldMap;
  /** Every field read: the requested or default ones, then those the bridge added. */
  names: string[];
  /** True when the model gave no `fields` and the bridge chose them. */
  chosenByBridge: boolean;
}

/**
 * Loads the model's fields (cached) and checks the requested names, or chooses the default
 * fields when none were requested. To requested names it adds the currency fields of their
 * amounts and, without `name`, `display_name`, so that the text shows "434.13 USD" and a
 * title for each record.
 */
export async function chooseFields(
  call: ToolCall,
  model: string,
  requested: readonly string[] | undefined,
): Promise<FieldChoice> {
  const fieldMap = await call.fieldsCache.fields(call.odoo, call.session.odooUid, model);
  if (requested === undefined) {
    return { fieldMap, names: selectDefaultFields(fieldMap), chosenByBridge: true };
  }
  checkFieldNames(requested, fieldMap, model, 'fields');
  const names = [...new Set(requested)];
  names.push(...missingCurrencyFields(names, fieldMap));
  if (needsTitleField(names, fieldMap)) {
    names.push('display_name');
  }
  return { fieldMap, names, chosenByBridge: false };
}

/** Odoo lets a person read `display_name` of every record they may read, on 17.0 and later. */
function needsTitleField(names: readonly string[], fieldMap: FieldMap): boolean {
  const hasTitle = names.includes('name') || names.includes('display_name');
  return !hasTitle && fieldMap.has('display_name');
}

/** Builds the render context, with the server version for the record links. */
export async function renderContextFor(
  call: ToolCall,
  model: string,
  fieldMap: FieldMap,
): Promise<RenderContext> {
  const [version, person] = await Promise.all([call.odoo.version(), personContext(call)]);
  return { model, fields: fieldMap, odooWebUrl: call.session.odooWebUrl, version, tz: person.tz };
}

/** Records cut to the size caps, with their text and the notes about what was cut. */
export interface RecordPage {
  records: OdooRecord[];
  text: string;
  omitted: number;
  notes: string[];
}

/** Caps `records` to the result size and renders the ones kept. */
export function pageOfRecords(records: readonly OdooRecord[], context: RenderContext): RecordPage {
  const capped = capRecords(records, (record) => renderRecord(record, context));
  const notes: string[] = [];
  const truncated = truncationNote(capped.truncatedFields);
  if (truncated !== undefined) {
    notes.push(truncated);
  }
  return {
    records: capped.records,
    text: capped.texts.join('\n'),
    omitted: capped.omitted,
    notes,
  };
}

/** Builds the note naming the fields the bridge chose, and how to request others. */
export function fieldsNote(choice: FieldChoice): string | undefined {
  if (!choice.chosenByBridge) {
    return undefined;
  }
  return (
    `Fields chosen by the bridge: ${choice.names.join(', ')}. Pass fields to get others; ` +
    'describe_model lists them all.'
  );
}

/** Builds the note for records left out because the result reached `MAX_RESULT_CHARS`. */
export function sizeCapNote(nextStep: string): string {
  return `The result stopped early to stay under about ${MAX_RESULT_CHARS} characters. ${nextStep}`;
}

/** Joins the parts of a text result, leaving out empty ones, with the notes at the end. */
export function joinResultText(parts: Array<string | undefined>, notes: readonly string[]): string {
  const body = parts.filter((part): part is string => part !== undefined && part !== '');
  if (notes.length > 0) {
    body.push(notes.map((note) => `Note: ${note}`).join('\n'));
  }
  return body.join('\n\n');
}
