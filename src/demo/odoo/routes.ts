import { type Context as HonoContext, Hono } from 'hono';
import type { Logger } from '../../log/logger.js';
import { errorResponse } from './errors.js';
import { asOdooException, jsonAnswer, readJsonRequest } from './json-rpc.js';
import type { DemoDatabase } from './orm/database.js';
import { addJson2Routes } from './json2/routes.js';
import { recordPage, webClientPage } from './pages/record.js';
import { dispatchRpc } from './rpc.js';
import { majorOf, versionInfo, webVersion } from './version.js';
import { createWebContext, type WebContext } from './web/context.js';
import { anonymousSessionCookies } from './web/cookies.js';
import { addWebRoutes } from './web/routes.js';

// NOTE: real Odoo renders its own HTML "404: Page not found" page here, not this one.
const NOT_FOUND_PAGE =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n' +
  '<p>The requested URL was not found on the server. If you entered the URL manually please ' +
  'check your spelling and try again.</p>\n';

/**
 * Creates the Hono app of a demo database. Every JSON-RPC response, errors included, has HTTP
 * status 200, as Odoo's. Paths are relative, so the app can be mounted under a prefix.
 */
export function createRoutes(
  db: DemoDatabase,
  logger?: Logger,
  web: WebContext = createWebContext(db, { logger }),
): Hono {
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
  // Odoo saves the session of every route but /jsonrpc, so these start anonymous sessions.
  const savingSession = (handler: (context: HonoContext) => Response | Promise<Response>) => {
    return async (context: HonoContext) => {
      const response = await handler(context);
      const cookieHeader = context.req.header('cookie');
      for (const cookie of anonymousSessionCookies(cookieHeader, web.sessions.ttlSeconds)) {
        response.headers.append('Set-Cookie', cookie);
      }
      return response;
    };
  };

  app.post(
    '/web/webclient/version_info',
    savingSession(serveJson(() => versionInfo(db.series), 'version_info')),
  );
  addWebRoutes(app, web);
  // Record links of the bridge: /odoo/<model>/<id> from 17.2 on, /web#id=… before.
  app.get('/odoo/:model/:id', (context) =>
    recordPage(db, context.req.param('model'), context.req.param('id')),
  );
  app.get('/web', () => webClientPage());
  if (majorOf(db.series) >= 19) {
    app.get(
      '/web/version',
      savingSession(() => jsonAnswer(webVersion(db.series))),
    );
    app.get(
      '/json/version',
      savingSession(() => jsonAnswer(webVersion(db.series))),
    );
    addJson2Routes(app, db, logger);
  }
  app.notFound((context) => context.html(NOT_FOUND_PAGE, 404));
  return app;
}
