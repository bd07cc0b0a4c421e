import { isGoogleUser, type ApiKeyOdooUser, type Grant } from '../authorization/grant.js';
import type { Logger } from '../log/logger.js';
import type { OdooClient } from '../odoo/client.js';
import { OdooError } from '../odoo/errors.js';
import { PeriodicCheck } from '../util/periodic-check.js';

const MAX_TRACKED_GRANTS = 10_000;
const GRANT_MEMORY_MS = 24 * 3600 * 1000;

/**
 * Re-checks each grant's Odoo API key with `common.authenticate`, at most once per interval
 * per grant on this instance. `execute_kw` alone is not enough: Odoo 18 keeps a per-process
 * cache of credentials it accepted, so a revoked or expired key can go on working for
 * `execute_kw` while `authenticate` already refuses it.
 */
export class OdooKeyChecks {
  private readonly checks: PeriodicCheck;

  constructor(
    private readonly odoo: OdooClient,
    intervalSeconds: number,
    private readonly logger: Logger,
  ) {
    this.checks = new PeriodicCheck({
      intervalMs: intervalSeconds * 1000,
      maxEntries: MAX_TRACKED_GRANTS,
      memoryMs: GRANT_MEMORY_MS,
    });
  }

  /**
   * Raises an `authentication` OdooError when Odoo no longer accepts the key. When Odoo cannot
   * be reached the request goes on: the tool call itself will report that.
   */
  async ensureValid(grant: Grant, confirmedAtSeconds?: number): Promise<void> {
    // A web session of google mode is checked by Odoo on every call, and renewed from Google.
    if (isGoogleUser(grant.odoo)) {
      return;
    }
    // Access tokens are issued only after Odoo accepted the key, at consent or refresh.
    if (confirmedAtSeconds !== undefined && !this.checks.hasChecked(grant.grantId)) {
      this.checks.markChecked(grant.grantId, confirmedAtSeconds * 1000);
    }
    const { odoo } = grant;
    await this.checks.ensure(grant.grantId, () => this.check(grant, odoo));
  }

  /** Records a key Odoo has just accepted, at sign-in or refresh. */
  confirm(grant: Grant): void {
    this.checks.markChecked(grant.grantId);
  }

  private async check(grant: Grant, user: ApiKeyOdooUser): Promise<void> {
    try {
      const uid = await this.odoo.authenticate({ login: user.login, apiKey: user.apiKey });
      if (uid !== user.uid) {
        throw new OdooError(
          'authentication',
          `the API key now signs in another Odoo user (uid ${uid})`,
        );
      }
      this.checks.markChecked(grant.grantId);
    } catch (error) {
      if (error instanceof OdooError && error.kind === 'authentication') {
        this.checks.markEnded(grant.grantId, error);
        this.logger.info(
          {
            event: 'odoo.key_ended',
            grant_id: grant.grantId,
            email: grant.person.email,
            odoo_uid: grant.odoo.uid,
          },
          'Odoo no longer accepts the API key of the grant; its tokens are refused from now on',
        );
        throw error;
      }
      if (error instanceof OdooError) {
        this.logger.warn(
          { event: 'odoo.key_check', grant_id: grant.grantId, email: grant.person.email, error },
          'Odoo could not confirm the API key; the request goes on and the check is retried',
        );
        return;
      }
      throw error;
    }
  }
}
