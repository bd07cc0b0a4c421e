import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemoOdoo } from '../../src/demo/odoo/index.js';
import { buildDatabase } from '../../src/demo/odoo/data/build.js';
import { createRoutes } from '../../src/demo/odoo/routes.js';
import { executeKw, person, startDemo, TODAY } from './helpers.js';

let running: RunningDemoOdoo;

beforeAll(async () => {
  running = await startDemo('18.0');
});

afterAll(async () => {
  await running.close();
});

function get(path: string): Promise<Response> {
  return fetch(new URL(path.replace(/^\//, ''), running.url));
}

/** Returns the sha256 CSP sources of the page's inline elements named `tag`. */
function inlineHashes(page: string, tag: string): string[] {
  const pattern = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g');
  return [...page.matchAll(pattern)].map(
    (match) =>
      `'sha256-${createHash('sha256')
        .update(match[1] ?? '')
        .digest('base64')}'`,
  );
}

describe('record page', () => {
  it('shows the name and fields of a sale order', async () => {
    const admin = person(running, 'admin');
    const [order] = await executeKw<Array<{ id: number; name: string }>>(
      running,
      admin,
      'sale.order',
      'search_read',
      [[]],
      { fields: ['name'], limit: 1 },
    );
    const response = await get(`/odoo/sale.order/${order!.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await response.text();
    expect(page).toContain(`<h1>${order!.name}</h1>`);
    expect(page).toContain('Sales Order (<code>sale.order</code>)');
    expect(page).toContain('<dt>Customer</dt>');
    expect(page).toContain('not a real Odoo');
    expect(page).toContain("opens the record in Odoo's web client");
  });

  it('sets a strict Content-Security-Policy', async () => {
    const response = await get('/odoo/res.partner/1');
    const csp = response.headers.get('content-security-policy') ?? '';
    const page = await response.text();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    expect(csp).toContain(`style-src ${inlineHashes(page, 'style')[0]}`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('escapes what the address contains', async () => {
    const response = await get('/odoo/%3Cscript%3Ealert(1)%3C%2Fscript%3E/1');
    expect(response.status).toBe(404);
    const page = await response.text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('answers 404 for an unknown record', async () => {
    for (const path of ['/odoo/sale.order/999999', '/odoo/sale.order/abc', '/odoo/x.nope/1']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toContain('No such record in the demo');
    }
  });

  it('escapes record values', async () => {
    const { db } = buildDatabase('demo', '18.0', TODAY);
    const partner = db.require('res.partner').get(1)!;
    partner.display_name = '<img src=x onerror=alert(1)>';
    partner.name = '"><script>alert(2)</script>';
    const response = await createRoutes(db).request('/odoo/res.partner/1');
    const page = await response.text();
    expect(page).toContain('<h1>&lt;img src=x onerror=alert(1)&gt;</h1>');
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
  });
});

describe('web client page', () => {
  it('pins its script by hash', async () => {
    const response = await get('/web');
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    const page = await response.text();
    const [scriptHash] = inlineHashes(page, 'script');
    expect(scriptHash).toBeTruthy();
    expect(csp).toContain(`script-src ${scriptHash}`);
    expect(page).toContain('not a real Odoo');
  });

  it('sends a 17.0 link on to the record page', async () => {
    const page = await (await get('/web')).text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
    const follow = (hash: string): string | undefined => {
      let target: string | undefined;
      const location = {
        hash,
        href: 'http://127.0.0.1:8069/demo/odoo/web' + hash,
        replace: (url: URL) => (target = url.href),
      };
      new Function('location', script)(location);
      return target;
    };
    expect(follow('#id=7&model=sale.order&view_type=form')).toBe(
      'http://127.0.0.1:8069/demo/odoo/odoo/sale.order/7',
    );
    expect(follow('')).toBeUndefined();
    expect(follow('#id=7&model=javascript:alert(1)')).toBeUndefined();
    expect(follow('#id=x&model=sale.order')).toBeUndefined();
  });
});
