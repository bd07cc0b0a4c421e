import type { Client, RequestOptions } from '@modelcontextprotocol/client';
import { createOdooClient } from '../../src/odoo/client.js';
import type { Harness } from './harness.js';

/** A tool result as the MCP client returns it, with the parts the tests read. */
export interface ToolAnswer {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: Array<{ type: string; text?: string }>;
}

export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  options?: RequestOptions,
): Promise<ToolAnswer> {
  return (await client.callTool({ name, arguments: args }, options)) as ToolAnswer;
}

/** Counts records in Odoo directly with the person's own API key, bypassing the bridge. */
export async function countDirectly(
  harness: Harness,
  email: string,
  model: string,
): Promise<number> {
  const odoo = createOdooClient({ url: harness.odoo.url, db: harness.odoo.demo.db });
  try {
    const connection = odoo.connect({ login: email, apiKey: harness.apiKeyOf(email) });
    return await connection.executeKw<number>(model, 'search_count', [[]]);
  } finally {
    await odoo.close();
  }
}
