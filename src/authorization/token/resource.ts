import type { BridgeContext } from '../../context.js';
import { OAuthError } from '../errors.js';

/**
 * Checks the RFC 8707 `resource` parameters of a request: each must be the bridge's one
 * resource, `<PUBLIC_URL>/mcp`. Absent, the grant is for that resource anyway.
 */
export function checkResourceParameter(context: BridgeContext, params: URLSearchParams): void {
  for (const resource of params.getAll('resource')) {
    if (resource !== context.settings.resource) {
      throw new OAuthError(
        'invalid_target',
        `resource "${resource}" is not served here; use ${context.settings.resource}`,
      );
    }
  }
}
