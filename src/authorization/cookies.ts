import { createHash } from 'node:crypto';
import { parse, serialize } from 'hono/utils/cookie';
import type { BridgeSettings } from '../context.js';

/**
 * Cookie names and attributes. Over https every cookie is `__Host-` (Secure, Path=/, no
 * Domain), so no other site or subdomain can set or read it. The loopback demo runs on plain
 * http, where a Secure cookie is not kept by every browser, so there the prefix is left out.
 */
export class BridgeCookies {
  private readonly secure: boolean;

  constructor(settings: BridgeSettings) {
    this.secure = settings.publicUrl.protocol === 'https:';
  }

  /** Names the cookie of one sign-in flow by its state, so parallel flows do not collide. */
  transactionName(state: string): string {
    return this.name(`omb-tx-${state}`);
  }

  /** Names the link cookie of one upstream subject, which lets a browser skip pasting the key. */
  linkName(sub: string): string {
    const digest = createHash('sha256').update(sub).digest('base64url').slice(0, 16);
    return this.name(`omb-link-${digest}`);
  }

  read(request: Request, name: string): string | undefined {
    const header = request.headers.get('cookie');
    if (header === null) {
      return undefined;
    }
    return parse(header, name)[name];
  }

  /** Formats a Set-Cookie value: HttpOnly, and SameSite=Lax so it rides the issuer's redirect back. */
  set(name: string, value: string, maxAgeSeconds: number): string {
    return serialize(name, value, {
      path: '/',
      httpOnly: true,
      secure: this.secure,
      sameSite: 'Lax',
      maxAge: maxAgeSeconds,
    });
  }

  clear(name: string): string {
    return this.set(name, '', 0);
  }

  private name(base: string): string {
    return this.secure ? `__Host-${base}` : base;
  }
}
