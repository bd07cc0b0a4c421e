import { z } from 'zod';
import { isLoopbackHost } from '../../http/loopback.js';
import { OAuthError } from '../errors.js';

export const TOKEN_ENDPOINT_AUTH_METHODS = [
  'none',
  'client_secret_post',
  'client_secret_basic',
] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

/** The client metadata the bridge keeps (RFC 7591 §2), whatever the client was registered by. */
export interface ClientRegistration {
  redirect_uris: string[];
  client_name?: string | undefined;
  client_uri?: string | undefined;
  logo_uri?: string | undefined;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
}

/** A client the authorization server recognised, with the id it was presented under. */
export interface Client extends ClientRegistration {
  client_id: string;
  /** The kind of client id: sealed by this server, or a client ID metadata document URL. */
  origin: 'sealed' | 'metadata_document';
  /** Seconds since the epoch at which a sealed registration was made. */
  issued_at?: number;
  /** Key id that sealed the registration; its secret is derived from that key. */
  sealed_with?: string;
}

const MAX_REDIRECT_URIS = 10;
const MAX_URI_LENGTH = 2000;

const httpsUrl = z.string().max(MAX_URI_LENGTH).refine(isHttpsUrl, 'must be an https URL');

/** Metadata accepted from `/register` and from client ID metadata documents. */
export const clientMetadataSchema = z.looseObject({
  redirect_uris: z.array(z.string().max(MAX_URI_LENGTH)).min(1).max(MAX_REDIRECT_URIS),
  client_name: z.string().max(200).optional(),
  client_uri: httpsUrl.optional(),
  logo_uri: httpsUrl.optional(),
  token_endpoint_auth_method: z.string().optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
  scope: z.string().max(1000).optional(),
});

/**
 * Checks client metadata and keeps what the bridge uses. Raises `invalid_redirect_uri` or
 * `invalid_client_metadata` (RFC 7591 §3.2.2) with a description naming the bad value.
 */
export function parseClientMetadata(input: unknown): ClientRegistration {
  const parsed = clientMetadataSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'body';
    const code = field.startsWith('redirect_uris')
      ? 'invalid_redirect_uri'
      : 'invalid_client_metadata';
    throw new OAuthError(code, `${field}: ${issue?.message ?? 'invalid'}`);
  }

  const metadata = parsed.data;
  for (const uri of metadata.redirect_uris) {
    checkRedirectUri(uri);
  }
  const method = metadata.token_endpoint_auth_method ?? 'client_secret_basic';
  if (!isAuthMethod(method)) {
    throw new OAuthError(
      'invalid_client_metadata',
      `token_endpoint_auth_method "${method}" is not supported; use one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}`,
    );
  }
  checkGrantTypes(metadata.grant_types);
  checkResponseTypes(metadata.response_types);
  return {
    redirect_uris: metadata.redirect_uris,
    client_name: metadata.client_name,
    client_uri: metadata.client_uri,
    logo_uri: metadata.logo_uri,
    token_endpoint_auth_method: method,
  };
}

/** Redirect URIs are https, or http on a loopback host with any port (RFC 8252 §7.3). */
export function checkRedirectUri(uri: string): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new OAuthError('invalid_redirect_uri', `redirect_uri "${uri}" is not an absolute URL`);
  }
  // URL parsing leaves `hash` empty for a bare "#", which is a fragment all the same.
  if (uri.includes('#')) {
    throw new OAuthError('invalid_redirect_uri', `redirect_uri "${uri}" must not have a fragment`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new OAuthError(
      'invalid_redirect_uri',
      `redirect_uri "${uri}" must not carry credentials`,
    );
  }
  const loopbackHttp = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new OAuthError(
      'invalid_redirect_uri',
      `redirect_uri "${uri}" must use https, or http on a loopback host such as 127.0.0.1`,
    );
  }
}

/**
 * Matches a redirect_uri from a request against the registered ones: exactly, except that a
 * loopback http URI matches on any port (RFC 8252 §7.3).
 */
export function isRegisteredRedirectUri(registration: ClientRegistration, uri: string): boolean {
  if (registration.redirect_uris.includes(uri)) {
    return true;
  }
  const requested = safeUrl(uri);
  if (requested === undefined || requested.protocol !== 'http:') {
    return false;
  }
  if (!isLoopbackHost(requested.hostname)) {
    return false;
  }
  return registration.redirect_uris.some((registered) => {
    const candidate = safeUrl(registered);
    if (candidate === undefined || candidate.protocol !== 'http:') {
      return false;
    }
    candidate.port = requested.port;
    return candidate.href === requested.href;
  });
}

function checkGrantTypes(grantTypes: string[] | undefined): void {
  const supported = ['authorization_code', 'refresh_token'];
  const unsupported = (grantTypes ?? []).filter((grant) => !supported.includes(grant));
  if (unsupported.length > 0) {
    throw new OAuthError(
      'invalid_client_metadata',
      `grant_types ${unsupported.join(', ')} not supported; use authorization_code and refresh_token`,
    );
  }
}

function checkResponseTypes(responseTypes: string[] | undefined): void {
  const unsupported = (responseTypes ?? []).filter((type) => type !== 'code');
  if (unsupported.length > 0) {
    throw new OAuthError(
      'invalid_client_metadata',
      `response_types ${unsupported.join(', ')} not supported; use code`,
    );
  }
}

function isAuthMethod(method: string): method is TokenEndpointAuthMethod {
  return (TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(method);
}

function isHttpsUrl(value: string): boolean {
  return safeUrl(value)?.protocol === 'https:';
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
