import type { DemoRecord } from '../orm/database.js';
import { COMPANY_IMAGE } from './base-data.js';
import type { DataBuilder } from './builder.js';
import type { CatalogProduct } from './catalog.js';
import type { Customer } from './partners.js';
import { SALES_TAX, TEAMS } from './setup.js';

const ORDER_COUNT = 120;
const ALICE = 8;
const BOB = 9;
const ADMIN = 2;

/** The facts about an order that the invoice and stock generators use. */
export interface OrderFacts {
  order: DemoRecord;
  lines: DemoRecord[];
  customer: Customer;
  companyId: number;
  /** Days between the order date and the reference day. */
  age: number;
  invoiced: boolean;
}

/** An order before it gets its id: sorted by creation time, then numbered. */
interface PlannedOrder {
  customer: Customer;
  companyId: number;
  userId: number | false;
  age: number;
  time: [number, number, number];
  state: 'draft' | 'sent' | 'sale' | 'cancel';
  createdDaysBefore: number;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

type OrderState = PlannedOrder['state'];

/** Percent chances of each state by the age of the order: young orders are often quotations. */
const STATE_CHANCES: { maxAge: number; chances: [OrderState, number][] }[] = [
  {
    maxAge: 29,
    chances: [
      ['draft', 35],
      ['sent', 25],
      ['sale', 35],
      ['cancel', 5],
    ],
  },
  {
    maxAge: 89,
    chances: [
      ['draft', 10],
      ['sent', 15],
      ['sale', 65],
      ['cancel', 10],
    ],
  },
  {
    maxAge: 365,
    chances: [
      ['draft', 3],
      ['sent', 3],
      ['sale', 84],
      ['cancel', 10],
    ],
  },
];

/** Percent chances of each salesperson by company; `false` is an order without one. */
const SALESPERSON_CHANCES: Record<number, [number | false, number][]> = {
  1: [
    [ALICE, 12],
    [BOB, 38],
    [ADMIN, 42],
    [false, 8],
  ],
  2: [
    [BOB, 55],
    [ADMIN, 40],
    [false, 5],
  ],
};

function stateFor(builder: DataBuilder, age: number): OrderState {
  const { chances } = STATE_CHANCES.find((band) => age <= band.maxAge)!;
  return builder.random.weighted(chances, ([, chance]) => chance)[0];
}

function salespersonFor(builder: DataBuilder, companyId: number): number | false {
  return builder.random.weighted(SALESPERSON_CHANCES[companyId]!, ([, chance]) => chance)[0];
}

/** Returns the sales team: Chicago's, the website's for orders without a salesperson, or Sales. */
function teamFor(companyId: number, userId: number | false): number {
  if (companyId === 2) {
    return TEAMS.chicago;
  }
  return userId === false ? TEAMS.website : TEAMS.sales;
}

function invoiceStatusFor(state: OrderState, invoiced: boolean): string {
  if (state !== 'sale') {
    return 'no';
  }
  return invoiced ? 'invoiced' : 'to invoice';
}

function planOrders(builder: DataBuilder, customers: Customer[]): PlannedOrder[] {
  const plans: PlannedOrder[] = [];
  for (let index = 0; index < ORDER_COUNT; index += 1) {
    const customer = builder.random.weighted(customers, (candidate) => candidate.weight);
    const companyId = customer.city.midwest ? 2 : 1;
    // A third of the orders fall in the last two months, so there are open quotations.
    const age = builder.random.chance(0.3) ? builder.random.int(1, 60) : builder.random.int(1, 364);
    plans.push({
      customer,
      companyId,
      userId: salespersonFor(builder, companyId),
      age,
      time: [builder.random.int(15, 23), builder.random.int(0, 59), builder.random.int(0, 59)],
      state: stateFor(builder, age),
      createdDaysBefore: builder.random.int(0, 6),
    });
  }
  const created = (plan: PlannedOrder) =>
    plan.age + (plan.state === 'sale' ? plan.createdDaysBefore : 0);
  return plans.sort((a, b) => created(b) - created(a) || b.time[0] - a.time[0]);
}

/** Picks the quantity a customer plausibly orders of a product, by price and unit. */
function quantityFor(builder: DataBuilder, product: CatalogProduct): number {
  const unit = product.record.uom_id;
  if (product.kind === 'service') {
    return unit === 4 ? builder.random.int(4, 40) : builder.random.int(1, 5);
  }
  if (product.price > 1000) {
    return builder.random.int(1, 6);
  }
  if (product.price > 300) {
    return builder.random.int(1, 12);
  }
  return product.price > 100 ? builder.random.int(2, 20) : builder.random.int(5, 60);
}

function chooseProducts(
  builder: DataBuilder,
  catalog: CatalogProduct[],
  age: number,
): CatalogProduct[] {
  const saleable = catalog.filter(
    (product) => product.record.sale_ok === true && (product.record.active === true || age > 200),
  );
  const count = builder.random.weighted([1, 2, 3, 4, 5], (n) => [25, 30, 25, 12, 8][n - 1]!);
  return builder.random.sample(saleable, count);
}

export function addSaleOrders(
  builder: DataBuilder,
  customers: Customer[],
  catalog: CatalogProduct[],
): OrderFacts[] {
  const orders = planOrders(builder, customers).map((plan, index) =>
    addOrder(builder, plan, index + 1, catalog),
  );
  moveToCaliforniaEvening(builder, orders);
  return orders;
}

/**
 * Moves one of bob's San Francisco orders to 04:30 UTC, which is the evening before in
 * California, so that a date filter read in his time zone finds it on another day than UTC
 * does. The other orders are placed between 15:00 and 23:59 UTC, the same day in both.
 */
function moveToCaliforniaEvening(builder: DataBuilder, orders: OrderFacts[]): void {
  const candidates = orders.filter(
    (facts) =>
      facts.order.user_id === BOB && facts.companyId === 1 && facts.age >= 5 && facts.age <= 60,
  );
  const newest = candidates.sort((a, b) => a.age - b.age)[0];
  if (newest === undefined) {
    return;
  }
  const dateOrder = builder.datetime(newest.age, 4, 30);
  newest.order.date_order = dateOrder;
  if (String(newest.order.create_date) > dateOrder) {
    newest.order.create_date = builder.datetime(newest.age, 4, 0);
  }
}

function addOrder(
  builder: DataBuilder,
  plan: PlannedOrder,
  number: number,
  catalog: CatalogProduct[],
): OrderFacts {
  const { customer, companyId, state, age } = plan;
  const dateOrder = builder.datetime(age, ...plan.time);
  const createdAge = age + (state === 'sale' ? plan.createdDaysBefore : 0);
  const partner =
    customer.contacts.length > 0 && builder.random.chance(0.3)
      ? builder.random.pick(customer.contacts)
      : customer.record;
  const order = builder.insert('sale.order', {
    name: `S${String(number).padStart(5, '0')}`,
    company_id: companyId,
    partner_id: partner.id,
    partner_invoice_id: (customer.invoiceAddress ?? customer.record).id,
    partner_shipping_id: (customer.deliveryAddress ?? partner).id,
    state,
    date_order: dateOrder,
    create_date: builder.datetime(createdAge, plan.time[0] - 1, plan.time[1]),
    create_uid: plan.userId === false ? 1 : plan.userId,
    write_uid: plan.userId === false ? 2 : plan.userId,
    write_date: builder.datetime(Math.max(age - 3, 1), ...plan.time),
    validity_date: builder.date(createdAge - 30),
    user_id: plan.userId,
    team_id: teamFor(companyId, plan.userId),
    payment_term_id: customer.paymentTermId,
    currency_id: 1,
    currency_rate: 1,
    picking_policy: 'direct',
    warehouse_id: companyId,
    client_order_ref: builder.random.chance(0.3)
      ? `PO-${builder.random.int(10_000, 99_999)}`
      : false,
    origin: false,
    note: builder.random.chance(0.5)
      ? '<p>Delivery within 3 weeks of confirmation. Prices in USD.</p>'
      : false,
    tag_ids: builder.random
      .sample([1, 2, 3, 4, 5, 6, 7, 8], builder.random.int(0, 2))
      .sort((a, b) => a - b),
    require_signature: true,
    require_payment: false,
    country_code: String(customer.record.country_code),
    is_expired: (state === 'draft' || state === 'sent') && createdAge - 30 > 0,
    amount_paid: 0,
  });
  const invoiced = state === 'sale' && age >= 14 && builder.random.chance(0.9);
  const lines = addLines(builder, order, plan, catalog, invoiced);
  summarize(builder, order, lines, plan, invoiced);
  return { order, lines, customer, companyId, age, invoiced };
}

function addLines(
  builder: DataBuilder,
  order: DemoRecord,
  plan: PlannedOrder,
  catalog: CatalogProduct[],
  invoiced: boolean,
): DemoRecord[] {
  const delivered = deliveredShare(builder, plan);
  return chooseProducts(builder, catalog, plan.age).map((product, index) => {
    const { quantity, discount, subtotal, priceTax, taxIds } = priceLine(builder, product, plan);
    const qtyDelivered = Math.floor(
      quantity * (product.kind === 'service' && delivered > 0 ? 1 : delivered),
    );
    const qtyInvoiced = invoiced ? quantity : 0;
    return builder.insert('sale.order.line', {
      order_id: order.id,
      sequence: 10 + index,
      company_id: plan.companyId,
      currency_id: 1,
      order_partner_id: order.partner_id,
      salesman_id: plan.userId,
      state: plan.state,
      display_type: false,
      is_downpayment: false,
      product_id: product.record.id,
      product_template_id: product.record.product_tmpl_id,
      product_uom_category_id: product.record.uom_id === 1 || product.record.uom_id === 2 ? 1 : 3,
      name: lineDescription(product),
      product_uom_qty: quantity,
      product_uom: product.record.uom_id,
      product_uom_id: product.record.uom_id,
      tax_id: taxIds,
      tax_ids: taxIds,
      price_unit: product.price,
      discount,
      price_subtotal: subtotal,
      price_tax: priceTax,
      price_total: round2(subtotal + priceTax),
      price_reduce_taxexcl: round2(subtotal / quantity),
      customer_lead: 0,
      qty_delivered: plan.state === 'sale' ? qtyDelivered : 0,
      qty_invoiced: qtyInvoiced,
      qty_to_invoice: plan.state === 'sale' ? quantity - qtyInvoiced : 0,
      invoice_status: invoiceStatusFor(plan.state, invoiced),
      untaxed_amount_invoiced: invoiced ? subtotal : 0,
      untaxed_amount_to_invoice: plan.state === 'sale' && !invoiced ? subtotal : 0,
      product_type: product.record.type,
      is_storable: product.kind === 'storable',
      warehouse_id: plan.companyId,
      create_date: order.create_date,
      create_uid: order.create_uid,
      write_date: order.write_date,
      write_uid: order.write_uid,
    });
  });
}

/**
 * Prices an order line: a discount on larger quantities, and the company's sales tax on goods
 * sold to customers in the United States.
 */
function priceLine(builder: DataBuilder, product: CatalogProduct, plan: PlannedOrder) {
  const quantity = quantityFor(builder, product);
  const discount = quantity >= 10 ? builder.random.pick([0, 0, 5, 10, 15]) : 0;
  const subtotal = round2(quantity * product.price * (1 - discount / 100));
  const tax = SALES_TAX[plan.companyId]!;
  const taxed = plan.customer.city.countryCode === 'US' && product.kind !== 'service';
  const priceTax = taxed ? round2((subtotal * tax.rate) / 100) : 0;
  return { quantity, discount, subtotal, priceTax, taxIds: taxed ? [tax.id] : [] };
}

function lineDescription(product: CatalogProduct): string {
  const description = product.record.description_sale;
  const name = String(product.record.display_name);
  return typeof description === 'string' ? `${name}\n${description}` : name;
}

/** Picks the share of each line delivered: all for older orders, often none for new ones. */
function deliveredShare(builder: DataBuilder, plan: PlannedOrder): number {
  if (plan.state !== 'sale') {
    return 0;
  }
  if (plan.age >= 10) {
    return builder.random.chance(0.9) ? 1 : 0.5;
  }
  return builder.random.chance(0.7) ? 0 : 0.5;
}

function summarize(
  builder: DataBuilder,
  order: DemoRecord,
  lines: DemoRecord[],
  plan: PlannedOrder,
  invoiced: boolean,
): void {
  const untaxed = round2(lines.reduce((sum, line) => sum + Number(line.price_subtotal), 0));
  const tax = round2(lines.reduce((sum, line) => sum + Number(line.price_tax), 0));
  const total = round2(untaxed + tax);
  const confirmed = plan.state === 'sale';
  Object.assign(order, {
    amount_untaxed: untaxed,
    amount_tax: tax,
    amount_total: total,
    amount_invoiced: invoiced ? total : 0,
    amount_to_invoice: confirmed && !invoiced ? total : 0,
    invoice_status: invoiceStatusFor(plan.state, invoiced),
    locked: invoiced && plan.age > 45 && builder.random.chance(0.7),
    delivery_status: confirmed ? deliveryStatus(lines) : false,
    effective_date:
      confirmed && lines.some((line) => Number(line.qty_delivered) > 0)
        ? builder.datetime(Math.max(plan.age - 3, 1), 18)
        : false,
    has_archived_products: lines.some(
      (line) => builder.get('product.product', line.product_id as number).active === false,
    ),
  });
  if (confirmed && builder.random.chance(0.4)) {
    const signer = plan.customer.contacts[0] ?? plan.customer.record;
    Object.assign(order, {
      signature: COMPANY_IMAGE,
      signed_by: signer.name,
      signed_on: order.date_order,
    });
  }
}

function deliveryStatus(lines: DemoRecord[]): string | false {
  const goods = lines.filter((line) => line.product_type !== 'service');
  if (goods.length === 0) {
    return false;
  }
  const delivered = goods.filter(
    (line) => Number(line.qty_delivered) >= Number(line.product_uom_qty),
  );
  if (delivered.length === goods.length) {
    return 'full';
  }
  return goods.some((line) => Number(line.qty_delivered) > 0) ? 'partial' : 'pending';
}
