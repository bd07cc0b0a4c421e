import { OdooError } from '../../odoo/errors.js';
import { amountCurrencyField } from '../currency.js';
import type { FieldInfo, FieldMap } from '../fields.js';
import type { ToolCall } from '../tool.js';
import { type GroupingMethod, type GroupingQuery, readGroupsWith } from './grouping-methods.js';
import { type NormalizedGroup, normalizeGroups } from './normalize.js';
import type { GroupbyLevel, Measure } from './specs.js';

/** The sources of the currency of each amount measure. */
export interface MeasureCurrencies {
  /** The one currency name, such as "USD", of every matched record, by measure spec. */
  shared: Map<string, string>;
  /** The level that groups by the measure's currency field, so each group has its own. */
  perGroup: Map<string, GroupbyLevel>;
  notes: string[];
}

/** Returns empty currency sources, for a result without groups. */
export function noCurrencies(): MeasureCurrencies {
  return { shared: new Map(), perGroup: new Map(), notes: [] };
}

/**
 * Finds the currency of each amount measure: a monetary field's `currency_field`, or
 * `currency_id` for Odoo's float price fields. When the grouping has no level on that field,
 * one more grouping by it, with the same domain, shows whether all records share a currency.
 */
export async function measureCurrencies(
  call: ToolCall,
  query: GroupingQuery,
  fields: FieldMap,
  method: GroupingMethod,
): Promise<MeasureCurrencies> {
  const result = noCurrencies();
  const lookups = new Map<string, Measure[]>();
  for (const measure of query.measures) {
    const currencyField = currencyFieldOf(measure.field, fields);
    if (currencyField === undefined) {
      continue;
    }
    const level = query.levels.find((candidate) => candidate.field.name === currencyField.name);
    if (level !== undefined) {
      result.perGroup.set(measure.spec, level);
    } else {
      lookups.set(currencyField.name, [...(lookups.get(currencyField.name) ?? []), measure]);
    }
  }
  for (const [name, measures] of lookups) {
    const currencyField = fields.get(name)!;
    const currencies = await recordCurrencies(call, query, currencyField, method);
    addCurrencies(result, measures, currencyField, currencies);
  }
  return result;
}

/** Returns the currency field of an amount, when the model has it as a many2one to currencies. */
function currencyFieldOf(field: FieldInfo, fields: FieldMap): FieldInfo | undefined {
  const name = amountCurrencyField(field);
  const currency = name === undefined ? undefined : fields.get(name);
  const isCurrency =
    currency?.type === 'many2one' && (currency.relation ?? 'res.currency') === 'res.currency';
  return isCurrency ? currency : undefined;
}

/**
 * Returns the names of the currencies among the matched records, "None" for records without
 * one, or undefined when Odoo cannot group by the currency field (a computed field, say).
 */
async function recordCurrencies(
  call: ToolCall,
  query: GroupingQuery,
  currencyField: FieldInfo,
  method: GroupingMethod,
): Promise<string[] | undefined> {
  const level: GroupbyLevel = { spec: currencyField.name, field: currencyField };
  const currencyQuery = { ...query, levels: [level], measures: [], order: [], limit: undefined };
  try {
    const raw = await readGroupsWith(call, currencyQuery, method);
    return normalizeGroups(raw, [level], []).map((group) => currencyLabel(group, level));
  } catch (error) {
    if (error instanceof OdooError && error.kind === 'invalid_request') {
      return undefined;
    }
    throw error;
  }
}

function currencyLabel(group: NormalizedGroup, level: GroupbyLevel): string {
  const value = group[level.spec];
  return typeof value === 'object' && value !== null ? value.label : 'None';
}

function addCurrencies(
  result: MeasureCurrencies,
  measures: Measure[],
  currencyField: FieldInfo,
  currencies: string[] | undefined,
): void {
  const specs = measures.map((measure) => measure.spec).join(', ');
  if (currencies === undefined) {
    result.notes.push(
      `${specs} shown without a currency: Odoo could not group by "${currencyField.name}".`,
    );
    return;
  }
  if (currencies.length === 1 && currencies[0] !== 'None') {
    for (const measure of measures) {
      result.shared.set(measure.spec, currencies[0]!);
    }
    result.notes.push(`Amounts of ${specs} are in ${currencies[0]}.`);
    return;
  }
  if (currencies.length > 1) {
    const listed = currencies.map((name) => (name === 'None' ? 'no currency' : name));
    result.notes.push(
      `${specs} add up amounts in several currencies (${listed.join(', ')}). Add ` +
        `"${currencyField.name}" to groupby to get one total per currency.`,
    );
  }
}
