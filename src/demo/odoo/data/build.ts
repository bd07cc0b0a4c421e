import { MODEL_SPECS } from '../models/index.js';
import {
  DemoDatabase,
  type DemoRecord,
  type FieldValue,
  many2oneId,
  type ModelTable,
} from '../orm/database.js';
import { type FieldSpec, isToMany } from '../orm/fields.js';
import type { OdooSeries } from '../version.js';
import {
  addCompanies,
  addCurrenciesAndCountries,
  addGroups,
  addOAuthProviders,
  addUsers,
} from './base-data.js';
import { DataBuilder } from './builder.js';
import { addBackorderedProduct, addProducts, addProductSetup } from './catalog.js';
import { addInvoices } from './invoices.js';
import { addArchivedPartners, addCustomers, addIndividuals, addVendors } from './partners.js';
import { addSaleOrders } from './sales.js';
import { addAccountingSetup, addSalesSetup } from './setup.js';
import { addOrderpoints, addQuants, addWaitingDelivery, addWarehouses } from './stock.js';
import type { DemoPerson } from '../people.js';

/**
 * Builds the demo database of a series: the same seeded data on every call, with every date
 * relative to `today`. Returns the database and the demo people.
 */
export function buildDatabase(
  name: string,
  series: OdooSeries,
  today: Date,
): { db: DemoDatabase; people: DemoPerson[] } {
  const db = new DemoDatabase(name, series, MODEL_SPECS);
  const builder = new DataBuilder(db, today);
  addCurrenciesAndCountries(builder);
  addCompanies(builder);
  const people = addUsers(builder);
  addGroups(builder, people);
  addOAuthProviders(builder);
  addProductSetup(builder);
  const catalog = addProducts(builder);
  addAccountingSetup(builder);
  addSalesSetup(builder);
  addWarehouses(builder);
  const customers = [...addCustomers(builder), ...addIndividuals(builder)];
  const vendors = addVendors(builder);
  addArchivedPartners(builder, customers);
  const orders = addSaleOrders(builder, customers, catalog);
  addInvoices(builder, orders, vendors, catalog);
  addQuants(builder, catalog, orders);
  addOrderpoints(builder, catalog);
  addWaitingDelivery(builder, addBackorderedProduct(builder));
  addModelDescriptions(builder);
  finalize(db, builder.datetime(400, 8));
  return { db, people };
}

const MODULES: Record<string, string> = {
  res: 'base',
  ir: 'base',
  auth: 'auth_oauth',
  product: 'product',
  uom: 'uom',
  sale: 'sale',
  crm: 'sales_team',
  account: 'account',
  stock: 'stock',
};

/** Adds the ir.model and ir.model.fields records that describe the demo's models and fields. */
function addModelDescriptions(builder: DataBuilder): void {
  const tables = [...builder.db.tables.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  let fieldId = 1;
  tables.forEach((table, index) => {
    const modelId = index + 1;
    builder.insert('ir.model', {
      id: modelId,
      model: table.name,
      name: table.spec.description,
      transient: false,
      state: 'base',
      modules: MODULES[table.name.split('.')[0]!] ?? 'base',
      info: false,
    });
    for (const definition of table.fields.values()) {
      builder.insert('ir.model.fields', {
        id: fieldId++,
        name: definition.name,
        model: table.name,
        model_id: modelId,
        field_description: definition.string,
        help: definition.help ?? false,
        ttype: definition.type,
        relation: definition.relation ?? false,
        relation_field: definition.relationField ?? false,
        required: definition.required ?? false,
        readonly: definition.readonly ?? false,
        store: definition.store !== false,
      });
    }
  });
}

/**
 * Turns the generated values into stored records: values of fields the series lacks are
 * dropped, missing ones get Odoo's empty value, one2many fields are filled from their
 * inverse many2one, and display names are computed.
 */
function finalize(db: DemoDatabase, created: string): void {
  for (const table of db.tables.values()) {
    for (const record of table.records.values()) {
      normalizeRecord(table, record, created);
    }
  }
  for (const table of db.tables.values()) {
    linkInverses(db, table);
  }
  computePartnerFields(db);
  for (const table of db.tables.values()) {
    for (const record of table.records.values()) {
      record.display_name = displayName(db, table, record);
    }
  }
}

function emptyValue(definition: FieldSpec): FieldValue {
  if (isToMany(definition)) {
    return [];
  }
  return ['integer', 'float', 'monetary'].includes(definition.type) ? 0 : false;
}

/**
 * Gives a generated record every field of its model: values of fields the series lacks are
 * dropped and missing ones get Odoo's empty value.
 */
export function normalizeRecord(table: ModelTable, record: DemoRecord, created: string): void {
  const defaults: Record<string, FieldValue> = {
    create_uid: 1,
    write_uid: 1,
    create_date: created,
  };
  for (const key of Object.keys(record)) {
    if (!table.fields.has(key)) {
      delete record[key];
    }
  }
  for (const definition of table.fields.values()) {
    if (record[definition.name] === undefined || record[definition.name] === null) {
      record[definition.name] = defaults[definition.name] ?? emptyValue(definition);
    }
  }
  if (table.fields.has('write_date') && record.write_date === false) {
    record.write_date = record.create_date ?? created;
  }
}

/** Fills each one2many whose generator left it empty from the records pointing back to it. */
function linkInverses(db: DemoDatabase, table: ModelTable): void {
  for (const definition of table.fields.values()) {
    if (definition.type !== 'one2many' || definition.compute !== undefined) {
      continue;
    }
    const comodel = db.table(definition.relation!);
    if (comodel === undefined) {
      continue;
    }
    const byParent = new Map<number, number[]>();
    for (const child of comodel.all()) {
      const parent = child[definition.relationField!];
      if (typeof parent === 'number') {
        byParent.set(parent, [...(byParent.get(parent) ?? []), child.id]);
      }
    }
    for (const record of table.records.values()) {
      const current = record[definition.name];
      if (!Array.isArray(current) || current.length === 0) {
        record[definition.name] = byParent.get(record.id) ?? [];
      }
    }
  }
}

/** Computes each partner's commercial entity (its top company) and sales order count. */
function computePartnerFields(db: DemoDatabase): void {
  const partners = db.require('res.partner');
  const commercialOf = (record: DemoRecord): DemoRecord => {
    const parent = partners.get(many2oneId(record.parent_id) || 0);
    return parent === undefined ? record : commercialOf(parent);
  };
  for (const record of partners.records.values()) {
    const commercial = commercialOf(record);
    record.commercial_partner_id = commercial.id;
    record.commercial_company_name =
      commercial.is_company === true ? (commercial.name ?? false) : false;
    record.currency_id = 1;
  }
  const counts = new Map<number, number>();
  for (const order of db.require('sale.order').records.values()) {
    let partner = partners.get(order.partner_id as number);
    while (partner !== undefined) {
      counts.set(partner.id, (counts.get(partner.id) ?? 0) + 1);
      partner = partners.get(many2oneId(partner.parent_id) || 0);
    }
  }
  for (const record of partners.records.values()) {
    record.sale_order_count = counts.get(record.id) ?? 0;
  }
}

export function displayName(db: DemoDatabase, table: ModelTable, record: DemoRecord): string {
  if (typeof record.display_name === 'string' && record.display_name !== '') {
    return record.display_name;
  }
  if (table.spec.displayName !== undefined) {
    return table.spec.displayName(record, db);
  }
  const name = record[table.recName];
  return typeof name === 'string' ? name : `${table.name},${record.id}`;
}
