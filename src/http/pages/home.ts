import { html } from 'hono/html';
import type { BridgeContext } from '../../context.js';
import { page, type Page } from './layout.js';

/** The page at `/` for a person who opens the server's URL in a browser. */
export function homePage(context: BridgeContext): Page {
  const mcpUrl = context.settings.resource;
  const signIn = context.upstream.isGoogle ? 'Google' : context.upstream.issuer.host;
  const content = html`<h1>Odoo for your AI assistant</h1>
    <p>
      This server connects AI assistants such as Claude to your company's Odoo. You sign in with
      ${signIn}, and every answer comes from Odoo as you: you see what your Odoo user may see,
      nothing more.
    </p>
    <p>To connect, add this URL as a custom connector (remote MCP server) in your assistant:</p>
    <p><code>${mcpUrl}</code></p>
    <p>
      In Claude: Settings › Connectors › Add custom connector. Claude Code:
      <code>claude mcp add --transport http odoo ${mcpUrl}</code>
    </p>`;
  return page('Odoo MCP bridge', content);
}
