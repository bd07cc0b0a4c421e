import { html } from 'hono/html';
import type { BridgeContext } from '../../context.js';
import { page, type Page } from './layout.js';

/** Renders the page at `/` for a person who opens the server's URL in a browser. */
export function homePage(context: BridgeContext): Page {
  const mcpUrl = context.settings.resource;
  const signIn = context.settings.demo
    ? 'the demo sign-in page'
    : context.upstream.isGoogle
      ? 'your Google account'
      : `your account at ${context.upstream.issuer.host}`;
  const where = context.settings.demo
    ? html`<p>
        This is the demo, on your own computer: connect MCP Inspector or Claude Code to it.
        Claude.ai and Claude Desktop's connectors are reached from Anthropic's cloud, which cannot
        reach it.
      </p>`
    : html`<p>In Claude: Settings › Connectors › Add custom connector, with this URL.</p>`;
  const odooStep =
    context.settings.odooAuth === 'google'
      ? 'Odoo then signs you in with the same Google account, so you need no Odoo API key.'
      : 'The first time, you paste your own Odoo API key, which you make in Odoo: your avatar › ' +
        'My Profile (or Preferences) › Account Security › New API Key.';
  const content = html`<h1>Odoo for your AI assistant</h1>
    <p>
      This server connects AI assistants such as Claude to your company's Odoo. You sign in with
      ${signIn}, and every answer comes from Odoo as you: you see what your Odoo user may see,
      nothing more.
    </p>
    <p>${odooStep}</p>
    <p>To connect, add this URL as a custom connector (remote MCP server) in your assistant:</p>
    <p><code>${mcpUrl}</code></p>
    ${where}
    <p>Claude Code: <code>claude mcp add --transport http --scope user odoo ${mcpUrl}</code></p>`;
  return page('Odoo MCP bridge', content);
}
