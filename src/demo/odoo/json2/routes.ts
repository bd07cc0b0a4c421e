import type { Context as HonoContext, Hono } from 'hono';
import type { Logger } from '../../../log/logger.js';
import { OdooException } from '../errors.js';
import type { DemoDatabase } from '../orm/database.js';
import { errorAnswer, httpException, resultAnswer } from './answers.js';
import { callJson2 } from './call.js';
import { bearerUser, routingFailure } from './checks.js';

/**
 * Adds Odoo 19's JSON-2 API to the demo: `POST /json/2/<model>/<method>` with a bearer API
 * key and named arguments. Any other request under `/json/2/` gets Odoo's 404 hint.
 */
export function addJson2Routes(app: Hono, db: DemoDatabase, logger?: Logger): void {
  app.post('/json/2/:model/:method', (context) => serveJson2(db, context, logger));
  app.all('/json/2/*', () =>
    errorAnswer(
      db.series,
      httpException('NotFound', 'Did you mean POST /json/2/<model>/<method>?'),
    ),
  );
}

async function serveJson2(
  db: DemoDatabase,
  context: HonoContext,
  logger: Logger | undefined,
): Promise<Response> {
  const routing = routingFailure(db, context.req);
  if (routing !== undefined) {
    return routing;
  }
  try {
    const user = bearerUser(db, context.req);
    const body = parseBody(await context.req.text());
    const model = context.req.param('model') ?? '';
    const method = context.req.param('method') ?? '';
    return resultAnswer(callJson2(db, user, model, method, body));
  } catch (error) {
    return errorAnswer(db.series, asOdooException(error, logger));
  }
}

/** Parses the body as Odoo does: an empty body is `{}`, anything but JSON a 400. */
function parseBody(text: string): Record<string, unknown> {
  if (text === '') {
    return {};
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const reason = pythonJsonError(text, error);
    throw httpException('BadRequest', `could not parse the body as json: ${reason}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    // NOTE: Odoo's response to JSON that is not an object was not recorded, so this text is the demo's own.
    throw httpException('BadRequest', 'the body must be a JSON object of named arguments');
  }
  return body as Record<string, unknown>;
}

/** The starts of the values Python's json module reads, NaN and Infinity included. */
const JSON_VALUE_START = /^(?:[[{"\d-]|null|true|false|NaN|Infinity)/;

/**
 * Writes Python's json error for a body that does not start like a JSON value, such as
 * "Expecting value: line 1 column 1 (char 0)" for "not json".
 * NOTE: other malformed JSON gets V8's message, not Python's.
 */
function pythonJsonError(text: string, error: unknown): string {
  const offset = text.length - text.trimStart().length;
  if (!JSON_VALUE_START.test(text.slice(offset))) {
    const line = text.slice(0, offset).split('\n').length;
    const column = offset - text.lastIndexOf('\n', offset - 1);
    return `Expecting value: line ${line} column ${column} (char ${offset})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Passes Odoo exceptions through. Any other error is a fault of the demo itself: it is logged
 * and sent as a generic Python Exception with status 500.
 */
function asOdooException(error: unknown, logger: Logger | undefined): OdooException {
  if (error instanceof OdooException) {
    return error;
  }
  logger?.error({ error, where: 'json2' }, 'Demo Odoo failed while serving a JSON-2 call');
  const message = error instanceof Error ? error.message : String(error);
  return new OdooException('builtins.Exception', `Demo Odoo internal error: ${message}`);
}
