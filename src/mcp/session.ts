import type { OdooAuthMode } from '../config/env.js';
import type { Logger } from '../log/logger.js';
import type { OdooConnection } from '../odoo/types.js';

/** The person an MCP session serves, as the bridge signed them in. */
export interface SessionPerson {
  email: string;
  name?: string;
}

/**
 * One person's MCP session: every tool call runs through `connection`, which carries that
 * person's own Odoo login and API key, so Odoo's access rights decide what the tools return.
 */
export interface ToolSession {
  connection: OdooConnection;
  person: SessionPerson;
  /** The Odoo user id `connection` signs in as. */
  odooUid: number;
  /** The MCP client's name, such as "claude-ai", for the audit log. */
  clientName?: string;
  /** The bridge's grant id of this session's access token, for the audit log. */
  grantId?: string;
  logger: Logger;
  /** Base URL of the Odoo web client, for record links. */
  odooWebUrl: URL;
  /** How `connection` signs in to Odoo, for the advice of an authentication error. Default api_key. */
  odooAuth?: OdooAuthMode;
}
