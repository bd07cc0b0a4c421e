import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoOdoo } from '../../src/demo/odoo/index.js';
import { FieldsCache } from '../../src/mcp/fields.js';
import { ModelListCache } from '../../src/mcp/models.js';
import { PersonContextCache } from '../../src/mcp/person-context.js';
import { registerTool } from '../../src/mcp/tool.js';
import {
  listModelsTool,
  MAX_LISTED_MODELS,
  STANDARD_MODELS,
} from '../../src/mcp/tools/list-models.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import { OdooError } from '../../src/odoo/errors.js';
import type { OdooConnection } from '../../src/odoo/types.js';
import { memoryLogger, resultText, ScriptedConnection, type Answer } from './helpers.js';

type Listed = { models: Array<{ model: string; label: string }>; total: number; notes: string[] };

const opened: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (opened.length > 0) {
    await opened.pop()!();
  }
});

/** Connects an SDK client to a server with list_models only, as `email`. */
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
  const server = new McpServer({ name: 'list-models-test', version: '1.0.0' });
  registerTool(server, listModelsTool, session, services);
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

async function listAs(client: Client, search?: string) {
  const result = await client.callTool({
    name: 'list_models',
    arguments: search === undefined ? {} : { search },
  });
  return { result, listed: result.structuredContent as Listed, text: resultText(result) };
}

function available(entries: Array<[string, string]>): Answer {
  return () => entries.map(([model, label]) => ({ display_name: label, model }));
}

const AVAILABLE: Array<[string, string]> = [
  ['account.move', 'Journal Entry'],
  ['res.partner', 'Contact'],
  ['sale.order.line', 'Sales Order Line'],
  ['sale.order', 'Sales Order'],
  ['x_sales_report', 'Sales Report'],
  ['crm.team', 'Sales Team'],
  ['mail.message', 'Message'],
];

function missingMethod(method: string, model: string): OdooError {
  return new OdooError(
    'invalid_request',
    `The method '${method}' does not exist on the model '${model}'`,
  );
}

describe('list_models on a scripted Odoo', () => {
  it('ranks matches of search', async () => {
    const connection = new ScriptedConnection('bob@example.com', {
      'ir.model.get_available_models': available(AVAILABLE),
    });
    const { listed, text } = await listAs(await connect(connection, 'bob@example.com', 9), 'SALE');
    expect(listed.models.map((entry) => entry.model)).toEqual([
      'sale.order',
      'sale.order.line',
      'crm.team',
      'x_sales_report',
    ]);
    expect(listed.total).toBe(4);
    expect(text).toContain('4 models matching "SALE" that bob@example.com may read:');
    expect(text).toContain('- sale.order · Sales Order\n');
  });

  it('puts an exact label first', async () => {
    const connection = new ScriptedConnection('bob@example.com', {
      'ir.model.get_available_models': available(AVAILABLE),
    });
    const { listed } = await listAs(await connect(connection, 'bob@example.com', 9), 'contact');
    expect(listed.models).toEqual([{ model: 'res.partner', label: 'Contact' }]);
  });

  it('lists standard models first without search', async () => {
    const connection = new ScriptedConnection('bob@example.com', {
      'ir.model.get_available_models': available(AVAILABLE),
    });
    const { listed } = await listAs(await connect(connection, 'bob@example.com', 9));
    expect(listed.models.map((entry) => entry.model)).toEqual([
      'res.partner',
      'sale.order',
      'sale.order.line',
      'crm.team',
      'account.move',
      'mail.message',
      'x_sales_report',
    ]);
  });

  it('cuts a long list with a note', async () => {
    const many = Array.from({ length: 150 }, (_, index): [string, string] => [
      `x_model_${String(index).padStart(3, '0')}`,
      `Model ${index}`,
    ]);
    const connection = new ScriptedConnection('bob@example.com', {
      'ir.model.get_available_models': available(many),
    });
    const { listed, text } = await listAs(await connect(connection, 'bob@example.com', 9));
    expect(listed.models).toHaveLength(MAX_LISTED_MODELS);
    expect(listed.total).toBe(150);
    expect(listed.notes).toContain('50 more models match: pass search to narrow the list.');
    expect(text).toContain('showing the first 100:');
  });

  it('checks standard models on a server without the method', async () => {
    const readable = new Set(['sale.order', 'res.partner']);
    const answers: Record<string, Answer> = {
      'ir.model.get_available_models': () => {
        throw missingMethod('get_available_models', 'ir.model');
      },
    };
    for (const { model } of STANDARD_MODELS) {
      answers[`${model}.check_access_rights`] = (call) => {
        expect(call.args).toEqual([]);
        expect(call.kwargs).toEqual({ operation: 'read', raise_exception: false });
        if (model.startsWith('project.') || model.startsWith('hr.')) {
          throw new OdooError('invalid_request', `Object ${model} doesn't exist`);
        }
        return readable.has(model);
      };
    }
    const connection = new ScriptedConnection('alice@example.com', answers, '17.0');
    const { listed } = await listAs(await connect(connection, 'alice@example.com', 8));
    expect(listed.models).toEqual([
      { model: 'res.partner', label: 'Contact' },
      { model: 'sale.order', label: 'Sales Order' },
    ]);
    expect(listed.notes[0]).toContain('This Odoo has no ir.model.get_available_models');
    expect(listed.notes[0]).toContain(`checked read access on ${STANDARD_MODELS.length} standard`);
  });

  it('checks only the standard models that match search', async () => {
    const answers: Record<string, Answer> = {
      'ir.model.get_available_models': () => {
        throw missingMethod('get_available_models', 'ir.model');
      },
      'stock.quant.has_access': () => true,
      'stock.picking.has_access': () => false,
      'stock.move.has_access': (call) => {
        expect(call.args).toEqual([[], 'read']);
        return true;
      },
      'stock.location.has_access': () => {
        throw missingMethod('has_access', 'stock.location');
      },
      'stock.location.check_access_rights': () => true,
      'stock.warehouse.has_access': () => false,
      'stock.lot.has_access': () => false,
    };
    const connection = new ScriptedConnection('alice@example.com', answers, '18.0');
    const { listed } = await listAs(await connect(connection, 'alice@example.com', 8), 'stock');
    expect(listed.models.map((entry) => entry.model)).toEqual([
      'stock.quant',
      'stock.move',
      'stock.location',
    ]);
  });

  it('finds account.move for invoices', async () => {
    const connection = new ScriptedConnection('bob@example.com', {
      'ir.model.get_available_models': available([
        ...AVAILABLE,
        ['account.invoice.report', 'Invoices Statistics'],
        ['account.reconcile.model', 'Preset to create journal entries during a invoices'],
      ]),
    });
    const session = await connect(connection, 'bob@example.com', 9);
    const { listed } = await listAs(session, 'Invoices');
    expect(listed.models.map((entry) => entry.model)).toEqual([
      'account.move',
      'account.invoice.report',
      'account.reconcile.model',
    ]);
    expect(listed.notes).toContain('"Invoices" usually means account.move, listed first.');
  });

  it('ranks everyday words before names', async () => {
    const connection = new ScriptedConnection('bob@example.com', {
      'ir.model.get_available_models': available([
        ['product.template', 'Product'],
        ['product.product', 'Product Variant'],
        ['product.category', 'Product Category'],
      ]),
    });
    const session = await connect(connection, 'bob@example.com', 9);
    const { listed } = await listAs(session, 'products');
    expect(listed.models.map((entry) => entry.model)).toEqual([
      'product.product',
      'product.template',
      'product.category',
    ]);
  });

  it('fails on an outage rather than listing nothing', async () => {
    const connection = new ScriptedConnection('bob@example.com', {
      'ir.model.get_available_models': () => {
        throw new OdooError('transport', 'connect ECONNREFUSED 127.0.0.1:8069');
      },
    });
    const { result, text } = await listAs(await connect(connection, 'bob@example.com', 9));
    expect(result.isError).toBe(true);
    expect(text).toContain('Odoo could not be reached');
  });
});

for (const version of ['18.0', '19.0'] as const) {
  describe(`list_models on the demo Odoo ${version}`, () => {
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

    async function clientFor(email: string): Promise<Client> {
      const person = demo.demo.people.find((candidate) => candidate.email === email)!;
      const connection = odoo.connect({ login: person.login, apiKey: person.apiKey }, person.uid);
      return connect(connection, email, person.uid);
    }

    it('lists sale.order for bob with its label', async () => {
      const { listed } = await listAs(await clientFor('bob@example.com'));
      expect(listed.models).toContainEqual({ model: 'sale.order', label: 'Sales Order' });
      expect(listed.models).toContainEqual({ model: 'account.move', label: 'Journal Entry' });
      expect(listed.notes).toEqual([]);
    });

    it('leaves sale.order out for carol', async () => {
      const { listed } = await listAs(await clientFor('carol@example.com'));
      const names = listed.models.map((entry) => entry.model);
      expect(names).not.toContain('sale.order');
      expect(names).not.toContain('account.move');
      expect(names).toContain('res.partner');
      expect(names).toContain('stock.quant');
    });

    it('puts sale.order first for "sale"', async () => {
      const { listed } = await listAs(await clientFor('bob@example.com'), 'sale');
      expect(listed.models[0]).toEqual({ model: 'sale.order', label: 'Sales Order' });
      for (const entry of listed.models) {
        const text = `${entry.model} ${entry.label}`.toLowerCase();
        expect(text).toContain('sale');
      }
    });

    it('lists nothing for a portal user, and says why', async () => {
      const { listed } = await listAs(await clientFor('pat@example.com'));
      expect(listed.models).toEqual([]);
      expect(listed.notes[0]).toContain('It lists models only to internal users');
    });
  });
}
