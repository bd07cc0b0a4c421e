import type { Logger } from '../log/logger.js';
import type { ToolSession } from './session.js';

/** Outcome of a tool call: a result, an error result the model can act on, or a bridge fault. */
export type ToolOutcome = 'ok' | 'tool_error' | 'error';

/** Summary of one tool call, without any record value, domain value or credential. */
export interface ToolCallSummary {
  tool: string;
  /** The model the call was about, once the tool knew it. */
  model: string | undefined;
  /** The Odoo methods called, in the order of their first call. */
  methods: string[];
  /** Records returned, or counted by `count_records`. */
  recordCount: number | undefined;
  outcome: ToolOutcome;
  /** The `OdooError` or `ToolError` kind when the call failed. */
  errorKind: string | undefined;
  durationMs: number;
}

/**
 * Writes the one audit line of a tool call at info level: who called which tool on which
 * model, the Odoo methods, how many records, and how it ended. Field names would be safe to
 * log, but the line leaves them out too, and never carries values.
 */
export function writeToolAudit(
  logger: Logger,
  session: ToolSession,
  summary: ToolCallSummary,
): void {
  const line = {
    event: 'mcp.tool_call',
    tool: summary.tool,
    email: session.person.email,
    odoo_uid: session.odooUid,
    client: session.clientName,
    grant_id: session.grantId,
    model: summary.model,
    method: summary.methods,
    record_count: summary.recordCount,
    outcome: summary.outcome,
    error_kind: summary.errorKind,
    duration_ms: summary.durationMs,
  };
  logger.info(line, auditMessage(session.person.email, summary));
}

/** Builds the message, such as "alice@example.com called search_records on sale.order (4 records)". */
export function auditMessage(email: string, summary: ToolCallSummary): string {
  const target = summary.model === undefined ? '' : ` on ${summary.model}`;
  const base = `${email} called ${summary.tool}${target}`;
  if (summary.outcome !== 'ok') {
    return `${base}: failed (${summary.errorKind ?? 'unexpected error'})`;
  }
  if (summary.recordCount === undefined) {
    return base;
  }
  const noun = summary.recordCount === 1 ? 'record' : 'records';
  return `${base} (${summary.recordCount} ${noun})`;
}
