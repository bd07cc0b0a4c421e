import type { BridgeSettings } from '../context.js';
import { SCOPE } from './grant.js';

/** Authorization server metadata (RFC 8414), with the endpoints at the origin root. */
export function authorizationServerMetadata(settings: BridgeSettings): Record<string, unknown> {
  const base = settings.issuer;
  return {
    issuer: base,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    registration_endpoint: `${base}/register`,
    revocation_endpoint: `${base}/revoke`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    revocation_endpoint_auth_methods_supported: [
      'none',
      'client_secret_post',
      'client_secret_basic',
    ],
    scopes_supported: [SCOPE],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${base}/`,
  };
}

/** Protected resource metadata (RFC 9728) for `<PUBLIC_URL>/mcp`. */
export function protectedResourceMetadata(settings: BridgeSettings): Record<string, unknown> {
  return {
    resource: settings.resource,
    authorization_servers: [settings.issuer],
    scopes_supported: [SCOPE],
    bearer_methods_supported: ['header'],
    resource_name: 'Odoo (odoo-mcp-bridge)',
    resource_documentation: `${settings.issuer}/`,
  };
}
