import type { OdooVersion } from './types.js';

/**
 * The protocol of model calls: `jsonrpc` is `object.execute_kw` on `/jsonrpc`, `json2` is
 * `POST /json/2/<model>/<method>` with a bearer API key.
 */
export type OdooProtocol = 'jsonrpc' | 'json2';

/** The protocol a client uses: one of them, or `auto` to choose by the server version. */
export type OdooProtocolSetting = OdooProtocol | 'auto';

/**
 * Odoo 19.0 added the JSON-2 API. Its server logs that `/jsonrpc` is deprecated and due for
 * removal in Odoo 22, as recorded from 19.0.
 */
const FIRST_JSON2_MAJOR = 19;

/** Chooses JSON-2 for Odoo 19 and later, "saas~19.x" included, and JSON-RPC before. */
export function protocolForVersion(version: OdooVersion): OdooProtocol {
  return version.major >= FIRST_JSON2_MAJOR ? 'json2' : 'jsonrpc';
}
