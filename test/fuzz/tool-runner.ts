import { startDemoOdoo } from '../../src/demo/odoo/index.js';
import { ToolError } from '../../src/mcp/errors.js';
import { FieldsCache } from '../../src/mcp/fields.js';
import { ModelListCache } from '../../src/mcp/models.js';
import { PersonContextCache } from '../../src/mcp/person-context.js';
import type { ToolSession } from '../../src/mcp/session.js';
import { OdooCalls, type ToolCall, type ToolDefinition } from '../../src/mcp/tool.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import { OdooError } from '../../src/odoo/errors.js';
import type { CallOptions, OdooConnection, OdooVersion } from '../../src/odoo/types.js';
import { expect } from 'vitest';
import type { z } from 'zod';
import { memoryLogger } from '../mcp/helpers.js';

/** One `execute_kw` as it went to Odoo: its arguments after a JSON round trip, as on the wire. */
export interface SentCall {
  model: string;
  method: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** The Odoo methods that search with a domain, whichever tool sends them. */
export const SEARCH_METHODS: ReadonlySet<string> = new Set([
  'search',
  'search_read',
  'search_count',
  'read_group',
  'formatted_read_group',
  'web_search_read',
  'web_read_group',
]);

/** An Odoo connection that passes every call on to a real one and records what it sent. */
export class RecordingConnection implements OdooConnection {
  readonly sent: SentCall[] = [];

  constructor(private readonly inner: OdooConnection) {}

  get server(): OdooConnection['server'] {
    return this.inner.server;
  }

  get login(): string {
    return this.inner.login;
  }

  version(): Promise<OdooVersion> {
    return this.inner.version();
  }

  uid(): Promise<number> {
    return this.inner.uid();
  }

  executeKw<T = unknown>(
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<T> {
    const wire = JSON.parse(JSON.stringify({ args, kwargs })) as Omit<SentCall, 'model' | 'method'>;
    this.sent.push({ model, method, ...wire });
    return this.inner.executeKw<T>(model, method, args, kwargs, options);
  }

  /** Returns the calls sent since `mark`, the length of `sent` before a tool call. */
  since(mark: number): SentCall[] {
    return this.sent.slice(mark);
  }
}

/** How a direct tool call ended, as the MCP layer would report it. */
export type ToolOutcome =
  | { kind: 'ok'; structured: unknown; text: string }
  /** The input schema rejected the arguments; the paths name the arguments it rejected. */
  | { kind: 'invalid_arguments'; paths: string[] }
  | { kind: 'tool_error'; error: ToolError }
  | { kind: 'odoo_error'; error: OdooError };

/** One person's recorded connection to the demo Odoo, and a runner of tools as that person. */
export interface DirectTools {
  connection: RecordingConnection;
  session: ToolSession;
  run(tool: AnyTool, rawArgs: unknown): Promise<{ outcome: ToolOutcome; sent: SentCall[] }>;
}

/** The demo Odoo and a client of it, for direct tool calls as its people. */
export interface DirectDemo {
  as(email: string): DirectTools;
  close(): Promise<void>;
}

// The definitions differ in their schema types, which a direct call does not need.
export type AnyTool = ToolDefinition<z.ZodObject, z.ZodObject>;

/** Starts the demo Odoo (18.0 unless given) for direct tool calls. */
export async function startDirectDemo(version?: '17.0' | '18.0' | '19.0'): Promise<DirectDemo> {
  const demo = await startDemoOdoo({ port: 0, ...(version === undefined ? {} : { version }) });
  const odoo: OdooClient = createOdooClient({ url: demo.url, db: demo.demo.db });
  return {
    as(email) {
      const person = demo.demo.people.find((candidate) => candidate.email === email);
      if (person === undefined) {
        throw new Error(`The demo Odoo has no person ${email}`);
      }
      const connection = odoo.connect({ login: person.login, apiKey: person.apiKey }, person.uid);
      return directTools(new RecordingConnection(connection), email, person.uid);
    },
    async close() {
      await odoo.close();
      await demo.close();
    },
  };
}

/**
 * Builds the runner of one person. `run` checks the raw arguments with the tool's input
 * schema, as the MCP SDK does, then calls the tool's run function. A ToolError or an OdooError
 * is an outcome. Any other error is thrown, because the bridge would return its "failed for
 * a reason of its own" text for it, which is a bug for any input.
 */
function directTools(connection: RecordingConnection, email: string, uid: number): DirectTools {
  const session: ToolSession = {
    connection,
    person: { email },
    odooUid: uid,
    logger: memoryLogger().logger,
    odooWebUrl: new URL('https://erp.example.com/'),
  };
  const services = {
    fieldsCache: new FieldsCache(),
    modelsCache: new ModelListCache(),
    contextCache: new PersonContextCache(),
  };

  async function run(tool: AnyTool, rawArgs: unknown) {
    const mark = connection.sent.length;
    const parsed = tool.inputSchema.safeParse(rawArgs);
    if (!parsed.success) {
      const paths = parsed.error.issues.map((issue) => issue.path.map(String).join('.'));
      const outcome: ToolOutcome = { kind: 'invalid_arguments', paths };
      return { outcome, sent: connection.since(mark) };
    }
    const call: ToolCall = {
      session,
      odoo: new OdooCalls(connection, undefined),
      ...services,
      audit: {},
      takesDomain: 'domain' in tool.inputSchema.shape,
      takesFields: 'fields' in tool.inputSchema.shape,
    };
    const outcome = await runCaught(tool, parsed.data, call);
    return { outcome, sent: connection.since(mark) };
  }

  return { connection, session, run };
}

async function runCaught(tool: AnyTool, args: unknown, call: ToolCall): Promise<ToolOutcome> {
  try {
    const result = await tool.run(args as never, call);
    return { kind: 'ok', structured: result.structured, text: result.text };
  } catch (error) {
    if (error instanceof ToolError) {
      return { kind: 'tool_error', error };
    }
    if (error instanceof OdooError) {
      return { kind: 'odoo_error', error };
    }
    throw error;
  }
}

/**
 * Counts outcomes of a property's runs, so that a property whose generators stopped reaching
 * Odoo fails instead of passing on rejected calls alone.
 */
export class OutcomeTally {
  private readonly counts = new Map<ToolOutcome['kind'], number>();

  add(outcome: ToolOutcome): void {
    this.counts.set(outcome.kind, (this.counts.get(outcome.kind) ?? 0) + 1);
  }

  /** Expects at least one run in twenty to have reached Odoo, and one to have been rejected. */
  expectReached(runs: number): void {
    const reached = (this.counts.get('ok') ?? 0) + (this.counts.get('odoo_error') ?? 0);
    const rejected =
      (this.counts.get('tool_error') ?? 0) + (this.counts.get('invalid_arguments') ?? 0);
    expect(reached, 'runs that reached Odoo').toBeGreaterThanOrEqual(runs / 20);
    expect(rejected, 'runs rejected before Odoo').toBeGreaterThanOrEqual(runs / 20);
  }
}
