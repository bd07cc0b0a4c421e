import type { Grant } from '../authorization/grant.js';
import type { Logger } from '../log/logger.js';
import { PeriodicCheck } from '../util/periodic-check.js';
import { TtlCache } from '../util/ttl-cache.js';
import { UpstreamError } from './errors.js';
import type { UpstreamIssuer, UpstreamTokens } from './issuer.js';

const MAX_TRACKED_GRANTS = 10_000;
/** A grant the issuer ended stays refused on this instance for as long as its tokens can live. */
const GRANT_MEMORY_MS = 24 * 3600 * 1000;
/** An upstream access token this close to expiry is refreshed rather than used. */
const EXPIRY_MARGIN_SECONDS = 60;

/**
 * Re-checks grants at the upstream issuer, at most once per interval per grant on this
 * instance, so that removing a person at the issuer ends their access within that bound.
 */
export class UpstreamRechecks {
  private readonly checks: PeriodicCheck;
  /** The newest upstream tokens of each grant: a refresh on this instance replaces the sealed ones. */
  private readonly tokens = new TtlCache<string, UpstreamTokens>(
    MAX_TRACKED_GRANTS,
    GRANT_MEMORY_MS,
  );

  constructor(
    private readonly issuer: UpstreamIssuer,
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
   * Ensures the grant was confirmed within the interval. Raises `rejected` when the issuer
   * has ended it. When the issuer cannot be reached the request goes on and the check is
   * retried on the next request, so the access token's own expiry still bounds the delay.
   */
  async ensureFresh(grant: Grant, confirmedAtSeconds?: number): Promise<void> {
    this.seed(grant.grantId, confirmedAtSeconds);
    await this.checks.ensure(grant.grantId, () => this.check(grant));
  }

  /**
   * Records `confirmedAtSeconds`, the issue time of the access token in hand, as the grant's
   * last confirmation when this instance has none. The bridge issues access tokens only after
   * checking the person at the issuer (at sign-in or refresh), so a new instance need not
   * check again within the interval.
   */
  private seed(grantId: string, confirmedAtSeconds: number | undefined): void {
    if (confirmedAtSeconds !== undefined && !this.checks.hasChecked(grantId)) {
      this.checks.markChecked(grantId, confirmedAtSeconds * 1000);
    }
  }

  /** Checks the grant now, as every refresh does, and returns the upstream tokens to seal. */
  async recheckNow(grant: Grant): Promise<UpstreamTokens> {
    this.checks.throwIfEnded(grant.grantId);
    const nowSeconds = Math.floor(Date.now() / 1000);
    try {
      const tokens = await this.issuer.recheck(grant.upstream, grant.person.sub, nowSeconds);
      this.remember(grant.grantId, tokens);
      return tokens;
    } catch (error) {
      this.forgetIfEnded(grant, error);
      throw error;
    }
  }

  /**
   * Returns upstream tokens of the grant with an access token that is still valid: the newest
   * this instance knows, refreshed at the issuer when they are about to expire. Google mode
   * presents that token to Odoo to open a new session.
   */
  async freshTokens(grant: Grant): Promise<UpstreamTokens> {
    this.checks.throwIfEnded(grant.grantId);
    const tokens = this.tokens.get(grant.grantId) ?? grant.upstream;
    const nowSeconds = Math.floor(Date.now() / 1000);
    if (tokens.expiresAt - EXPIRY_MARGIN_SECONDS > nowSeconds) {
      return tokens;
    }
    try {
      const refreshed = await this.issuer.recheck(tokens, grant.person.sub, nowSeconds);
      this.remember(grant.grantId, refreshed);
      return refreshed;
    } catch (error) {
      this.forgetIfEnded(grant, error);
      throw error;
    }
  }

  /** Records the sign-in itself as the grant's last confirmation, so no re-check follows at once. */
  confirmSignIn(grant: Grant): void {
    if (!this.checks.hasChecked(grant.grantId)) {
      this.checks.markChecked(grant.grantId, grant.authTime * 1000);
    }
  }

  /** Refuses the grant on this instance from now on, after `/revoke` ended it upstream. */
  markEnded(grantId: string, reason: string): void {
    this.checks.markEnded(grantId, new UpstreamError('rejected', reason));
    this.tokens.delete(grantId);
  }

  private async check(grant: Grant): Promise<void> {
    const tokens = this.tokens.get(grant.grantId) ?? grant.upstream;
    const nowSeconds = Math.floor(Date.now() / 1000);
    try {
      if (tokens.expiresAt - EXPIRY_MARGIN_SECONDS > nowSeconds) {
        await this.issuer.userinfo(tokens, grant.person.sub);
        this.remember(grant.grantId, tokens);
        return;
      }
      const refreshed = await this.issuer.recheck(tokens, grant.person.sub, nowSeconds);
      this.remember(grant.grantId, refreshed);
    } catch (error) {
      this.forgetIfEnded(grant, error);
      if (error instanceof UpstreamError && error.kind === 'unavailable') {
        this.logger.warn(
          { event: 'upstream.recheck', grant_id: grant.grantId, email: grant.person.email, error },
          'Upstream issuer unreachable during re-check; the request goes on and the check is retried',
        );
        return;
      }
      throw error;
    }
  }

  private remember(grantId: string, tokens: UpstreamTokens): void {
    this.tokens.set(grantId, tokens);
    this.checks.markChecked(grantId);
  }

  private forgetIfEnded(grant: Grant, error: unknown): void {
    if (error instanceof UpstreamError && error.kind === 'rejected') {
      this.markEnded(grant.grantId, error.message);
      this.logger.info(
        { event: 'upstream.grant_ended', grant_id: grant.grantId, email: grant.person.email },
        'The upstream issuer ended the grant; its tokens are refused from now on',
      );
    }
  }
}
