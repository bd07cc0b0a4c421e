/**
 * Measures how many characters the tools spend on ten standard questions, against what a
 * plain `search_read` of the same records returns with no field list (all fields, as most
 * Odoo MCP servers call it). Runs against the demo Odoo, whose dates are pinned.
 */
import { Writable } from 'node:stream';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { startDemoOdoo } from '../src/demo/odoo/index.js';
import { createLogger } from '../src/log/logger.js';
import { createMcpServer } from '../src/mcp/server.js';
import { createOdooClient } from '../src/odoo/client.js';
import type { OdooConnection } from '../src/odoo/types.js';

interface Question {
  question: string;
  person: 'alice@example.com' | 'bob@example.com';
  tool: string;
  args: Record<string, unknown>;
  /** The model whose records the result lists, and where their ids are in it. */
  model: string;
  idsFrom: (structured: Record<string, unknown>) => number[];
  /** For results that summarise many records: the domain a plain search_read would read. */
  rawDomain?: unknown[];
}

const idsOf =
  (key: string) =>
  (structured: Record<string, unknown>): number[] =>
    ((structured[key] as Array<{ id?: unknown }> | undefined) ?? [])
      .map((item) => item.id)
      .filter((id): id is number => typeof id === 'number');

const QUESTIONS: Question[] = [
  {
    question: 'Which of my quotations are still open?',
    person: 'alice@example.com',
    tool: 'find_sales_orders',
    args: { salesperson: 'me', state: 'quotation' },
    model: 'sale.order',
    idsFrom: idsOf('orders'),
  },
  {
    question: 'Who owes us money past 30 days?',
    person: 'bob@example.com',
    tool: 'find_invoices',
    args: { kind: 'customer_invoice', overdue_days: 30 },
    model: 'account.move',
    idsFrom: idsOf('invoices'),
  },
  {
    question: 'How many Ergonomic Office Chairs are on hand in Chicago?',
    person: 'bob@example.com',
    tool: 'check_stock',
    args: { product: 'Ergonomic Office Chair', warehouse: 'Chicago' },
    model: 'stock.quant',
    idsFrom: () => [],
    rawDomain: [['product_id.name', 'ilike', 'Ergonomic Office Chair']],
  },
  {
    question: 'Total sales per month this year',
    person: 'bob@example.com',
    tool: 'aggregate_records',
    args: {
      model: 'sale.order',
      groupby: ['date_order:month'],
      measures: ['amount_total:sum'],
      domain: [['state', '=', 'sale']],
    },
    model: 'sale.order',
    idsFrom: () => [],
    rawDomain: [['state', '=', 'sale']],
  },
  {
    question: 'What did Golden Gate Architects order?',
    person: 'bob@example.com',
    tool: 'find_sales_orders',
    args: { customer: 'Golden Gate Architects' },
    model: 'sale.order',
    idsFrom: idsOf('orders'),
  },
  {
    question: 'Who is the contact at Bayside Dental Group?',
    person: 'bob@example.com',
    tool: 'find_contacts',
    args: { query: 'Bayside Dental' },
    model: 'res.partner',
    idsFrom: idsOf('contacts'),
  },
  {
    question: 'Which vendor bills are unpaid?',
    person: 'bob@example.com',
    tool: 'find_invoices',
    args: { kind: 'vendor_bill', payment_state: 'not_paid' },
    model: 'account.move',
    idsFrom: idsOf('invoices'),
  },
  {
    question: 'Which products are low on stock?',
    person: 'bob@example.com',
    tool: 'check_stock',
    args: { low_stock_only: true },
    model: 'product.product',
    idsFrom: () => [],
    rawDomain: [['type', '!=', 'service']],
  },
  {
    question: 'Which customers are in San Francisco?',
    person: 'bob@example.com',
    tool: 'find_contacts',
    args: { city: 'San Francisco', is_company: true },
    model: 'res.partner',
    idsFrom: idsOf('contacts'),
  },
  {
    question: 'Show the last 10 confirmed orders',
    person: 'bob@example.com',
    tool: 'find_sales_orders',
    args: { state: 'confirmed', limit: 10 },
    model: 'sale.order',
    idsFrom: idsOf('orders'),
  },
];

interface Row {
  question: string;
  tool: string;
  records: number;
  text: number;
  structured: number;
  rawAll: number;
}

async function main(): Promise<void> {
  const demo = await startDemoOdoo({ port: 0, today: new Date(Date.UTC(2026, 11, 4)) });
  const odoo = createOdooClient({ url: demo.url, db: demo.demo.db });
  const quiet = createLogger({
    level: 'silent',
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });
  const rows: Row[] = [];
  try {
    for (const question of QUESTIONS) {
      rows.push(await measure(question, odoo, demo.demo.people, demo.url, quiet));
    }
  } finally {
    await odoo.close();
    await demo.close();
  }
  process.stdout.write(table(rows));
}

async function measure(
  question: Question,
  odoo: ReturnType<typeof createOdooClient>,
  people: Array<{ login: string; apiKey: string; uid: number }>,
  odooUrl: URL,
  logger: ReturnType<typeof createLogger>,
): Promise<Row> {
  const person = people.find((candidate) => candidate.login === question.person)!;
  const connection = odoo.connect({ login: person.login, apiKey: person.apiKey }, person.uid);
  const server = createMcpServer({
    connection,
    person: { email: person.login },
    odooUid: person.uid,
    logger,
    odooWebUrl: odooUrl,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(clientSide);
  try {
    const answer = (await client.callTool({ name: question.tool, arguments: question.args })) as {
      isError?: boolean;
      structuredContent?: Record<string, unknown>;
      content: Array<{ text?: string }>;
    };
    const text = answer.content.map((part) => part.text ?? '').join('\n');
    if (answer.isError === true) {
      throw new Error(`${question.tool} failed: ${text}`);
    }
    const structured = answer.structuredContent ?? {};
    const raw = await rawAnswers(connection, question, structured);
    return {
      question: question.question,
      tool: question.tool,
      records: raw.records,
      text: text.length,
      structured: JSON.stringify(structured).length,
      rawAll: raw.all,
    };
  } finally {
    await client.close();
  }
}

/** Measures what `search_read` with no field list returns for the same records. */
async function rawAnswers(
  connection: OdooConnection,
  question: Question,
  structured: Record<string, unknown>,
): Promise<{ records: number; all: number }> {
  const ids = question.idsFrom(structured);
  const domain = question.rawDomain ?? [['id', 'in', ids]];
  const all = await connection.executeKw<unknown[]>(question.model, 'search_read', [domain], {});
  return { records: all.length, all: JSON.stringify(all).length };
}

function table(rows: Row[]): string {
  const lines = [
    '| question | tool | records | text | structured | raw search_read, all fields | ratio text / raw |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const ratio = row.rawAll === 0 ? '–' : `${((100 * row.text) / row.rawAll).toFixed(1)} %`;
    lines.push(
      `| ${row.question} | \`${row.tool}\` | ${row.records} | ${row.text} | ${row.structured} | ${row.rawAll} | ${ratio} |`,
    );
  }
  const text = rows.reduce((sum, row) => sum + row.text, 0);
  const raw = rows.reduce((sum, row) => sum + row.rawAll, 0);
  lines.push(`| **all ten** | | | ${text} | | ${raw} | ${((100 * text) / raw).toFixed(1)} % |`);
  return `${lines.join('\n')}\n`;
}

await main();
