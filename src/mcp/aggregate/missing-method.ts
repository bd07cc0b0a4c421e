import { OdooError } from '../../odoo/errors.js';

/**
 * Tests whether `error` is Odoo's error for a model method it does not have. Odoo 17.0-19.0
 * raise AttributeError "The method 'formatted_read_group' does not exist on the model
 * 'sale.order'" over JSON-RPC, and 19.0's JSON-2 API returns "The method
 * 'res.partner.no_such_method' does not exist". The client files both as invalid requests.
 */
export function isMissingMethodError(error: unknown, method: string): boolean {
  if (!(error instanceof OdooError) || error.kind !== 'invalid_request') {
    return false;
  }
  const quoted = /^The method '([\w.]+)' does not exist/.exec(error.message)?.[1];
  return quoted === method || quoted?.endsWith(`.${method}`) === true;
}
