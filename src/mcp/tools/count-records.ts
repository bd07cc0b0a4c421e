import { z } from 'zod';
import { companyContext } from '../company.js';
import { checkDomainValues, domainFieldPaths, parseDomain } from '../domain.js';
import { checkFieldNames } from '../fields.js';
import { companyArgument, domainArgument, modelArgument } from '../schemas.js';
import type { ToolRunResult, ToolCall, ToolDefinition } from '../tool.js';

const inputSchema = z.object({
  model: modelArgument,
  domain: domainArgument.optional(),
  company: companyArgument.optional(),
});

const outputSchema = z.object({
  model: z.string(),
  count: z.number().int().describe('How many records match the domain.'),
});

type CountInput = z.output<typeof inputSchema>;
type CountOutput = z.output<typeof outputSchema>;

export const countRecordsTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'count_records',
  title: 'Count Odoo records',
  description:
    'Count the records of one Odoo model that match a domain, without reading them. Use it ' +
    'for "how many" questions, or before search_records to see whether a domain is too broad. ' +
    'The count covers only the records this person may see in Odoo. Example: model ' +
    '"account.move", domain [["move_type", "=", "out_invoice"], ["payment_state", "=", ' +
    '"not_paid"]] counts unpaid customer invoices.',
  inputSchema,
  outputSchema,
  run: countRecords,
};

async function countRecords(args: CountInput, call: ToolCall): Promise<ToolRunResult<CountOutput>> {
  call.audit.model = args.model;
  const domain = parseDomain(args.domain ?? []);
  const fields = await call.fieldsCache.fields(call.odoo, call.session.odooUid, args.model);
  checkFieldNames(domainFieldPaths(domain), fields, args.model, 'domain');
  checkDomainValues(domain, fields, args.model);
  call.domain = { domain, fields };
  const context = await companyContext(call, args.company);
  const count = await call.odoo.executeKw<number>(args.model, 'search_count', [domain], {
    context,
  });
  const noun = count === 1 ? 'record matches' : 'records match';
  return {
    structured: { model: args.model, count },
    text: `${count} ${args.model} ${noun}.`,
    recordCount: count,
  };
}
