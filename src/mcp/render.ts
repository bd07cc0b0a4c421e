import type { OdooVersion } from '../odoo/types.js';
import { formatNumber } from './aggregate/render.js';
import { amountCurrencyField } from './currency.js';
import { formatInZone } from './dates.js';
import type { FieldInfo, FieldMap } from './fields.js';
import type { OdooRecord } from './records.js';

/** Inputs for rendering the records of one model. */
export interface RenderContext {
  model: string;
  fields: FieldMap;
  /** Base URL of the Odoo web client. */
  odooWebUrl: URL;
  version: OdooVersion;
  /** The person's time zone, for datetimes; UTC when absent. */
  tz?: string;
}

/** Maximum of x2many ids listed in the text. The structured result keeps them all. */
const MAX_LISTED_IDS = 20;

/**
 * Builds the web client link of a record. Odoo 17.2 (saas~17.2) introduced the `/odoo/<model>/<id>`
 * URLs, and 18.0 was the first major release with them; older servers only know `/web#…`.
 */
export function recordUrl(
  odooWebUrl: URL,
  version: OdooVersion,
  model: string,
  id: number,
): string {
  const base = `${odooWebUrl.origin}${odooWebUrl.pathname.replace(/\/+$/, '')}`;
  const hasModelUrls = version.major > 17 || (version.major === 17 && version.minor >= 2);
  if (hasModelUrls) {
    return `${base}/odoo/${model}/${id}`;
  }
  return `${base}/web#id=${id}&model=${model}&view_type=form`;
}

/**
 * Renders one record as a short block: a line with its name, id and link, then its non-empty
 * fields as `field: value` pairs. Field names stay technical, because the model needs them
 * to build domains.
 */
export function renderRecord(record: OdooRecord, context: RenderContext): string {
  const titleField = titleFieldOf(record);
  const heading = recordHeading(record, titleField, context);
  const skipped = new Set(['id', titleField, ...shownCurrencyFields(record, context.fields)]);
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    const text = skipped.has(name)
      ? undefined
      : renderValue(value, context.fields.get(name), record, context.tz);
    if (text !== undefined) {
      pairs.push(`${name}: ${text}`);
    }
  }
  return pairs.length === 0 ? heading : `${heading}\n  ${pairs.join('; ')}`;
}

function recordHeading(
  record: OdooRecord,
  titleField: string | undefined,
  context: RenderContext,
): string {
  const title =
    titleField === undefined ? `${context.model} record` : titleText(record[titleField]);
  if (typeof record.id !== 'number') {
    return `- ${title}`;
  }
  const url = recordUrl(context.odooWebUrl, context.version, context.model, record.id);
  return `- ${title} · id ${record.id} · ${url}`;
}

/** Odoo names a move "/" until it is posted, which means nothing to a reader. */
function titleText(value: unknown): string {
  return value === '/' ? 'draft, no number yet' : String(value);
}

/** Returns the currency fields the record's amounts show, which then need no pair of their own. */
function shownCurrencyFields(record: OdooRecord, fields: FieldMap): string[] {
  const shown: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    const currencyName = amountCurrencyField(fields.get(name));
    if (
      currencyName !== undefined &&
      typeof value === 'number' &&
      isNamedRecord(record[currencyName])
    ) {
      shown.push(currencyName);
    }
  }
  return shown;
}

function titleFieldOf(record: OdooRecord): string | undefined {
  for (const name of ['display_name', 'name']) {
    const value = record[name];
    if (typeof value === 'string' && value !== '') {
      return name;
    }
  }
  return undefined;
}

/**
 * Renders one value for the text result, or returns undefined for an empty one (`false`,
 * `[]`, `""`, null). A boolean field's `false` is a value, not an empty one, so it shows "no".
 */
export function renderValue(
  value: unknown,
  field: FieldInfo | undefined,
  record: OdooRecord,
  tz = 'UTC',
): string | undefined {
  if (field?.type === 'boolean' && typeof value === 'boolean') {
    return value ? 'yes' : 'no';
  }
  if (isEmpty(value)) {
    return undefined;
  }
  switch (field?.type) {
    case 'many2one':
      return renderMany2one(value);
    case 'one2many':
    case 'many2many':
      return Array.isArray(value) ? renderIds(value) : renderPlain(value);
    case 'selection':
      return renderSelection(value, field);
    case 'monetary':
    case 'float':
    case 'integer':
      return renderNumber(value, field, record);
    case 'datetime':
      // Odoo sends datetimes in UTC; people read them in their own time zone, named.
      return typeof value === 'string' ? formatInZone(value, tz) : renderPlain(value);
    case 'binary':
      return 'binary data, not shown';
    case 'html':
      return typeof value === 'string'
        ? renderPlain(value.replace(/<[^>]*>/g, ' '))
        : renderPlain(value);
    default:
      return renderPlain(value);
  }
}

function isEmpty(value: unknown): boolean {
  if (value === false || value === null || value === undefined || value === '') {
    return true;
  }
  return Array.isArray(value) && value.length === 0;
}

/** Odoo sends a many2one as `[id, "display name"]`. */
function renderMany2one(value: unknown): string {
  if (isNamedRecord(value)) {
    return `${value[1]} (id ${value[0]})`;
  }
  return renderPlain(value);
}

function renderIds(ids: unknown[]): string {
  const listed = ids.slice(0, MAX_LISTED_IDS).join(', ');
  const rest = ids.length > MAX_LISTED_IDS ? ` and ${ids.length - MAX_LISTED_IDS} more` : '';
  return `ids ${listed}${rest}`;
}

function renderSelection(value: unknown, field: FieldInfo): string {
  const label = field.selection?.find(([key]) => key === value)?.[1];
  return label === undefined || label === value
    ? renderPlain(value)
    : `${String(value)} (${label})`;
}

/**
 * Shows a number as Odoo sent it, except an amount whose record has its currency field
 * (`currency_field` for monetary fields, `currency_id` for prices): that one gets two decimals,
 * grouped thousands and the currency's name, as "6,948.74 USD".
 */
function renderNumber(value: unknown, field: FieldInfo, record: OdooRecord): string {
  const currencyName = amountCurrencyField(field);
  const currency = currencyName === undefined ? undefined : record[currencyName];
  if (typeof value === 'number' && isNamedRecord(currency)) {
    return `${formatNumber(value, 2)} ${currency[1]}`;
  }
  return renderPlain(value);
}

/** Tests whether a value is a many2one as Odoo reads it: `[id, "display name"]`. */
function isNamedRecord(value: unknown): value is [number, string] {
  return Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string';
}

function renderPlain(value: unknown): string {
  if (typeof value === 'string') {
    return value.replace(/\s+/g, ' ').trim();
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}
