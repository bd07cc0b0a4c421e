import { type DemoRecord, idsOf } from '../orm/database.js';
import type { DataBuilder } from './builder.js';
import type { CatalogProduct } from './catalog.js';
import type { OrderFacts } from './sales.js';
import { JOURNALS, PAYMENT_TERMS } from './setup.js';

type MoveType = 'out_invoice' | 'out_refund' | 'in_invoice' | 'in_refund';

/** One line of a planned move, in the currency of its company. */
interface LinePlan {
  productId: number;
  uomId: number;
  name: string;
  quantity: number;
  priceUnit: number;
  discount: number;
  subtotal: number;
  tax: number;
  taxIds: number[];
  saleLineId?: number;
}

/** A move before it gets its id and number; moves are numbered in date order. */
interface MovePlan {
  moveType: MoveType;
  companyId: number;
  partner: DemoRecord;
  commercialPartnerId: number;
  /** Days between the invoice date and the reference day. */
  age: number;
  termId: number;
  lines: LinePlan[];
  draft: boolean;
  paymentState: string;
  /** The share of the total still due (1 = not paid at all). */
  dueShare: number;
  order?: OrderFacts;
  reversed?: MovePlan;
  userId: number | false;
  teamId: number | false;
  ref: string | false;
  record?: DemoRecord;
}

const PREFIXES: Record<MoveType, string> = {
  out_invoice: 'INV',
  out_refund: 'RINV',
  in_invoice: 'BILL',
  in_refund: 'RBILL',
};

const PURCHASE_TAX: Record<number, { id: number; rate: number }> = {
  1: { id: 2, rate: 8.625 },
  2: { id: 4, rate: 10.25 },
};

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function termDays(termId: number): number {
  return PAYMENT_TERMS.find(([id]) => id === termId)?.[2] ?? 0;
}

/**
 * Picks the payment state of a posted invoice from how far past its due date it is. Old
 * invoices are mostly paid and recent overdue ones often not, so receivables are never empty.
 */
function paymentFor(
  builder: DataBuilder,
  daysOverdue: number,
): { state: string; dueShare: number } {
  const roll = builder.random.next();
  const partial = { state: 'partial', dueShare: round2(0.3 + builder.random.next() * 0.4) };
  if (daysOverdue > 30) {
    return roll < 0.85
      ? { state: 'paid', dueShare: 0 }
      : roll < 0.9
        ? partial
        : { state: 'not_paid', dueShare: 1 };
  }
  if (daysOverdue > 0) {
    return roll < 0.45
      ? { state: 'not_paid', dueShare: 1 }
      : roll < 0.65
        ? partial
        : { state: 'paid', dueShare: 0 };
  }
  if (roll < 0.6) {
    return { state: 'not_paid', dueShare: 1 };
  }
  return roll < 0.75 ? { state: 'in_payment', dueShare: 0 } : { state: 'paid', dueShare: 0 };
}

/** Plans one invoice per invoiced order; the two most recent are still drafts. */
function customerInvoicePlans(builder: DataBuilder, orders: OrderFacts[]): MovePlan[] {
  const plans = orders
    .filter((facts) => facts.invoiced)
    .map((facts) => {
      const age = Math.max(1, facts.age - builder.random.int(2, 12));
      const termId = Number(facts.order.payment_term_id);
      const payment = paymentFor(builder, age - termDays(termId));
      return {
        moveType: 'out_invoice' as const,
        companyId: facts.companyId,
        partner: builder.get('res.partner', facts.order.partner_invoice_id as number),
        commercialPartnerId: facts.customer.record.id,
        age,
        termId,
        lines: facts.lines.map(saleLinePlan),
        draft: false,
        paymentState: payment.state,
        dueShare: payment.dueShare,
        order: facts,
        userId: facts.order.user_id as number | false,
        teamId: facts.order.team_id as number | false,
        ref: facts.order.client_order_ref as string | false,
      };
    });
  const newest = [...plans].sort((a, b) => a.age - b.age).slice(0, 2);
  for (const plan of newest) {
    Object.assign(plan, { draft: true, paymentState: 'not_paid', dueShare: 1 });
  }
  return plans;
}

function saleLinePlan(line: DemoRecord): LinePlan {
  // Generated lines carry both `tax_id` (up to 18.0) and `tax_ids` (19.0) until the build
  // drops the field the series lacks.
  const taxIds = idsOf(line.tax_ids);
  return {
    productId: line.product_id as number,
    uomId: line.product_uom_id as number,
    name: String(line.name),
    quantity: Number(line.product_uom_qty),
    priceUnit: Number(line.price_unit),
    discount: Number(line.discount),
    subtotal: Number(line.price_subtotal),
    tax: Number(line.price_tax),
    taxIds: [...taxIds],
    saleLineId: line.id,
  };
}

/**
 * Plans credit notes for three older invoices. The first reverses its invoice in full, which
 * Odoo then shows as "reversed". The two others refund one unit of the invoice's first line.
 */
function creditNotePlans(builder: DataBuilder, invoices: MovePlan[]): MovePlan[] {
  const candidates = invoices.filter(
    (plan) =>
      !plan.draft && plan.age > 40 && plan.lines.length > 1 && plan.paymentState !== 'blocked',
  );
  return builder.random.sample(candidates, 3).map((original, index) => {
    const full = index === 0;
    const first = original.lines[0]!;
    const unitSubtotal = round2((first.subtotal / first.quantity) * 1);
    const unitTax = round2((first.tax / first.quantity) * 1);
    const lines = full
      ? original.lines
      : [{ ...first, quantity: 1, subtotal: unitSubtotal, tax: unitTax }];
    if (full) {
      original.paymentState = 'reversed';
      original.dueShare = 0;
    }
    return {
      ...original,
      moveType: 'out_refund' as const,
      age: Math.max(1, original.age - builder.random.int(5, 20)),
      lines: lines.map((line) => ({ ...line, saleLineId: undefined })),
      draft: false,
      paymentState: index < 2 ? 'paid' : 'not_paid',
      dueShare: index < 2 ? 0 : 1,
      order: undefined,
      reversed: original,
      ref: full ? 'Order cancelled by the customer' : 'Damaged on delivery',
    };
  });
}

function vendorBillPlans(
  builder: DataBuilder,
  vendors: DemoRecord[],
  catalog: CatalogProduct[],
): MovePlan[] {
  const goods = catalog.filter(
    (product) => product.kind !== 'service' && product.record.active === true,
  );
  const bills: MovePlan[] = [];
  for (let index = 0; index < 15; index += 1) {
    const vendor = builder.random.pick(vendors);
    const companyId = vendor.city === 'Chicago' || vendor.city === 'Grand Rapids' ? 2 : 1;
    const products = builder.random.sample(goods, builder.random.int(1, 3));
    const quantities = products.map(() => builder.random.int(10, 60));
    // The last document is a vendor credit note for two units of one product.
    const refund = index === 14;
    const lines = refund
      ? [purchaseLine(products[0]!, 2, companyId)]
      : products.map((product, line) => purchaseLine(product, quantities[line]!, companyId));
    const age = builder.random.int(3, 360);
    const payment = paymentFor(builder, age - 30);
    bills.push({
      moveType: refund ? 'in_refund' : 'in_invoice',
      companyId,
      partner: vendor,
      commercialPartnerId: vendor.id,
      age,
      termId: 3,
      lines,
      draft: false,
      paymentState: payment.state,
      dueShare: payment.dueShare,
      userId: 9,
      teamId: false,
      ref: `${refund ? 'VCN' : 'VINV'}-${builder.random.int(1000, 9999)}`,
    });
  }
  return bills;
}

function purchaseLine(product: CatalogProduct, quantity: number, companyId: number): LinePlan {
  const tax = PURCHASE_TAX[companyId]!;
  const subtotal = round2(quantity * product.cost);
  return {
    productId: product.record.id,
    uomId: product.record.uom_id as number,
    name: String(product.record.display_name),
    quantity,
    priceUnit: product.cost,
    discount: 0,
    subtotal,
    tax: round2((subtotal * tax.rate) / 100),
    taxIds: [tax.id],
  };
}

export function addInvoices(
  builder: DataBuilder,
  orders: OrderFacts[],
  vendors: DemoRecord[],
  catalog: CatalogProduct[],
): void {
  const invoices = customerInvoicePlans(builder, orders);
  markBlocked(builder, invoices);
  const plans = [
    ...invoices,
    ...creditNotePlans(builder, invoices),
    ...vendorBillPlans(builder, vendors, catalog),
  ];
  plans.sort((a, b) => b.age - a.age);
  const sequences = new Map<string, number>();
  for (const plan of plans) {
    insertMove(builder, plan, sequences);
  }
  for (const plan of plans) {
    linkOrder(plan);
  }
}

/**
 * Odoo 18.0 added the "blocked" payment state (payment on hold); the oldest overdue unpaid
 * invoice shows it from 18.0 on and stays "not_paid" in 17.0.
 */
function markBlocked(builder: DataBuilder, invoices: MovePlan[]): void {
  const overdue = invoices.find(
    (plan) =>
      !plan.draft && plan.paymentState === 'not_paid' && plan.age - termDays(plan.termId) > 0,
  );
  if (overdue !== undefined && builder.since(18)) {
    overdue.paymentState = 'blocked';
  }
}

/** Numbers a posted move in its company's sequence for the move type and year; drafts get "/". */
function moveName(plan: MovePlan, invoiceDate: string, sequences: Map<string, number>): string {
  if (plan.draft) {
    return '/';
  }
  const year = invoiceDate.slice(0, 4);
  const prefix = PREFIXES[plan.moveType];
  const key = `${plan.companyId}/${prefix}/${year}`;
  const next = (sequences.get(key) ?? 0) + 1;
  sequences.set(key, next);
  return `${prefix}/${year}/${String(next).padStart(5, '0')}`;
}

function insertMove(builder: DataBuilder, plan: MovePlan, sequences: Map<string, number>): void {
  const invoiceDate = builder.date(plan.age);
  const name = moveName(plan, invoiceDate, sequences);

  const untaxed = round2(plan.lines.reduce((sum, line) => sum + line.subtotal, 0));
  const tax = round2(plan.lines.reduce((sum, line) => sum + line.tax, 0));
  const total = round2(untaxed + tax);
  const residual = round2(total * plan.dueShare);
  const sign = plan.moveType === 'out_invoice' || plan.moveType === 'in_refund' ? 1 : -1;
  const journals = JOURNALS[plan.companyId]!;

  plan.record = builder.insert('account.move', {
    name,
    ref: plan.ref,
    date: invoiceDate,
    state: plan.draft ? 'draft' : 'posted',
    move_type: plan.moveType,
    journal_id: plan.moveType.startsWith('out') ? journals.sale : journals.purchase,
    company_id: plan.companyId,
    partner_id: plan.partner.id,
    commercial_partner_id: plan.commercialPartnerId,
    partner_shipping_id: plan.order?.order.partner_shipping_id ?? false,
    currency_id: 1,
    amount_untaxed: untaxed,
    amount_tax: tax,
    amount_total: total,
    amount_residual: residual,
    amount_untaxed_signed: sign * untaxed,
    amount_total_signed: sign * total,
    amount_residual_signed: sign * residual,
    payment_state: plan.paymentState,
    invoice_date: plan.draft ? false : invoiceDate,
    invoice_date_due: builder.date(plan.age - termDays(plan.termId)),
    invoice_payment_term_id: plan.termId,
    invoice_user_id: plan.userId,
    invoice_origin: plan.order?.order.name ?? plan.reversed?.record?.name ?? false,
    payment_reference: plan.draft ? false : name,
    narration: false,
    reversed_entry_id: plan.reversed?.record?.id ?? false,
    team_id: plan.teamId,
    create_date: builder.datetime(plan.age, 19, 30),
    create_uid: plan.userId === false ? 2 : plan.userId,
    write_date: builder.datetime(Math.max(plan.age - 1, 1), 19, 45),
    write_uid: plan.userId === false ? 2 : plan.userId,
  });

  addMoveLines(builder, plan, plan.record, tax);
}

function addMoveLines(builder: DataBuilder, plan: MovePlan, move: DemoRecord, tax: number): void {
  const common = {
    move_id: move.id,
    move_name: move.name,
    date: move.date,
    parent_state: move.state,
    company_id: move.company_id,
    currency_id: 1,
    partner_id: plan.commercialPartnerId,
  };
  const productLines = plan.lines.map((line) =>
    builder.insert('account.move.line', {
      ...common,
      product_id: line.productId,
      name: line.name,
      quantity: line.quantity,
      product_uom_id: line.uomId,
      price_unit: line.priceUnit,
      discount: line.discount,
      tax_ids: line.taxIds,
      price_subtotal: line.subtotal,
      price_total: round2(line.subtotal + line.tax),
      display_type: 'product',
      sale_line_ids: line.saleLineId === undefined ? [] : [line.saleLineId],
    }),
  );
  const lineIds = productLines.map((line) => line.id);
  if (tax > 0) {
    const taxLine = builder.insert('account.move.line', {
      ...common,
      name: plan.moveType.startsWith('out') ? 'Sales Tax' : 'Purchase Tax',
      quantity: 0,
      price_unit: 0,
      price_subtotal: tax,
      price_total: tax,
      display_type: 'tax',
      tax_ids: [],
      sale_line_ids: [],
    });
    lineIds.push(taxLine.id);
  }
  move.invoice_line_ids = productLines.map((line) => line.id);
  move.line_ids = lineIds;
}

/** Records the invoice on its sales order and its lines on the order lines. */
function linkOrder(plan: MovePlan): void {
  const move = plan.record;
  const order = plan.order;
  if (move === undefined || order === undefined) {
    return;
  }
  order.order.invoice_ids = [move.id];
  order.order.invoice_count = 1;
  const lineIds = Array.isArray(move.invoice_line_ids) ? move.invoice_line_ids : [];
  order.lines.forEach((line, index) => {
    line.invoice_lines = lineIds[index] === undefined ? [] : [lineIds[index]];
  });
}
