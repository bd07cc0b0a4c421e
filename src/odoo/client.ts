import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from '../log/logger.js';
import { TtlCache } from '../util/ttl-cache.js';
import { OdooError } from './errors.js';
import { HttpTransport, type CallContext } from './http.js';
import { buildJsonRpcRequest, readJsonRpcResult } from './jsonrpc.js';
import { errorCode, isReadMethod } from './retry.js';
import type {
  ApiKeyCredential,
  CallOptions,
  OdooConnection,
  OdooServer,
  OdooVersion,
} from './types.js';
import { parseOdooVersion } from './version.js';

export interface OdooClientOptions {
  /** Time limit of one Odoo call, its retry included, in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes. A larger one is a `transport` error. Default 64 MiB. */
  maxResponseBytes?: number;
  /** Receives one debug line per Odoo call and one warning per retry. */
  logger?: Logger;
  /** How long a uid or the server version is reused, in milliseconds. Default 10 minutes. */
  cacheTtlMs?: number;
  /** Maximum number of (database, person) uids kept. Default 1000. */
  cacheMaxEntries?: number;
  /** Clock of the caches, in milliseconds since the epoch. Tests replace it. */
  nowMs?: () => number;
}

/** A JSON-RPC client of one Odoo server and database, shared by everyone who uses it. */
export interface OdooClient {
  readonly server: OdooServer;
  /** `POST /web/webclient/version_info`, cached for the cache TTL. Needs no credential. */
  version(options?: CallOptions): Promise<OdooVersion>;
  /**
   * Sends `common.authenticate(db, login, apiKey, {})` even when the uid is cached, and stores
   * the uid for `connect`. Throws an `authentication` error when Odoo returns `false`.
   */
  authenticate(credential: ApiKeyCredential, options?: CallOptions): Promise<number>;
  /** A connection that runs every call as this person. `knownUid` skips `authenticate`. */
  connect(credential: ApiKeyCredential, knownUid?: number): OdooConnection;
  /** One `/jsonrpc` call `service.method(*args)`, for the `common` service and the like. */
  call<T = unknown>(
    service: string,
    method: string,
    args: unknown[],
    options?: CallOptions,
  ): Promise<T>;
  /** Closes the connections to Odoo. Calls still running fail with a `transport` error. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const DEFAULT_CACHE_TTL_MS = 10 * 60_000;
const DEFAULT_CACHE_MAX_ENTRIES = 1000;
const VERSION_CACHE_KEY = 'version';

/** Creates the client of `server`. It opens no connection until the first call. */
export function createOdooClient(server: OdooServer, options: OdooClientOptions = {}): OdooClient {
  return new JsonRpcOdooClient(server, options);
}

/** One JSON-RPC request of the client. */
interface RpcRequest<T> {
  /** Path under the base URL, such as `jsonrpc`. */
  route: string;
  params: Record<string, unknown>;
  context: CallContext;
  signal: AbortSignal | undefined;
  /** Turns the JSON-RPC result into the value returned, throwing if it is unusable. */
  readResult: (result: unknown) => T;
  /** The API key sent in `params`, removed from any error message. */
  apiKey?: string;
}

class JsonRpcOdooClient implements OdooClient {
  private readonly transport: HttpTransport;
  private readonly logger: Logger | undefined;
  private readonly uidCache: TtlCache<string, number>;
  /** The server version is the same for every person, so one entry serves them all. */
  private readonly versionCache: TtlCache<string, OdooVersion>;
  private readonly pendingUids = new Map<string, Promise<number>>();
  /**
   * Keys the uid cache, so the cache contains neither the API key nor a plain hash that one
   * could test guessed keys against.
   */
  private readonly cacheKeySecret = randomBytes(32);
  private lastRequestId = 0;

  constructor(
    readonly server: OdooServer,
    options: OdooClientOptions,
  ) {
    if (server.url.protocol !== 'http:' && server.url.protocol !== 'https:') {
      const message = `The Odoo URL must start with http:// or https://, got "${server.url.protocol}".`;
      throw new OdooError('invalid_request', message);
    }
    this.transport = new HttpTransport({
      origin: server.url.origin,
      timeoutMs: positiveOption('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS),
      maxResponseBytes: positiveOption(
        'maxResponseBytes',
        options.maxResponseBytes,
        DEFAULT_MAX_RESPONSE_BYTES,
      ),
    });
    this.logger = options.logger;
    const ttlMs = positiveOption('cacheTtlMs', options.cacheTtlMs, DEFAULT_CACHE_TTL_MS);
    const maxEntries = options.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES;
    this.uidCache = new TtlCache(maxEntries, ttlMs, options.nowMs);
    this.versionCache = new TtlCache(1, ttlMs, options.nowMs);
  }

  async version(options: CallOptions = {}): Promise<OdooVersion> {
    const cached = this.versionCache.get(VERSION_CACHE_KEY);
    if (cached !== undefined) {
      return cached;
    }
    const context = { service: 'web', method: 'version_info' };
    const route = 'web/webclient/version_info';
    const version = await this.send({
      route,
      params: {},
      context,
      signal: options.signal,
      readResult: parseOdooVersion,
    });
    this.versionCache.set(VERSION_CACHE_KEY, version);
    return version;
  }

  async authenticate(credential: ApiKeyCredential, options: CallOptions = {}): Promise<number> {
    const { db } = this.server;
    const params = {
      service: 'common',
      method: 'authenticate',
      args: [db, credential.login, credential.apiKey, {}],
    };
    const context = { service: 'common', method: 'authenticate' };
    const readResult = (result: unknown) => readUid(result, credential.login, db);
    const uid = await this.send({
      route: 'jsonrpc',
      params,
      context,
      signal: options.signal,
      readResult,
      apiKey: credential.apiKey,
    });
    this.uidCache.set(this.personKey(credential), uid);
    return uid;
  }

  connect(credential: ApiKeyCredential, knownUid?: number): OdooConnection {
    if (knownUid !== undefined && !(Number.isInteger(knownUid) && knownUid > 0)) {
      throw new OdooError('invalid_request', `An Odoo uid is a positive integer, got ${knownUid}.`);
    }
    return new PersonConnection(this, credential, knownUid);
  }

  async call<T = unknown>(
    service: string,
    method: string,
    args: unknown[],
    options: CallOptions = {},
  ): Promise<T> {
    const params = { service, method, args };
    const readResult = (result: unknown) => result as T;
    const context = { service, method };
    return this.send({ route: 'jsonrpc', params, context, signal: options.signal, readResult });
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  /** Sends `object.execute_kw` as the person whose uid and API key are given. */
  async executeKwAs(
    uid: number,
    apiKey: string,
    call: { model: string; method: string; args: unknown[]; kwargs: Record<string, unknown> },
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const { model, method, args, kwargs } = call;
    const params = {
      service: 'object',
      method: 'execute_kw',
      args: [this.server.db, uid, apiKey, model, method, args, kwargs],
    };
    const context = { service: 'object', model, method };
    const readResult = (result: unknown) => result;
    return this.send({ route: 'jsonrpc', params, context, signal, readResult, apiKey });
  }

  /**
   * Returns the person's uid from the cache, or authenticates once. Concurrent callers for the
   * same person share one `authenticate`, which runs without their abort signals so that one
   * caller's cancellation does not fail the others.
   */
  async uidFor(credential: ApiKeyCredential): Promise<number> {
    const key = this.personKey(credential);
    const cached = this.uidCache.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const pending = this.pendingUids.get(key);
    if (pending !== undefined) {
      return pending;
    }
    const authentication = this.authenticate(credential).finally(() => {
      this.pendingUids.delete(key);
    });
    this.pendingUids.set(key, authentication);
    return authentication;
  }

  forgetUid(credential: ApiKeyCredential): void {
    this.uidCache.delete(this.personKey(credential));
  }

  /** Derives the cache key of (database, person) from login and API key, so a new key misses. */
  private personKey(credential: ApiKeyCredential): string {
    const hmac = createHmac('sha256', this.cacheKeySecret);
    hmac.update(JSON.stringify([this.server.db, credential.login, credential.apiKey]));
    return hmac.digest('base64url');
  }

  /**
   * Posts one JSON-RPC request and returns `readResult` of its result. Errors thrown by
   * `readResult`, such as `false` from `authenticate`, are logged as failed calls too.
   */
  private async send<T>(request: RpcRequest<T>): Promise<T> {
    const { context, signal } = request;
    const startedMs = performance.now();
    this.lastRequestId += 1;
    try {
      const response = await this.transport.postJson(
        routePath(this.server.url, request.route),
        buildJsonRpcRequest(request.params, this.lastRequestId),
        {
          context,
          retryOnDroppedConnection: isReadMethod(context.method),
          onRetry: (error) => this.logRetry(context, error),
          signal,
        },
      );
      const result = request.readResult(readJsonRpcResult(response, context));
      this.logCall(context, startedMs, undefined);
      return result;
    } catch (error) {
      this.logCall(context, startedMs, error);
      throw withoutApiKey(error, request.apiKey);
    }
  }

  /** Logs names and timings only: the arguments may contain the API key or personal data. */
  private logCall(context: CallContext, startedMs: number, error: unknown): void {
    const fields = {
      odooService: context.service,
      odooModel: context.model,
      odooMethod: context.method,
      durationMs: Math.round(performance.now() - startedMs),
      outcome: error === undefined ? 'ok' : 'error',
      errorKind: error instanceof OdooError ? error.kind : undefined,
    };
    this.logger?.debug(fields, error === undefined ? 'Odoo call succeeded' : 'Odoo call failed');
  }

  private logRetry(context: CallContext, error: unknown): void {
    const fields = {
      odooService: context.service,
      odooModel: context.model,
      odooMethod: context.method,
      errorCode: errorCode(error),
    };
    this.logger?.warn(fields, 'Odoo connection closed before the response, retrying the read once');
  }
}

class PersonConnection implements OdooConnection {
  readonly server: OdooServer;
  readonly login: string;

  constructor(
    private readonly client: JsonRpcOdooClient,
    private readonly credential: ApiKeyCredential,
    private readonly knownUid: number | undefined,
  ) {
    this.server = client.server;
    this.login = credential.login;
  }

  version(): Promise<OdooVersion> {
    return this.client.version();
  }

  uid(): Promise<number> {
    if (this.knownUid !== undefined) {
      return Promise.resolve(this.knownUid);
    }
    return this.client.uidFor(this.credential);
  }

  async executeKw<T = unknown>(
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<T> {
    const uid = await this.uid();
    const call = { model, method, args, kwargs };
    try {
      return (await this.client.executeKwAs(
        uid,
        this.credential.apiKey,
        call,
        options.signal,
      )) as T;
    } catch (error) {
      // Odoo raises AccessDenied once the key is revoked or expired. Dropping the cached uid
      // makes the next call authenticate again, which then fails with the full explanation.
      if (error instanceof OdooError && error.kind === 'authentication') {
        this.client.forgetUid(this.credential);
      }
      throw error;
    }
  }
}

function positiveOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  return value;
}

/**
 * Removes `apiKey` from an error's message. Odoo quotes argument values in some messages (a
 * psycopg2 error quotes the value it rejected), and the key must not reach a log or a person.
 */
function withoutApiKey(error: unknown, apiKey: string | undefined): unknown {
  if (!(error instanceof OdooError) || !apiKey || !error.message.includes(apiKey)) {
    return error;
  }
  return new OdooError(error.kind, error.message.replaceAll(apiKey, '[API key]'), {
    odooName: error.odooName,
    httpStatus: error.httpStatus,
    model: error.model,
    method: error.method,
  });
}

/** Joins a route to the base URL's path, so an Odoo served under `/erp/` keeps that prefix. */
function routePath(base: URL, route: string): string {
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return `${prefix}${route}`;
}

/** Reads the result of `common.authenticate`: the uid, or `false` when Odoo rejects the key. */
function readUid(result: unknown, login: string, db: string): number {
  if (typeof result === 'number' && Number.isInteger(result) && result > 0) {
    return result;
  }
  if (result === false) {
    throw new OdooError('authentication', rejectedKeyMessage(login, db), {
      method: 'authenticate',
    });
  }
  const message = `Odoo's response to common.authenticate was neither a uid nor false: ${typeof result}.`;
  throw new OdooError('transport', message, { method: 'authenticate' });
}

/**
 * Odoo's `common.authenticate` returns `false` without a reason (recorded on Odoo 17.0 and
 * 18.0), so the message lists every cause that leads to it.
 */
function rejectedKeyMessage(login: string, db: string): string {
  return (
    `Odoo rejected the login "${login}" with this API key on database "${db}". ` +
    'The API key may be wrong, revoked or expired, or it may belong to another person. ' +
    'The Odoo user may also be archived, or the login may not exist. ' +
    'Create a new API key in Odoo (Preferences › Account Security › New API Key) and use it instead.'
  );
}
