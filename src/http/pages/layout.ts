import { randomBytes } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; color: #1f2328; background: #f6f8fa; margin: 0; }
  main { max-width: 34rem; margin: 3rem auto; background: #fff; border: 1px solid #d0d7de;
    border-radius: 8px; padding: 2rem; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
  dt { color: #59636e; } dd { margin: 0; overflow-wrap: anywhere; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem;
    font: inherit; border: 1px solid #d0d7de; border-radius: 6px; }
  .hint { color: #59636e; font-size: .9rem; margin: .25rem 0 0; }
  .notice { background: #fff8c5; border: 1px solid #d4a72c66; border-radius: 6px; padding: .75rem; }
  .error { background: #ffebe9; border: 1px solid #ff818266; border-radius: 6px; padding: .75rem; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { font: inherit; padding: .5rem 1.25rem; border-radius: 6px; border: 1px solid #d0d7de;
    background: #f6f8fa; cursor: pointer; }
  button.primary { background: #1f883d; color: #fff; border-color: #1f883d; }
  button.link { border: none; background: none; color: #0969da; padding: 0; }
  code { background: #f6f8fa; padding: .1rem .3rem; border-radius: 4px; }
`;

/** A page and its Content-Security-Policy, whose nonce admits the page's own style only. */
export interface Page {
  body: Html;
  csp: string;
}

/**
 * Wraps content in the page shell. `formTargets` are the origins the page's forms may submit
 * to or be redirected to afterwards (CSP form-action applies to the redirect too).
 */
export function page(title: string, content: Html, formTargets: string[] = []): Page {
  const nonce = randomBytes(16).toString('base64');
  const formAction = ["'self'", ...formTargets].join(' ');
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  const body = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title}</title>
        <style nonce="${nonce}">
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <main>${content}</main>
      </body>
    </html>`;
  return { body, csp };
}

/** Response headers for every page: not framed, not cached, not sniffed. */
export async function pageResponse(
  rendered: Page,
  status = 200,
  extra?: HeadersInit,
): Promise<Response> {
  const headers = new Headers(extra);
  headers.set('Content-Type', 'text/html; charset=utf-8');
  headers.set('Content-Security-Policy', rendered.csp);
  headers.set('X-Frame-Options', 'DENY');
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Cache-Control', 'no-store');
  headers.set('Referrer-Policy', 'no-referrer');
  return new Response(String(await rendered.body), { status, headers });
}
