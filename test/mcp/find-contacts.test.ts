import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  contactQuery,
  digitsOf,
  isPhoneQuery,
  phoneContainsDigits,
} from '../../src/mcp/domain-tools/contacts.js';
import { parseFieldsGet } from '../../src/mcp/fields.js';
import {
  connectDomainTools,
  type DemoStack,
  demoSession,
  startDemoStack,
  stopDemoStack,
  structured,
} from './domain-tool-helpers.js';
import {
  type Answer,
  type ConnectedSession,
  pageReadCall,
  resultText,
  ScriptedConnection,
} from './helpers.js';

const BOB = { email: 'bob@example.com', uid: 9 };

/** res.partner fields of 17.0/18.0 (with mobile) or 19.0 (without), plus optional extras. */
function partnerFields(options: { mobile: boolean; phoneSearch?: boolean }) {
  const fields: Record<string, Record<string, unknown>> = {
    name: { type: 'char', string: 'Name' },
    complete_name: { type: 'char', string: 'Complete Name' },
    display_name: { type: 'char', string: 'Display Name' },
    email: { type: 'char', string: 'Email' },
    phone: { type: 'char', string: 'Phone' },
    is_company: { type: 'boolean', string: 'Is a Company' },
    parent_id: { type: 'many2one', string: 'Related Company', relation: 'res.partner' },
    city: { type: 'char', string: 'City' },
    country_id: { type: 'many2one', string: 'Country', relation: 'res.country' },
    category_id: { type: 'many2many', string: 'Tags', relation: 'res.partner.category' },
    user_id: { type: 'many2one', string: 'Salesperson', relation: 'res.users' },
  };
  if (options.mobile) {
    fields.mobile = { type: 'char', string: 'Mobile' };
  }
  if (options.phoneSearch) {
    fields.phone_mobile_search = { type: 'char', string: 'Phone/Mobile', store: false };
  }
  return fields;
}

interface ContactsOutput {
  contacts: Array<{ id: number; phone: string | null; mobile: string | null; tags: string[] }>;
  total: number;
  next_offset: number | null;
  notes: string[];
}

describe('contact queries', () => {
  it('tells phone numbers from names', () => {
    expect(isPhoneQuery('+1 (415) 555-0123')).toBe(true);
    expect(isPhoneQuery('555.01')).toBe(true);
    expect(isPhoneQuery('12')).toBe(false);
    expect(isPhoneQuery('3M')).toBe(false);
    expect(isPhoneQuery('info@example.com')).toBe(false);
    expect(digitsOf('+1 (415) 555-0123')).toBe('14155550123');
  });

  it('searches text in name, email and phones', () => {
    const query = contactQuery('azure', parseFieldsGet(partnerFields({ mobile: true })));
    expect(query).toEqual({
      kind: 'text',
      domain: [
        '|',
        '|',
        '|',
        ['complete_name', 'ilike', 'azure'],
        ['email', 'ilike', 'azure'],
        ['phone', 'ilike', 'azure'],
        ['mobile', 'ilike', 'azure'],
      ],
    });
  });

  it('leaves mobile out on 19.0', () => {
    const query = contactQuery('415-555', parseFieldsGet(partnerFields({ mobile: false })));
    expect(query).toEqual({
      kind: 'phone_digits',
      domain: [['phone', 'ilike', '4%1%5%5%5%5']],
      digits: '415555',
      phoneFields: ['phone'],
    });
  });

  it('puts wildcards between digits', () => {
    const query = contactQuery('(415) 555', parseFieldsGet(partnerFields({ mobile: true })));
    expect(query.domain).toEqual([
      '|',
      ['phone', 'ilike', '4%1%5%5%5%5'],
      ['mobile', 'ilike', '4%1%5%5%5%5'],
    ]);
  });

  it("prefers Odoo's own phone search", () => {
    const fields = parseFieldsGet(partnerFields({ mobile: true, phoneSearch: true }));
    expect(contactQuery(' +32 2 555 ', fields)).toEqual({
      kind: 'phone_search',
      domain: [['phone_mobile_search', 'ilike', '+32 2 555']],
    });
  });

  it('checks the digits of each phone', () => {
    const record = { phone: '+1 415-555-0123', mobile: false };
    expect(phoneContainsDigits(record, ['phone', 'mobile'], '4155550123')).toBe(true);
    expect(phoneContainsDigits(record, ['phone', 'mobile'], '4155550132')).toBe(false);
    expect(
      phoneContainsDigits(
        { phone: false, mobile: '(312) 555 0199' },
        ['phone', 'mobile'],
        '5550199',
      ),
    ).toBe(true);
  });
});

describe('find_contacts calls', () => {
  let open: ConnectedSession | undefined;

  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  async function run(
    args: Record<string, unknown>,
    answers: Record<string, Answer> = {},
    fields = partnerFields({ mobile: true }),
  ) {
    const connection = new ScriptedConnection('bob@example.com', {
      'res.partner.fields_get': () => fields,
      'res.partner.search_read': () => [],
      ...answers,
    });
    open = await connectDomainTools(connection, BOB);
    const result = await open.client.callTool({ name: 'find_contacts', arguments: args });
    const search = pageReadCall(connection.calls, 'res.partner');
    return { result, connection, search };
  }

  it('maps is_company, city, country code and tag', async () => {
    const { search, connection } = await run(
      { is_company: true, city: 'Chicago', country: 'us', tag: 'VIP' },
      {
        'res.country.search': () => [233],
        'res.partner.category.name_search': () => [[1, 'VIP']],
      },
    );
    expect(search?.args[0]).toEqual([
      ['is_company', '=', true],
      ['city', 'ilike', 'Chicago'],
      ['country_id', 'in', [233]],
      ['category_id', 'child_of', [1]],
    ]);
    const country = connection.calls.find((call) => call.model === 'res.country');
    expect(country?.args[0]).toEqual([['code', '=ilike', 'us']]);
  });

  it('looks a country name up by name', async () => {
    const { search, connection } = await run(
      { country: 'Belgium' },
      { 'res.country.name_search': () => [[21, 'Belgium']] },
    );
    expect(search?.args[0]).toEqual([['country_id', 'in', [21]]]);
    expect(connection.calls.some((call) => call.method === 'search')).toBe(false);
  });

  it('rejects an unknown tag', async () => {
    const { result, search } = await run(
      { tag: 'Platinum' },
      { 'res.partner.category.name_search': () => [] },
    );
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('No contact tag matches "Platinum" (argument tag).');
    expect(search).toBeUndefined();
  });

  it('keeps only exact phone digits', async () => {
    const candidates = [
      { id: 1, name: 'Exact', phone: '+1 415-555-0123', mobile: false, category_id: [] },
      { id: 2, name: 'Scattered', phone: '+1 415-565-5012', mobile: false, category_id: [] },
      { id: 3, name: 'Mobile', phone: false, mobile: '(415) 555 0123', category_id: [] },
    ];
    const { result, search } = await run(
      { query: '415 555 0123', limit: 1 },
      { 'res.partner.search_read': () => candidates },
    );
    expect(search?.args[0]).toEqual([
      '|',
      ['phone', 'ilike', '4%1%5%5%5%5%0%1%2%3'],
      ['mobile', 'ilike', '4%1%5%5%5%5%0%1%2%3'],
    ]);
    const output = structured<ContactsOutput>(result);
    expect(output.total).toBe(2);
    expect(output.contacts.map((contact) => contact.id)).toEqual([1]);
    expect(output.next_offset).toBe(1);
  });

  it("passes Odoo's phone search through", async () => {
    const { search, connection } = await run(
      { query: '0123' },
      {},
      partnerFields({ mobile: true, phoneSearch: true }),
    );
    expect(search?.args[0]).toEqual([['phone_mobile_search', 'ilike', '0123']]);
    expect(search?.kwargs.limit).toBe(20);
    const reads = connection.calls.filter((call) => call.method.endsWith('search_read'));
    expect(reads).toHaveLength(1);
  });

  it('takes USA as the United States', async () => {
    const { search, result } = await run(
      { country: 'USA' },
      {
        'res.country.name_search': () => [
          [232, 'USA Minor Outlying Islands'],
          [240, 'Virgin Islands (USA)'],
        ],
        'res.country.search_read': () => [{ id: 233, display_name: 'United States' }],
      },
    );
    expect(search?.args[0]).toEqual([['country_id', 'in', [233]]]);
    expect(structured<ContactsOutput>(result).notes).toEqual([
      'country "USA" is taken as United States (id 233), what "USA" means in common usage; ' +
        'the name also matches USA Minor Outlying Islands (id 232), Virgin Islands (USA) ' +
        '(id 240), which are left out.',
    ]);
  });

  it('takes UK as the United Kingdom', async () => {
    const { search, connection } = await run(
      { country: 'UK' },
      {
        'res.country.search': () => [],
        'res.country.name_search': () => [[229, 'Ukraine']],
        'res.country.search_read': () => [{ id: 231, display_name: 'United Kingdom' }],
      },
    );
    expect(search?.args[0]).toEqual([['country_id', 'in', [231]]]);
    const byCode = connection.calls.find((call) => call.method === 'search_read');
    expect(byCode?.args[0]).toEqual([['code', '=', 'GB']]);
  });

  it('prefers the country of the exact name', async () => {
    const { search, result } = await run(
      { country: 'guinea' },
      {
        'res.country.name_search': () => [
          [67, 'Equatorial Guinea'],
          [90, 'Guinea'],
          [91, 'Guinea-Bissau'],
        ],
      },
    );
    expect(search?.args[0]).toEqual([['country_id', 'in', [90]]]);
    expect(structured<ContactsOutput>(result).notes[0]).toBe(
      'country "guinea" is taken as Guinea (id 90), the country of that exact name; the name ' +
        'also matches Equatorial Guinea (id 67), Guinea-Bissau (id 91), which are left out.',
    );
  });

  it('keeps every country a partial name matches', async () => {
    const { search, result } = await run(
      { country: 'Virgin' },
      {
        'res.country.name_search': () => [
          [28, 'Virgin Islands (British)'],
          [240, 'Virgin Islands (USA)'],
        ],
      },
    );
    expect(search?.args[0]).toEqual([['country_id', 'in', [28, 240]]]);
    expect(structured<ContactsOutput>(result).notes[0]).toBe(
      'country "Virgin" matched Virgin Islands (British) (id 28), Virgin Islands (USA) (id 240).',
    );
  });

  it('shows a mobile equal to the phone once', async () => {
    const row = {
      id: 12,
      name: 'OpenWood',
      is_company: true,
      parent_id: false,
      phone: '+32 987 65 43 21',
      mobile: '+32 987 65 43 21',
      category_id: [],
    };
    const { result } = await run({}, { 'res.partner.search_read': () => [row] });
    expect(structured<ContactsOutput>(result).contacts[0]?.mobile).toBe('+32 987 65 43 21');
    expect(resultText(result)).not.toContain('mobile');
  });

  it('reads a 00 prefix as +', async () => {
    const rows = [
      { id: 1, name: 'Plus', phone: '+1 415-555-0125', mobile: false, category_id: [] },
    ];
    const { search, result } = await run(
      { query: '001 415 555 0125' },
      { 'res.partner.search_read': () => rows },
    );
    expect(search?.args[0]).toContainEqual(['phone', 'ilike', '1%4%1%5%5%5%5%0%1%2%5']);
    expect(structured<ContactsOutput>(result).total).toBe(1);
  });

  it('names the tags of each contact', async () => {
    const rows = [
      {
        id: 11,
        name: 'Bayside Dental Group',
        is_company: true,
        parent_id: false,
        email: 'info@bayside.example.com',
        phone: '+1 415-555-0125',
        mobile: false,
        city: 'San Francisco',
        country_id: [233, 'United States'],
        category_id: [8, 1],
        user_id: [9, 'Bob Manager'],
      },
    ];
    const { result } = await run(
      { query: 'bayside' },
      {
        'res.partner.search_read': () => rows,
        'res.partner.category.read': () => [
          { id: 1, display_name: 'VIP' },
          { id: 8, display_name: 'Healthcare' },
        ],
      },
    );
    const [contact] = structured<ContactsOutput>(result).contacts;
    expect(contact).toMatchObject({ tags: ['Healthcare', 'VIP'], mobile: null, type: 'company' });
    expect(resultText(result)).toContain(
      'Bayside Dental Group · company · info@bayside.example.com · +1 415-555-0125 · ' +
        'San Francisco, United States · tags Healthcare, VIP · salesperson Bob Manager · ',
    );
  });
});

describe.each(['17.0', '19.0'] as const)('find_contacts on the demo Odoo %s', (version) => {
  let stack: DemoStack;

  beforeAll(async () => {
    stack = await startDemoStack(version);
  });

  afterAll(async () => {
    await stopDemoStack(stack);
  });

  it('finds contacts by a phone fragment', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const partners = await bob.connection.executeKw<
      Array<{ id: number; phone: string | false; mobile?: string | false }>
    >('res.partner', 'search_read', [[]], {
      fields: version === '19.0' ? ['phone'] : ['phone', 'mobile'],
    });
    // A stored number such as "+1 415-555-0125", asked for with other punctuation.
    const sample = partners.find((partner) => typeof partner.phone === 'string')!.phone as string;
    const digits = sample.replace(/\D/g, '').slice(1, 8);
    const query = `(${digits.slice(0, 3)}) ${digits.slice(3)}`;
    const result = await bob.client.callTool({
      name: 'find_contacts',
      arguments: { query, limit: 100 },
    });
    const expected = partners.filter((partner) =>
      [partner.phone, partner.mobile].some(
        (value) => typeof value === 'string' && value.replace(/\D/g, '').includes(digits),
      ),
    );
    const output = structured<ContactsOutput>(result);
    expect(expected.length).toBeGreaterThan(0);
    expect(output.total).toBe(expected.length);
    expect(output.contacts.map((contact) => contact.id).sort()).toEqual(
      expected.map((partner) => partner.id).sort(),
    );
  });

  it('finds tagged companies in a country', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'find_contacts',
      arguments: { tag: 'VIP', country: 'US', is_company: true },
    });
    const output = structured<ContactsOutput>(result);
    const count = await bob.connection.executeKw<number>('res.partner', 'search_count', [
      [
        ['category_id.name', '=', 'VIP'],
        ['country_id.code', '=', 'US'],
        ['is_company', '=', true],
      ],
    ]);
    expect(count).toBeGreaterThan(0);
    expect(output.total).toBe(count);
    for (const contact of output.contacts) {
      expect(contact.tags).toContain('VIP');
    }
  });

  it('has no mobile numbers on 19.0 only', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'find_contacts',
      arguments: { is_company: false, limit: 100 },
    });
    const mobiles = structured<ContactsOutput>(result).contacts.filter(
      (contact) => contact.mobile !== null,
    );
    expect(mobiles.length > 0).toBe(version === '17.0');
  });

  it.each([
    ['USA', 'US'],
    ['UK', 'GB'],
    ['united states', 'US'],
  ])('finds the contacts of country %s', async (country, code) => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'find_contacts',
      arguments: { country, limit: 1 },
    });
    const count = await bob.connection.executeKw<number>('res.partner', 'search_count', [
      [['country_id.code', '=', code]],
    ]);
    expect(count).toBeGreaterThan(0);
    expect(structured<ContactsOutput>(result).total).toBe(count);
  });

  it('names the countries USA leaves out', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'find_contacts',
      arguments: { country: 'USA' },
    });
    expect(structured<ContactsOutput>(result).notes).toContain(
      'country "USA" is taken as United States (id 233), what "USA" means in common usage; ' +
        'the name also matches USA Minor Outlying Islands (id 232), Virgin Islands (USA) ' +
        '(id 240), which are left out.',
    );
  });

  it('rejects an unknown country', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'find_contacts',
      arguments: { country: 'Narnia' },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('No country matches "Narnia"');
  });
});
