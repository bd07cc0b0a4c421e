import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoOdoo } from '../../src/demo/odoo/index.js';
import { FieldsCache } from '../../src/mcp/fields.js';
import { ModelListCache } from '../../src/mcp/models.js';
import { PersonContextCache } from '../../src/mcp/person-context.js';
import { registerTool } from '../../src/mcp/tool.js';
import { findByNameTool, MAX_NAME_LIMIT } from '../../src/mcp/tools/find-by-name.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import type { OdooConnection } from '../../src/odoo/types.js';
import {
  memoryLogger,
  recordedError,
  recordedResult,
  resultText,
  ScriptedConnection,
} from './helpers.js';

type Found = { model: string; matches: Array<{ id: number; name: string }>; notes: string[] };

const opened: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (opened.length > 0) {
    await opened.pop()!();
  }
});

/** Connects an SDK client to a server with find_by_name only, as `email`. */
async function connect(connection: OdooConnection, email: string, uid: number) {
  const session = {
    connection,
    person: { email },
    odooUid: uid,
    logger: memoryLogger().logger,
    odooWebUrl: new URL('https://erp.example.com/'),
  };
  const services = {
    fieldsCache: new FieldsCache(),
    modelsCache: new ModelListCache(),
    contextCache: new PersonContextCache(),
  };
  const server = new McpServer({ name: 'find-by-name-test', version: '1.0.0' });
  registerTool(server, findByNameTool, session, services);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(clientTransport);
  opened.push(async () => {
    await client.close();
    await server.close();
  });
  return client;
}

async function find(client: Client, args: Record<string, unknown>) {
  const result = await client.callTool({ name: 'find_by_name', arguments: args });
  return { result, found: result.structuredContent as Found, text: resultText(result) };
}

describe('find_by_name on a scripted Odoo', () => {
  it('returns the recorded matches with 17.0 links', async () => {
    const connection = new ScriptedConnection('alice@example.com', {
      'res.partner.name_search': () => recordedResult('odoo17', 'name_search_res_partner_alice'),
    });
    const client = await connect(connection, 'alice@example.com', 8);
    const { found, text } = await find(client, { model: 'res.partner', name: ' Deco ' });
    expect(connection.calls[0]?.args).toEqual([]);
    expect(connection.calls[0]?.kwargs).toEqual({ name: 'Deco', operator: 'ilike', limit: 10 });
    expect(found.matches[0]).toEqual({ id: 10, name: 'Deco Addict' });
    expect(found.matches).toHaveLength(4);
    expect(found.notes).toEqual([]);
    expect(text).toContain('4 res.partner records match "Deco":\n');
    expect(text).toContain(
      '10 · Deco Addict · https://erp.example.com/web#id=10&model=res.partner&view_type=form\n',
    );
  });

  it('says when there may be more matches', async () => {
    const connection = new ScriptedConnection(
      'alice@example.com',
      {
        'product.product.name_search': () =>
          recordedResult('odoo18', 'name_search_product_product_alice'),
      },
      '18.0',
    );
    const client = await connect(connection, 'alice@example.com', 8);
    const { found, text } = await find(client, {
      model: 'product.product',
      name: 'desk',
      limit: 5,
    });
    expect(found.matches).toHaveLength(5);
    expect(found.notes[0]).toContain('There may be more matches than these 5');
    expect(text).toContain(
      '45 · [DESK0005] Customizable Desk (Custom, White) · https://erp.example.com/odoo/product.product/45',
    );
  });

  it('reports no match', async () => {
    const connection = new ScriptedConnection('alice@example.com', {
      'res.partner.name_search': () => recordedResult('odoo17', 'name_search_empty_result'),
    });
    const client = await connect(connection, 'alice@example.com', 8);
    const { found, text } = await find(client, { model: 'res.partner', name: 'zzz-no-match-zzz' });
    expect(found.matches).toEqual([]);
    expect(text).toContain('No res.partner record has a name like "zzz-no-match-zzz".');
  });

  it('suggests close names for a typo', async () => {
    const connection = new ScriptedConnection('alice@example.com', {
      'res.partner.name_search': (call) =>
        call.kwargs.name === 'Gem' ? [[10, 'Gemini Furniture']] : [],
    });
    const client = await connect(connection, 'alice@example.com', 8);
    const { found, text } = await find(client, { model: 'res.partner', name: 'Gemni' });
    expect(found.matches).toEqual([]);
    expect(connection.calls.map((call) => call.kwargs.name)).toEqual(['Gemni', 'Gemni', 'Gem']);
    expect(found.notes).toEqual([
      'Names that share a word or its start: "Gemini Furniture". Search again with one of them.',
    ]);
    expect(text).toContain('No res.partner record has a name like "Gemni".');
  });

  it('rejects a limit above the maximum', async () => {
    const connection = new ScriptedConnection('alice@example.com', {});
    const client = await connect(connection, 'alice@example.com', 8);
    const { result } = await find(client, {
      model: 'res.partner',
      name: 'a',
      limit: MAX_NAME_LIMIT + 1,
    });
    expect(result.isError).toBe(true);
    expect(connection.calls).toEqual([]);
  });

  it("passes Odoo's access error on", async () => {
    const connection = new ScriptedConnection('carol@example.com', {
      'sale.order.name_search': () => {
        throw recordedError('odoo17', 'error_access_carol_sale_order');
      },
    });
    const client = await connect(connection, 'carol@example.com', 10);
    const { result, text } = await find(client, { model: 'sale.order', name: 'S000' });
    expect(result.isError).toBe(true);
    expect(text).toContain("You are not allowed to access 'Sales Order' (sale.order) records.");
  });
});

for (const version of ['18.0', '19.0'] as const) {
  describe(`find_by_name on the demo Odoo ${version}`, () => {
    let demo: Awaited<ReturnType<typeof startDemoOdoo>>;
    let odoo: OdooClient;

    beforeAll(async () => {
      demo = await startDemoOdoo({ port: 0, version });
      odoo = createOdooClient({ url: demo.url, db: demo.demo.db });
    });

    afterAll(async () => {
      await odoo.close();
      await demo.close();
    });

    function connectionFor(email: string) {
      const person = demo.demo.people.find((candidate) => candidate.email === email)!;
      const connection = odoo.connect({ login: person.login, apiKey: person.apiKey }, person.uid);
      return { connection, uid: person.uid };
    }

    it('finds a customer by part of its name', async () => {
      const { connection, uid } = connectionFor('bob@example.com');
      const client = await connect(connection, 'bob@example.com', uid);
      const { found, text } = await find(client, { model: 'res.partner', name: 'golden gate' });
      const direct = await connection.executeKw<Array<[number, string]>>(
        'res.partner',
        'name_search',
        [],
        { name: 'golden gate', limit: 10 },
      );
      expect(found.matches).toEqual(direct.map(([id, name]) => ({ id, name })));
      const company = found.matches.find((match) => match.name === 'Golden Gate Architects');
      expect(company).toBeDefined();
      expect(text).toContain(
        `${company!.id} · Golden Gate Architects · https://erp.example.com/odoo/res.partner/${company!.id}\n`,
      );
    });

    it('finds only the orders alice may see', async () => {
      const { connection, uid } = connectionFor('alice@example.com');
      const client = await connect(connection, 'alice@example.com', uid);
      const { found } = await find(client, {
        model: 'sale.order',
        name: 'S',
        limit: MAX_NAME_LIMIT,
      });
      const visible = await connection.executeKw<number>('sale.order', 'search_count', [[]]);
      expect(found.matches.length).toBe(Math.min(visible, MAX_NAME_LIMIT));
      const ids = found.matches.map((match) => match.id);
      const read = await connection.executeKw<Array<{ id: number }>>('sale.order', 'read', [ids], {
        fields: ['name'],
      });
      expect(read.map((record) => record.id).sort()).toEqual([...ids].sort());
    });

    it('searches within one company', async () => {
      const { connection, uid } = connectionFor('bob@example.com');
      const client = await connect(connection, 'bob@example.com', uid);
      const all = await find(client, { model: 'sale.order', name: 'S', limit: MAX_NAME_LIMIT });
      const chicago = await find(client, {
        model: 'sale.order',
        name: 'S',
        limit: MAX_NAME_LIMIT,
        company: 'Chicago',
      });
      expect(chicago.result.isError).toBeFalsy();
      expect(chicago.found.matches.length).toBeGreaterThan(0);
      expect(chicago.found.matches.length).toBeLessThan(all.found.matches.length);
    });

    it('names the companies of the person for an unknown one', async () => {
      const { connection, uid } = connectionFor('bob@example.com');
      const client = await connect(connection, 'bob@example.com', uid);
      const { result, text } = await find(client, {
        model: 'res.partner',
        name: 'a',
        company: 'Atlantis',
      });
      expect(result.isError).toBe(true);
      expect(text).toContain('My Company (San Francisco)');
    });

    it('suggests a close name for a typo', async () => {
      const { connection, uid } = connectionFor('bob@example.com');
      const client = await connect(connection, 'bob@example.com', uid);
      const { found } = await find(client, { model: 'res.partner', name: 'Baysde' });
      expect(found.matches).toEqual([]);
      expect(found.notes[0]).toContain('"Bayside Dental Group"');
    });

    it("shows carol Odoo's access error verbatim", async () => {
      const { connection, uid } = connectionFor('carol@example.com');
      const client = await connect(connection, 'carol@example.com', uid);
      const { result, text } = await find(client, { model: 'sale.order', name: 'S0' });
      expect(result.isError).toBe(true);
      expect(text).toContain("You are not allowed to access 'Sales Order' (sale.order) records.");
    });
  });
}
