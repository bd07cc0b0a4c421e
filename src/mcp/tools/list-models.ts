import { z } from 'zod';
import { isMissingMethodError } from '../aggregate/missing-method.js';
import { unknownModelName } from '../errors.js';
import type { ModelName } from '../models.js';
import { OdooError } from '../../odoo/errors.js';
import { joinResultText, MAX_RESULT_CHARS } from '../records.js';
import { notesSchema } from '../schemas.js';
import type { ToolCall, ToolDefinition, ToolRunResult } from '../tool.js';

/** Maximum of models listed. A full Odoo has several hundred; `search` narrows the list. */
export const MAX_LISTED_MODELS = 100;

/**
 * Business models of a standard Odoo, with their `_description` in Odoo 18.0. They come first
 * in an unfiltered list, and they are the ones checked when Odoo cannot list models.
 */
export const STANDARD_MODELS: readonly ModelName[] = [
  { model: 'res.partner', label: 'Contact' },
  { model: 'res.users', label: 'User' },
  { model: 'res.company', label: 'Companies' },
  { model: 'res.currency', label: 'Currency' },
  { model: 'res.country', label: 'Country' },
  { model: 'product.template', label: 'Product' },
  { model: 'product.product', label: 'Product Variant' },
  { model: 'product.category', label: 'Product Category' },
  { model: 'uom.uom', label: 'Product Unit of Measure' },
  { model: 'sale.order', label: 'Sales Order' },
  { model: 'sale.order.line', label: 'Sales Order Line' },
  { model: 'crm.lead', label: 'Lead/Opportunity' },
  { model: 'crm.team', label: 'Sales Team' },
  { model: 'purchase.order', label: 'Purchase Order' },
  { model: 'purchase.order.line', label: 'Purchase Order Line' },
  { model: 'account.move', label: 'Journal Entry' },
  { model: 'account.move.line', label: 'Journal Item' },
  { model: 'account.payment', label: 'Payments' },
  { model: 'account.journal', label: 'Journal' },
  { model: 'account.account', label: 'Account' },
  { model: 'account.tax', label: 'Tax' },
  { model: 'stock.quant', label: 'Quants' },
  { model: 'stock.picking', label: 'Transfer' },
  { model: 'stock.move', label: 'Stock Move' },
  { model: 'stock.location', label: 'Inventory Locations' },
  { model: 'stock.warehouse', label: 'Warehouse' },
  { model: 'stock.lot', label: 'Lot/Serial' },
  { model: 'project.project', label: 'Project' },
  { model: 'project.task', label: 'Task' },
  { model: 'hr.employee', label: 'Employee' },
];

/**
 * Everyday words for business records, with the models that store them, best first. A label
 * alone misses some: invoices, bills and credit notes are account.move, "Journal Entry".
 */
const EVERYDAY_WORDS: Readonly<Record<string, readonly string[]>> = {
  invoice: ['account.move'],
  bill: ['account.move'],
  'credit note': ['account.move'],
  refund: ['account.move'],
  order: ['sale.order'],
  quotation: ['sale.order'],
  quote: ['sale.order'],
  customer: ['res.partner'],
  vendor: ['res.partner'],
  supplier: ['res.partner'],
  contact: ['res.partner'],
  product: ['product.product', 'product.template'],
  stock: ['stock.quant'],
  inventory: ['stock.quant'],
};

/** Returns the models an everyday word names, "invoices" as "invoice", or none. */
function everydayModels(search: string): readonly string[] {
  const text = search.trim().toLowerCase().replace(/\s+/g, ' ');
  const singular = text.endsWith('s') ? text.slice(0, -1) : text;
  return EVERYDAY_WORDS[text] ?? EVERYDAY_WORDS[singular] ?? [];
}

const inputSchema = z.object({
  search: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .optional()
    .describe(
      'Text to look for in the technical name or the label, in any case, such as "invoice", ' +
        '"stock" or "sale.order". Omit it to list the most common models first.',
    ),
});

const modelSchema = z.object({
  model: z.string().describe('Technical name, which the other tools take as model.'),
  label: z.string().describe('The model\'s name for people, such as "Sales Order".'),
});

const outputSchema = z.object({
  models: z.array(modelSchema),
  total: z.number().int().describe('How many models matched in all, before the list was cut.'),
  notes: notesSchema,
});

type ListInput = z.output<typeof inputSchema>;
type ListOutput = z.output<typeof outputSchema>;

export const listModelsTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'list_models',
  title: 'List Odoo models',
  description:
    'List the Odoo models this person may read, with their technical names and labels. Use it ' +
    'to find the model for a question ("which model holds invoices?") before describe_model, ' +
    'search_records or aggregate_records. The best matches for search come first. Example: ' +
    'search "invoice", or search "stock".',
  inputSchema,
  outputSchema,
  run: listModels,
};

/** The models found, and whether they come from checking the standard models one by one. */
interface FoundModels {
  models: ModelName[];
  checkedStandardModels: boolean;
}

async function listModels(args: ListInput, call: ToolCall): Promise<ToolRunResult<ListOutput>> {
  const found = await readableModels(call, args.search);
  const ranked = rankModels(found.models, args.search);
  const shown = modelsThatFit(ranked.slice(0, MAX_LISTED_MODELS));
  const notes = listNotes(call, found, ranked.length, shown.length, args.search);
  const lines = shown.map((entry) => `- ${entry.model} · ${entry.label}`).join('\n');
  const heading = summaryLine(call.session.person.email, ranked.length, shown.length, args.search);
  return {
    structured: { models: shown, total: ranked.length, notes },
    text: joinResultText([heading, lines], notes),
    recordCount: shown.length,
  };
}

/**
 * Lists the models with `ir.model.get_available_models` of Odoo's `web` module: the
 * non-transient, non-abstract models the person's access rights let them read (Odoo 18.0
 * source), and none for portal users. A server without the method gets the standard models
 * checked one by one instead.
 */
async function readableModels(call: ToolCall, search: string | undefined): Promise<FoundModels> {
  try {
    const models = await call.modelsCache.models(call.odoo, call.session.odooUid);
    return { models, checkedStandardModels: false };
  } catch (error) {
    if (!isMissingMethodError(error, 'get_available_models')) {
      throw error;
    }
  }
  const { major } = await call.odoo.version();
  const candidates = STANDARD_MODELS.filter((entry) => matchRank(entry, search) !== undefined);
  const readable = await Promise.all(candidates.map((entry) => mayRead(call, entry.model, major)));
  return {
    models: candidates.filter((_, index) => readable[index] === true),
    checkedStandardModels: true,
  };
}

/** Tests whether the person may read `model`. A model that is not installed is not readable. */
async function mayRead(call: ToolCall, model: string, major: number): Promise<boolean> {
  try {
    return await checkReadAccess(call, model, major);
  } catch (error) {
    // Odoo raises "Object x doesn't exist" for a model whose module is not installed.
    if (error instanceof OdooError && unknownModelName(error) !== undefined) {
      return false;
    }
    throw error;
  }
}

/**
 * Checks the access rights with `has_access('read')` on 18.0 and later, and with
 * `check_access_rights('read', raise_exception=False)` before (17.0 has no `has_access`).
 * When the server lacks the method tried first, the other one is tried.
 */
async function checkReadAccess(call: ToolCall, model: string, major: number): Promise<boolean> {
  const first = major >= 18 ? 'has_access' : 'check_access_rights';
  try {
    return await accessCheck(call, model, first);
  } catch (error) {
    if (!isMissingMethodError(error, first)) {
      throw error;
    }
    return accessCheck(call, model, first === 'has_access' ? 'check_access_rights' : 'has_access');
  }
}

/**
 * Sends one access check. `check_access_rights` takes its arguments by name, because Odoo's
 * JSON-2 API (19.0) accepts named arguments only and the bridge does not map its signature.
 */
async function accessCheck(call: ToolCall, model: string, method: string): Promise<boolean> {
  const result =
    method === 'has_access'
      ? await call.odoo.executeKw<unknown>(model, 'has_access', [[], 'read'])
      : await call.odoo.executeKw<unknown>(model, 'check_access_rights', [], {
          operation: 'read',
          raise_exception: false,
        });
  return result === true;
}

/**
 * Ranks how well a model matches `search`, lower first: a model the word names in
 * EVERYDAY_WORDS, the exact name or label, a name starting with it, a label starting with it, a
 * name containing it, then a label containing it. Returns undefined when it matches neither.
 */
function matchRank(entry: ModelName, search: string | undefined): number | undefined {
  if (search === undefined) {
    return 0;
  }
  const everyday = everydayModels(search);
  const index = everyday.indexOf(entry.model);
  if (index !== -1) {
    return index - everyday.length;
  }
  const text = search.toLowerCase();
  const rank = textRank(entry, text);
  // A plural ("products") that matches nothing is tried in the singular, after real matches.
  return rank === undefined && text.endsWith('s')
    ? plus(textRank(entry, text.slice(0, -1)), 5)
    : rank;
}

function textRank(entry: ModelName, text: string): number | undefined {
  const model = entry.model.toLowerCase();
  const label = entry.label.toLowerCase();
  const ranks: Array<[boolean, number]> = [
    [model === text || label === text, 0],
    [model.startsWith(text), 1],
    [label.startsWith(text), 2],
    [model.includes(text), 3],
    [label.includes(text), 4],
  ];
  return ranks.find(([matches]) => matches)?.[1];
}

function plus(rank: number | undefined, offset: number): number | undefined {
  return rank === undefined ? undefined : rank + offset;
}

/**
 * Keeps the models that match `search`, best first, then shorter names, then alphabetically.
 * Without search, the standard business models come first, in the order of STANDARD_MODELS,
 * and the others follow alphabetically.
 */
function rankModels(models: readonly ModelName[], search: string | undefined): ModelName[] {
  const standardIndex = (entry: ModelName) => {
    const index = STANDARD_MODELS.findIndex((standard) => standard.model === entry.model);
    return index === -1 ? STANDARD_MODELS.length : index;
  };
  const scored = models
    .map((entry) => ({ entry, rank: matchRank(entry, search) }))
    .filter((item): item is { entry: ModelName; rank: number } => item.rank !== undefined);
  scored.sort((a, b) => {
    if (search === undefined) {
      const byStandard = standardIndex(a.entry) - standardIndex(b.entry);
      return byStandard || a.entry.model.localeCompare(b.entry.model);
    }
    const byLength = a.entry.model.length - b.entry.model.length;
    return a.rank - b.rank || byLength || a.entry.model.localeCompare(b.entry.model);
  });
  return scored.map((item) => item.entry);
}

/** Returns the leading models whose lines fit in `MAX_RESULT_CHARS`. */
function modelsThatFit(models: ModelName[]): ModelName[] {
  let length = 0;
  for (const [index, entry] of models.entries()) {
    length += entry.model.length + entry.label.length + 6;
    if (length > MAX_RESULT_CHARS) {
      return models.slice(0, index);
    }
  }
  return models;
}

function listNotes(
  call: ToolCall,
  found: FoundModels,
  total: number,
  shown: number,
  search: string | undefined,
): string[] {
  const notes: string[] = [];
  if (found.checkedStandardModels) {
    notes.push(
      'This Odoo has no ir.model.get_available_models (from its web module), so the bridge ' +
        `checked read access on ${STANDARD_MODELS.length} standard models only and lists ` +
        'those. Other models may be readable too: pass a technical name to describe_model ' +
        'to find out.',
    );
  } else if (found.models.length === 0) {
    notes.push(
      `Odoo listed no model for ${call.session.person.email}. It lists models only to ` +
        'internal users, so portal and public users get none.',
    );
  }
  const everyday = search === undefined ? [] : everydayModels(search);
  const named = everyday.filter((model) => found.models.some((entry) => entry.model === model));
  if (named.length > 0) {
    notes.push(`"${search}" usually means ${named.join(' or ')}, listed first.`);
  }
  if (shown < total) {
    const narrow = search === undefined ? 'pass search' : 'pass a longer search';
    notes.push(`${total - shown} more models match: ${narrow} to narrow the list.`);
  }
  return notes;
}

function summaryLine(
  email: string,
  total: number,
  shown: number,
  search: string | undefined,
): string {
  const matching = search === undefined ? '' : ` matching "${search}"`;
  if (total === 0) {
    return `No model${matching} that ${email} may read.`;
  }
  const noun = total === 1 ? 'model' : 'models';
  const showing = shown < total ? `; showing the first ${shown}` : '';
  return `${total} ${noun}${matching} that ${email} may read${showing}:`;
}
