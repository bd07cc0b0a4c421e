import { createRequire } from 'node:module';
import { McpServer } from '@modelcontextprotocol/server';
import { FieldsCache } from './fields.js';
import { ModelListCache } from './models.js';
import { PersonContextCache } from './person-context.js';
import type { ToolSession } from './session.js';
import type { z } from 'zod';
import { registerTool, type ToolDefinition, type ToolServices } from './tool.js';
import { aggregateRecordsTool } from './tools/aggregate-records.js';
import { countRecordsTool } from './tools/count-records.js';
import { describeModelTool } from './tools/describe-model.js';
import { findByNameTool } from './tools/find-by-name.js';
import { listModelsTool } from './tools/list-models.js';
import { readRecordsTool } from './tools/read-records.js';
import { searchRecordsTool } from './tools/search-records.js';
import { whoamiTool } from './tools/whoami.js';

export const SERVER_NAME = 'odoo-mcp-bridge';

/**
 * Every tool, in the order `tools/list` returns them. The definitions differ in their
 * schema types, which registration does not need, so the list holds them as the base type.
 */
const TOOLS = [
  whoamiTool,
  searchRecordsTool,
  readRecordsTool,
  countRecordsTool,
  aggregateRecordsTool,
  describeModelTool,
  listModelsTool,
  findByNameTool,
] as unknown as Array<ToolDefinition<z.ZodObject, z.ZodObject>>;

/** The names of every tool, in the order `tools/list` returns them. */
export const TOOL_NAMES = TOOLS.map((tool) => tool.name);

export const SERVER_INSTRUCTIONS =
  'These tools read the Odoo ERP of the person using them: sales orders, invoices, contacts, ' +
  'products, stock and any other Odoo model. Every call runs as that person in Odoo, with ' +
  "their own login, so results are what they may see in Odoo, and Odoo's access rules " +
  'decide the rest. The tools only read; they never change Odoo. Start with describe_model ' +
  'when you do not know a model\'s fields, use count_records for "how many" questions, ' +
  'search_records to find records with a domain, and read_records to read records by id. ' +
  'whoami shows who the person is in Odoo and which companies and groups they have. Under ' +
  'Odoo\'s "Own Documents Only" rule a salesperson sees their own orders and invoices and ' +
  'also those without a salesperson, so for "my" or "mine" records filter on the uid from ' +
  'whoami: ["user_id", "=", uid] on sale.order and most models, ["invoice_user_id", "=", ' +
  'uid] on account.move. Link to the records with the URLs in the results.';

/** Shared across servers: the HTTP endpoint creates one server per request. */
const sharedFieldsCache = new FieldsCache();
const sharedModelsCache = new ModelListCache();
const sharedContextCache = new PersonContextCache();

/** The bridge's version from its package.json, which sits two levels above this module. */
const packageVersion = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;

export interface CreateMcpServerOptions {
  /** Replaces the process-wide `fields_get` cache, for tests. */
  fieldsCache?: FieldsCache;
  /** Replaces the process-wide cache of each person's models, for tests. */
  modelsCache?: ModelListCache;
  /** Replaces the process-wide cache of each person's time zone and language, for tests. */
  contextCache?: PersonContextCache;
}

/** Creates the MCP server of one person's session, with every tool registered. */
export function createMcpServer(
  session: ToolSession,
  options: CreateMcpServerOptions = {},
): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: packageVersion },
    { instructions: SERVER_INSTRUCTIONS },
  );
  const services: ToolServices = {
    fieldsCache: options.fieldsCache ?? sharedFieldsCache,
    modelsCache: options.modelsCache ?? sharedModelsCache,
    contextCache: options.contextCache ?? sharedContextCache,
  };
  for (const tool of TOOLS) {
    registerTool(server, tool, session, services);
  }
  return server;
}
