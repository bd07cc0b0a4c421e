/**
 * A scripted user agent for flows that do not need a rendering engine: it keeps cookies per
 * host (as browsers do, whatever the port), follows redirects by hand and submits forms.
 */
export class ScriptedBrowser {
  private readonly cookies = new Map<string, Map<string, string>>();
  /** Every URL the browser was sent to, in order. */
  readonly visited: string[] = [];

  /** Requests a URL without following redirects. */
  async request(
    url: string | URL,
    init: { method?: string; form?: Record<string, string>; origin?: string } = {},
  ): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers();
    const cookie = this.cookieHeader(target);
    if (cookie !== '') {
      headers.set('cookie', cookie);
    }
    let body: string | undefined;
    if (init.form !== undefined) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      headers.set('origin', init.origin ?? target.origin);
      body = new URLSearchParams(init.form).toString();
    }
    this.visited.push(target.href);
    const response = await fetch(target, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    this.storeCookies(target, response);
    return response;
  }

  /**
   * Follows redirects until a page responds or `stopAt` matches the next location, which is
   * then returned without being requested (such as a client's redirect URI).
   */
  async follow(
    url: string | URL,
    stopAt: (location: URL) => boolean = () => false,
    init: { form?: Record<string, string> } = {},
  ): Promise<{ response?: Response; url: URL; stoppedAt?: URL }> {
    let response = await this.request(url, init);
    let current = new URL(url);
    for (let hop = 0; hop < 20; hop += 1) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) {
        return { response, url: current };
      }
      await response.arrayBuffer();
      const next = new URL(location, current);
      if (stopAt(next)) {
        return { url: current, stoppedAt: next };
      }
      current = next;
      response = await this.request(next);
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  cookieNames(host: string): string[] {
    return [...(this.cookies.get(host)?.keys() ?? [])];
  }

  setCookie(host: string, name: string, value: string): void {
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    jar.set(name, value);
    this.cookies.set(host, jar);
  }

  getCookie(host: string, name: string): string | undefined {
    return this.cookies.get(host)?.get(name);
  }

  private cookieHeader(url: URL): string {
    const jar = this.cookies.get(url.hostname);
    if (jar === undefined) {
      return '';
    }
    return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private storeCookies(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = /max-age=0\b/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line);
      const jar = this.cookies.get(url.hostname) ?? new Map<string, string>();
      if (expired || value === '') {
        jar.delete(name);
      } else {
        jar.set(name, value);
      }
      this.cookies.set(url.hostname, jar);
    }
  }
}

/** Reads the value of a named input of a form in an HTML page. */
export function inputValue(page: string, name: string): string | undefined {
  const pattern = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`, 's');
  const match = pattern.exec(page);
  return match?.[1] === undefined ? undefined : decodeEntities(match[1]);
}

/** Undoes the HTML escaping of attribute values. */
export function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
