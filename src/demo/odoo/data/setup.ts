import type { DataBuilder } from './builder.js';

/** Payment terms as [id, name, days until due]. */
export const PAYMENT_TERMS: [number, string, number][] = [
  [1, 'Immediate Payment', 0],
  [2, '15 Days', 15],
  [3, '30 Days', 30],
  [4, '45 Days', 45],
  [5, 'End of Following Month', 45],
];

/** The sales tax of each company, applied to goods sold to customers in the United States. */
export const SALES_TAX = {
  1: { id: 1, rate: 8.625 },
  2: { id: 3, rate: 10.25 },
} as Record<number, { id: number; rate: number }>;

/** Journals per company: customer invoices and vendor bills. */
export const JOURNALS = {
  1: { sale: 1, purchase: 2 },
  2: { sale: 5, purchase: 6 },
} as Record<number, { sale: number; purchase: number }>;

export const TEAMS = { sales: 1, website: 2, chicago: 3 };

export const CRM_TAGS = [
  'Product',
  'Services',
  'Consulting',
  'Training',
  'Design',
  'Repeat Customer',
  'Trade Show',
  'Urgent',
];

export const PARTNER_TAGS = [
  'VIP',
  'Wholesale',
  'Retail',
  'Reseller',
  'Prospect',
  'Government',
  'Education',
  'Healthcare',
];

export function addAccountingSetup(builder: DataBuilder): void {
  for (const [id, name] of PAYMENT_TERMS) {
    builder.insert('account.payment.term', {
      id,
      name,
      note: `<p>Payment terms: ${name}</p>`,
      sequence: id * 10,
      company_id: false,
      active: true,
    });
  }
  const taxes = [
    [1, 'Sales Tax 8.625%', 8.625, 'sale', 1],
    [2, 'Purchase Tax 8.625%', 8.625, 'purchase', 1],
    [3, 'Sales Tax 10.25%', 10.25, 'sale', 2],
    [4, 'Purchase Tax 10.25%', 10.25, 'purchase', 2],
  ] as const;
  for (const [id, name, amount, use, company] of taxes) {
    builder.insert('account.tax', {
      id,
      name,
      amount,
      amount_type: 'percent',
      type_tax_use: use,
      sequence: 1,
      company_id: company,
      active: true,
    });
  }
  const journals = [
    [1, 'Customer Invoices', 'INV', 'sale', 1],
    [2, 'Vendor Bills', 'BILL', 'purchase', 1],
    [3, 'Bank', 'BNK1', 'bank', 1],
    [4, 'Miscellaneous Operations', 'MISC', 'general', 1],
    [5, 'Customer Invoices', 'INV', 'sale', 2],
    [6, 'Vendor Bills', 'BILL', 'purchase', 2],
    [7, 'Bank', 'BNK1', 'bank', 2],
  ] as const;
  for (const [id, name, code, type, company] of journals) {
    builder.insert('account.journal', {
      id,
      name,
      code,
      type,
      sequence: id,
      company_id: company,
      active: true,
    });
  }
}

export function addSalesSetup(builder: DataBuilder): void {
  const teams = [
    [TEAMS.sales, 'Sales', 1, 9, [8, 9, 2]],
    [TEAMS.website, 'Website', 1, 2, []],
    [TEAMS.chicago, 'Chicago Sales', 2, 9, [9, 2]],
  ] as const;
  for (const [id, name, company, leader, members] of teams) {
    builder.insert('crm.team', {
      id,
      name,
      sequence: id * 10,
      active: true,
      company_id: company,
      currency_id: 1,
      user_id: leader,
      member_ids: [...members],
      color: id,
      invoiced_target: id === TEAMS.website ? 0 : 250_000,
      create_date: builder.datetime(400, 8, 30),
    });
  }
  CRM_TAGS.forEach((name, index) =>
    builder.insert('crm.tag', { id: index + 1, name, color: index + 1 }),
  );
  PARTNER_TAGS.forEach((name, index) =>
    builder.insert('res.partner.category', {
      id: index + 1,
      name,
      color: index + 1,
      active: true,
      parent_id: false,
    }),
  );
}
