import type { Logger } from '../log/logger.js';
import { OdooError } from './errors.js';
import type { CallContext, HttpResponse, HttpTransport } from './http.js';
import { errorCode, isReadMethod } from './retry.js';

/** A secret a request carries, and the placeholder that replaces it in error messages. */
export interface RequestSecret {
  value: string;
  placeholder: string;
}

/** One HTTP request to Odoo, over JSON-RPC, JSON-2 or a `/web/...` route. */
export interface OdooRequest<T> {
  /**
   * Path under the base URL, such as `jsonrpc` or `json/2/res.partner/search_read`. A GET
   * route may end in a query string.
   */
  route: string;
  /** `POST` (the default) sends `payload` as JSON. `GET` sends no body. */
  httpMethod?: 'GET' | 'POST';
  /** The JSON body of a POST. */
  payload?: unknown;
  /** Request headers besides Content-Type and Accept, by lowercase name. */
  headers?: Record<string, string>;
  context: CallContext;
  signal: AbortSignal | undefined;
  /** Turns the response into the value returned, throwing an `OdooError` if it is unusable. */
  readResponse: (response: HttpResponse) => T;
  /**
   * Whether to send the request once more after a dropped connection. The default is true for
   * read methods only (see retry.ts).
   */
  retryOnDroppedConnection?: boolean;
  /** The API key the request carries, removed from any error message. */
  apiKey?: string;
  /** Other secrets the request carries, such as a session id, removed from any error message. */
  secrets?: readonly RequestSecret[];
}

/**
 * Sends requests to one Odoo server and logs each one. Unless a request sets
 * `retryOnDroppedConnection`, only read methods are sent a second time after a dropped
 * connection (see retry.ts).
 */
export class OdooSender {
  constructor(
    private readonly baseUrl: URL,
    private readonly transport: HttpTransport,
    private readonly logger: Logger | undefined,
  ) {}

  /**
   * Sends one request and returns `readResponse` of its response. Errors thrown by
   * `readResponse`, such as `false` from `authenticate`, are logged as failed calls too.
   */
  async send<T>(request: OdooRequest<T>): Promise<T> {
    const { context } = request;
    const startedMs = performance.now();
    try {
      const response = await this.transmit(request);
      const result = request.readResponse(response);
      this.logCall(context, startedMs, undefined);
      return result;
    } catch (error) {
      this.logCall(context, startedMs, error);
      throw withoutSecrets(error, secretsOf(request));
    }
  }

  private async transmit(request: OdooRequest<unknown>): Promise<HttpResponse> {
    const { context } = request;
    const path = routePath(this.baseUrl, request.route);
    const options = {
      context,
      headers: request.headers,
      retryOnDroppedConnection: request.retryOnDroppedConnection ?? isReadMethod(context.method),
      onRetry: (error: unknown) => this.logRetry(context, error),
      signal: request.signal,
    };
    if (request.httpMethod === 'GET') {
      return this.transport.get(path, options);
    }
    return this.transport.postJson(path, request.payload, options);
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

function secretsOf(request: OdooRequest<unknown>): RequestSecret[] {
  const secrets = [...(request.secrets ?? [])];
  if (request.apiKey) {
    secrets.push({ value: request.apiKey, placeholder: '[API key]' });
  }
  return secrets;
}

/**
 * Removes the secrets from an error's message. Odoo quotes argument values in some messages (a
 * psycopg2 error quotes the value it rejected), and no key, token or session id may reach a
 * log or a person.
 */
function withoutSecrets(error: unknown, secrets: readonly RequestSecret[]): unknown {
  if (!(error instanceof OdooError)) {
    return error;
  }
  const message = redactSecrets(error.message, secrets);
  return message === error.message ? error : error.withMessage(message);
}

/** Replaces each secret in `text` with its placeholder. */
export function redactSecrets(text: string, secrets: readonly RequestSecret[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret.value !== '') {
      redacted = redacted.replaceAll(secret.value, secret.placeholder);
    }
  }
  return redacted;
}

/** Joins a route to the base URL's path, so an Odoo served under `/erp/` keeps that prefix. */
export function routePath(base: URL, route: string): string {
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return `${prefix}${route}`;
}
