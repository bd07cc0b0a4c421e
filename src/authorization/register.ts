import type { BridgeContext } from '../context.js';
import { parseClientMetadata } from './clients/registration.js';
import { OAuthError } from './errors.js';
import { oauthErrorResponse, oauthJson } from './responses.js';

const MAX_REGISTRATION_BYTES = 16 * 1024;

/**
 * `POST /register`: dynamic client registration (RFC 7591) without storage. The client id is
 * the sealed registration and a confidential client's secret is derived from it.
 */
export async function handleRegister(context: BridgeContext, request: Request): Promise<Response> {
  try {
    const metadata = await readJsonBody(request);
    const registration = parseClientMetadata(metadata);
    const credentials = await context.clients.sealed.register(registration);
    context.logger.info(
      {
        event: 'oauth.register',
        client_name: registration.client_name,
        redirect_uris: registration.redirect_uris,
        token_endpoint_auth_method: registration.token_endpoint_auth_method,
        outcome: 'registered',
      },
      `Registered client ${registration.client_name ?? '(unnamed)'}`,
    );
    return oauthJson(
      {
        ...credentials,
        client_id_issued_at: Math.floor(Date.now() / 1000),
        ...(credentials.client_secret === undefined ? {} : { client_secret_expires_at: 0 }),
        client_name: registration.client_name,
        client_uri: registration.client_uri,
        logo_uri: registration.logo_uri,
        redirect_uris: registration.redirect_uris,
        token_endpoint_auth_method: registration.token_endpoint_auth_method,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'odoo.read',
      },
      201,
    );
  } catch (error) {
    if (error instanceof OAuthError) {
      context.logger.info(
        { event: 'oauth.register', outcome: error.code, reason: error.description },
        `Registration refused: ${error.code}`,
      );
      return oauthErrorResponse(error);
    }
    throw error;
  }
}

async function readJsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new OAuthError(
      'invalid_client_metadata',
      `Content-Type must be application/json, not "${type || 'none'}"`,
    );
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_REGISTRATION_BYTES) {
    throw new OAuthError(
      'invalid_client_metadata',
      `body is larger than ${MAX_REGISTRATION_BYTES} bytes`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new OAuthError('invalid_client_metadata', 'body is not valid JSON');
  }
}
