import type { MeasureCurrencies } from './currency.js';
import type { GroupValue, NormalizedGroup } from './normalize.js';
import { COUNT_KEY, type GroupbyLevel, type Measure } from './specs.js';

/** The inputs of a group line: the levels, the measures and their currencies. */
export interface GroupLineContext {
  levels: readonly GroupbyLevel[];
  measures: readonly Measure[];
  currencies: MeasureCurrencies;
}

/**
 * Renders one group as one line, such as
 * "October 2026 · Azure Interior — count 4, amount_total 12,345.00 USD".
 * A sum is named by its field alone, and other functions follow the field in brackets.
 */
export function renderGroupLine(group: NormalizedGroup, context: GroupLineContext): string {
  const labels = context.levels.map((level) => levelText(group, level, context));
  const count = group[COUNT_KEY];
  const parts = [`count ${count === null ? 'unknown' : formatNumber(count, 0)}`];
  for (const measure of context.measures) {
    const name =
      measure.func === 'sum' ? measure.field.name : `${measure.field.name} (${measure.func})`;
    parts.push(`${name} ${measureText(group, measure, context.currencies)}`);
  }
  return `${labels.join(' · ')} — ${parts.join(', ')}`;
}

function levelLabel(value: GroupValue | number | null | undefined): string {
  return typeof value === 'object' && value !== null ? value.label : 'None';
}

/**
 * Shows a group's value of one level. An amount (a monetary field) gets two decimals, as
 * measures do, and the currency of a measure on the same field when the call has one.
 */
function levelText(group: NormalizedGroup, level: GroupbyLevel, context: GroupLineContext): string {
  const value = group[level.spec];
  const amount = typeof value === 'object' && value !== null ? value.value : null;
  if (level.field.type !== 'monetary' || typeof amount !== 'number') {
    return levelLabel(value);
  }
  const measure = context.measures.find((candidate) => candidate.field.name === level.field.name);
  const currency =
    measure === undefined ? undefined : currencyOf(group, measure, context.currencies);
  const text = formatNumber(amount, 2);
  return currency === undefined ? text : `${text} ${currency}`;
}

function measureText(
  group: NormalizedGroup,
  measure: Measure,
  currencies: MeasureCurrencies,
): string {
  const value = group[measure.spec];
  if (typeof value !== 'number') {
    return 'none';
  }
  const currency = currencyOf(group, measure, currencies);
  const decimals = measureDecimals(value, measure);
  return currency === undefined
    ? formatNumber(value, decimals)
    : `${formatNumber(value, decimals)} ${currency}`;
}

/**
 * Returns the currency of a measure's amount in a group. A measure without a currency source
 * of its own takes that of another measure on the same field, so that an average shows the
 * currency of the sum beside it.
 */
function currencyOf(
  group: NormalizedGroup,
  measure: Measure,
  currencies: MeasureCurrencies,
): string | undefined {
  const level =
    currencies.perGroup.get(measure.spec) ?? sameField(currencies.perGroup, measure.field.name);
  if (level === undefined) {
    return currencies.shared.get(measure.spec) ?? sameField(currencies.shared, measure.field.name);
  }
  const value = group[level.spec];
  return typeof value === 'object' && value !== null && value.value !== null
    ? value.label
    : undefined;
}

/** Returns the entry of any measure spec on `field`, such as "amount_total:sum". */
function sameField<T>(entries: Map<string, T>, field: string): T | undefined {
  for (const [spec, entry] of entries) {
    if (spec.slice(0, spec.lastIndexOf(':')) === field) {
      return entry;
    }
  }
  return undefined;
}

/** Amounts and averages get two decimals, and other whole numbers none. */
function measureDecimals(value: number, measure: Measure): number {
  if (measure.field.type === 'monetary' || measure.func === 'avg') {
    return 2;
  }
  return Number.isInteger(value) ? 0 : 2;
}

/** Formats a number with `decimals` decimals and a comma between groups of three digits. */
export function formatNumber(value: number, decimals: number): string {
  const [whole = '', fraction] = Math.abs(value).toFixed(decimals).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = value < 0 && Number(Math.abs(value).toFixed(decimals)) !== 0 ? '-' : '';
  return fraction === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`;
}
