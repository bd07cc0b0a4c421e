import { OdooError } from '../odoo/errors.js';

/** Reasons the bridge rejects a tool call, before or after calling Odoo. */
export type ToolErrorKind =
  'invalid_domain' | 'unknown_field' | 'invalid_order' | 'unknown_company' | 'ambiguous_company';

/**
 * A tool call the bridge rejects with a message the model can act on, such as a malformed
 * domain or an unknown field. It becomes a tool result with `isError: true`, not a protocol
 * error, so the model reads the message and can retry.
 */
export class ToolError extends Error {
  override name = 'ToolError';

  constructor(
    readonly kind: ToolErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** Context for describing a failed Odoo call: who it ran as, and the tool's model. */
export interface OdooFailureContext {
  email: string;
  /** The model the tool was called on; the error's own model wins when Odoo's client set it. */
  model: string | undefined;
}

/**
 * Builds the text of a tool result for a failed Odoo call. Odoo's own message comes first,
 * unchanged, because Odoo writes it for the person. The line after it is the next step.
 */
export function describeOdooError(error: OdooError, context: OdooFailureContext): string {
  const model = error.model ?? context.model ?? 'this model';
  switch (error.kind) {
    case 'access':
      return withHint(error.message, accessHint(error.message, context.email, model));
    case 'authentication':
      return withHint(
        `Odoo rejected the API key of ${context.email}: "${error.message}"`,
        'The key was probably revoked or has expired. Reconnect the Odoo connector and enter a new API key.',
      );
    case 'session_expired':
      return withHint(error.message, 'Odoo ended the session. Try the request again.');
    case 'transport':
      return withHint(
        `Odoo could not be reached: ${error.message}`,
        'Odoo may be restarting or the network failed. Try again in a moment.',
      );
    case 'timeout':
      return withHint(
        `Odoo did not answer in time: ${error.message}`,
        'Try again in a moment, or ask for fewer records (a lower limit, fewer fields, a narrower domain).',
      );
    case 'invalid_request':
      return withHint(error.message, invalidRequestHint(model));
    case 'missing_record':
      return withHint(error.message, `The ${model} record does not exist or was deleted.`);
    case 'validation':
    case 'user_error':
      return withHint(error.message, 'Odoo rejected the request with the message above.');
    case 'server':
      return withHint(
        `Odoo failed with an error of its own: ${error.message}`,
        'Try again later, and tell your Odoo administrator if it keeps failing.',
      );
  }
}

/**
 * Explains an AccessError in one line. Odoo names the refused model in brackets, as in
 * "'Stock Move' (stock.move)", and it may be another model than the tool's, such as the stock
 * moves behind a product's quantities. Record rules ("doesn't have 'read' access to") hide
 * single records; access rights refuse the whole model.
 */
function accessHint(message: string, email: string, toolModel: string): string {
  const refused = /\(([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+)\)/.exec(message)?.[1] ?? toolModel;
  if (/doesn't have '\w+' access to/.test(message)) {
    return `Odoo's record rules hide these ${refused} records from ${email}; they belong to someone else. Ask your Odoo administrator if you need them.`;
  }
  const through =
    refused === toolModel
      ? ''
      : ` Reading ${toolModel} needed ${refused} here: ask for other fields of ${toolModel} to avoid it.`;
  return `Odoo's access rights do not let ${email} read ${refused}; ask your Odoo administrator for the right group.${through}`;
}

function invalidRequestHint(model: string): string {
  return (
    `Odoo rejected the request as invalid. Check the model name, the field names ` +
    `(describe_model lists the fields of ${model}) and the domain.`
  );
}

function withHint(message: string, hint: string): string {
  return `${message}\n\n${hint}`;
}

/** Odoo kinds that point at Odoo or the network, not at the request: worth a warning line. */
export function isOdooOutage(error: unknown): boolean {
  if (!(error instanceof OdooError)) {
    return false;
  }
  return error.kind === 'server' || error.kind === 'transport' || error.kind === 'timeout';
}

/** The text of a tool result for an error the bridge did not expect, such as a bug. */
export const UNEXPECTED_ERROR_TEXT =
  'The bridge failed while running this tool, for a reason of its own. ' +
  'The error is in the bridge log. Try again, and tell the bridge administrator if it keeps failing.';
