import { html } from 'hono/html';
import { page, pageResponse } from './layout.js';

export interface MessagePage {
  title: string;
  /** Plain sentences; each becomes a paragraph. */
  paragraphs: string[];
  /** A way back to the client, such as its redirect with error=access_denied. */
  back?: { label: string; href: string } | undefined;
}

/** Renders a page that explains to a person what went wrong and what to do next. */
export function messageResponse(message: MessagePage, status: number): Promise<Response> {
  const back =
    message.back === undefined
      ? ''
      : html`<p><a href="${message.back.href}">${message.back.label}</a></p>`;
  const content = html`<h1>${message.title}</h1>
    ${message.paragraphs.map((paragraph) => html`<p>${paragraph}</p>`)} ${back}`;
  return pageResponse(page(message.title, content), status);
}
