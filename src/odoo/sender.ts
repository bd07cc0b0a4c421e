import type { Logger } from '../log/logger.js';
import { OdooError } from './errors.js';
import type { CallContext, HttpResponse, HttpTransport } from './http.js';
import { errorCode, isReadMethod } from './retry.js';

/** One HTTP request to Odoo, over JSON-RPC or JSON-2. */
export interface OdooRequest<T> {
  /** Path under the base URL, such as `jsonrpc` or `json/2/res.partner/search_read`. */
  route: string;
  /** The JSON body. */
  payload: unknown;
  /** Request headers besides Content-Type and Accept, by lowercase name. */
  headers?: Record<string, string>;
  context: CallContext;
  signal: AbortSignal | undefined;
  /** Turns the response into the value returned, throwing an `OdooError` if it is unusable. */
  readResponse: (response: HttpResponse) => T;
  /** The API key the request carries, removed from any error message. */
  apiKey?: string;
}

/**
 * Posts requests to one Odoo server and logs each one. Only read methods are sent a second
 * time after a dropped connection (see retry.ts).
 */
export class OdooSender {
  constructor(
    private readonly baseUrl: URL,
    private readonly transport: HttpTransport,
    private readonly logger: Logger | undefined,
  ) {}

  /**
   * Posts one request and returns `readResponse` of its response. Errors thrown by
   * `readResponse`, such as `false` from `authenticate`, are logged as failed calls too.
   */
  async send<T>(request: OdooRequest<T>): Promise<T> {
    const { context, signal } = request;
    const startedMs = performance.now();
    try {
      const response = await this.transport.postJson(
        routePath(this.baseUrl, request.route),
        request.payload,
        {
          context,
          headers: request.headers,
          retryOnDroppedConnection: isReadMethod(context.method),
          onRetry: (error) => this.logRetry(context, error),
          signal,
        },
      );
      const result = request.readResponse(response);
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
export function routePath(base: URL, route: string): string {
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return `${prefix}${route}`;
}
