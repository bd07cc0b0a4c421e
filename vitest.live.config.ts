import { defineConfig } from 'vitest/config';

/** The live suite: tool scenarios against a real Odoo named by LIVE_ODOO_* variables. */
export default defineConfig({
  test: {
    include: ['test/live/**/*.live.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
