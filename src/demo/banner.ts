import { fileURLToPath } from 'node:url';
import type { OdooAuthMode } from '../config/env.js';
import type { DemoOdoo } from './odoo/index.js';

/** Formats what the demo prints at start: the MCP URL and how to connect the usual clients. */
export function demoBanner(
  mcpUrl: string,
  odoo: DemoOdoo,
  odooAuth: OdooAuthMode = 'api_key',
): string {
  const odooUrl = mcpUrl.replace(/\/mcp$/, '/demo/odoo');
  const bob = odoo.people.find((person) => person.email === 'bob@example.com');
  const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
  const desktop = {
    mcpServers: {
      'odoo-demo': {
        command: process.execPath,
        args: [cli, 'stdio'],
        env: {
          ODOO_URL: odooUrl,
          ODOO_DB: odoo.db,
          ODOO_LOGIN: bob?.login ?? 'bob@example.com',
          ODOO_API_KEY: bob?.apiKey ?? '',
        },
      },
    },
  };
  const people = odoo.people
    .filter((person) => person.email.endsWith('@example.com') && person.active !== false)
    .map((person) => `  ${person.email.padEnd(20)} ${person.role}`)
    .join('\n');

  return `
odoo-mcp-bridge demo: an embedded Odoo (database "${odoo.db}") and a demo sign-in.

MCP URL: ${mcpUrl}

${
  odooAuth === 'google'
    ? 'Demo people (sign in by clicking one; the demo Odoo signs them in with their "Google" account, no API key):'
    : 'Demo people (sign in by clicking one; their API keys are pre-filled on the consent page):'
}
${people}

MCP Inspector:  npx @modelcontextprotocol/inspector
                choose the Streamable HTTP transport, enter ${mcpUrl} and connect;
                the Inspector opens the sign-in and consent pages in your browser.
Claude Code:    claude mcp add --transport http odoo-demo ${mcpUrl}
                then run /mcp in Claude Code and choose "Authenticate".
Claude Desktop: its remote connectors are reached from Anthropic's cloud, which cannot reach
                this loopback demo. Use the stdio server instead (as bob), in
                claude_desktop_config.json, while this demo keeps running (it serves the Odoo):
${JSON.stringify(desktop, null, 2).replace(/^/gm, '  ')}

The demo data live in memory: a restart resets them and signs everyone out of the demo
sign-in, so clients ask to authenticate again. Stop with Ctrl+C.
`;
}
