import { createHash } from 'node:crypto';
import { OAuthError } from '../errors.js';
import { isMetadataDocumentUrl, type MetadataDocumentClients } from './metadata-document.js';
import type { Client } from './registration.js';
import type { SealedClients } from './sealed-clients.js';

/** Client credentials as presented at the token or revocation endpoint. */
export interface PresentedClient {
  clientId: string | undefined;
  clientSecret: string | undefined;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/** Finds clients by id, whichever way they were registered, and checks their credentials. */
export class ClientDirectory {
  constructor(
    readonly sealed: SealedClients,
    private readonly documents: MetadataDocumentClients,
  ) {}

  /** Resolves a client id; raises `invalid_client` when it names no client. */
  async find(clientId: string): Promise<Client> {
    if (isMetadataDocumentUrl(clientId)) {
      return this.documents.resolve(clientId);
    }
    const client = await this.sealed.open(clientId);
    if (client === undefined) {
      throw new OAuthError(
        'invalid_client',
        'client_id is unknown to this server; register the client again',
      );
    }
    return client;
  }

  /** Authenticates a client at the token endpoint (RFC 6749 §2.3). */
  async authenticate(presented: PresentedClient): Promise<Client> {
    if (presented.clientId === undefined || presented.clientId === '') {
      throw new OAuthError('invalid_client', 'client_id is missing');
    }
    const client = await this.find(presented.clientId);
    const secret = presented.clientSecret ?? '';
    if (client.token_endpoint_auth_method === 'none') {
      if (secret !== '') {
        throw new OAuthError('invalid_client', 'this client is public; send no client_secret');
      }
      return client;
    }
    if (secret === '') {
      throw new OAuthError(
        'invalid_client',
        'client_secret is missing; send it with client_secret_post or client_secret_basic',
      );
    }
    if (!this.sealed.verifySecret(client, secret)) {
      throw new OAuthError('invalid_client', 'client_secret does not match this client_id');
    }
    return client;
  }
}

/** Computes a short, stable fingerprint of a client id, for tokens and logs (ids can be long). */
export function clientFingerprint(clientId: string): string {
  return createHash('sha256').update(clientId).digest('base64url').slice(0, 22);
}

/**
 * Parses `Authorization: Basic` client credentials (RFC 6749 §2.3.1: form-urlencoded parts).
 * Returns undefined for another scheme. Malformed Basic credentials are a failed client
 * authentication, never ignored in favour of a client_id in the body.
 */
export function parseBasicCredentials(
  header: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  if (header === undefined || !/^Basic(\s|$)/i.test(header.trim())) {
    return undefined;
  }
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (match === null) {
    throw new OAuthError('invalid_client', 'Basic credentials are not base64');
  }
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) {
    throw new OAuthError('invalid_client', 'Basic credentials are not of the form id:secret');
  }
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, separator).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(separator + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw new OAuthError('invalid_client', 'Basic credentials are not form-urlencoded');
  }
}
