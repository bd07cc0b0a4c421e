import { MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentFetcher } from '../../src/authorization/clients/document-fetcher.js';
import { CLIENT_JSON_LIMITS, jsonShapeViolation } from '../../src/http/json-shape.js';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import { authorize, exchangeCode, registerClient, REDIRECT_URI } from '../helpers/oauth.js';

const alice = PEOPLE[0]!;

function nested(depth: number, inner = '0'): string {
  return '['.repeat(depth) + inner + ']'.repeat(depth);
}

function objectWith(members: number): string {
  return `{${Array.from({ length: members }, (_, index) => `"k${index}":0`).join(',')}}`;
}

function arrayWith(items: number): string {
  return `[${Array.from({ length: items }, () => '0').join(',')}]`;
}

describe('JSON shape check', () => {
  it('accepts nesting up to the limit', () => {
    expect(jsonShapeViolation(nested(CLIENT_JSON_LIMITS.maxDepth))).toBeUndefined();
  });

  it('rejects nesting past the limit', () => {
    expect(jsonShapeViolation(nested(CLIENT_JSON_LIMITS.maxDepth + 1))).toBe(
      'JSON nests deeper than 64 levels',
    );
  });

  it('counts objects and arrays alike as levels', () => {
    const mixed = '{"a":['.repeat(32) + '0' + ']}'.repeat(32);
    expect(jsonShapeViolation(mixed)).toBeUndefined();
    expect(jsonShapeViolation(`[${mixed}]`)).toBe('JSON nests deeper than 64 levels');
  });

  it('ignores brackets and commas inside strings', () => {
    const text = `{"a":"${'[{,'.repeat(20_000)}\\"${'['.repeat(100)}","b":"\\\\"}`;
    expect(jsonShapeViolation(text)).toBeUndefined();
    expect(JSON.parse(text)).toHaveProperty('b', '\\');
  });

  it('rejects an object with too many members', () => {
    expect(jsonShapeViolation(objectWith(1000))).toBeUndefined();
    expect(jsonShapeViolation(objectWith(1001))).toBe('a JSON object has more than 1000 members');
  });

  it('counts the members of each object apart', () => {
    const inner = objectWith(600);
    expect(jsonShapeViolation(`{"a":${inner},"b":${inner}}`)).toBeUndefined();
  });

  it('rejects a document with too many values in all', () => {
    expect(jsonShapeViolation(arrayWith(20_000))).toBeUndefined();
    expect(jsonShapeViolation(arrayWith(20_001))).toBe('JSON has more than 20000 values');
    // 7000 small lists: 7000 lists and 6999 commas between them, and 7000 commas inside.
    const lists = `[${Array.from({ length: 7000 }, () => '[0,0]').join(',')}]`;
    expect(jsonShapeViolation(lists)).toBe('JSON has more than 20000 values');
  });
});

describe('JSON shape limit on the endpoints', () => {
  let harness: Harness;
  let accessToken: string;

  beforeAll(async () => {
    harness = await startHarness();
    const client = await registerClient(harness);
    const { code, verifier } = await authorize(harness, client, alice);
    const tokens = await exchangeCode(harness, client, code, verifier);
    accessToken = String(tokens.body.access_token);
  });

  afterAll(async () => {
    await harness.close();
  });

  /** Calls count_records with `extra` as one more argument, written as raw JSON. */
  async function countWith(extra: string): Promise<{ status: number; body: Record<string, any> }> {
    const body =
      '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"count_records",' +
      `"arguments":{"model":"res.partner","domain":[],"extra":${extra}}}}`;
    const response = await fetch(harness.mcpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${accessToken}`,
        'mcp-protocol-version': '2025-06-18',
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  it('runs a tool call 64 levels deep', async () => {
    // The envelope, params and arguments are three levels.
    const answer = await countWith(nested(CLIENT_JSON_LIMITS.maxDepth - 3));

    expect(answer.status).toBe(200);
    expect(answer.body.result.structuredContent.model).toBe('res.partner');
  });

  it('rejects a tool call 65 levels deep', async () => {
    const toolCalls = () => harness.logs.filter((line) => line.event === 'mcp.tool_call').length;
    const before = toolCalls();
    const answer = await countWith(nested(CLIENT_JSON_LIMITS.maxDepth - 2));

    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe(-32600);
    expect(answer.body.error.message).toContain('JSON nests deeper than 64 levels');
    expect(toolCalls()).toBe(before);
  });

  it('rejects a tool call with too many values', async () => {
    const answer = await countWith(arrayWith(30_000));

    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain('more than 20000 values');
  });

  it('rejects an object of 1001 members', async () => {
    const answer = await countWith(objectWith(1001));

    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain('more than 1000 members');
  });

  it('rejects a deep body without token', async () => {
    const response = await fetch(harness.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: nested(400_000),
    });

    expect(response.status).toBe(400);
  });

  it('rejects deeply nested client metadata at /register', async () => {
    const response = await fetch(new URL('/register', harness.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"redirect_uris":["${REDIRECT_URI}"],"software_statement_extra":${nested(100)}}`,
    });
    const body = (await response.json()) as Record<string, string>;

    expect(response.status).toBe(400);
    expect(body.error).toBe('invalid_client_metadata');
    expect(body.error_description).toContain('JSON nests deeper than 64 levels');
  });
});

describe('JSON shape limit on client ID metadata documents', () => {
  it('rejects a deeply nested document', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const document = `{"client_name":"Deep","redirect_uris":["https://app.example/cb"],"x":${nested(65)}}`;
    agent.get('https://app.example').intercept({ path: '/client.json' }).reply(200, document);
    const fetchDocument = createDocumentFetcher(agent);

    await expect(fetchDocument(new URL('https://app.example/client.json'))).rejects.toThrow(
      'its body is too complex: JSON nests deeper than 64 levels',
    );
  });
});
