import * as oidc from 'openid-client';

/**
 * The reason a call to the upstream issuer failed: it could not be reached (`unavailable`),
 * it reported the grant or token as no longer valid (`rejected`), its response failed a check
 * (`invalid`), or it lacks what the call needs (`unsupported`).
 */
export type UpstreamErrorKind = 'unavailable' | 'rejected' | 'invalid' | 'unsupported';

export class UpstreamError extends Error {
  override name = 'UpstreamError';

  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** OAuth error codes with which an issuer reports that a grant or token has ended. */
const GRANT_ENDED = new Set(['invalid_grant', 'invalid_token', 'unauthorized_client']);

/** Maps an openid-client failure to an upstream error kind, keeping it as the cause. */
export function toUpstreamError(error: unknown, context: string): UpstreamError {
  if (error instanceof UpstreamError) {
    return error;
  }
  if (error instanceof oidc.ResponseBodyError) {
    const kind =
      error.status >= 500 ? 'unavailable' : GRANT_ENDED.has(error.error) ? 'rejected' : 'invalid';
    return new UpstreamError(kind, `${context}: ${error.error} (HTTP ${error.status})`, {
      cause: error,
    });
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    // 401 and 403 are the issuer's verdict on the token; other statuses are its own failures.
    const kind = error.status === 401 || error.status === 403 ? 'rejected' : 'unavailable';
    return new UpstreamError(kind, `${context}: HTTP ${error.status}`, { cause: error });
  }
  if (error instanceof oidc.AuthorizationResponseError) {
    return new UpstreamError('invalid', `${context}: ${error.error}`, { cause: error });
  }
  if (isNetworkFailure(error)) {
    return new UpstreamError('unavailable', `${context}: the issuer could not be reached`, {
      cause: error,
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new UpstreamError(
    isServerFailure(error) ? 'unavailable' : 'invalid',
    `${context}: ${reason}`,
    {
      cause: error,
    },
  );
}

function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  return (
    error.name === 'AbortError' ||
    error.name === 'TimeoutError' ||
    (error instanceof TypeError && error.message === 'fetch failed')
  );
}

/** openid-client reports a 5xx or a non-JSON body as a processing error carrying the Response. */
function isServerFailure(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Response && cause.status >= 500;
}
