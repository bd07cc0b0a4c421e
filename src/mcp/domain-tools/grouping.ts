import {
  readGroupMeasureKeys,
  readGroups,
  type GroupingMethod,
} from '../aggregate/grouping-methods.js';
import type { GroupbyLevel, Measure } from '../aggregate/specs.js';
import type { Domain } from '../domain.js';
import type { FieldInfo } from '../fields.js';
import type { ToolCall } from '../tool.js';

export type { GroupingMethod } from '../aggregate/grouping-methods.js';

/** One group: its value of each groupby field and the sum of each summed field. */
export interface GroupTotal {
  /** A many2one value is `[id, "name"]`, a selection its value, as Odoo sends them. */
  keys: Record<string, unknown>;
  sums: Record<string, number>;
}

/** The groups of one grouping call, and the method that returned them. */
export interface GroupTotals {
  groups: GroupTotal[];
  method: GroupingMethod;
}

/**
 * Sums `fields` over the records of `domain`, grouped by every field of `groupby` at once,
 * with the grouping method of aggregate_records: `read_group` before Odoo 19.0 and
 * `formatted_read_group` from 19.0, falling back to the other when a server lacks the first.
 */
export async function sumByGroups(
  call: ToolCall,
  model: string,
  domain: Domain,
  groupby: string[],
  fields: string[],
  context: Record<string, unknown>,
): Promise<GroupTotals> {
  const levels: GroupbyLevel[] = groupby.map((name) => ({ spec: name, field: plainField(name) }));
  const measures: Measure[] = fields.map((name) => ({
    spec: `${name}:sum`,
    field: plainField(name),
    func: 'sum',
  }));
  const { method, rows } = await readGroups(call, {
    model,
    domain,
    levels,
    measures,
    order: [],
    limit: undefined,
    context,
  });
  // read_group names a sum after its field (or an alias), formatted_read_group after its spec.
  const keys = readGroupMeasureKeys(levels, measures);
  const sumKey = (measure: Measure) =>
    method === 'read_group' ? (keys.get(measure.spec) ?? measure.field.name) : measure.spec;
  const groups = rows.map((row) => ({
    keys: Object.fromEntries(groupby.map((name) => [name, row[name]])),
    sums: Object.fromEntries(
      measures.map((measure) => [measure.field.name, numberOf(row[sumKey(measure)])]),
    ),
  }));
  return { groups, method };
}

/** Builds a field known by name only, which is all the grouping requests need. */
function plainField(name: string): FieldInfo {
  return { name, type: 'float', label: name, required: false, readonly: true };
}

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
