import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; color: #1f2328; margin: 0; background: #f6f8fa; }
  main { max-width: 40rem; margin: 3rem auto; background: #fff; border: 1px solid #d0d7de;
    border-radius: 8px; padding: 2rem; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  .notice { background: #fff8c5; border: 1px solid #d4a72c66; border-radius: 6px; padding: .75rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
  dt { color: #59636e; } dd { margin: 0; overflow-wrap: anywhere; }
  code { background: #f6f8fa; padding: .1rem .3rem; border-radius: 4px; }
`;

/** Builds the CSP source that admits exactly this inline text, hashed as CSP Level 2 does. */
function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const STYLE_SOURCE = hashSource(STYLE);

// Built outside the html template so that no formatter changes the hashed text.
const STYLE_ELEMENT = raw(`<style>${STYLE}</style>`);

export interface DemoPageOptions {
  status?: number;
  /** An inline script of the demo's own. It is not escaped, so it never contains request data. */
  script?: string;
}

/**
 * Builds a page response of the demo Odoo. The Content-Security-Policy admits nothing but the
 * page's own inline style and, when given, its own inline script, both pinned by hash.
 */
export async function demoPage(
  title: string,
  content: Html,
  options: DemoPageOptions = {},
): Promise<Response> {
  const script = options.script;
  const csp = [
    "default-src 'none'",
    `style-src ${STYLE_SOURCE}`,
    ...(script === undefined ? [] : [`script-src ${hashSource(script)}`]),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const body = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title}</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <main>${content}</main>
        ${script === undefined ? '' : raw(`<script>${script}</script>`)}
      </body>
    </html>`;
  const headers = new Headers({
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  return new Response(String(await body), { status: options.status ?? 200, headers });
}
