import type { Domain } from '../domain.js';
import type { ToolCall } from '../tool.js';
import type { RecordReference } from './arguments.js';
import {
  describeFound,
  describePartnerMatches,
  idsOf,
  type LookupTarget,
  lookupRecords,
} from './lookup.js';

/** A domain built from plain filter arguments, and notes on how names were matched. */
export class FilterSet {
  readonly domain: Domain = [];
  readonly notes: string[] = [];

  add(leaves: Domain): void {
    this.domain.push(...leaves);
  }

  /**
   * Adds `[field, operator, ids]` for the records a name or id refers to, and a note listing
   * what a name matched. A name that matches nothing raises (see `lookupRecords`).
   */
  async addLookup(
    call: ToolCall,
    target: LookupTarget,
    reference: RecordReference,
    leaf: { field: string; operator: 'in' | 'child_of' },
    context: Record<string, unknown>,
  ): Promise<number[]> {
    const found = await lookupRecords(call, target, reference, context);
    const ids = idsOf(found);
    this.domain.push([leaf.field, leaf.operator, ids]);
    if (typeof reference === 'string') {
      const matched =
        target.model === 'res.partner'
          ? await describePartnerMatches(call, found, context)
          : describeFound(found);
      this.notes.push(`${target.argument} "${reference}" matched ${matched}.`);
    }
    return ids;
  }
}
