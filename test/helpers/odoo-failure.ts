import { expect } from 'vitest';
import { OdooError } from '../../src/odoo/errors.js';

/** Awaits a promise that must fail with an OdooError, and returns that error. */
export async function failureOf(promise: Promise<unknown>): Promise<OdooError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OdooError);
    return error as OdooError;
  }
  throw new Error('the call succeeded, but an OdooError was expected');
}
