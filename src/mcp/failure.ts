import type { CallToolResult } from '@modelcontextprotocol/server';
import { OdooError } from '../odoo/errors.js';
import { writeToolAudit, type ToolCallSummary, type ToolOutcome } from './audit.js';
import {
  describeOdooError,
  isOdooOutage,
  type OdooFailureContext,
  ToolError,
  UNEXPECTED_ERROR_TEXT,
  unknownModelName,
  valueErrorTypes,
} from './errors.js';
import { type ModelName, similarModels } from './models.js';
import type { ToolCall } from './tool.js';

/** Turns a failure into a tool result, writing the audit line and, for faults, an error line. */
export async function failureResult(
  error: unknown,
  call: ToolCall,
  summarize: (outcome: ToolOutcome, errorKind: string) => ToolCallSummary,
): Promise<CallToolResult> {
  const { session } = call;
  if (error instanceof ToolError) {
    writeToolAudit(session.logger, session, summarize('tool_error', error.kind));
    return errorResult(error.message);
  }
  if (error instanceof OdooError) {
    const context = await failureContext(error, call);
    const summary = summarize('tool_error', error.kind);
    // A value of the wrong type is the request's fault, although PostgreSQL raised it.
    if (isOdooOutage(error) && valueErrorTypes(error) === undefined) {
      const fields = {
        event: 'mcp.odoo_unavailable',
        tool: summary.tool,
        odoo_uid: session.odooUid,
      };
      session.logger.warn(
        { ...fields, error },
        `Odoo call of ${summary.tool} failed (${error.kind})`,
      );
    }
    writeToolAudit(session.logger, session, summary);
    return errorResult(describeOdooError(error, context));
  }
  const summary = summarize('error', 'unexpected');
  session.logger.error(
    { event: 'mcp.tool_failed', tool: summary.tool, email: session.person.email, error },
    `${summary.tool} failed with an unexpected error`,
  );
  writeToolAudit(session.logger, session, summary);
  return errorResult(UNEXPECTED_ERROR_TEXT);
}

async function failureContext(error: OdooError, call: ToolCall): Promise<OdooFailureContext> {
  const context: OdooFailureContext = {
    email: call.session.person.email,
    model: call.audit.model,
    takesDomain: call.takesDomain,
    takesFields: call.takesFields,
    domain: call.domain,
    odooAuth: call.session.odooAuth,
  };
  const unknownModel = unknownModelName(error);
  if (unknownModel !== undefined) {
    context.similarModels = await modelsLike(call, unknownModel);
  }
  return context;
}

/**
 * Looks up models close to a mistyped name among those the person may read. A failure only
 * costs the suggestions, because the person's request has already failed for its own reason.
 */
async function modelsLike(call: ToolCall, name: string): Promise<ModelName[]> {
  try {
    const models = await call.modelsCache.models(call.odoo, call.session.odooUid);
    return similarModels(name, models);
  } catch (error) {
    call.session.logger.info(
      { event: 'mcp.model_list_failed', odoo_uid: call.session.odooUid, error },
      'Listing the models for suggestions failed; the error shows none',
    );
    return [];
  }
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
