import type { FieldMap } from '../fields.js';
import { recordUrl } from '../render.js';
import type { ToolCall } from '../tool.js';

/** Keeps the names of fields the model has, so that one Odoo version's absent field is skipped. */
export function presentFields(names: readonly string[], fields: FieldMap): string[] {
  return names.filter((name) => fields.has(name));
}

/** Builds a function that returns the web client link of a record of `model`. */
export async function linkMaker(call: ToolCall, model: string): Promise<(id: number) => string> {
  const version = await call.odoo.version();
  return (id) => recordUrl(call.session.odooWebUrl, version, model, id);
}
