/**
 * Error codes of RFC 6749 §4.1.2.1 and §5.2, RFC 7591 §3.2.2 (registration), RFC 7009 §2.2.1
 * (revocation) and RFC 8707 §2 (resource indicators).
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'unsupported_token_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'server_error'
  | 'temporarily_unavailable';

/** An OAuth protocol error. `description` is public: it reaches the client as `error_description`. */
export class OAuthError extends Error {
  override name = 'OAuthError';

  /** The grant the error refused, once the request named one: for the log line, never sent. */
  grant: { email: string; grantId: string } | undefined;

  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${description}`, options);
  }

  /** HTTP status for a JSON error response (RFC 6749 §5.2: 401 for a failed client authentication). */
  get status(): 400 | 401 | 503 | 500 {
    if (this.code === 'invalid_client') {
      return 401;
    }
    if (this.code === 'temporarily_unavailable') {
      return 503;
    }
    if (this.code === 'server_error') {
      return 500;
    }
    return 400;
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}
