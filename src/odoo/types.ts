/** An Odoo server and the database the bridge serves on it. */
export interface OdooServer {
  /** Base URL; `/jsonrpc`, `/json/2/...` and `/web/...` resolve against it, so it may carry a path. */
  url: URL;
  db: string;
}

/** The server version as `/web/webclient/version_info` reports it. */
export interface OdooVersion {
  /** `server_version`, such as "17.0" or "saas~17.2". */
  serverVersion: string;
  major: number;
  minor: number;
  /** `server_version_info`, such as [17, 0, 0, "final", 0, ""]. */
  versionInfo: ReadonlyArray<number | string>;
}

/** A person's own Odoo credential in api_key mode: their login and their API key. */
export interface ApiKeyCredential {
  login: string;
  apiKey: string;
}

/** Options of one `execute_kw` call. */
export interface CallOptions {
  /** Aborts the call, for example when the MCP client cancels the request. */
  signal?: AbortSignal;
}

/**
 * One person's view of one Odoo server: every call runs with that person's credential, so
 * Odoo's access rights and record rules decide what comes back.
 */
export interface OdooConnection {
  readonly server: OdooServer;
  readonly login: string;
  version(): Promise<OdooVersion>;
  /** The person's Odoo user id, from `OdooClient.authenticate` (cached per database and person). */
  uid(): Promise<number>;
  /**
   * Calls `model.method(*args, **kwargs)` as the person: `object.execute_kw(db, uid, key, …)`
   * over JSON-RPC, or `POST /json/2/<model>/<method>` with the arguments named over JSON-2.
   */
  executeKw<T = unknown>(
    model: string,
    method: string,
    args: unknown[],
    kwargs?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<T>;
}
