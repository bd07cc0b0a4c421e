import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OdooSeries, RunningDemoOdoo } from '../../src/demo/odoo/index.js';
import { executeKw, person, rpcError, startDemo } from './helpers.js';

type Entry = { display_name: unknown; model: unknown };

const demos = new Map<OdooSeries, RunningDemoOdoo>();

beforeAll(async () => {
  for (const series of ['17.0', '18.0', '19.0'] as const) {
    demos.set(series, await startDemo(series));
  }
});

afterAll(async () => {
  await Promise.all([...demos.values()].map((running) => running.close()));
});

function displayNameFor(login: string, models: unknown, series: OdooSeries = '18.0') {
  const running = demos.get(series)!;
  return executeKw<Entry[]>(running, person(running, login), 'ir.model', 'display_name_for', [
    models,
  ]);
}

function availableModels(login: string, series: OdooSeries = '18.0') {
  const running = demos.get(series)!;
  return executeKw<Entry[]>(
    running,
    person(running, login),
    'ir.model',
    'get_available_models',
    [],
  );
}

describe('ir.model.display_name_for', () => {
  it('labels the models bob may read, then echoes the others', async () => {
    const result = await displayNameFor('bob@example.com', [
      'sale.order',
      'x_no.such.model',
      'res.partner',
      'ir.model',
    ]);
    expect(result).toEqual([
      { display_name: 'Contact', model: 'res.partner' },
      { display_name: 'Sales Order', model: 'sale.order' },
      { display_name: 'x_no.such.model', model: 'x_no.such.model' },
      { display_name: 'ir.model', model: 'ir.model' },
    ]);
  });

  it('gives the technical name for a model carol may not read', async () => {
    expect(await displayNameFor('carol@example.com', ['sale.order', 'res.partner'])).toEqual([
      { display_name: 'Contact', model: 'res.partner' },
      { display_name: 'sale.order', model: 'sale.order' },
    ]);
  });

  it('labels nothing for a portal user', async () => {
    expect(await displayNameFor('pat@example.com', ['res.partner'])).toEqual([
      { display_name: 'res.partner', model: 'res.partner' },
    ]);
  });

  it('exists on every demo series', async () => {
    for (const series of ['17.0', '19.0'] as const) {
      const result = await displayNameFor('alice@example.com', ['sale.order'], series);
      expect(result, series).toEqual([{ display_name: 'Sales Order', model: 'sale.order' }]);
    }
  });

  it('iterates a string as Python does', async () => {
    expect(await displayNameFor('bob@example.com', 'ab')).toEqual([
      { display_name: 'a', model: 'a' },
      { display_name: 'b', model: 'b' },
    ]);
  });

  it('raises TypeError for a number', async () => {
    const error = await rpcError(displayNameFor('bob@example.com', 5));
    expect(error.name).toBe('builtins.TypeError');
    expect(error.message).toBe("'int' object is not iterable");
  });

  it('exists on ir.model only', async () => {
    const running = demos.get('18.0')!;
    const bob = person(running, 'bob@example.com');
    const error = await rpcError(
      executeKw(running, bob, 'res.partner', 'display_name_for', [['res.partner']]),
    );
    expect(error.name).toBe('builtins.AttributeError');
  });
});

describe('ir.model.get_available_models', () => {
  it('lists the models carol may read, by technical name', async () => {
    const result = await availableModels('carol@example.com');
    const names = result.map((entry) => entry.model as string);
    expect(names).toContain('res.partner');
    expect(names).toContain('stock.quant');
    expect(names).not.toContain('sale.order');
    expect(names).not.toContain('ir.model');
    expect(names).toEqual([...names].sort());
    expect(result.find((entry) => entry.model === 'res.partner')?.display_name).toBe('Contact');
  });

  it('lists sale.order for alice', async () => {
    const names = (await availableModels('alice@example.com')).map((entry) => entry.model);
    expect(names).toContain('sale.order');
  });

  it('lists nothing for a portal user', async () => {
    expect(await availableModels('pat@example.com')).toEqual([]);
  });

  it('lists ir.model for the administrator', async () => {
    const names = (await availableModels('admin')).map((entry) => entry.model);
    expect(names).toContain('ir.model');
  });
});
