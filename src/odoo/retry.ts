/**
 * When an Odoo call may be sent a second time. Only methods that change nothing are retried,
 * because a dropped connection does not tell whether Odoo already ran the call: a `write` or
 * `create` sent twice could apply twice.
 */

/**
 * Odoo methods that only read: ORM reads on models, the `common` service calls and the
 * `/web/webclient/version_info` route. Every other method (write, create, unlink, action_*,
 * button_*, message_post, …) counts as one that changes data.
 */
const READ_METHODS: ReadonlySet<string> = new Set([
  'search',
  'search_read',
  'search_fetch',
  'search_count',
  'read',
  'fields_get',
  'name_search',
  'name_get',
  'read_group',
  'formatted_read_group',
  'web_search_read',
  'web_read',
  'web_read_group',
  'read_progress_bar',
  'context_get',
  'check_access_rights',
  'check_access_rule',
  'check_access',
  'has_access',
  'default_get',
  'get_views',
  'fields_view_get',
  'load_views',
  'version',
  'version_info',
  'about',
  'authenticate',
  'login',
]);

/**
 * Error codes of a connection that closed before the response headers arrived. Node reports
 * ECONNRESET and EPIPE. undici reports `UND_ERR_SOCKET` ("other side closed"), which is what a
 * server closing an idle keep-alive connection just as a request goes out looks like.
 */
const DROPPED_CONNECTION_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_SOCKET',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
]);

/** Tells whether an Odoo method only reads, so sending it twice is harmless. */
export function isReadMethod(method: string): boolean {
  return READ_METHODS.has(method);
}

/** Tells whether an error from undici means the connection closed before the response headers. */
export function isDroppedConnection(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && DROPPED_CONNECTION_CODES.has(code);
}

/** Returns the `code` of a Node or undici error, looking one `cause` deep. */
export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) {
    return undefined;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string') {
    return code;
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const causeCode = (cause as NodeJS.ErrnoException).code;
    return typeof causeCode === 'string' ? causeCode : undefined;
  }
  return undefined;
}
