import type { Grant } from '../authorization/grant.js';
import type { Logger } from '../log/logger.js';
import { TtlCache } from '../util/ttl-cache.js';
import { UpstreamError } from './errors.js';
import type { UpstreamIssuer, UpstreamTokens } from './issuer.js';

interface RecheckState {
  checkedAtMs: number;
  tokens: UpstreamTokens;
}

const MAX_TRACKED_GRANTS = 10_000;
/** A grant the issuer ended stays refused on this instance for as long as its tokens can live. */
const ENDED_GRANT_MEMORY_MS = 24 * 3600 * 1000;
/** An upstream access token this close to expiry is refreshed rather than used. */
const EXPIRY_MARGIN_SECONDS = 60;

/**
 * Re-checks grants at the upstream issuer, at most once per interval per grant on this
 * instance, so that removing a person at the issuer ends their access within that bound.
 */
export class UpstreamRechecks {
  private readonly state = new TtlCache<string, RecheckState>(MAX_TRACKED_GRANTS);
  private readonly ended = new TtlCache<string, string>(MAX_TRACKED_GRANTS);
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly issuer: UpstreamIssuer,
    private readonly intervalSeconds: number,
    private readonly logger: Logger,
  ) {}

  /**
   * Ensures the grant was confirmed within the interval. Raises `rejected` when the issuer
   * has ended it. When the issuer cannot be reached the request goes on, and the check is
   * retried on the next request; the access token's own expiry still bounds the delay.
   */
  async ensureFresh(grant: Grant): Promise<void> {
    this.throwIfEnded(grant.grantId);
    const known = this.state.get(grant.grantId);
    if (known !== undefined && Date.now() - known.checkedAtMs < this.intervalSeconds * 1000) {
      return;
    }

    let pending = this.inFlight.get(grant.grantId);
    if (pending === undefined) {
      pending = this.check(grant, known?.tokens ?? grant.upstream).finally(() => {
        this.inFlight.delete(grant.grantId);
      });
      this.inFlight.set(grant.grantId, pending);
    }
    await pending;
  }

  /** Checks the grant now, as every refresh does, and returns the upstream tokens to seal. */
  async recheckNow(grant: Grant): Promise<UpstreamTokens> {
    this.throwIfEnded(grant.grantId);
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

  /** Records the sign-in itself as the grant's last confirmation, so no re-check follows at once. */
  confirmSignIn(grant: Grant): void {
    if (!this.state.has(grant.grantId)) {
      this.state.set(
        grant.grantId,
        { checkedAtMs: grant.authTime * 1000, tokens: grant.upstream },
        ENDED_GRANT_MEMORY_MS,
      );
    }
  }

  /** Refuses the grant on this instance from now on, after `/revoke` ended it upstream. */
  markEnded(grantId: string, reason: string): void {
    this.ended.set(grantId, reason, ENDED_GRANT_MEMORY_MS);
    this.state.delete(grantId);
  }

  private async check(grant: Grant, tokens: UpstreamTokens): Promise<void> {
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
    this.state.set(grantId, { checkedAtMs: Date.now(), tokens }, ENDED_GRANT_MEMORY_MS);
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

  private throwIfEnded(grantId: string): void {
    const reason = this.ended.get(grantId);
    if (reason !== undefined) {
      throw new UpstreamError('rejected', reason);
    }
  }
}
