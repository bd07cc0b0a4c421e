import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { createLogger } from '../../src/log/logger.js';
import { FieldsCache } from '../../src/mcp/fields.js';
import { PersonContextCache, type PersonContext } from '../../src/mcp/person-context.js';
import { ModelListCache } from '../../src/mcp/models.js';
import { createMcpServer } from '../../src/mcp/server.js';
import type { ToolSession } from '../../src/mcp/session.js';
import { classifyJsonRpcError, type JsonRpcErrorObject } from '../../src/odoo/classify.js';
import type { CallOptions, OdooConnection, OdooVersion } from '../../src/odoo/types.js';
import { parseOdooVersion } from '../../src/odoo/version.js';

const RECORDINGS = new URL('../fixtures/odoo-recordings/', import.meta.url);

interface Recording {
  request: { body?: { params?: { args?: unknown[] } } };
  response: { body: { result?: unknown; error?: JsonRpcErrorObject } };
}

/** Reads one recorded Odoo exchange, such as `recording('odoo17', 'fields_get_sale_order')`. */
export function recording(folder: string, name: string): Recording {
  const text = readFileSync(new URL(`${folder}/${name}.json`, RECORDINGS), 'utf8');
  return JSON.parse(text) as Recording;
}

/** Returns the `result` of a recorded exchange; throws when the recording contains an error. */
export function recordedResult(folder: string, name: string): unknown {
  const body = recording(folder, name).response.body;
  if (body.error !== undefined) {
    throw new Error(`${folder}/${name} contains an error, not a result`);
  }
  return body.result;
}

/** Builds the `OdooError` the real client makes of a recorded error, with its classification. */
export function recordedError(folder: string, name: string): Error {
  const rec = recording(folder, name);
  const error = rec.response.body.error;
  if (error === undefined) {
    throw new Error(`${folder}/${name} contains a result, not an error`);
  }
  const args = rec.request.body?.params?.args ?? [];
  return classifyJsonRpcError(error, { model: args[3] as string, method: args[4] as string });
}

/** One `execute_kw` the scripted connection received. */
export interface ReceivedCall {
  model: string;
  method: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  signal: AbortSignal | undefined;
}

/** Returns the result of one call, or throws an error. */
export type Answer = (call: ReceivedCall) => unknown;

/**
 * An `OdooConnection` that returns results from a table keyed by "model.method", usually
 * recorded Odoo results. A call with no entry fails the test.
 */
export class ScriptedConnection implements OdooConnection {
  readonly server = { url: new URL('http://127.0.0.1:8069/'), db: 'odoo17' };
  readonly calls: ReceivedCall[] = [];
  private readonly parsedVersion: OdooVersion;

  constructor(
    readonly login: string,
    private readonly answers: Record<string, Answer>,
    serverVersion = '17.0',
  ) {
    this.parsedVersion = parseOdooVersion({ server_version: serverVersion });
  }

  async version(): Promise<OdooVersion> {
    return this.parsedVersion;
  }

  async uid(): Promise<number> {
    return 8;
  }

  async executeKw<T = unknown>(
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<T> {
    const call = { model, method, args, kwargs, signal: options.signal };
    this.calls.push(call);
    const answer = this.answers[`${model}.${method}`];
    if (answer === undefined && method === 'web_search_read') {
      return this.webSearchReadFromSearchRead(call) as T;
    }
    if (answer === undefined) {
      throw new Error(`Unexpected Odoo call ${model}.${method}`);
    }
    return answer(call) as T;
  }

  /**
   * Returns a `web_search_read` result built from the scripted `search_read` and `search_count`,
   * as Odoo 17+ builds it: the records in the web client's shape, and `length` counted only for
   * a full page.
   */
  private webSearchReadFromSearchRead(call: ReceivedCall): unknown {
    const searchRead = this.answers[`${call.model}.search_read`];
    if (searchRead === undefined) {
      throw new Error(`Unexpected Odoo call ${call.model}.web_search_read`);
    }
    const { specification, ...rest } = call.kwargs as {
      specification: Record<string, object>;
      offset?: unknown;
      limit?: unknown;
      context?: unknown;
    };
    const kwargs = { ...rest, fields: Object.keys(specification) };
    const records = searchRead({ ...call, method: 'search_read', kwargs }) as OdooRecord[];
    const offset = typeof rest.offset === 'number' ? rest.offset : 0;
    let length = records.length === 0 ? 0 : offset + records.length;
    const searchCount = this.answers[`${call.model}.search_count`];
    if (records.length > 0 && records.length === rest.limit && searchCount !== undefined) {
      length = searchCount({
        ...call,
        method: 'search_count',
        kwargs: { context: rest.context },
      }) as number;
    }
    return { length, records: records.map((record) => toWebRecord(record, specification)) };
  }
}

type OdooRecord = Record<string, unknown>;

/** Converts each many2one whose specification requests `display_name` to `{id, display_name}`. */
function toWebRecord(record: OdooRecord, specification: Record<string, object>): OdooRecord {
  const result: OdooRecord = {};
  for (const [name, value] of Object.entries(record)) {
    const related = 'fields' in (specification[name] ?? {});
    const pair = Array.isArray(value) && value.length === 2 && typeof value[0] === 'number';
    result[name] = related && pair ? { id: value[0], display_name: value[1] } : value;
  }
  return result;
}

/**
 * Returns the call that read a page of `model`: `search_read` before Odoo 17, `web_search_read`
 * from 17 on, with the fields it read either way.
 */
export function pageReadCall(
  calls: readonly ReceivedCall[],
  model: string,
): (ReceivedCall & { fields: string[] }) | undefined {
  const call = calls.find(
    (received) =>
      received.model === model &&
      (received.method === 'search_read' || received.method === 'web_search_read'),
  );
  if (call === undefined) {
    return undefined;
  }
  const specification = call.kwargs.specification as Record<string, object> | undefined;
  const fields = (call.kwargs.fields as string[] | undefined) ?? Object.keys(specification ?? {});
  return { ...call, fields };
}

/** Creates a logger whose lines land in `lines`, parsed, and in `raw`, as written. */
export function memoryLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines, raw };
}

/** Audit lines among the logged lines. */
export function auditLines(lines: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return lines.filter((line) => line.event === 'mcp.tool_call');
}

export interface ConnectedSession {
  client: Client;
  session: ToolSession;
  logs: ReturnType<typeof memoryLogger>;
  close(): Promise<void>;
}

/** Connects an SDK client to a fresh MCP server of `connection`'s person, in memory. */
/** The time zone and language a scripted person has unless a test says otherwise. */
export const UTC_CONTEXT: PersonContext = { tz: 'UTC', tzUnset: true, lang: 'en_US' };

/**
 * Connects an MCP client to a server for one person. The person's `context_get` answer is
 * cached up front, so tests that pin Odoo call sequences see only the tool's own calls; pass
 * `null` to leave the cache empty and let the tool ask Odoo.
 */
export async function connectClient(
  connection: OdooConnection,
  person: { email: string; uid: number },
  odooWebUrl = new URL('https://erp.example.com/'),
  context: PersonContext | null = UTC_CONTEXT,
): Promise<ConnectedSession> {
  const logs = memoryLogger();
  const session: ToolSession = {
    connection,
    person: { email: person.email },
    odooUid: person.uid,
    clientName: 'test-client',
    grantId: 'grant-1',
    logger: logs.logger,
    odooWebUrl,
  };
  const contextCache = new PersonContextCache();
  if (context !== null) {
    const { url, db } = connection.server;
    contextCache.set(`${url.href}\0${db}\0${person.uid}`, context);
  }
  const server = createMcpServer(session, {
    fieldsCache: new FieldsCache(),
    modelsCache: new ModelListCache(),
    contextCache,
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(clientTransport);
  return {
    client,
    session,
    logs,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** Returns the text of a tool result's first content block. */
export function resultText(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content;
  const first = content?.[0];
  return first?.type === 'text' ? (first.text ?? '') : '';
}
