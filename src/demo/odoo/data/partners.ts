import type { DemoRecord } from '../orm/database.js';
import { addressIn, COMPANY_IMAGE } from './base-data.js';
import type { DataBuilder } from './builder.js';
import { CITIES, type CityData, STREET_NAMES } from './places.js';
import { PARTNER_TAGS } from './setup.js';

/** A customer company: its name, city, tags and how often it orders (weight). */
interface CustomerData {
  name: string;
  city: string;
  tags: string[];
  weight: number;
}

const CUSTOMERS: CustomerData[] = [
  customer('Bayside Dental Group', 'sanFrancisco', ['Healthcare'], 2),
  customer('Golden Gate Architects', 'sanFrancisco', ['VIP'], 5),
  customer('Mission Street Coworking', 'sanFrancisco', ['VIP', 'Reseller'], 6),
  customer('Pacific Heights Realty', 'sanFrancisco', [], 2),
  customer('Sunset Legal LLP', 'sanFrancisco', [], 2),
  customer('Oakland Learning Center', 'oakland', ['Education'], 2),
  customer('Berkeley Bioworks', 'berkeley', ['Healthcare'], 3),
  customer('Palo Alto Venture Labs', 'paloAlto', ['VIP'], 5),
  customer('San Jose Robotics', 'sanJose', [], 3),
  customer('Sacramento County Offices', 'sacramento', ['Government'], 2),
  customer('Napa Valley Wine Cooperative', 'napa', ['Wholesale'], 1),
  customer('Santa Cruz Surf Supply', 'santaCruz', ['Retail'], 1),
  customer('LA Film Studios Collective', 'losAngeles', ['VIP'], 4),
  customer('Pasadena Engineering Partners', 'pasadena', [], 2),
  customer('San Diego Harbor Logistics', 'sanDiego', ['Wholesale'], 2),
  customer('Portland Design Works', 'portland', ['Reseller'], 3),
  customer('Cascade Outdoor Gear', 'seattle', ['Retail'], 2),
  customer('Emerald City Analytics', 'seattle', [], 2),
  customer('Boise Home Furnishings', 'boise', ['Reseller', 'Wholesale'], 3),
  customer('Rocky Mountain Clinics', 'denver', ['Healthcare'], 2),
  customer('Austin Music Foundry', 'austin', [], 1),
  customer('Lone Star Office Supply', 'dallas', ['Reseller', 'Wholesale'], 3),
  customer('Windy City Consulting', 'chicago', ['VIP'], 4),
  customer('Lakeshore Insurance Group', 'chicago', [], 3),
  customer('Evanston Library Friends', 'evanston', ['Education'], 1),
  customer('Milwaukee Brewing Equipment', 'milwaukee', [], 2),
  customer('Twin Cities Health Partners', 'minneapolis', ['Healthcare'], 2),
  customer('Motor City Design Studio', 'detroit', [], 1),
  customer('Hudson Yards Media', 'newYork', ['VIP'], 3),
  customer('Brooklyn Coffee Roasters', 'brooklyn', ['Retail'], 1),
  customer('Beacon Hill Law Associates', 'boston', [], 1),
  customer('Maple Leaf Offices', 'toronto', ['Reseller'], 2),
  customer('Vancouver Harbour Studios', 'vancouver', [], 1),
  customer('Monterrey Industrial Supply', 'monterrey', ['Wholesale'], 1),
  customer('Thames Office Interiors', 'london', ['Reseller'], 1),
  customer('Brussels Policy Institute', 'brussels', ['Government'], 1),
  customer('Lyon Textile Atelier', 'lyon', ['Prospect'], 1),
  customer('Berlin Startup Campus', 'berlin', ['Prospect'], 1),
];

const VENDORS: [string, string][] = [
  ['Redwood Timber Supply', 'eureka'],
  ['Steel Frame Manufacturing', 'fresno'],
  ['Comfort Seating Co.', 'grandRapids'],
  ['Bright Lighting Wholesale', 'chicago'],
  ['Pacific Paper Distributors', 'losAngeles'],
  ['Midwest Freight Services', 'chicago'],
];

const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Ethan',
  'Sophia',
  'Mason',
  'Isabella',
  'Lucas',
  'Mia',
  'Logan',
  'Amelia',
  'James',
  'Harper',
  'Benjamin',
  'Evelyn',
  'Elijah',
  'Abigail',
  'Daniel',
  'Chloe',
  'Mateo',
  'Grace',
  'Henry',
  'Zoe',
  'Samuel',
  'Nora',
  'David',
  'Aria',
  'Leo',
];
const LAST_NAMES = [
  'Garcia',
  'Nguyen',
  'Patel',
  'Johnson',
  'Kim',
  'Rossi',
  'Okafor',
  'Schmidt',
  'Dubois',
  'Martinez',
  'Chen',
  'Walker',
  'Hughes',
  'Silva',
  'Novak',
  'Brennan',
  'Tanaka',
  'Fischer',
  'Moreau',
  'Lopez',
  'Shapiro',
  'Adeyemi',
  'Larsen',
  'Costa',
];
const JOB_TITLES = [
  'Office Manager',
  'CEO',
  'Purchasing Manager',
  'Facilities Coordinator',
  'CFO',
  'Operations Director',
  'Administrative Assistant',
  'Head of Workplace',
];

const INDIVIDUALS: [string, string][] = [
  ['Jordan Reyes', 'sanFrancisco'],
  ['Priya Natarajan', 'paloAlto'],
  ['Marcus Bell', 'chicago'],
  ['Elena Petrova', 'seattle'],
  ['Sam Okoye', 'oakland'],
  ['Hannah Lindqvist', 'austin'],
];

function customer(name: string, city: string, tags: string[], weight: number): CustomerData {
  return { name, city, tags, weight };
}

/** A customer company as order generators see it: its record, contacts and habits. */
export interface Customer {
  record: DemoRecord;
  city: CityData;
  contacts: DemoRecord[];
  invoiceAddress: DemoRecord | undefined;
  deliveryAddress: DemoRecord | undefined;
  weight: number;
  paymentTermId: number;
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/(^-|-$)/g, '');
}

function phone(builder: DataBuilder, city: CityData): string {
  return `${city.phonePrefix}${String(builder.random.int(100, 199)).padStart(4, '0')}`;
}

function street(builder: DataBuilder): string {
  return `${builder.random.int(10, 2999)} ${builder.random.pick(STREET_NAMES)}`;
}

function tagIds(tags: string[]): number[] {
  return tags.map((tag) => PARTNER_TAGS.indexOf(tag) + 1);
}

export function addCustomers(builder: DataBuilder): Customer[] {
  const customers: Customer[] = [];
  CUSTOMERS.forEach((data, index) => {
    const city = CITIES[data.city]!;
    const domain = `${slug(data.name)}.example.com`;
    const created = builder.datetime(380 - index * 3, 17, index);
    const record = builder.insert('res.partner', {
      name: data.name,
      complete_name: data.name,
      is_company: true,
      type: 'contact',
      email: `info@${domain}`,
      phone: phone(builder, city),
      website: `https://www.${domain}`,
      vat:
        city.countryCode === 'US'
          ? false
          : `${city.countryCode}${builder.random.int(100_000_000, 999_999_999)}`,
      ref: `C${String(1001 + index)}`,
      category_id: tagIds(data.tags),
      customer_rank: 1,
      supplier_rank: 0,
      image_1920: COMPANY_IMAGE,
      image_128: COMPANY_IMAGE,
      active: true,
      lang: 'en_US',
      user_id: false,
      comment: data.tags.includes('VIP') ? '<p>Key account: quarterly business review.</p>' : false,
      create_date: created,
      ...addressIn(city, street(builder)),
    });
    const contacts = addContacts(builder, record, city, domain, created);
    const invoiceAddress =
      index % 6 === 1 ? addAddress(builder, record, city, 'invoice', created) : undefined;
    const deliveryAddress =
      index % 7 === 2 ? addAddress(builder, record, city, 'delivery', created) : undefined;
    const paymentTermId = builder.random.pick([1, 2, 3, 3, 3, 4, 5]);
    customers.push({
      record,
      city,
      contacts,
      invoiceAddress,
      deliveryAddress,
      weight: data.weight,
      paymentTermId,
    });
  });
  return customers;
}

function addContacts(
  builder: DataBuilder,
  company: DemoRecord,
  city: CityData,
  domain: string,
  created: string,
): DemoRecord[] {
  const count = builder.random.int(1, 3);
  const contacts: DemoRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    const first = builder.random.pick(FIRST_NAMES);
    const last = builder.random.pick(LAST_NAMES);
    const name = `${first} ${last}`;
    contacts.push(
      builder.insert('res.partner', {
        name,
        complete_name: `${String(company.name)}, ${name}`,
        parent_id: company.id,
        is_company: false,
        type: 'contact',
        function: builder.random.pick(JOB_TITLES),
        email: `${first}.${last}@${domain}`.toLowerCase(),
        phone: phone(builder, city),
        mobile: city.countryCode === 'US' ? phone(builder, city) : false,
        active: true,
        lang: 'en_US',
        create_date: created,
        ...addressIn(city, String(company.street)),
      }),
    );
  }
  return contacts;
}

function addAddress(
  builder: DataBuilder,
  company: DemoRecord,
  city: CityData,
  type: 'invoice' | 'delivery',
  created: string,
): DemoRecord {
  const name = type === 'invoice' ? 'Accounts Payable' : 'Receiving Dock';
  return builder.insert('res.partner', {
    name,
    complete_name: `${String(company.name)}, ${name}`,
    parent_id: company.id,
    is_company: false,
    type,
    email: type === 'invoice' ? `ap@${slug(String(company.name))}.example.com` : false,
    active: true,
    lang: 'en_US',
    create_date: created,
    ...addressIn(city, type === 'invoice' ? String(company.street) : street(builder)),
  });
}

/** Private customers, who buy without a company. */
export function addIndividuals(builder: DataBuilder): Customer[] {
  return INDIVIDUALS.map(([name, cityKey]) => {
    const city = CITIES[cityKey]!;
    const record = builder.insert('res.partner', {
      name,
      complete_name: name,
      is_company: false,
      type: 'contact',
      email: `${name.toLowerCase().replace(' ', '.')}@example.net`,
      phone: phone(builder, city),
      customer_rank: 1,
      active: true,
      lang: 'en_US',
      create_date: builder.datetime(200, 18),
      ...addressIn(city, street(builder)),
    });
    return {
      record,
      city,
      contacts: [],
      invoiceAddress: undefined,
      deliveryAddress: undefined,
      weight: 1,
      paymentTermId: 1,
    };
  });
}

export function addVendors(builder: DataBuilder): DemoRecord[] {
  return VENDORS.map(([name, cityKey]) => {
    const city = CITIES[cityKey]!;
    const domain = `${slug(name)}.example.com`;
    const record = builder.insert('res.partner', {
      name,
      complete_name: name,
      is_company: true,
      type: 'contact',
      email: `sales@${domain}`,
      phone: phone(builder, city),
      website: `https://www.${domain}`,
      supplier_rank: 1,
      customer_rank: 0,
      image_1920: COMPANY_IMAGE,
      image_128: COMPANY_IMAGE,
      active: true,
      lang: 'en_US',
      create_date: builder.datetime(390, 16),
      ...addressIn(city, street(builder)),
    });
    addContacts(builder, record, city, domain, String(record.create_date));
    return record;
  });
}

/** Adds a closed customer and a contact who left, both archived, so `active_test` matters. */
export function addArchivedPartners(builder: DataBuilder, customers: Customer[]): void {
  const city = CITIES.sanFrancisco!;
  builder.insert('res.partner', {
    name: 'Old Town Bakery',
    complete_name: 'Old Town Bakery',
    is_company: true,
    type: 'contact',
    email: 'hello@old-town-bakery.example.com',
    customer_rank: 1,
    active: false,
    create_date: builder.datetime(390, 16),
    ...addressIn(city, street(builder)),
  });
  const company = customers[2]!.record;
  builder.insert('res.partner', {
    name: 'Taylor Brooks',
    complete_name: `${String(company.name)}, Taylor Brooks`,
    parent_id: company.id,
    function: 'Former Office Manager',
    email: 'taylor.brooks@example.net',
    active: false,
    create_date: builder.datetime(300, 16),
    ...addressIn(city, String(company.street)),
  });
}
