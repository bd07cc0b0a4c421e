import { type Context as HonoContext, Hono } from 'hono';
import type { Logger } from '../../log/logger.js';
import { errorResponse, OdooException, sessionExpiredResponse } from './errors.js';
import type { DemoDatabase } from './orm/database.js';
import { addJson2Routes } from './json2/routes.js';
import { recordPage, webClientPage } from './pages/record.js';
import { dispatchRpc } from './rpc.js';
import { majorOf, versionInfo, webVersion } from './version.js';

const JSON_TYPE = 'application/json; charset=utf-8';

// NOTE: real Odoo renders its own HTML "404: Page not found" page here, not this one.
const NOT_FOUND_PAGE =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n' +
  '<p>The requested URL was not found on the server. If you entered the URL manually please ' +
  'check your spelling and try again.</p>\n';

/** A parsed JSON-RPC request, or the plain-text 400 response Odoo sends for a malformed one. */
type JsonRequest = { id: unknown; params: Record<string, unknown> } | { invalid: string };

async function readJsonRequest(context: HonoContext): Promise<JsonRequest> {
  let body: unknown;
  try {
    body = JSON.parse(await context.req.text());
  } catch {
    return { invalid: 'Invalid JSON data' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { invalid: 'Invalid JSON-RPC data' };
  }
  const request = body as Record<string, unknown>;
  const params = request.params;
  const isMapping = params !== null && typeof params === 'object' && !Array.isArray(params);
  return { id: request.id ?? null, params: isMapping ? (params as Record<string, unknown>) : {} };
}

function jsonAnswer(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': JSON_TYPE } });
}

/**
 * Creates the Hono app of a demo database. Every JSON-RPC response, errors included, has HTTP
 * status 200, as Odoo's. Paths are relative, so the app can be mounted under a prefix.
 */
export function createRoutes(db: DemoDatabase, logger?: Logger): Hono {
  const app = new Hono();

  const serveJson = (handler: (params: Record<string, unknown>) => unknown, where: string) => {
    return async (context: HonoContext) => {
      const request = await readJsonRequest(context);
      if ('invalid' in request) {
        return context.text(request.invalid, 400);
      }
      try {
        return jsonAnswer({ jsonrpc: '2.0', id: request.id, result: handler(request.params) });
      } catch (error) {
        const exception = asOdooException(error, logger, where);
        return jsonAnswer(errorResponse(db.series, request.id, exception, where));
      }
    };
  };

  app.post(
    '/jsonrpc',
    serveJson((params) => dispatchRpc(db, params), 'dispatch_rpc'),
  );
  app.post(
    '/web/webclient/version_info',
    serveJson(() => versionInfo(db.series), 'version_info'),
  );
  // The demo has no web sessions, so the web client's call_kw routes always find none.
  app.post('/web/dataset/call_kw', () => jsonAnswer(sessionExpiredResponse(db.series)));
  app.post('/web/dataset/call_kw/*', () => jsonAnswer(sessionExpiredResponse(db.series)));
  // Record links of the bridge: /odoo/<model>/<id> from 17.2 on, /web#id=… before.
  app.get('/odoo/:model/:id', (context) =>
    recordPage(db, context.req.param('model'), context.req.param('id')),
  );
  app.get('/web', () => webClientPage());
  if (majorOf(db.series) >= 19) {
    app.get('/web/version', () => jsonAnswer(webVersion(db.series)));
    app.get('/json/version', () => jsonAnswer(webVersion(db.series)));
    addJson2Routes(app, db, logger);
  }
  app.notFound((context) => context.html(NOT_FOUND_PAGE, 404));
  return app;
}

/**
 * Passes Odoo exceptions through. Any other error is a fault of the demo itself: it is
 * logged and sent as a generic Python Exception so that the caller still gets an envelope.
 */
function asOdooException(error: unknown, logger: Logger | undefined, where: string): OdooException {
  if (error instanceof OdooException) {
    return error;
  }
  logger?.error({ error, where }, 'Demo Odoo failed while serving a JSON-RPC call');
  const message = error instanceof Error ? error.message : String(error);
  return new OdooException('builtins.Exception', `Demo Odoo internal error: ${message}`);
}
