import { OdooError } from '../odoo/errors.js';
import { isRecordRuleMessage } from './errors.js';
import type { OdooRecord } from './records.js';
import type { ToolCall } from './tool.js';

/** A `read` of records by id, as read_records sends it. */
export interface ReadRequest {
  model: string;
  ids: number[];
  fields: string[];
  context: Record<string, unknown>;
}

/** The records read, and the ids of existing records that the record rules hide. */
export interface ReadOutcome {
  found: OdooRecord[];
  hiddenIds: number[];
}

/** Tests whether `error` is Odoo's AccessError for records its record rules hide. */
function isRecordRuleError(error: unknown): error is OdooError {
  return (
    error instanceof OdooError && error.kind === 'access' && isRecordRuleMessage(error.message)
  );
}

/**
 * Reads the records of `request.ids`. Odoo's `read` fails as a whole when its record rules hide
 * one of several records, so on that error this finds the ids the person may see with `search`,
 * reads those, and reports the other existing ids as hidden. When the rules hide every record,
 * Odoo's own error is raised.
 */
export async function readVisibleRecords(
  call: ToolCall,
  request: ReadRequest,
): Promise<ReadOutcome> {
  const { model, ids, fields, context } = request;
  try {
    const found = await call.odoo.executeKw<OdooRecord[]>(model, 'read', [ids], {
      fields,
      context,
    });
    return { found, hiddenIds: [] };
  } catch (error) {
    if (ids.length < 2 || !isRecordRuleError(error)) {
      throw error;
    }
    // A rule on another model, met through a field, would fail the second read too.
    if (!error.message.includes(`(${model})`)) {
      throw error;
    }
    return readAroundRecordRules(call, request, error);
  }
}

async function readAroundRecordRules(
  call: ToolCall,
  request: ReadRequest,
  ruleError: OdooError,
): Promise<ReadOutcome> {
  const { model, ids, fields, context } = request;
  // `read` returns archived records too, so the search must not leave them out.
  const searchContext = { ...context, active_test: false };
  const visibleIds = await call.odoo.executeKw<number[]>(model, 'search', [[['id', 'in', ids]]], {
    context: searchContext,
  });
  if (visibleIds.length === 0) {
    throw ruleError;
  }
  const visible = new Set(visibleIds);
  const readIds = ids.filter((id) => visible.has(id));
  const found = await call.odoo.executeKw<OdooRecord[]>(model, 'read', [readIds], {
    fields,
    context,
  });
  const unseen = ids.filter((id) => !visible.has(id));
  const hiddenIds = await hiddenAmong(call, model, unseen, context);
  return { found, hiddenIds };
}

/** Ids probed at once when telling hidden records from deleted ones. */
const PROBE_BATCH = 10;

/**
 * Tells which of the ids the person cannot see exist. `exists` would say it in one call, but
 * Odoo 19 refuses it remotely as a private method, so each id is read alone: `read` returns
 * `[]` for a deleted record and raises the record-rule error for a hidden one.
 */
async function hiddenAmong(
  call: ToolCall,
  model: string,
  ids: number[],
  context: Record<string, unknown>,
): Promise<number[]> {
  const hidden: number[] = [];
  for (let start = 0; start < ids.length; start += PROBE_BATCH) {
    const batch = ids.slice(start, start + PROBE_BATCH);
    const probes = batch.map(async (id) => {
      try {
        const rows = await call.odoo.executeKw<unknown[]>(model, 'read', [[id]], {
          fields: ['id'],
          context,
        });
        return rows.length > 0;
      } catch (error) {
        if (isRecordRuleError(error)) {
          return true;
        }
        throw error;
      }
    });
    const results = await Promise.all(probes);
    batch.forEach((id, index) => {
      if (results[index] === true) {
        hidden.push(id);
      }
    });
  }
  return hidden;
}
