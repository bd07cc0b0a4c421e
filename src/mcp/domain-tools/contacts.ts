import type { Domain, DomainTerm } from '../domain.js';
import { ToolError } from '../errors.js';
import type { FieldMap } from '../fields.js';
import type { OdooRecord } from '../records.js';

/** Phone fields of res.partner: `mobile` exists up to 18.0 and is gone in 19.0. */
const PHONE_FIELDS = ['phone', 'mobile'];

/** Fewest digits a phone query needs; Odoo's own phone search requires three characters. */
const MIN_PHONE_DIGITS = 3;

/**
 * The search strategy of a contact query:
 * - `text`: name, email and phone fields contain the query, as typed.
 * - `phone_search`: Odoo's `phone_mobile_search` field (module phone_validation, on contacts
 *   once the sms module is installed), which ignores spaces and punctuation itself.
 * - `phone_digits`: the phone fields contain the digits in order with anything between them,
 *   and the bridge keeps the contacts whose digits really contain the query's digits.
 */
export type ContactQuery =
  | { kind: 'text'; domain: Domain }
  | { kind: 'phone_search'; domain: Domain }
  | { kind: 'phone_digits'; domain: Domain; digits: string; phoneFields: string[] };

/** Tells whether a query is a phone number or part of one: digits and separators only. */
export function isPhoneQuery(query: string): boolean {
  return /^[+\d\s().\-/]+$/.test(query) && digitsOf(query).length >= MIN_PHONE_DIGITS;
}

export function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

/** Chooses how to search a contact query on the server whose res.partner fields are given. */
export function contactQuery(query: string, fields: FieldMap): ContactQuery {
  const phoneFields = PHONE_FIELDS.filter((name) => fields.has(name));
  if (!isPhoneQuery(query)) {
    const nameField = fields.has('complete_name') ? 'complete_name' : 'name';
    const searched = [nameField, 'email', ...phoneFields].filter((name) => fields.has(name));
    return { kind: 'text', domain: anyOf(searched.map((name) => [name, 'ilike', query])) };
  }
  if (fields.has('phone_mobile_search')) {
    return { kind: 'phone_search', domain: [['phone_mobile_search', 'ilike', query.trim()]] };
  }
  if (phoneFields.length === 0) {
    throw new ToolError(
      'invalid_value',
      `res.partner has no phone field on this Odoo, so "${query}" cannot be searched as a ` +
        'phone number. Search by name or email instead.',
    );
  }
  const digits = queryDigits(query);
  // "%" inside an ilike value is a wildcard in Odoo 17.0-19.0, which wrap the value in % … %
  // without escaping it, so "4%1%5" finds "+1 (415)".
  const pattern = [...digits].join('%');
  return {
    kind: 'phone_digits',
    domain: anyOf(phoneFields.map((name) => [name, 'ilike', pattern])),
    digits,
    phoneFields,
  };
}

/**
 * Returns the digits of a phone query. A leading "00" is the international call prefix that
 * "+" stands for, so it is dropped: "0032 2 555" finds "+32 2 555", and "+32 2 555" already
 * finds "0032 2 555" because its digits contain the query's.
 */
export function queryDigits(query: string): string {
  const digits = digitsOf(query);
  const international = query.trim().startsWith('00') && digits.length - 2 >= MIN_PHONE_DIGITS;
  return international ? digits.slice(2) : digits;
}

/** Tells whether one of the contact's phone numbers contains `digits`, punctuation ignored. */
export function phoneContainsDigits(
  record: OdooRecord,
  phoneFields: readonly string[],
  digits: string,
): boolean {
  return phoneFields.some((name) => {
    const value = record[name];
    return typeof value === 'string' && digitsOf(value).includes(digits);
  });
}

/** Joins conditions with "or". A single condition stays as it is. */
function anyOf(leaves: DomainTerm[]): Domain {
  const ors: Domain = Array.from({ length: Math.max(leaves.length - 1, 0) }, () => '|' as const);
  return [...ors, ...leaves];
}
