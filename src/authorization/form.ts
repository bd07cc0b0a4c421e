import { OAuthError } from './errors.js';

/** Largest form body the token, revocation and consent endpoints read. */
export const MAX_FORM_BYTES = 64 * 1024;

/** Reads an `application/x-www-form-urlencoded` body, as RFC 6749 §3.2 requires at /token. */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
    throw new OAuthError(
      'invalid_request',
      `Content-Type must be application/x-www-form-urlencoded, not "${type || 'none'}"`,
    );
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_FORM_BYTES) {
    throw new OAuthError('invalid_request', `body is larger than ${MAX_FORM_BYTES} bytes`);
  }
  return new URLSearchParams(text);
}

/** Reads a parameter that must appear at most once (RFC 6749 §3.1 and §3.2). */
export function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) {
    throw new OAuthError('invalid_request', `parameter ${name} appears more than once`);
  }
  const value = values[0];
  return value === '' ? undefined : value;
}

/** Reads a parameter that must appear exactly once. */
export function required(params: URLSearchParams, name: string): string {
  const value = single(params, name);
  if (value === undefined) {
    throw new OAuthError('invalid_request', `parameter ${name} is missing`);
  }
  return value;
}
