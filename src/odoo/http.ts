import { Pool, type Dispatcher } from 'undici';
import { OdooError } from './errors.js';
import { errorCode, isDroppedConnection } from './retry.js';

/** The Odoo call a request belongs to, for error messages and logs. */
export interface CallContext {
  /**
   * The JSON-RPC service (`common`, `object`), `web` for the `/web/...` routes, or `json2` for
   * the JSON-2 API.
   */
  service: string;
  /** The Odoo model, for model calls over `execute_kw` or JSON-2. */
  model?: string;
  /** The model method of a model call, else the service method or route name. */
  method: string;
}

export interface HttpTransportOptions {
  /** Scheme, host and port of the Odoo server, such as `https://erp.example.com`. */
  origin: string;
  /** Time limit of one call, its retry included, in milliseconds. */
  timeoutMs: number;
  /** Largest response body accepted, in bytes. */
  maxResponseBytes: number;
}

export interface RequestOptions {
  context: CallContext;
  /**
   * Request headers besides Content-Type and Accept, such as Authorization or Cookie, by
   * lowercase name.
   */
  headers?: Record<string, string>;
  /** Sends the request once more if the connection closed before the response headers. */
  retryOnDroppedConnection: boolean;
  /** Called before that second attempt, with the error of the first. */
  onRetry?: (error: unknown) => void;
  signal?: AbortSignal;
}

/** An HTTP response from Odoo with its body read as text. */
export interface HttpResponse {
  status: number;
  contentType: string;
  /** The `Location` header of a redirect, when there is one. */
  location: string | undefined;
  /** The `Set-Cookie` headers, in the order received. */
  setCookies: string[];
  body: string;
}

/** The method, body and headers of one request, before retries. */
interface OutgoingRequest {
  method: 'GET' | 'POST';
  body: string | undefined;
  headers: Record<string, string>;
}

/**
 * Sends requests to one Odoo server over one keep-alive undici `Pool`. Redirects are returned,
 * not followed. Every failure becomes an `OdooError` of kind `transport` or `timeout`.
 */
export class HttpTransport {
  private readonly pool: Pool;

  constructor(private readonly options: HttpTransportOptions) {
    this.pool = new Pool(options.origin, {
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      maxResponseSize: options.maxResponseBytes,
    });
  }

  /** Sends `payload` as JSON to `path` and returns the response, whatever its status. */
  async postJson(path: string, payload: unknown, options: RequestOptions): Promise<HttpResponse> {
    const headers = {
      ...options.headers,
      'content-type': 'application/json',
      accept: 'application/json',
    };
    const request = { method: 'POST' as const, body: JSON.stringify(payload), headers };
    return this.sendWithinTimeLimit(path, request, options);
  }

  /** Sends a GET of `path`, which may carry a query string, and returns the response. */
  async get(path: string, options: RequestOptions): Promise<HttpResponse> {
    const request = { method: 'GET' as const, body: undefined, headers: { ...options.headers } };
    return this.sendWithinTimeLimit(path, request, options);
  }

  /** Closes the pool's connections at once, failing the calls still running. */
  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private async sendWithinTimeLimit(
    path: string,
    request: OutgoingRequest,
    options: RequestOptions,
  ): Promise<HttpResponse> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
    try {
      return await this.send(path, request, signal, options);
    } catch (error) {
      throw this.toOdooError(error, deadline, options);
    }
  }

  private async send(
    path: string,
    request: OutgoingRequest,
    signal: AbortSignal,
    options: RequestOptions,
  ): Promise<HttpResponse> {
    let response: Dispatcher.ResponseData;
    try {
      response = await this.pool.request({ path, ...request, signal });
    } catch (error) {
      if (!options.retryOnDroppedConnection || signal.aborted || !isDroppedConnection(error)) {
        throw error;
      }
      options.onRetry?.(error);
      return this.send(path, request, signal, { ...options, retryOnDroppedConnection: false });
    }
    return readResponse(response);
  }

  private toOdooError(error: unknown, deadline: AbortSignal, options: RequestOptions): OdooError {
    if (error instanceof OdooError) {
      return error;
    }
    const details = { model: options.context.model, method: options.context.method, cause: error };
    const origin = this.options.origin;
    const code = errorCode(error);
    if (deadline.aborted || (code !== undefined && TIMEOUT_CODES.has(code))) {
      const message = `The call to Odoo at ${origin} timed out after ${this.options.timeoutMs} ms.`;
      return new OdooError('timeout', message, details);
    }
    if (options.signal?.aborted) {
      return new OdooError(
        'transport',
        'The Odoo call was cancelled before the response.',
        details,
      );
    }
    return new OdooError('transport', describeFailure(error, code, this.options), details);
  }
}

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

async function readResponse(response: Dispatcher.ResponseData): Promise<HttpResponse> {
  const body = await response.body.text();
  return {
    status: response.statusCode,
    contentType: firstHeader(response.headers['content-type']) ?? '',
    location: firstHeader(response.headers['location']),
    setCookies: allHeaders(response.headers['set-cookie']),
    body,
  };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function allHeaders(value: string | string[] | undefined): string[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

function describeFailure(
  error: unknown,
  code: string | undefined,
  options: HttpTransportOptions,
): string {
  const origin = options.origin;
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return (
      `Odoo's response was larger than ${options.maxResponseBytes} bytes, the limit for one ` +
      'response. Ask for fewer records or fewer fields.'
    );
  }
  if (code === 'ECONNREFUSED') {
    return (
      `Could not connect to Odoo at ${origin}: connection refused. ` +
      'Check the Odoo URL and that the server is running.'
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `Could not connect to Odoo at ${origin}: the host name was not found (${code}).`;
  }
  if (isDroppedConnection(error)) {
    return `The connection to Odoo at ${origin} closed before the response was complete (${code}).`;
  }
  const reason = error instanceof Error ? error.message : String(error);
  const suffix = code === undefined ? '' : ` (${code})`;
  return `The request to Odoo at ${origin} failed: ${reason}${suffix}.`;
}
