import { afterEach, describe, expect, it } from 'vitest';
import type { OdooSeries, RunningDemoOdoo } from '../../src/demo/odoo/index.js';
import { person, startDemo } from './helpers.js';

let running: RunningDemoOdoo | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function demoOf(series: OdooSeries): Promise<RunningDemoOdoo> {
  running = await startDemo(series);
  return running;
}

/** Posts a JSON-2 call as `login` and returns the status and parsed body. */
async function callAs(
  demo: RunningDemoOdoo,
  login: string,
  path: string,
  body: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(path.replace(/^\//, ''), demo.url), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${person(demo, login).apiKey}`,
    },
    body,
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('json') ?? false;
  return { status: response.status, body: isJson ? (JSON.parse(text) as unknown) : text };
}

const ALICE = 'alice@example.com';

describe('demo JSON-2 routes', () => {
  it.each(['17.0', '18.0'] as const)('%s serves no JSON-2', async (series) => {
    const demo = await demoOf(series);
    const answer = await callAs(demo, ALICE, '/json/2/sale.order/search_count', '{"domain": []}');
    expect(answer.status).toBe(404);
    expect(typeof answer.body).toBe('string');
  });

  it('revoked key is an invalid apikey', async () => {
    const demo = await demoOf('19.0');
    const key = person(demo, ALICE).apiKey;
    demo.demo.revokeApiKey(ALICE);
    const response = await fetch(new URL('json/2/res.users/context_get', demo.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toBe('Invalid apikey');
  });

  it('record method without ids runs on no records', async () => {
    const demo = await demoOf('19.0');
    const answer = await callAs(demo, ALICE, '/json/2/res.partner/read', '{}');
    expect(answer).toEqual({ status: 200, body: [] });
  });

  it('refuses exists as a private method on 19', async () => {
    const demo = await demoOf('19.0');
    const answer = await callAs(demo, ALICE, '/json/2/res.partner/exists', '{"ids": [1]}');
    expect(answer.status).toBe(403);
    expect(JSON.stringify(answer.body)).toContain(
      "Private methods (such as 'res.partner.exists') cannot be called remotely.",
    );
  });

  it('context comes from the top level', async () => {
    const demo = await demoOf('19.0');
    const path = '/json/2/res.partner/search_count';
    const active = await callAs(demo, ALICE, path, '{"domain": []}');
    const all = await callAs(
      demo,
      ALICE,
      path,
      '{"domain": [], "context": {"active_test": false}}',
    );
    expect(all.body as number).toBeGreaterThan(active.body as number);
  });

  it('body that is not an object is a bad request', async () => {
    const demo = await demoOf('19.0');
    const answer = await callAs(demo, ALICE, '/json/2/res.partner/search_count', '[[]]');
    expect(answer.status).toBe(400);
    expect((answer.body as { name: string }).name).toBe('werkzeug.exceptions.BadRequest');
  });

  it('JSON error past the start keeps a message', async () => {
    const demo = await demoOf('19.0');
    const answer = await callAs(demo, ALICE, '/json/2/res.partner/search_count', '{"domain": ]');
    expect(answer.status).toBe(400);
    const message = (answer.body as { message: string }).message;
    expect(message).toMatch(/^could not parse the body as json: /);
  });

  it('leading spaces move the JSON error', async () => {
    const demo = await demoOf('19.0');
    const answer = await callAs(demo, ALICE, '/json/2/res.partner/search_count', '\n  oops');
    expect((answer.body as { message: string }).message).toBe(
      'could not parse the body as json: Expecting value: line 2 column 3 (char 3)',
    );
  });

  it('TypeError inside a method stays a 500', async () => {
    const demo = await demoOf('19.0');
    const body = '{"domain": [], "fields": ["name"], "stray": 1}';
    const answer = await callAs(demo, ALICE, '/json/2/res.partner/search_read', body);
    expect(answer.status).toBe(500);
    expect((answer.body as { name: string }).name).toBe('builtins.TypeError');
  });

  it('missing argument is a 422', async () => {
    const demo = await demoOf('19.0');
    const answer = await callAs(demo, ALICE, '/json/2/res.partner/read_group', '{"domain": []}');
    expect(answer.status).toBe(422);
    expect((answer.body as { message: string }).message).toBe(
      "missing a required argument: 'fields'",
    );
  });
});
