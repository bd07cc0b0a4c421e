import { McpServer } from '@modelcontextprotocol/server';
import { FieldsCache } from './fields.js';
import { ModelListCache } from './models.js';
import { PersonContextCache } from './person-context.js';
import type { ToolSession } from './session.js';
import type { z } from 'zod';
import { BRIDGE_VERSION } from '../version.js';
import { registerTool, type ToolDefinition, type ToolServices } from './tool.js';
import { aggregateRecordsTool } from './tools/aggregate-records.js';
import { checkStockTool } from './tools/check-stock.js';
import { findContactsTool } from './tools/find-contacts.js';
import { findInvoicesTool } from './tools/find-invoices.js';
import { findSalesOrdersTool } from './tools/find-sales-orders.js';
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
  findSalesOrdersTool,
  findInvoicesTool,
  findContactsTool,
  checkStockTool,
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
  'These tools read the Odoo ERP of the person using them. Every call runs as that person in ' +
  "Odoo, with their own login, so results are what they may see in Odoo, and Odoo's access " +
  'rules decide the rest. The tools only read; they never change Odoo. For sales orders, ' +
  'invoices and bills, contacts and stock, use find_sales_orders, find_invoices, ' +
  'find_contacts and check_stock: they take plain filters (names, "me", states, dates such as ' +
  '"this month" in the person\'s time zone) and answer in one call. For totals and breakdowns ' +
  'use aggregate_records. For anything else use the generic tools: find_by_name turns a name ' +
  'into an id, list_models shows the models the person can read, describe_model their ' +
  'fields, count_records counts, search_records searches with a domain, read_records reads ' +
  'by id. whoami shows who the person is in Odoo. Under Odoo\'s "Own Documents Only" rule a ' +
  'salesperson sees their own orders and those without a salesperson, so for "my" records ' +
  'use salesperson "me" in find_sales_orders, or ["user_id", "=", uid] with the uid from ' +
  'whoami (["invoice_user_id", "=", uid] on account.move). Link to the records with the URLs ' +
  'in the results.';

/** Shared across servers: the HTTP endpoint creates one server per request. */
const sharedFieldsCache = new FieldsCache();
const sharedModelsCache = new ModelListCache();
const sharedContextCache = new PersonContextCache();

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
    { name: SERVER_NAME, version: BRIDGE_VERSION },
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
