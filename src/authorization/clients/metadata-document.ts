import { OAuthError } from '../errors.js';
import type { Logger } from '../../log/logger.js';
import { TtlCache } from '../../util/ttl-cache.js';
import { parseClientMetadata, type Client } from './registration.js';

/** A fetched client ID metadata document: the parsed JSON and how long it may be cached. */
export interface FetchedDocument {
  body: unknown;
  maxAgeSeconds: number | undefined;
}

/**
 * Fetches the document at a client id URL. The production fetcher refuses private and loopback
 * addresses, redirects and large bodies; tests inject their own fetcher rather than loosening
 * those checks.
 */
export type MetadataDocumentFetcher = (url: URL) => Promise<FetchedDocument>;

const MIN_CACHE_SECONDS = 300;
const MAX_CACHE_SECONDS = 86_400;
const FAILURE_CACHE_SECONDS = 30;
const MAX_CACHED_DOCUMENTS = 1000;

/** Tells whether a client id is meant as a client ID metadata document URL. */
export function isMetadataDocumentUrl(clientId: string): boolean {
  return clientId.startsWith('https://');
}

/**
 * Resolves client ids that are URLs of client ID metadata documents
 * (draft-ietf-oauth-client-id-metadata-document): fetch, validate, cache.
 */
export class MetadataDocumentClients {
  private readonly cache = new TtlCache<string, Client | OAuthError>(MAX_CACHED_DOCUMENTS);
  /** Fetches in flight, so that many requests naming one client id fetch its document once. */
  private readonly inFlight = new Map<string, Promise<Client>>();

  constructor(
    private readonly fetchDocument: MetadataDocumentFetcher,
    private readonly logger?: Logger,
  ) {}

  async resolve(clientId: string): Promise<Client> {
    const cached = this.cache.get(clientId);
    if (cached instanceof OAuthError) {
      throw cached;
    }
    if (cached !== undefined) {
      return cached;
    }
    let pending = this.inFlight.get(clientId);
    if (pending === undefined) {
      pending = this.fetchAndCache(clientId).finally(() => this.inFlight.delete(clientId));
      this.inFlight.set(clientId, pending);
    }
    return pending;
  }

  private async fetchAndCache(clientId: string): Promise<Client> {
    try {
      const { client, maxAgeSeconds } = await this.load(clientId);
      const ttl = Math.min(Math.max(maxAgeSeconds ?? 0, MIN_CACHE_SECONDS), MAX_CACHE_SECONDS);
      this.cache.set(clientId, client, ttl * 1000);
      return client;
    } catch (error) {
      if (error instanceof OAuthError) {
        this.cache.set(clientId, error, FAILURE_CACHE_SECONDS * 1000);
      }
      throw error;
    }
  }

  private async load(clientId: string): Promise<{ client: Client; maxAgeSeconds?: number }> {
    const url = checkClientIdUrl(clientId);
    let fetched: FetchedDocument;
    try {
      fetched = await this.fetchDocument(url);
    } catch (error) {
      // The reason can name internal hosts and addresses, so it goes to the log, not the page.
      this.logger?.info(
        { event: 'oauth.client_metadata', client_id: clientId, outcome: 'fetch_failed', error },
        'Client metadata document could not be fetched',
      );
      throw new OAuthError(
        'invalid_client',
        `client metadata document ${clientId} could not be fetched; it must be served over https from a public address, without redirects, as JSON of at most 64 KiB`,
        { cause: error },
      );
    }
    const client = parseDocument(clientId, fetched.body);
    return { client, maxAgeSeconds: fetched.maxAgeSeconds };
  }
}

/** Checks the client id URL rules: https, a path, no fragment, credentials or dot segments. */
function checkClientIdUrl(clientId: string): URL {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    throw new OAuthError('invalid_client', `client_id "${clientId}" is not a valid URL`);
  }
  const problem = clientIdUrlProblem(clientId, url);
  if (problem !== undefined) {
    throw new OAuthError('invalid_client', `client_id URL "${clientId}" ${problem}`);
  }
  return url;
}

function clientIdUrlProblem(clientId: string, url: URL): string | undefined {
  if (url.protocol !== 'https:') {
    return 'must use https';
  }
  if (url.pathname === '/' || url.pathname === '') {
    return 'must have a path';
  }
  if (clientId.includes('#')) {
    return 'must not have a fragment';
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not carry credentials';
  }
  // URL parsing removes dot segments, so they are looked for in the raw string.
  const segments = clientId.replace(/^https:\/\/[^/]*/, '').split(/[/?]/);
  if (segments.includes('.') || segments.includes('..')) {
    return 'must not contain . or .. path segments';
  }
  return undefined;
}

function parseDocument(clientId: string, body: unknown): Client {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthError(
      'invalid_client',
      `client metadata document ${clientId} is not a JSON object`,
    );
  }
  const document = body as Record<string, unknown>;
  if (document.client_id !== clientId) {
    throw new OAuthError(
      'invalid_client',
      `client metadata document ${clientId} names client_id "${String(document.client_id)}"; it must equal the document's URL`,
    );
  }
  if ('client_secret' in document || 'client_secret_expires_at' in document) {
    throw new OAuthError(
      'invalid_client',
      `client metadata document ${clientId} must not contain a client_secret`,
    );
  }

  let registration;
  try {
    registration = parseClientMetadata({ token_endpoint_auth_method: 'none', ...document });
  } catch (error) {
    if (error instanceof OAuthError) {
      throw new OAuthError(
        'invalid_client',
        `client metadata document ${clientId}: ${error.description}`,
      );
    }
    throw error;
  }
  if (registration.token_endpoint_auth_method !== 'none') {
    throw new OAuthError(
      'invalid_client',
      `client metadata document ${clientId} asks for ${registration.token_endpoint_auth_method}; a document client must be public (token_endpoint_auth_method "none")`,
    );
  }
  return { ...registration, client_id: clientId, origin: 'metadata_document' };
}
