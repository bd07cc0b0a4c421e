import type { CallToolResult, McpServer, ServerContext } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { OdooConnection, OdooVersion } from '../odoo/types.js';
import { writeToolAudit, type ToolOutcome } from './audit.js';
import type { Domain } from './domain.js';
import { failureResult } from './failure.js';
import type { FieldMap, FieldsCache } from './fields.js';
import { withPortableJsonSchema } from './json-schema.js';
import type { ModelListCache } from './models.js';
import type { PersonContextCache } from './person-context.js';
import type { ToolSession } from './session.js';

/** The result of a tool's run function: the structured result and its text for the model. */
export interface ToolRunResult<Output> {
  structured: Output;
  text: string;
  /** Records returned or counted, for the audit line. */
  recordCount?: number;
}

/** Everything a tool's run function works with during one call. */
export interface ToolCall {
  session: ToolSession;
  odoo: OdooCalls;
  fieldsCache: FieldsCache;
  modelsCache: ModelListCache;
  contextCache: PersonContextCache;
  /** Facts for the audit line, such as the model, set by the tool once it has them. */
  audit: { model?: string };
  /** The checked domain and the model's fields, set by tools with a domain, for error hints. */
  domain?: { domain: Domain; fields: FieldMap };
  /** Whether the tool takes a domain, so that an error hint may point at it. */
  takesDomain: boolean;
  /** Whether the tool takes a field list, so that an error hint may suggest other fields. */
  takesFields: boolean;
}

/** One MCP tool, declared once: its name, texts for the model, schemas and run function. */
export interface ToolDefinition<Input extends z.ZodObject, Output extends z.ZodObject> {
  name: string;
  title: string;
  /** Written for the model: what the tool is for, when to use it, and an example. */
  description: string;
  inputSchema: Input;
  outputSchema: Output;
  run(args: z.output<Input>, call: ToolCall): Promise<ToolRunResult<z.output<Output>>>;
}

/** The services tools share across calls and sessions. */
export interface ToolServices {
  fieldsCache: FieldsCache;
  modelsCache: ModelListCache;
  contextCache: PersonContextCache;
}

/** Every tool only reads, and only from the one Odoo the bridge serves. */
const READ_ONLY_ANNOTATIONS = { readOnlyHint: true, openWorldHint: false };

/**
 * Registers `tool` on `server` for the session's person. Each call runs the tool, turns
 * failures into tool results with `isError: true`, and writes one audit line.
 */
export function registerTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  server: McpServer,
  tool: ToolDefinition<Input, Output>,
  session: ToolSession,
  services: ToolServices,
): void {
  // The SDK's callback type is conditional on the schema type, which a generic leaves open.
  const config = {
    title: tool.title,
    description: tool.description,
    inputSchema: withPortableJsonSchema(tool.inputSchema as z.ZodObject),
    outputSchema: withPortableJsonSchema(tool.outputSchema as z.ZodObject),
    annotations: { title: tool.title, ...READ_ONLY_ANNOTATIONS },
  };
  server.registerTool(tool.name, config, (args: unknown, context: ServerContext) =>
    runTool(tool, args as z.output<Input>, context, session, services),
  );
}

async function runTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  tool: ToolDefinition<Input, Output>,
  args: z.output<Input>,
  context: ServerContext,
  session: ToolSession,
  services: ToolServices,
): Promise<CallToolResult> {
  const startedMs = performance.now();
  const odoo = new OdooCalls(session.connection, context.mcpReq.signal);
  const call: ToolCall = {
    session,
    odoo,
    fieldsCache: services.fieldsCache,
    modelsCache: services.modelsCache,
    contextCache: services.contextCache,
    audit: {},
    takesDomain: 'domain' in tool.inputSchema.shape,
    takesFields: 'fields' in tool.inputSchema.shape,
  };
  const summarize = (outcome: ToolOutcome, errorKind?: string, recordCount?: number) => ({
    tool: tool.name,
    model: call.audit.model,
    methods: odoo.methods(),
    recordCount,
    outcome,
    errorKind,
    durationMs: Math.round(performance.now() - startedMs),
  });
  try {
    const result = await tool.run(args, call);
    writeToolAudit(session.logger, session, summarize('ok', undefined, result.recordCount));
    return {
      content: [{ type: 'text', text: result.text }],
      structuredContent: result.structured as Record<string, unknown>,
    };
  } catch (error) {
    return failureResult(error, call, (outcome, kind) => summarize(outcome, kind));
  }
}

/** One `execute_kw` a tool made, for the audit line. Only names, never arguments. */
export interface OdooCallRecord {
  model: string;
  method: string;
}

/**
 * The Odoo side of one tool call: runs `execute_kw` as the session's person with the MCP
 * request's abort signal, and records which model and method each call used.
 */
export class OdooCalls {
  readonly records: OdooCallRecord[] = [];

  constructor(
    private readonly connection: OdooConnection,
    private readonly signal: AbortSignal | undefined,
  ) {}

  get server(): OdooConnection['server'] {
    return this.connection.server;
  }

  version(): Promise<OdooVersion> {
    return this.connection.version();
  }

  executeKw<T = unknown>(
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown> = {},
  ): Promise<T> {
    this.records.push({ model, method });
    const options = this.signal === undefined ? {} : { signal: this.signal };
    return this.connection.executeKw<T>(model, method, args, kwargs, options);
  }

  /** Returns the distinct methods called, in the order of their first call. */
  methods(): string[] {
    return [...new Set(this.records.map((record) => record.method))];
  }
}
