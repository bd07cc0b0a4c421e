/**
 * The closed set of ways an Odoo call fails. Decided from `error.data.name` (JSON-RPC) or
 * `name` plus the HTTP status (JSON-2), and from the message where Odoo raises a generic class.
 */
export type OdooErrorKind =
  /** The login and API key (or session) did not sign in: AccessDenied, `authenticate` false. */
  | 'authentication'
  /** Access rights or record rules refused the operation: AccessError. */
  | 'access'
  /** The record does not exist or was deleted: MissingError. */
  | 'missing_record'
  /** A constraint refused the values: ValidationError. */
  | 'validation'
  /** Odoo refused the operation with a message for the person: UserError. */
  | 'user_error'
  /** The request itself is wrong: unknown model, field or method, a bad domain, bad arguments. */
  | 'invalid_request'
  /** The web session is gone ("Odoo Session Expired", code 100). */
  | 'session_expired'
  /** Odoo failed for a reason of its own: a database error or an unexpected exception. */
  | 'server'
  /** The connection failed, was dropped, or the answer was not Odoo's JSON. */
  | 'transport'
  /** Odoo did not answer within the time limit. */
  | 'timeout';

export interface OdooErrorDetails {
  /** The Python exception class, such as `odoo.exceptions.AccessError`. */
  odooName?: string;
  /** HTTP status of the answer, when there was one. */
  httpStatus?: number;
  /** The Odoo model and method of the failed call, for logs. */
  model?: string;
  method?: string;
  cause?: unknown;
}

/** An Odoo call that failed. `message` is Odoo's own message, kept as Odoo wrote it. */
export class OdooError extends Error {
  override name = 'OdooError';
  readonly odooName: string | undefined;
  readonly httpStatus: number | undefined;
  readonly model: string | undefined;
  readonly method: string | undefined;

  constructor(
    readonly kind: OdooErrorKind,
    message: string,
    details: OdooErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.odooName = details.odooName;
    this.httpStatus = details.httpStatus;
    this.model = details.model;
    this.method = details.method;
  }

  /**
   * Returns a copy with another message, for taking a secret out of it. Subclasses return their
   * own class. The copy has no `cause`, because the cause may quote the secret too.
   */
  withMessage(message: string): OdooError {
    return new OdooError(this.kind, message, this.details());
  }

  protected details(): OdooErrorDetails {
    return {
      odooName: this.odooName,
      httpStatus: this.httpStatus,
      model: this.model,
      method: this.method,
    };
  }
}
