import { z } from 'zod';
import { companyContext } from '../company.js';
import {
  DEFAULT_PAGE_LIMIT,
  pageLimitArgument,
  recordReferenceArgument,
} from '../domain-tools/arguments.js';
import { contactQuery, digitsOf, phoneContainsDigits } from '../domain-tools/contacts.js';
import { resolveCountry } from '../domain-tools/countries.js';
import { FilterSet } from '../domain-tools/filters.js';
import {
  joinLine,
  pageSummary,
  referenceOf,
  referenceSchema,
  textOf,
} from '../domain-tools/format.js';
import { linkMaker, presentFields } from '../domain-tools/page.js';
import type { Domain } from '../domain.js';
import { ToolError } from '../errors.js';
import { joinResultText, type OdooRecord } from '../records.js';
import { companyArgument, nextOffsetSchema, notesSchema, offsetArgument } from '../schemas.js';
import { searchPage, type Page, type PageRequest } from '../search-page.js';
import type { ToolCall, ToolDefinition, ToolRunResult } from '../tool.js';

const MODEL = 'res.partner';

/** Maximum number of contacts whose phone digits the bridge checks in one call. */
export const MAX_PHONE_CANDIDATES = 500;

const inputSchema = z.object({
  query: z
    .string()
    .trim()
    .min(1)
    .max(256)
    .optional()
    .describe(
      'Part of a name, email or phone number, in any case, such as "azure", "@example.com" or ' +
        '"415 555 0123". A query of digits is matched as a phone number with spaces and ' +
        'punctuation ignored, on the phone and, before Odoo 19.0, mobile numbers.',
    ),
  is_company: z
    .boolean()
    .optional()
    .describe('true for companies only, false for people (and addresses) only.'),
  city: z.string().trim().min(1).max(128).optional().describe('Part of the city name.'),
  country: recordReferenceArgument(
    'Country, by two-letter ISO code such as "US" or "BE", by name, or by a common short ' +
      'name such as "USA" or "UK".',
  ).optional(),
  tag: recordReferenceArgument(
    'Contact tag (category_id), such as "VIP"; its sub-tags count too.',
  ).optional(),
  limit: pageLimitArgument.optional(),
  offset: offsetArgument.optional(),
  company: companyArgument.optional(),
});

const contactSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(['company', 'person']).describe('Whether the contact is a company or a person.'),
  parent_company: referenceSchema.nullable().describe('The company a person works for.'),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  mobile: z
    .string()
    .nullable()
    .describe('Mobile number; always null on Odoo 19.0, which has none.'),
  city: z.string().nullable(),
  country: referenceSchema.nullable(),
  tags: z.array(z.string()),
  salesperson: referenceSchema.nullable(),
  link: z.string().describe('The contact in the Odoo web client.'),
});

const outputSchema = z.object({
  contacts: z.array(contactSchema),
  total: z.number().int().describe('How many contacts match in all.'),
  next_offset: nextOffsetSchema,
  notes: notesSchema,
});

type FindContactsInput = z.output<typeof inputSchema>;
type FindContactsOutput = z.output<typeof outputSchema>;
type Contact = z.output<typeof contactSchema>;

export const findContactsTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'find_contacts',
  title: 'Find contacts',
  description:
    'Find contacts (customers, vendors, their people and addresses) by name, email or phone ' +
    'number, company or person, city, country or tag, one page at a time. Each contact comes ' +
    'with its company, email, phone, city, country, tags, salesperson and link. Archived ' +
    'contacts are left out. Every filter given must match something: an unknown country or ' +
    'tag is an error, never ignored. Example: "who is 415-555-0123?" is query "415-555-0123"; ' +
    '"our VIP customers in Chicago" is tag "VIP", city "Chicago".',
  inputSchema,
  outputSchema,
  run: findContacts,
};

const CONTACT_NOUN = { one: 'contact', many: 'contacts' };

const CONTACT_FIELDS = [
  'name',
  'display_name',
  'is_company',
  'parent_id',
  'email',
  'phone',
  'mobile',
  'city',
  'country_id',
  'category_id',
  'user_id',
];

async function findContacts(
  args: FindContactsInput,
  call: ToolCall,
): Promise<ToolRunResult<FindContactsOutput>> {
  call.audit.model = MODEL;
  const fields = await call.fieldsCache.fields(call.odoo, call.session.odooUid, MODEL);
  const context = await companyContext(call, args.company);
  const filters = await contactFilters(args, call, context);
  const query = args.query === undefined ? undefined : contactQuery(args.query, fields);
  const domain: Domain = [...filters.domain, ...(query?.domain ?? [])];
  call.domain = { domain, fields };

  const request: PageRequest = {
    model: MODEL,
    domain,
    fields: presentFields(CONTACT_FIELDS, fields),
    fieldMap: fields,
    limit: args.limit ?? DEFAULT_PAGE_LIMIT,
    offset: args.offset ?? 0,
    context,
  };
  let page: Page;
  if (query?.kind === 'phone_digits') {
    page = await phonePage(call, request, query.digits, query.phoneFields);
    filters.notes.push(
      `The bridge matched the digits ${query.digits} in ${query.phoneFields.join(' and ')}, ` +
        'ignoring spaces and punctuation.',
    );
  } else {
    page = await searchPage(call, request);
  }

  const contacts = await toContacts(call, page.records, context);
  const { total, nextOffset } = page;
  const structured = { contacts, total, next_offset: nextOffset, notes: filters.notes };
  const summary = pageSummary(CONTACT_NOUN, total, request.offset, contacts.length, nextOffset);
  const text = joinResultText([summary, contacts.map(contactLine).join('\n')], filters.notes);
  return { structured, text, recordCount: contacts.length };
}

async function contactFilters(
  args: FindContactsInput,
  call: ToolCall,
  context: Record<string, unknown>,
): Promise<FilterSet> {
  const filters = new FilterSet();
  if (args.is_company !== undefined) {
    filters.add([['is_company', '=', args.is_company]]);
  }
  if (args.city !== undefined) {
    filters.add([['city', 'ilike', args.city]]);
  }
  if (args.country !== undefined) {
    await addCountry(filters, call, args.country, context);
  }
  if (args.tag !== undefined) {
    const target = { model: 'res.partner.category', argument: 'tag', noun: 'contact tag' };
    const leaf = { field: 'category_id', operator: 'child_of' as const };
    await filters.addLookup(call, target, args.tag, leaf, context);
  }
  return filters;
}

async function addCountry(
  filters: FilterSet,
  call: ToolCall,
  country: number | string,
  context: Record<string, unknown>,
): Promise<void> {
  const match = await resolveCountry(call, country, context);
  filters.add([['country_id', 'in', match.ids]]);
  if (match.note !== undefined) {
    filters.notes.push(match.note);
  }
}

/**
 * Reads the contacts whose phone fields contain the digits in order, keeps those whose digits
 * really contain them, and pages over what is left, so that the total counts exact matches.
 */
async function phonePage(
  call: ToolCall,
  request: PageRequest,
  digits: string,
  phoneFields: string[],
): Promise<Page> {
  const candidates = await call.odoo.executeKw<OdooRecord[]>(
    MODEL,
    'search_read',
    [request.domain],
    {
      fields: request.fields,
      limit: MAX_PHONE_CANDIDATES + 1,
      context: request.context,
    },
  );
  if (candidates.length > MAX_PHONE_CANDIDATES) {
    throw new ToolError(
      'invalid_value',
      `More than ${MAX_PHONE_CANDIDATES} contacts have the digits ${digits} in their phone ` +
        'numbers; give more digits, or add other filters.',
    );
  }
  const matching = candidates.filter((record) => phoneContainsDigits(record, phoneFields, digits));
  const records = matching.slice(request.offset, request.offset + request.limit);
  const end = request.offset + records.length;
  return { records, total: matching.length, nextOffset: end < matching.length ? end : null };
}

async function toContacts(
  call: ToolCall,
  records: OdooRecord[],
  context: Record<string, unknown>,
): Promise<Contact[]> {
  const tagNames = await readTagNames(call, records, context);
  const link = await linkMaker(call, MODEL);
  return records.map((record) => toContact(record, tagNames, link));
}

/** Reads the names of every tag on the page in one call. */
async function readTagNames(
  call: ToolCall,
  records: OdooRecord[],
  context: Record<string, unknown>,
): Promise<Map<number, string>> {
  const ids = [...new Set(records.flatMap((record) => idList(record.category_id)))];
  if (ids.length === 0) {
    return new Map();
  }
  const rows = await call.odoo.executeKw<OdooRecord[]>('res.partner.category', 'read', [ids], {
    fields: ['display_name'],
    context,
  });
  return new Map(rows.map((row) => [row.id as number, String(row.display_name)]));
}

function toContact(
  record: OdooRecord,
  tagNames: Map<number, string>,
  link: (id: number) => string,
): Contact {
  const id = record.id as number;
  return {
    id,
    name: textOf(record.name) ?? textOf(record.display_name) ?? `Contact ${id}`,
    type: record.is_company === true ? 'company' : 'person',
    parent_company: referenceOf(record.parent_id),
    email: textOf(record.email),
    phone: textOf(record.phone),
    mobile: textOf(record.mobile),
    city: textOf(record.city),
    country: referenceOf(record.country_id),
    tags: idList(record.category_id).map((tagId) => tagNames.get(tagId) ?? `tag ${tagId}`),
    salesperson: referenceOf(record.user_id),
    link: link(id),
  };
}

function idList(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((id): id is number => typeof id === 'number') : [];
}

/** "Olivia Garcia · person at Bayside Dental Group · email · phone · San Francisco, …" */
function contactLine(contact: Contact): string {
  const kind =
    contact.parent_company === null
      ? contact.type
      : `${contact.type} at ${contact.parent_company.name}`;
  const place = [contact.city, contact.country?.name].filter((part) => part !== null).join(', ');
  return joinLine([
    contact.name,
    kind,
    contact.email,
    contact.phone,
    mobileText(contact),
    place,
    contact.tags.length === 0 ? null : `tags ${contact.tags.join(', ')}`,
    contact.salesperson === null ? null : `salesperson ${contact.salesperson.name}`,
    contact.link,
  ]);
}

/** Shows the mobile number unless it is the phone number again, as some contacts store it. */
function mobileText(contact: Contact): string | null {
  if (contact.mobile === null || samePhone(contact.mobile, contact.phone)) {
    return null;
  }
  return `mobile ${contact.mobile}`;
}

function samePhone(mobile: string, phone: string | null): boolean {
  return phone !== null && digitsOf(mobile) === digitsOf(phone);
}
