import { ToolError } from './errors.js';
import type { ToolCall } from './tool.js';

/** A company as `[id, name]`, the shape of Odoo's `name_search`. */
type CompanyPair = [number, string];

/** Builds the `context` of Odoo calls made in `company`, or `{}` when no company is given. */
export async function companyContext(
  call: ToolCall,
  company: number | string | undefined,
): Promise<Record<string, unknown>> {
  if (company === undefined) {
    return {};
  }
  const companyId = await resolveCompany(call, company);
  return { allowed_company_ids: [companyId] };
}

/**
 * Resolves a company id or name to an id among the person's own companies (`res.users`
 * `company_ids`). Odoo would reject other ids anyway, but this error names the companies
 * the person does have.
 */
export async function resolveCompany(call: ToolCall, company: number | string): Promise<number> {
  const allowedIds = await personCompanyIds(call);
  const asId = typeof company === 'number' ? company : digitsToId(company);
  if (asId !== undefined) {
    if (allowedIds.includes(asId)) {
      return asId;
    }
    throw await unknownCompanyError(call, allowedIds, `company id ${asId}`);
  }
  const name = String(company);
  const matches = (await searchCompanies(call, name)).filter(([id]) => allowedIds.includes(id));
  const exact = matches.filter(([, found]) => found.toLowerCase() === name.toLowerCase());
  const chosen = exact.length === 1 ? exact : matches;
  if (chosen.length === 1 && chosen[0] !== undefined) {
    return chosen[0][0];
  }
  if (chosen.length > 1) {
    throw new ToolError(
      'ambiguous_company',
      `Several of your companies match "${name}": ${formatCompanies(chosen)}. Give the id instead.`,
    );
  }
  throw await unknownCompanyError(call, allowedIds, `a company named like "${name}"`);
}

function digitsToId(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

async function personCompanyIds(call: ToolCall): Promise<number[]> {
  const uid = call.session.odooUid;
  const rows = await call.odoo.executeKw<unknown>('res.users', 'read', [[uid]], {
    fields: ['company_ids'],
  });
  const first: unknown = Array.isArray(rows) ? rows[0] : undefined;
  const ids = (first as { company_ids?: unknown } | undefined)?.company_ids;
  return Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : [];
}

async function searchCompanies(call: ToolCall, name: string): Promise<CompanyPair[]> {
  const kwargs = { name, operator: 'ilike', limit: 20 };
  const result = await call.odoo.executeKw<unknown>('res.company', 'name_search', [], kwargs);
  return Array.isArray(result) ? result.filter(isCompanyPair) : [];
}

/** Reads the names of the person's companies for the error message. */
async function companyNames(call: ToolCall, ids: number[]): Promise<CompanyPair[]> {
  const rows = await call.odoo.executeKw<unknown>('res.company', 'read', [ids], {
    fields: ['name'],
  });
  if (!Array.isArray(rows)) {
    return [];
  }
  const pairs: CompanyPair[] = [];
  for (const row of rows as Array<{ id?: unknown; name?: unknown }>) {
    if (typeof row.id === 'number' && typeof row.name === 'string') {
      pairs.push([row.id, row.name]);
    }
  }
  return pairs;
}

async function unknownCompanyError(
  call: ToolCall,
  allowedIds: number[],
  requested: string,
): Promise<ToolError> {
  const email = call.session.person.email;
  if (allowedIds.length === 0) {
    return new ToolError('unknown_company', `${email} belongs to no company in Odoo.`);
  }
  const companies = await companyNames(call, allowedIds);
  const listed = companies.length > 0 ? formatCompanies(companies) : `ids ${allowedIds.join(', ')}`;
  return new ToolError(
    'unknown_company',
    `${email} does not belong to ${requested} in Odoo. Their companies are: ${listed}. ` +
      'Pass one of these names or ids as company, or leave company out.',
  );
}

function formatCompanies(companies: CompanyPair[]): string {
  return companies.map(([id, name]) => `${name} (id ${id})`).join(', ');
}

function isCompanyPair(value: unknown): value is CompanyPair {
  return Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string';
}
