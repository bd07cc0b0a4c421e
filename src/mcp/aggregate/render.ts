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
 * "October 2026 · Azure Interior — count 4, amount_total 12 345.00 USD".
 * A sum is named by its field alone, and other functions follow the field in brackets.
 */
export function renderGroupLine(group: NormalizedGroup, context: GroupLineContext): string {
  const labels = context.levels.map((level) => levelLabel(group[level.spec]));
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

function currencyOf(
  group: NormalizedGroup,
  measure: Measure,
  currencies: MeasureCurrencies,
): string | undefined {
  const level = currencies.perGroup.get(measure.spec);
  if (level === undefined) {
    return currencies.shared.get(measure.spec);
  }
  const value = group[level.spec];
  return typeof value === 'object' && value !== null && value.value !== null
    ? value.label
    : undefined;
}

/** Amounts and averages get two decimals, and other whole numbers none. */
function measureDecimals(value: number, measure: Measure): number {
  if (measure.field.type === 'monetary' || measure.func === 'avg') {
    return 2;
  }
  return Number.isInteger(value) ? 0 : 2;
}

/** Formats a number with `decimals` decimals and a space between groups of three digits. */
export function formatNumber(value: number, decimals: number): string {
  const [whole = '', fraction] = Math.abs(value).toFixed(decimals).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = value < 0 && Number(Math.abs(value).toFixed(decimals)) !== 0 ? '-' : '';
  return fraction === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`;
}
