import type { Domain } from '../domain.js';
import { ToolError } from '../errors.js';
import type { FieldMap } from '../fields.js';
import type { OdooRecord } from '../records.js';

/** The order states find_sales_orders takes and returns, the same on every Odoo version. */
export const SALE_STATES = ['quotation', 'sent', 'confirmed', 'locked', 'cancelled'] as const;

export type SaleState = (typeof SALE_STATES)[number];

/**
 * The marker of a locked order on the server, read from `fields_get` of sale.order. 16.0 has
 * the state "done" (Locked), while 17.0 and later keep the state "sale" and set the boolean
 * `locked`.
 */
export type LockMarker = 'done_state' | 'locked_field' | 'none';

/** Decides the lock marker from the fields: a "done" state wins over a `locked` field. */
export function lockMarkerOf(fields: FieldMap): LockMarker {
  if (stateValues(fields).includes('done')) {
    return 'done_state';
  }
  return fields.get('locked')?.type === 'boolean' ? 'locked_field' : 'none';
}

/** Builds the domain of orders in any of `states`, for the server whose fields are given. */
export function saleStateDomain(states: readonly SaleState[], fields: FieldMap): Domain {
  const marker = lockMarkerOf(fields);
  const terms = states.map((state) => stateTerm(state, marker, stateValues(fields)));
  const ors: Domain = Array.from({ length: terms.length - 1 }, () => '|' as const);
  return [...ors, ...terms.flat()];
}

/** Reads an order's state as find_sales_orders names it. An unknown Odoo state stays as is. */
export function saleStateOf(record: OdooRecord, marker: LockMarker): string {
  switch (record.state) {
    case 'draft':
      return 'quotation';
    case 'sent':
      return 'sent';
    case 'cancel':
      return 'cancelled';
    case 'done':
      return 'locked';
    case 'sale':
      return marker === 'locked_field' && record.locked === true ? 'locked' : 'confirmed';
    default:
      return String(record.state);
  }
}

/** Returns one state's condition as a single domain term: a leaf, or "&" and two leaves. */
function stateTerm(state: SaleState, marker: LockMarker, values: string[]): Domain {
  switch (state) {
    case 'quotation':
      return [stateLeaf('draft', state, values)];
    case 'sent':
      return [stateLeaf('sent', state, values)];
    case 'cancelled':
      return [stateLeaf('cancel', state, values)];
    case 'confirmed':
      if (marker === 'locked_field') {
        return ['&', stateLeaf('sale', state, values), ['locked', '=', false]];
      }
      return [stateLeaf('sale', state, values)];
    case 'locked':
      return lockedTerm(marker, values);
  }
}

function lockedTerm(marker: LockMarker, values: string[]): Domain {
  if (marker === 'done_state') {
    return [stateLeaf('done', 'locked', values)];
  }
  if (marker === 'locked_field') {
    return ['&', stateLeaf('sale', 'locked', values), ['locked', '=', true]];
  }
  throw new ToolError(
    'invalid_value',
    'This Odoo marks no sales order as locked: sale.order has neither the state "done" nor ' +
      'the field "locked". Leave "locked" out of state.',
  );
}

/** Builds `["state", "=", value]` after checking that the server's selection has the value. */
function stateLeaf(value: string, state: SaleState, values: string[]): [string, string, string] {
  if (values.length > 0 && !values.includes(value)) {
    throw new ToolError(
      'invalid_value',
      `This Odoo has no sales order state "${value}" for state "${state}"; its states are ` +
        `${values.join(', ')}.`,
    );
  }
  return ['state', '=', value];
}

function stateValues(fields: FieldMap): string[] {
  return (fields.get('state')?.selection ?? []).map(([value]) => String(value));
}
