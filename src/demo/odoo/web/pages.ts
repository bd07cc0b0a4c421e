const HTML_TYPE = 'text/html; charset=utf-8';

/** The 400 page of `/auth_oauth/signin` for a database the server does not serve, as recorded. */
const BAD_REQUEST_PAGE =
  '<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n' +
  '<p>The browser (or proxy) sent a request that this server could not understand.</p>\n';

// NOTE: not recorded. This is werkzeug's InternalServerError page, which Odoo sends for an
// exception in a type="http" route, such as a sign-in state that is not JSON.
const INTERNAL_ERROR_PAGE =
  '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n' +
  '<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable ' +
  'to complete your request. Either the server is overloaded or there is an error in the ' +
  'application.</p>\n';

/**
 * The page auth_oauth sends when the sign-in URL has no query parameters, because the
 * provider put them in the fragment: its script reloads the page with the fragment as the query.
 */
const FRAGMENT_PAGE =
  '<html><head><script>\n' +
  'var query = window.location.hash.substring(1);\n' +
  'var search = window.location.search;\n' +
  "var target = query ? window.location.pathname + (search ? search + '&' : '?') + query : '/';\n" +
  'window.location = target;\n' +
  '</script></head><body></body></html>';

export function badRequestPage(): Response {
  return new Response(BAD_REQUEST_PAGE, { status: 400, headers: { 'Content-Type': HTML_TYPE } });
}

export function internalErrorPage(): Response {
  return new Response(INTERNAL_ERROR_PAGE, {
    status: 500,
    headers: { 'Content-Type': HTML_TYPE },
  });
}

export function fragmentPage(): Response {
  return new Response(FRAGMENT_PAGE, { status: 200, headers: { 'Content-Type': HTML_TYPE } });
}

/**
 * Builds werkzeug's 303 redirect with Odoo's session cookies. The body names `shownLocation`,
 * which differs from `location` where Odoo changed the header after building the response.
 */
export function redirectResponse(
  location: string,
  cookies: string[],
  shownLocation = location,
): Response {
  const headers = new Headers({ 'Content-Type': HTML_TYPE, Location: headerSafe(location) });
  for (const cookie of cookies) {
    headers.append('Set-Cookie', cookie);
  }
  const shown = escapeHtml(headerSafe(shownLocation));
  const body =
    '<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n' +
    `<p>You should be redirected automatically to the target URL: <a href="${shown}">${shown}` +
    '</a>. If not, click the link.\n';
  return new Response(body, { status: 303, headers });
}

/**
 * Turns a URL into the local path Odoo's `request.redirect(url, local=True)` sends: scheme and
 * host dropped, so `http://host/web?a=1` gives `/web?a=1` and `//other.example/x` gives `/x`.
 */
export function localLocation(url: string): string {
  const match = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?:\/\/[^/?#]*)?(.*)$/s.exec(url);
  return `/${(match?.[1] ?? '').replace(/^\/+/, '')}`;
}

/** Returns the path of a local location, without its query and fragment. */
export function pathOf(location: string): string {
  return location.split(/[?#]/, 1)[0] ?? '';
}

/**
 * Decodes a URL-quoted string as Python's `unquote_plus`: `+` is a space, and a `%` sequence
 * that is not valid UTF-8 becomes U+FFFD instead of raising.
 */
export function unquotePlus(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  return spaced.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Uint8Array.from(run.slice(1).split('%'), (hex) => parseInt(hex, 16));
    return new TextDecoder().decode(bytes);
  });
}

/** Percent-encodes what a header cannot carry (controls, spaces, non-ASCII), as werkzeug does. */
function headerSafe(location: string): string {
  return location.replace(/[^\x21-\x7e]/gu, (character) =>
    [...new TextEncoder().encode(character)]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
  );
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;');
}
