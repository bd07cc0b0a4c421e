/**
 * A stand-in Odoo 18.0 for the load benchmark, run as its own process. It serves the JSON-RPC
 * calls the bridge makes for `count_records` and `search_records` with the response shapes of
 * a real server, waits a fixed latency on a timer before each response, and counts the
 * requests of each person.
 *
 * Usage: node dist-bench/bench/load/responder.js [--latency-ms 20] [--people 256] [--port 0].
 * It prints `{"url": …}` on one line once it listens on 127.0.0.1. `GET /__stats` returns the
 * counts, `POST /__reset` sets them to zero.
 *
 * NOTE: the responder ignores domains, orders and contexts: `search_count` always returns
 * every order and `search_read` the page of every order that offset and limit select.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { BENCH_DB, benchPeople, type BenchPerson } from './people.js';
import { SALE_ORDER_COUNT, SALE_ORDER_FIELDS, SALE_ORDERS } from './sale-orders.js';

/** The result of `/web/webclient/version_info` and `common.version` on Odoo 18.0. */
const VERSION_INFO = {
  server_version: '18.0',
  server_version_info: [18, 0, 0, 'final', 0, ''],
  server_serie: '18.0',
  protocol_version: 1,
};

/** Requests that carry no credential, such as `version_info`, are counted under this name. */
export const NO_CREDENTIAL = '(no credential)';

/** What `GET /__stats` returns. */
export interface ResponderStats {
  requests: number;
  /** Requests by login, then by method (`common.authenticate`, `sale.order.search_read`). */
  people: Record<string, { requests: number; methods: Record<string, number> }>;
}

/** An Odoo exception as JSON-RPC reports it, always with HTTP status 200. */
class OdooFault extends Error {
  constructor(
    readonly exceptionName: string,
    message: string,
  ) {
    super(message);
  }
}

interface RpcCall {
  login: string;
  method: string;
  /** The JSON text of the result, so that cached results need no new serialisation. */
  resultJson: string;
}

class Responder {
  private readonly byLogin = new Map<string, BenchPerson>();
  private readonly byUid = new Map<number, BenchPerson>();
  private readonly stats: ResponderStats = { requests: 0, people: {} };
  /** Serialised `search_read` results by fields, offset and limit. */
  private readonly pages = new Map<string, string>();
  private readonly fieldsJson = JSON.stringify(SALE_ORDER_FIELDS);

  constructor(
    people: BenchPerson[],
    private readonly latencyMs: number,
  ) {
    for (const person of people) {
      this.byLogin.set(person.login, person);
      this.byUid.set(person.uid, person);
    }
  }

  handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { status, text } = this.route(request.method ?? 'GET', request.url ?? '/', body);
      const send = () => {
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        response.end(text);
      };
      if (request.url?.startsWith('/__')) {
        send();
      } else {
        setTimeout(send, this.latencyMs);
      }
    });
  }

  private route(method: string, path: string, body: string): { status: number; text: string } {
    if (method === 'GET' && path === '/__stats') {
      return { status: 200, text: JSON.stringify(this.stats) };
    }
    if (method === 'POST' && path === '/__reset') {
      this.stats.requests = 0;
      this.stats.people = {};
      return { status: 200, text: '{}' };
    }
    if (method !== 'POST' || (path !== '/jsonrpc' && path !== '/web/webclient/version_info')) {
      return { status: 404, text: '{"error": "not found"}' };
    }
    const envelope = JSON.parse(body) as { id?: unknown; params?: Record<string, unknown> };
    const id = JSON.stringify(envelope.id ?? null);
    try {
      const call =
        path === '/jsonrpc'
          ? this.jsonRpc(envelope.params ?? {})
          : { login: NO_CREDENTIAL, method: 'web.version_info', resultJson: '' };
      this.count(call.login, call.method);
      const resultJson = call.resultJson === '' ? JSON.stringify(VERSION_INFO) : call.resultJson;
      return { status: 200, text: `{"jsonrpc": "2.0", "id": ${id}, "result": ${resultJson}}` };
    } catch (error) {
      if (!(error instanceof OdooFault)) {
        throw error;
      }
      return { status: 200, text: faultJson(id, error) };
    }
  }

  private jsonRpc(params: Record<string, unknown>): RpcCall {
    const { service, method } = params;
    const args = Array.isArray(params.args) ? params.args : [];
    if (service === 'common' && method === 'version') {
      return { login: NO_CREDENTIAL, method: 'common.version', resultJson: '' };
    }
    if (service === 'common' && method === 'authenticate') {
      const [db, login, apiKey] = args as [unknown, string, unknown];
      const person = this.byLogin.get(login);
      const accepted = db === BENCH_DB && person !== undefined && person.apiKey === apiKey;
      const resultJson = accepted ? String(person.uid) : 'false';
      return { login: String(login), method: 'common.authenticate', resultJson };
    }
    if (service === 'object' && method === 'execute_kw') {
      return this.executeKw(args);
    }
    throw new OdooFault('builtins.KeyError', `'${String(service)}.${String(method)}'`);
  }

  private executeKw(args: unknown[]): RpcCall {
    // The positional arguments (the domain) are ignored, see the note at the top.
    const [db, uid, apiKey, model, method, , kwargs] = args as [
      unknown,
      number,
      unknown,
      string,
      string,
      unknown[] | undefined,
      Record<string, unknown> | undefined,
    ];
    const person = this.byUid.get(uid);
    if (db !== BENCH_DB || person === undefined || person.apiKey !== apiKey) {
      throw new OdooFault('odoo.exceptions.AccessDenied', 'Access Denied');
    }
    const counted = { login: person.login, method: `${model}.${method}` };
    return { ...counted, resultJson: this.modelResult(person, model, method, kwargs ?? {}) };
  }

  private modelResult(
    person: BenchPerson,
    model: string,
    method: string,
    kwargs: Record<string, unknown>,
  ): string {
    if (model === 'res.users' && method === 'context_get') {
      return JSON.stringify({ lang: 'en_US', tz: 'Europe/Brussels', uid: person.uid });
    }
    if (model !== 'sale.order') {
      throw new OdooFault('odoo.exceptions.UserError', `Object ${model} doesn't exist`);
    }
    switch (method) {
      case 'search_count':
        return String(SALE_ORDER_COUNT);
      case 'fields_get':
        return this.fieldsJson;
      case 'search_read':
        return this.searchRead(kwargs);
      case 'web_search_read':
        return JSON.stringify(webSearchRead(kwargs));
      default:
        throw new OdooFault(
          'builtins.AttributeError',
          `The method '${method}' does not exist on the model '${model}'`,
        );
    }
  }

  private searchRead(kwargs: Record<string, unknown>): string {
    const fields = Array.isArray(kwargs.fields) ? (kwargs.fields as string[]) : [];
    const { offset, limit } = pageBounds(kwargs);
    const key = JSON.stringify([fields, offset, limit]);
    let page = this.pages.get(key);
    if (page === undefined) {
      const records = SALE_ORDERS.slice(offset, offset + limit).map((order) =>
        project(order, fields),
      );
      page = JSON.stringify(records);
      this.pages.set(key, page);
    }
    return page;
  }

  private count(login: string, method: string): void {
    this.stats.requests += 1;
    const entry = (this.stats.people[login] ??= { requests: 0, methods: {} });
    entry.requests += 1;
    entry.methods[method] = (entry.methods[method] ?? 0) + 1;
  }
}

function pageBounds(kwargs: Record<string, unknown>): { offset: number; limit: number } {
  const offset = typeof kwargs.offset === 'number' ? kwargs.offset : 0;
  const limit = typeof kwargs.limit === 'number' ? kwargs.limit : SALE_ORDER_COUNT;
  return { offset, limit };
}

/** Keeps `id` and the named fields, as `search_read` does; no names means every field. */
function project(order: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  if (fields.length === 0) {
    return { ...order };
  }
  const record: Record<string, unknown> = { id: order.id };
  for (const name of fields) {
    if (!(name in SALE_ORDER_FIELDS)) {
      throw new OdooFault('builtins.ValueError', `Invalid field '${name}' on model 'sale.order'`);
    }
    record[name] = order[name];
  }
  return record;
}

/**
 * `web_search_read` (Odoo 17 and later): the page shaped by `specification`, where a relational
 * field with a sub-specification becomes an object, and `length`, the count of every match.
 */
function webSearchRead(kwargs: Record<string, unknown>): { length: number; records: unknown[] } {
  const specification = (kwargs.specification ?? {}) as Record<string, { fields?: object }>;
  const { offset, limit } = pageBounds(kwargs);
  const records = SALE_ORDERS.slice(offset, offset + limit).map((order) => {
    const record: Record<string, unknown> = { id: order.id };
    for (const [name, spec] of Object.entries(specification)) {
      const value = order[name];
      const isPair = Array.isArray(value) && value.length === 2 && typeof value[1] === 'string';
      record[name] =
        spec.fields !== undefined && isPair ? { id: value[0], display_name: value[1] } : value;
    }
    return record;
  });
  return { length: SALE_ORDER_COUNT, records };
}

function faultJson(id: string, fault: OdooFault): string {
  const error = {
    code: 200,
    message: 'Odoo Server Error',
    data: {
      name: fault.exceptionName,
      debug: '',
      message: fault.message,
      arguments: [fault.message],
      context: {},
    },
  };
  return `{"jsonrpc": "2.0", "id": ${id}, "error": ${JSON.stringify(error)}}`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      'latency-ms': { type: 'string', default: '20' },
      people: { type: 'string', default: '256' },
      port: { type: 'string', default: '0' },
    },
  });
  const latencyMs = Number(values['latency-ms']);
  const peopleCount = Number(values.people);
  if (!Number.isFinite(latencyMs) || latencyMs < 0 || !Number.isInteger(peopleCount)) {
    throw new Error('--latency-ms must be a number of milliseconds and --people an integer');
  }
  const responder = new Responder(benchPeople(peopleCount), latencyMs);
  const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) =>
    responder.handle(request, response),
  );
  server.listen(Number(values.port), '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/` })}\n`);
  });
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

main();
