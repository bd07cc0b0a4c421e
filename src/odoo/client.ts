import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from '../log/logger.js';
import { TtlCache } from '../util/ttl-cache.js';
import { PersonConnection } from './connection.js';
import { checkKeyOwner, readContextUid, readJsonRpcUid } from './credentials.js';
import { OdooError } from './errors.js';
import { HttpTransport, type CallContext } from './http.js';
import { json2Request, type ModelCall } from './json2.js';
import { buildJsonRpcRequest, readJsonRpcResult } from './jsonrpc.js';
import { protocolForVersion, type OdooProtocol, type OdooProtocolSetting } from './protocol.js';
import { OdooSender } from './sender.js';
import type {
  ApiKeyCredential,
  CallOptions,
  OdooConnection,
  OdooServer,
  OdooVersion,
} from './types.js';
import { parseOdooVersion } from './version.js';
import { SessionConnection, type SessionCalls } from './web-session/session-connection.js';
import { WebSessionRequests } from './web-session/requests.js';
import type { SignInRedirect } from './web-session/sign-in-response.js';
import type {
  GoogleSignIn,
  OdooSessionConnection,
  OdooWebSession,
  RenewSession,
  SessionCredential,
} from './web-session/types.js';

export type { OdooProtocol, OdooProtocolSetting } from './protocol.js';

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
  /**
   * The protocol of model calls. `auto` (the default) uses JSON-2 from Odoo 19 on and JSON-RPC
   * before, by the cached server version.
   */
  protocol?: OdooProtocolSetting;
}

/** A client of one Odoo server and database, shared by everyone who uses it. */
export interface OdooClient {
  readonly server: OdooServer;
  /** `POST /web/webclient/version_info`, cached for the cache TTL. Needs no credential. */
  version(options?: CallOptions): Promise<OdooVersion>;
  /**
   * The protocol model calls use: the `protocol` option, or else JSON-2 from Odoo 19 on. It
   * is JSON-RPC for the cache TTL after a 19 server turned out to have no JSON-2 API.
   */
  protocol(options?: CallOptions): Promise<OdooProtocol>;
  /**
   * Checks the credential even when the uid is cached, and stores the uid for `connect`.
   * JSON-RPC sends `common.authenticate(db, login, apiKey, {})`. JSON-2 has no such call, so
   * it reads `res.users.context_get` and the login of that uid with the key. Throws an
   * `authentication` error when Odoo rejects the key or the key belongs to another login.
   */
  authenticate(credential: ApiKeyCredential, options?: CallOptions): Promise<number>;
  /** A connection that runs every call as this person. `knownUid` skips `authenticate`. */
  connect(credential: ApiKeyCredential, knownUid?: number): OdooConnection;
  /**
   * Sends `GET /auth_oauth/signin` with a Google access token, without following Odoo's
   * redirect, and returns the session cookie and redirect of a sign-in that Odoo accepted.
   * Throws an `OdooSignInError` for the other outcomes. `signInWithGoogle` (web-session/)
   * also checks the session, so call that instead.
   */
  requestGoogleSignIn(signIn: GoogleSignIn, options?: CallOptions): Promise<SignInRedirect>;
  /**
   * `POST /web/session/get_session_info` in the session. Throws a `session_expired` error for
   * a session that is not signed in.
   */
  sessionInfo(sessionId: string, options?: CallOptions): Promise<OdooWebSession>;
  /** `POST /web/session/destroy`: signs the session out. */
  destroySession(sessionId: string, options?: CallOptions): Promise<void>;
  /**
   * A connection that runs every call in the person's web session, over
   * `/web/dataset/call_kw`. When Odoo ends the session, it calls `renew` once and retries.
   */
  connectSession(session: SessionCredential, renew: RenewSession): OdooSessionConnection;
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
const SERVER_CACHE_KEY = 'server';

/** Returned in place of a result when the server has no JSON-2 API. */
const JSON2_MISSING: unique symbol = Symbol('JSON-2 API missing');

const CONTEXT_GET: ModelCall = { model: 'res.users', method: 'context_get', args: [], kwargs: {} };

/** Creates the client of `server`. It opens no connection until the first call. */
export function createOdooClient(server: OdooServer, options: OdooClientOptions = {}): OdooClient {
  return new HttpOdooClient(server, options);
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

class HttpOdooClient implements OdooClient, SessionCalls {
  private readonly transport: HttpTransport;
  private readonly sender: OdooSender;
  private readonly webSessions: WebSessionRequests;
  private readonly logger: Logger | undefined;
  private readonly protocolSetting: OdooProtocolSetting;
  private readonly uidCache: TtlCache<string, number>;
  /** The server version is the same for every person, so one entry serves them all. */
  private readonly versionCache: TtlCache<string, OdooVersion>;
  /** Set when a server of 19 or later had no JSON-2 API, so that calls use JSON-RPC. */
  private readonly json2MissingCache: TtlCache<string, true>;
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
    this.sender = new OdooSender(server.url, this.transport, options.logger);
    this.webSessions = new WebSessionRequests(server, this.sender, () => this.nextRequestId());
    this.protocolSetting = options.protocol ?? 'auto';
    const ttlMs = positiveOption('cacheTtlMs', options.cacheTtlMs, DEFAULT_CACHE_TTL_MS);
    const maxEntries = options.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES;
    this.uidCache = new TtlCache(maxEntries, ttlMs, options.nowMs);
    this.versionCache = new TtlCache(1, ttlMs, options.nowMs);
    this.json2MissingCache = new TtlCache(1, ttlMs, options.nowMs);
  }

  async version(options: CallOptions = {}): Promise<OdooVersion> {
    const cached = this.versionCache.get(SERVER_CACHE_KEY);
    if (cached !== undefined) {
      return cached;
    }
    const context = { service: 'web', method: 'version_info' };
    const route = 'web/webclient/version_info';
    const version = await this.sendJsonRpc({
      route,
      params: {},
      context,
      signal: options.signal,
      readResult: parseOdooVersion,
    });
    this.versionCache.set(SERVER_CACHE_KEY, version);
    return version;
  }

  async protocol(options: CallOptions = {}): Promise<OdooProtocol> {
    if (this.protocolSetting !== 'auto') {
      return this.protocolSetting;
    }
    if (this.json2MissingCache.has(SERVER_CACHE_KEY)) {
      return 'jsonrpc';
    }
    return protocolForVersion(await this.version(options));
  }

  async authenticate(credential: ApiKeyCredential, options: CallOptions = {}): Promise<number> {
    const protocol = await this.protocol(options);
    const uid =
      protocol === 'json2'
        ? await this.authenticateJson2(credential, options.signal)
        : await this.authenticateJsonRpc(credential, options.signal);
    this.uidCache.set(this.personKey(credential), uid);
    return uid;
  }

  connect(credential: ApiKeyCredential, knownUid?: number): OdooConnection {
    if (knownUid !== undefined && !(Number.isInteger(knownUid) && knownUid > 0)) {
      throw new OdooError('invalid_request', `An Odoo uid is a positive integer, got ${knownUid}.`);
    }
    return new PersonConnection(this, credential, knownUid);
  }

  requestGoogleSignIn(signIn: GoogleSignIn, options: CallOptions = {}): Promise<SignInRedirect> {
    return this.webSessions.signIn(signIn, options.signal);
  }

  sessionInfo(sessionId: string, options: CallOptions = {}): Promise<OdooWebSession> {
    return this.webSessions.sessionInfo(sessionId, options.signal);
  }

  destroySession(sessionId: string, options: CallOptions = {}): Promise<void> {
    return this.webSessions.destroy(sessionId, options.signal);
  }

  connectSession(session: SessionCredential, renew: RenewSession): OdooSessionConnection {
    return new SessionConnection(this, session, renew, this.logger);
  }

  callKwInSession(
    sessionId: string,
    call: ModelCall,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    return this.webSessions.callKw(sessionId, call, signal);
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
    return this.sendJsonRpc({
      route: 'jsonrpc',
      params,
      context,
      signal: options.signal,
      readResult,
    });
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  /**
   * Runs one model call as the person: over JSON-2 with the API key as bearer token, or as
   * `object.execute_kw` with the uid and key.
   */
  async executeKwAs(
    uid: number,
    credential: ApiKeyCredential,
    call: ModelCall,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    if ((await this.protocol({ signal })) === 'json2') {
      const result = await this.sendJson2(credential, call, signal);
      if (result !== JSON2_MISSING) {
        return result;
      }
    }
    return this.executeKwJsonRpc(uid, credential.apiKey, call, signal);
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

  private async authenticateJsonRpc(
    credential: ApiKeyCredential,
    signal: AbortSignal | undefined,
  ): Promise<number> {
    const { db } = this.server;
    const params = {
      service: 'common',
      method: 'authenticate',
      args: [db, credential.login, credential.apiKey, {}],
    };
    return this.sendJsonRpc({
      route: 'jsonrpc',
      params,
      context: { service: 'common', method: 'authenticate' },
      signal,
      readResult: (result: unknown) => readJsonRpcUid(result, credential.login, db),
      apiKey: credential.apiKey,
    });
  }

  /**
   * Identifies the key's owner with `res.users.context_get`, which any valid key may call over
   * JSON-2, then reads that user's login to compare it with the credential's.
   */
  private async authenticateJson2(
    credential: ApiKeyCredential,
    signal: AbortSignal | undefined,
  ): Promise<number> {
    const context = await this.sendJson2(credential, CONTEXT_GET, signal);
    if (context === JSON2_MISSING) {
      return this.authenticateJsonRpc(credential, signal);
    }
    const uid = readContextUid(context);
    const readLogin: ModelCall = {
      model: 'res.users',
      method: 'read',
      args: [[uid]],
      kwargs: { fields: ['login'] },
    };
    const rows = await this.sendJson2(credential, readLogin, signal);
    if (rows === JSON2_MISSING) {
      return this.authenticateJsonRpc(credential, signal);
    }
    checkKeyOwner(rows, uid, credential, this.server.db);
    return uid;
  }

  /**
   * Sends one JSON-2 call. A 404 that is not Odoo's own means the server has no JSON-2 API,
   * so nothing ran. In `auto` mode the client then uses JSON-RPC for the cache TTL and the
   * caller resends, while the `json2` setting makes it an error.
   */
  private async sendJson2(
    credential: ApiKeyCredential,
    call: ModelCall,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const outcome = await this.sender.send(json2Request(this.server, credential, call, signal));
    if (!outcome.missing) {
      return outcome.value;
    }
    if (this.protocolSetting === 'json2') {
      const message =
        `Odoo at ${this.server.url.origin} has no JSON-2 API under /json/2/, although the ` +
        `client is set to use it. ${outcome.description}`;
      throw new OdooError('transport', message, { model: call.model, method: call.method });
    }
    this.json2MissingCache.set(SERVER_CACHE_KEY, true);
    this.logger?.warn(
      { odooModel: call.model, odooMethod: call.method, odooUrl: this.server.url.origin },
      'Odoo has no JSON-2 API at /json/2/ (HTTP 404), using /jsonrpc instead',
    );
    return JSON2_MISSING;
  }

  private async executeKwJsonRpc(
    uid: number,
    apiKey: string,
    call: ModelCall,
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
    return this.sendJsonRpc({ route: 'jsonrpc', params, context, signal, readResult, apiKey });
  }

  /** Posts one JSON-RPC request and returns `readResult` of its result. */
  private async sendJsonRpc<T>(request: RpcRequest<T>): Promise<T> {
    const { context } = request;
    return this.sender.send({
      route: request.route,
      payload: buildJsonRpcRequest(request.params, this.nextRequestId()),
      context,
      signal: request.signal,
      readResponse: (response) => request.readResult(readJsonRpcResult(response, context)),
      apiKey: request.apiKey,
    });
  }

  private nextRequestId(): number {
    this.lastRequestId += 1;
    return this.lastRequestId;
  }

  /** Derives the cache key of (database, person) from login and API key, so a new key misses. */
  private personKey(credential: ApiKeyCredential): string {
    const hmac = createHmac('sha256', this.cacheKeySecret);
    hmac.update(JSON.stringify([this.server.db, credential.login, credential.apiKey]));
    return hmac.digest('base64url');
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
