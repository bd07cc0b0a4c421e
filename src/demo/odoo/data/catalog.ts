import type { DemoRecord } from '../orm/database.js';
import { PRODUCT_IMAGE } from './base-data.js';
import type { DataBuilder } from './builder.js';

/** The stock behaviour of a product, which each series stores in its own fields. */
export type ProductKind = 'storable' | 'consumable' | 'service';

interface ProductData {
  code: string;
  name: string;
  category: number;
  price: number;
  cost: number;
  uom: number;
  kind: ProductKind;
  weight?: number;
  active?: boolean;
  description?: string;
}

/** Categories as [id, name, parent id]. */
const CATEGORIES: [number, string, number | false][] = [
  [1, 'All', false],
  [2, 'Saleable', 1],
  [3, 'Expenses', 1],
  [4, 'Office Furniture', 2],
  [5, 'Services', 2],
  [6, 'Storage', 2],
  [7, 'Lighting', 2],
  [8, 'Accessories', 2],
  [9, 'Office Supplies', 2],
];

export const UNITS = { unit: 1, dozen: 2, day: 3, hour: 4, kg: 5 };

/** Units as [id, name, category id, factor, type, reference unit (19.0)]. */
const UOMS: [number, string, number, number, string, number | false][] = [
  [1, 'Units', 1, 1, 'reference', false],
  [2, 'Dozens', 1, 1 / 12, 'bigger', 1],
  [3, 'Days', 3, 1, 'reference', false],
  [4, 'Hours', 3, 8, 'smaller', 3],
  [5, 'kg', 2, 1, 'reference', false],
];

const PRODUCTS: ProductData[] = [
  product('FURN_1100', 'Classic Oak Desk', 4, 690, 410, 'storable', { weight: 38, active: false }),
  product('FURN_1101', 'Executive Desk', 4, 1299, 780, 'storable', { weight: 52 }),
  product('FURN_1102', 'Electric Standing Desk', 4, 899, 520, 'storable', { weight: 41 }),
  product('FURN_1103', 'Corner Desk Left Sit', 4, 649, 390, 'storable', { weight: 35 }),
  product('FURN_1104', 'Corner Desk Right Sit', 4, 649, 390, 'storable', { weight: 35 }),
  product('FURN_2201', 'Ergonomic Office Chair', 4, 429, 240, 'storable', { weight: 16 }),
  product('FURN_2202', 'Mesh Task Chair', 4, 219, 120, 'storable', { weight: 12 }),
  product('FURN_2203', 'Conference Chair', 4, 189, 95, 'storable', { weight: 9 }),
  product('FURN_2204', 'Visitor Chair', 4, 129, 64, 'storable', { weight: 7 }),
  product('FURN_3301', 'Conference Table (8 seats)', 4, 1890, 1150, 'storable', { weight: 95 }),
  product('FURN_3302', 'Round Meeting Table', 4, 540, 310, 'storable', { weight: 30 }),
  product('STOR_4401', 'Filing Cabinet (3 drawers)', 6, 289, 160, 'storable', { weight: 28 }),
  product('STOR_4402', 'Large Cabinet', 6, 520, 300, 'storable', { weight: 60 }),
  product('STOR_4403', 'Bookshelf', 6, 240, 130, 'storable', { weight: 25 }),
  product('STOR_4404', 'Storage Box (set of 3)', 6, 39, 18, 'storable', { weight: 2 }),
  product('STOR_4405', 'Mobile Pedestal', 6, 199, 105, 'storable', { weight: 18 }),
  product('LIGHT_5501', 'LED Desk Lamp', 7, 79, 34, 'storable', { weight: 1.5 }),
  product('LIGHT_5502', 'Floor Lamp', 7, 149, 70, 'storable', { weight: 6 }),
  product('ACC_6601', 'Dual Monitor Arm', 8, 159, 72, 'storable', { weight: 4 }),
  product('ACC_6602', 'Cable Management Tray', 8, 45, 19, 'storable', { weight: 1 }),
  product('ACC_6603', 'Acoustic Panel', 8, 119, 55, 'storable', { weight: 3 }),
  product('ACC_6604', 'Whiteboard 120x90', 8, 189, 88, 'storable', { weight: 11 }),
  product('ACC_6605', 'Desk Organizer', 8, 29, 11, 'storable', { weight: 0.8 }),
  product('ACC_6606', 'Pedal Bin', 8, 49, 21, 'storable', { weight: 2.5 }),
  product('ACC_6607', 'Adjustable Footrest', 8, 59, 24, 'storable', { weight: 2 }),
  product('SUP_7701', 'Printer Paper A4 (box of 5 reams)', 9, 42, 28, 'consumable', {
    weight: 12.5,
  }),
  product('SUP_7702', 'Whiteboard Markers', 9, 18, 7, 'consumable', { weight: 0.2 }, UNITS.dozen),
  product('SRV_8801', 'Office Design Consultation', 5, 120, 60, 'service', {}, UNITS.hour),
  product('SRV_8802', 'Furniture Assembly', 5, 75, 40, 'service', {}, UNITS.hour),
  product('SRV_8803', 'On-site Installation Day', 5, 560, 320, 'service', {}, UNITS.day),
  product('SRV_8804', 'Extended Warranty (1 year)', 5, 99, 20, 'service', {
    description: 'One more year of parts and labour on all furniture of the order.',
  }),
  product('EXP_9901', 'Delivery Charges', 3, 45, 30, 'service', {}),
];

/** The template with variants, and its variants as [code, attribute values, price extra]. */
const CUSTOMIZABLE_DESK = {
  name: 'Customizable Desk',
  category: 4,
  price: 750,
  cost: 500,
  variants: [
    ['DESK0004', 'Steel, White', 0],
    ['DESK0005', 'Steel, Black', 50],
    ['DESK0006', 'Aluminium, White', 100],
  ] as [string, string, number][],
};

function product(
  code: string,
  name: string,
  category: number,
  price: number,
  cost: number,
  kind: ProductKind,
  extra: { weight?: number; active?: boolean; description?: string },
  uom: number = UNITS.unit,
): ProductData {
  return { code, name, category, price, cost, uom, kind, ...extra };
}

/** Builds a valid EAN-13 barcode for a product number, check digit included. */
function ean13(index: number): string {
  const digits = `085000${String(100_000 + index).slice(-6)}`;
  const sum = [...digits].reduce(
    (total, digit, position) => total + Number(digit) * (position % 2 ? 3 : 1),
    0,
  );
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

export function addProductSetup(builder: DataBuilder): void {
  const names = new Map<number, string>();
  for (const [id, name, parent] of CATEGORIES) {
    const complete = parent === false ? name : `${names.get(parent)} / ${name}`;
    names.set(id, complete);
    builder.insert('product.category', { id, name, complete_name: complete, parent_id: parent });
  }
  for (const [id, name] of [
    [1, 'Unit'],
    [2, 'Weight'],
    [3, 'Working Time'],
  ] as const) {
    builder.insert('uom.category', { id, name });
  }
  for (const [id, name, category, factor, type, reference] of UOMS) {
    builder.insert('uom.uom', {
      id,
      name,
      category_id: category,
      factor,
      uom_type: type,
      relative_factor: 1 / factor,
      relative_uom_id: reference,
      rounding: 0.01,
      active: true,
    });
  }
}

/**
 * Returns the product type fields of a series: 17.0 has `type` and `detailed_type` with "product"
 * for storable goods; 18.0+ has `type` "consu" with the `is_storable` flag.
 */
function typeFields(builder: DataBuilder, kind: ProductKind): Record<string, string | boolean> {
  const legacy = { storable: 'product', consumable: 'consu', service: 'service' }[kind];
  if (!builder.since(18)) {
    return { type: legacy, detailed_type: legacy };
  }
  return { type: kind === 'service' ? 'service' : 'consu', is_storable: kind === 'storable' };
}

/** A product of the catalog, with the facts that order and stock generators use. */
export interface CatalogProduct {
  record: DemoRecord;
  kind: ProductKind;
  price: number;
  cost: number;
}

export function addProducts(builder: DataBuilder): CatalogProduct[] {
  const catalog: CatalogProduct[] = [];
  PRODUCTS.forEach((data, index) => {
    const template = insertTemplate(builder, data, data.code, data.name);
    const variant = insertVariant(
      builder,
      template,
      data.code,
      ean13(index),
      data.price,
      data.cost,
      '',
    );
    catalog.push({ record: variant, kind: data.kind, price: data.price, cost: data.cost });
  });
  const desk = CUSTOMIZABLE_DESK;
  const deskData = product('', desk.name, desk.category, desk.price, desk.cost, 'storable', {
    weight: 40,
  });
  const template = insertTemplate(builder, deskData, false, desk.name);
  desk.variants.forEach(([code, values, extra], index) => {
    const price = desk.price + extra;
    const cost = desk.cost + extra / 2;
    const variant = insertVariant(builder, template, code, ean13(100 + index), price, cost, values);
    catalog.push({ record: variant, kind: 'storable', price, cost });
  });
  return catalog;
}

/**
 * Adds a storable product that has never been in stock and has a delivery waiting for it, the
 * case of a product sold before it was bought. It is added after every other generator, so that
 * their random choices and record ids stay as they were.
 */
export function addBackorderedProduct(builder: DataBuilder): CatalogProduct {
  const data = product('STOR_4406', 'Archive Trolley', 6, 229, 120, 'storable', { weight: 21 });
  const template = insertTemplate(builder, data, data.code, data.name);
  const variant = insertVariant(
    builder,
    template,
    data.code,
    ean13(200),
    data.price,
    data.cost,
    '',
  );
  return { record: variant, kind: data.kind, price: data.price, cost: data.cost };
}

function insertTemplate(
  builder: DataBuilder,
  data: ProductData,
  code: string | false,
  displayName: string,
): DemoRecord {
  return builder.insert('product.template', {
    name: data.name,
    display_name: code === false ? displayName : `[${code}] ${displayName}`,
    default_code: code,
    sequence: 1,
    description_sale: data.description ?? false,
    ...typeFields(builder, data.kind),
    categ_id: data.category,
    list_price: data.price,
    standard_price: data.cost,
    uom_id: data.uom,
    uom_po_id: data.uom,
    uom_ids: [],
    sale_ok: data.category !== 3,
    purchase_ok: true,
    active: data.active ?? true,
    company_id: false,
    invoice_policy: 'order',
    weight: data.weight ?? 0,
    volume: 0,
    image_1920: data.kind === 'service' ? false : PRODUCT_IMAGE,
    image_128: data.kind === 'service' ? false : PRODUCT_IMAGE,
  });
}

function insertVariant(
  builder: DataBuilder,
  template: DemoRecord,
  code: string,
  barcode: string,
  price: number,
  cost: number,
  attributes: string,
): DemoRecord {
  const kind = template.type === 'service' ? 'service' : undefined;
  const name =
    attributes === '' ? String(template.name) : `${String(template.name)} (${attributes})`;
  const variant = builder.insert('product.product', {
    ...template,
    id: undefined,
    product_tmpl_id: template.id,
    default_code: code,
    barcode: kind === 'service' ? false : barcode,
    display_name: `[${code}] ${name}`,
    list_price: template.list_price,
    lst_price: price,
    standard_price: cost,
  });
  const variants = Array.isArray(template.product_variant_ids) ? template.product_variant_ids : [];
  template.product_variant_ids = [...variants, variant.id];
  template.product_variant_count = template.product_variant_ids.length;
  return variant;
}
