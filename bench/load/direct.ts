/**
 * The baseline of the load benchmark, run as its own process: a plain `node:http` server that
 * makes the same Odoo calls as the bridge's `count_records` and `search_records`, with the
 * bridge's own Odoo client, and nothing else (no MCP, no OAuth, no rendering).
 *
 * Usage: node dist-bench/bench/load/direct.js --odoo-url URL [--people 256]. It prints
 * `{"url": …}` on one line once it listens on 127.0.0.1. `POST /<tool>/<person index>` with
 * the tool's arguments as JSON (`model`, `domain`, and for search_records `fields` and
 * `limit`) returns the count, or the records and the total.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { parseFieldsGet } from '../../src/mcp/fields.js';
import { webSpecification } from '../../src/mcp/search-page.js';
import { createOdooClient } from '../../src/odoo/client.js';
import type { OdooConnection } from '../../src/odoo/types.js';
import { BENCH_DB, benchPeople } from './people.js';
import { SALE_ORDER_FIELDS } from './sale-orders.js';

/** The arguments the load benchmark sends; the same as the tools' arguments. */
interface ToolArguments {
  model: string;
  domain?: unknown[];
  fields?: string[];
  limit?: number;
}

/** `count_records` without the bridge: one `search_count`. */
function countRecords(connection: OdooConnection, args: ToolArguments): Promise<unknown> {
  const domain = args.domain ?? [];
  return connection
    .executeKw<number>(args.model, 'search_count', [domain], { context: {} })
    .then((count) => ({ model: args.model, count }));
}

/**
 * `search_records` without the bridge: one `web_search_read`, the page and its total, with the
 * specification the bridge's `searchPage` in src/mcp/search-page.ts builds for Odoo 17 and
 * later (the responder is 18.0). The records stay in the web client's shape, which the bridge
 * converts back into `search_read`'s.
 */
async function searchRecords(connection: OdooConnection, args: ToolArguments): Promise<unknown> {
  const domain = args.domain ?? [];
  const specification = webSpecification(args.fields ?? [], SALE_ORDER_FIELD_MAP);
  const kwargs = { specification, offset: 0, limit: args.limit ?? 20, context: {} };
  const page = await connection.executeKw<{ length: number; records: unknown[] }>(
    args.model,
    'web_search_read',
    [domain],
    kwargs,
  );
  return { model: args.model, records: page.records, total: page.length };
}

/** The responder's `sale.order` fields, as the bridge reads them from `fields_get`. */
const SALE_ORDER_FIELD_MAP = parseFieldsGet(SALE_ORDER_FIELDS);

const TOOLS = new Map([
  ['count_records', countRecords],
  ['search_records', searchRecords],
]);

function main(): void {
  const { values } = parseArgs({
    options: {
      'odoo-url': { type: 'string' },
      people: { type: 'string', default: '256' },
    },
  });
  if (values['odoo-url'] === undefined) {
    throw new Error('--odoo-url is required, such as --odoo-url http://127.0.0.1:8069/');
  }
  const client = createOdooClient({ url: new URL(values['odoo-url']), db: BENCH_DB });
  // The uid is known, as the bridge knows it from the access token, so nothing authenticates.
  const connections = benchPeople(Number(values.people)).map((person) =>
    client.connect({ login: person.login, apiKey: person.apiKey }, person.uid),
  );

  const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    serve(request, response, connections).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(error instanceof Error ? error.message : String(error));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/` })}\n`);
  });
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => void client.close().then(() => process.exit(0)));
  });
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  connections: OdooConnection[],
): Promise<void> {
  const [, toolName, index] = (request.url ?? '').split('/');
  const tool = TOOLS.get(toolName ?? '');
  const connection = connections[Number(index)];
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  if (request.method !== 'POST' || tool === undefined || connection === undefined) {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('POST /count_records/<person index> or /search_records/<person index>');
    return;
  }
  const args = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ToolArguments;
  const result = await tool(connection, args);
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(result));
}

main();
