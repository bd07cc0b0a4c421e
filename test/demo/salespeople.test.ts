import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddedSalesperson, RunningDemoOdoo } from '../../src/demo/odoo/index.js';
import { executeKw, person, send, startDemo } from './helpers.js';

type Order = { id: number; name: string; user_id: [number, string] | false };

describe('added salespeople', () => {
  let running: RunningDemoOdoo;
  let first: AddedSalesperson;
  let second: AddedSalesperson;

  beforeAll(async () => {
    running = await startDemo('18.0');
    first = running.demo.addSalesperson('seller-1@example.com', 'Seller One');
    second = running.demo.addSalesperson('seller-2@example.com', 'Seller Two');
  });

  afterAll(async () => {
    await running.close();
  });

  async function assignedOrders(caller: AddedSalesperson['person']): Promise<Order[]> {
    return executeKw<Order[]>(
      running,
      caller,
      'sale.order',
      'search_read',
      [[['user_id', '!=', false]]],
      { fields: ['name', 'user_id'] },
    );
  }

  it('sign in with their own API key', async () => {
    const params = {
      service: 'common',
      method: 'authenticate',
      args: [running.demo.db, first.person.login, first.person.apiKey, {}],
    };
    const answer = await send(running, '/jsonrpc', { jsonrpc: '2.0', method: 'call', params });
    expect((answer.body as { result: unknown }).result).toBe(first.person.uid);
  });

  it('are listed among the people', () => {
    expect(person(running, 'seller-2@example.com').uid).toBe(second.person.uid);
    expect(second.person.uid).toBe(first.person.uid + 1);
  });

  it('see only their own assigned order', async () => {
    const orders = await assignedOrders(first.person);
    expect(orders.map((order) => order.id)).toEqual([first.orderId]);
    expect(orders[0]!.user_id).toEqual([first.person.uid, 'Seller One']);
  });

  it("do not see the other's order", async () => {
    const orders = await assignedOrders(second.person);
    expect(orders.map((order) => order.id)).toEqual([second.orderId]);
  });

  it('are hidden from alice but not from bob', async () => {
    const aliceIds = (await assignedOrders(person(running, 'alice@example.com'))).map((o) => o.id);
    const bobIds = (await assignedOrders(person(running, 'bob@example.com'))).map((o) => o.id);
    expect(aliceIds).not.toContain(first.orderId);
    expect(bobIds).toEqual(expect.arrayContaining([first.orderId, second.orderId]));
  });

  it('refuse a login that exists', () => {
    expect(() => running.demo.addSalesperson('alice@example.com', 'Alice Again')).toThrow(
      /already has a user/,
    );
  });
});
