import type { OdooAuthMode } from '../config/env.js';
import { OdooError } from '../odoo/errors.js';
import type { Domain } from './domain.js';
import type { FieldMap } from './fields.js';
import type { ModelName } from './models.js';
import { valueErrorFieldTypes, valueErrorHint } from './value-types.js';

/** Reasons the bridge rejects a tool call, before or after calling Odoo. */
export type ToolErrorKind =
  | 'invalid_domain'
  | 'invalid_value'
  | 'unknown_field'
  | 'invalid_order'
  | 'unknown_company'
  | 'ambiguous_company'
  | 'invalid_date';

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
  /** Whether the tool takes a domain, so that a hint may point at it. Default true. */
  takesDomain?: boolean;
  /** Whether the tool takes a field list, so that a hint may suggest other fields. Default true. */
  takesFields?: boolean;
  /** Models close to an unknown model name that the person may read. */
  similarModels?: readonly ModelName[];
  /** The domain of the failed call with the model's fields, to name a field's type. */
  domain?: { domain: Domain; fields: FieldMap };
  /** How the person signs in to Odoo, which decides the advice on an authentication error. */
  odooAuth?: OdooAuthMode;
}

/**
 * Builds the text of a tool result for a failed Odoo call. Odoo's own message comes first,
 * unchanged, because Odoo writes it for the person. The line after it is the next step.
 */
export function describeOdooError(error: OdooError, context: OdooFailureContext): string {
  const model = error.model ?? context.model ?? 'this model';
  const unknownModel = unknownModelName(error);
  if (unknownModel !== undefined) {
    return withHint(error.message, unknownModelHint(unknownModel, context));
  }
  const fieldTypes = valueErrorTypes(error);
  if (fieldTypes !== undefined) {
    return withHint(error.message, valueErrorHint(fieldTypes, context.domain));
  }
  switch (error.kind) {
    case 'access':
      return withHint(
        error.message,
        accessHint(error.message, context.email, model, context.takesFields ?? true),
      );
    case 'authentication':
      if (context.odooAuth === 'google') {
        return withHint(
          `Odoo no longer signs in ${context.email} with Google: "${error.message}"`,
          'Reconnect the Odoo connector to sign in again. If that fails too, ask your Odoo ' +
            'administrator to check that your user is active and linked to your Google account.',
        );
      }
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
      return withHint(error.message, invalidRequestHint(model, context.takesDomain ?? true));
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
function accessHint(
  message: string,
  email: string,
  toolModel: string,
  takesFields: boolean,
): string {
  const refused = /\(([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+)\)/.exec(message)?.[1] ?? toolModel;
  if (isRecordRuleMessage(message)) {
    return `Odoo's record rules hide these ${refused} records from ${email}; they belong to someone else. Ask your Odoo administrator if you need them.`;
  }
  let through = '';
  if (refused !== toolModel) {
    const avoid = takesFields ? `: ask for other fields of ${toolModel} to avoid it` : '';
    through = ` Reading ${toolModel} needed ${refused} here${avoid}.`;
  }
  return `Odoo's access rights do not let ${email} read ${refused}; ask your Odoo administrator for the right group.${through}`;
}

/**
 * Tells a record-rule AccessError ("Sorry, Alice Sales (id=8) doesn't have 'read' access to:")
 * from an access-rights one ("You are not allowed to access …"), by Odoo's 17.0-19.0 texts.
 */
export function isRecordRuleMessage(message: string): boolean {
  return /doesn't have '\w+' access to|top-secret records/.test(message);
}

function invalidRequestHint(model: string, takesDomain: boolean): string {
  const domain = takesDomain ? ' and the domain' : '';
  return (
    `Odoo rejected the request as invalid. Check the model name, the field names ` +
    `(describe_model lists the fields of ${model})${domain}.`
  );
}

/** Returns the model of Odoo's "Object x doesn't exist", its error for an unknown model name. */
export function unknownModelName(error: OdooError): string | undefined {
  if (error.kind !== 'invalid_request') {
    return undefined;
  }
  // JSON-RPC says "Object x doesn't exist"; JSON-2 (Odoo 19) says "the model 'x' does not exist".
  const match =
    /^Object (\S+) doesn't exist/.exec(error.message) ??
    /the model '([^']+)' does not exist/.exec(error.message);
  return match?.[1];
}

function unknownModelHint(model: string, context: OdooFailureContext): string {
  const start = `Odoo rejected the request as invalid: it has no model named "${model}".`;
  const similar = context.similarModels ?? [];
  if (similar.length === 0) {
    return (
      `${start} Tools take a model's technical name, such as "sale.order", "account.move" or ` +
      '"res.partner", not its label.'
    );
  }
  const names = similar.map((entry) => `"${entry.model}" (${entry.label})`).join(', ');
  return `${start} Models with close names that ${context.email} may read: ${names}.`;
}

function withHint(message: string, hint: string): string {
  return `${message}\n\n${hint}`;
}

/**
 * Returns the field types an error about a domain value of the wrong type points at, or
 * undefined for any other error. Odoo raises these as ValueError (an invalid request) or lets
 * PostgreSQL's error through, which the client classes as a server error.
 */
export function valueErrorTypes(error: OdooError): readonly string[] | undefined {
  if (error.kind !== 'invalid_request' && error.kind !== 'server') {
    return undefined;
  }
  return valueErrorFieldTypes(error.message);
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
