import { afterEach, describe, expect, it } from 'vitest';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import { OdooError } from '../../src/odoo/errors.js';
import { identifyPerson } from '../../src/odoo/identity.js';
import {
  sendJsonRpcResult,
  startTestServer,
  type ReceivedRequest,
  type TestServer,
} from './test-server.js';

const ALICE = { login: 'alice@example.com', apiKey: 'fake-alice-api-key-0123456789' };

/** alice's res.users record as Odoo 17 returns it for the fields identifyPerson reads. */
const ALICE_RECORD = {
  id: 8,
  login: 'alice@example.com',
  email: 'alice@example.com',
  name: 'Alice Sales',
  share: false,
  company_id: [1, 'My Company (San Francisco)'],
  company_ids: [1],
  tz: 'Europe/Brussels',
  lang: 'en_US',
};

let server: TestServer | undefined;
let client: OdooClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
});

function paramsOf(request: ReceivedRequest): { method: string; args: unknown[] } {
  return (JSON.parse(request.body) as { params: { method: string; args: unknown[] } }).params;
}

async function clientReturning(records: unknown[]): Promise<OdooClient> {
  server = await startTestServer((request, response) => {
    const isAuthenticate = paramsOf(request).method === 'authenticate';
    sendJsonRpcResult(request, response, isAuthenticate ? 8 : records);
  });
  client = createOdooClient({ url: server.url, db: 'odoo17' }, { protocol: 'jsonrpc' });
  return client;
}

describe('identifyPerson', () => {
  it('returns the user behind the key', async () => {
    const odoo = await clientReturning([ALICE_RECORD]);
    expect(await identifyPerson(odoo, ALICE)).toEqual({
      uid: 8,
      login: 'alice@example.com',
      email: 'alice@example.com',
      name: 'Alice Sales',
      share: false,
      companyId: 1,
      companyName: 'My Company (San Francisco)',
      companyIds: [1],
      tz: 'Europe/Brussels',
      lang: 'en_US',
    });
  });

  it('reads the user as that person', async () => {
    const odoo = await clientReturning([ALICE_RECORD]);
    await identifyPerson(odoo, ALICE);
    const read = paramsOf(server?.requests[1] as ReceivedRequest);
    expect(read.args).toEqual([
      'odoo17',
      8,
      ALICE.apiKey,
      'res.users',
      'read',
      [[8]],
      { fields: ['login', 'email', 'name', 'share', 'company_id', 'company_ids', 'tz', 'lang'] },
    ]);
  });

  it('turns Odoo false into undefined', async () => {
    const record = { ...ALICE_RECORD, email: false, tz: false, lang: false, company_id: false };
    const odoo = await clientReturning([{ ...record, company_ids: false }]);
    const identity = await identifyPerson(odoo, ALICE);
    expect(identity.email).toBeUndefined();
    expect(identity.tz).toBeUndefined();
    expect(identity.lang).toBeUndefined();
    expect(identity.companyId).toBeUndefined();
    expect(identity.companyName).toBeUndefined();
    expect(identity.companyIds).toEqual([]);
  });

  it('empty read is a missing record', async () => {
    const odoo = await clientReturning([]);
    const error = await identifyPerson(odoo, ALICE).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OdooError);
    expect((error as OdooError).kind).toBe('missing_record');
  });

  it('unexpected record shape is a transport error', async () => {
    const odoo = await clientReturning([{ ...ALICE_RECORD, login: 42 }]);
    const error = await identifyPerson(odoo, ALICE).catch((caught: unknown) => caught);
    expect((error as OdooError).kind).toBe('transport');
    expect((error as OdooError).message).toContain('login');
  });
});
