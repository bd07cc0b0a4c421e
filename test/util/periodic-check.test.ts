import { describe, expect, it } from 'vitest';
import { PeriodicCheck } from '../../src/util/periodic-check.js';

function checker(intervalMs: number, clock: { now: number }) {
  return new PeriodicCheck({
    intervalMs,
    maxEntries: 10,
    memoryMs: 60_000,
    nowMs: () => clock.now,
  });
}

describe('PeriodicCheck', () => {
  it('skips a check within the interval', async () => {
    const clock = { now: 0 };
    const checks = checker(1000, clock);
    let runs = 0;
    const check = async () => {
      runs += 1;
      checks.markChecked('a');
    };
    await checks.ensure('a', check);
    clock.now = 999;
    await checks.ensure('a', check);
    clock.now = 1000;
    await checks.ensure('a', check);
    expect(runs).toBe(2);
  });

  it('shares a check in flight', async () => {
    const checks = checker(0, { now: 0 });
    let runs = 0;
    let release: () => void = () => {};
    const check = () =>
      new Promise<void>((resolve) => {
        runs += 1;
        release = resolve;
      });
    const first = checks.ensure('a', check);
    const second = checks.ensure('a', check);
    release();
    await Promise.all([first, second]);
    expect(runs).toBe(1);
  });

  it('fails at once for an ended key', async () => {
    const checks = checker(1000, { now: 0 });
    checks.markEnded('a', new Error('revoked'));
    let runs = 0;
    await expect(checks.ensure('a', async () => void (runs += 1))).rejects.toThrow('revoked');
    expect(runs).toBe(0);
  });

  it('checks every time with interval 0', async () => {
    const checks = checker(0, { now: 0 });
    let runs = 0;
    const check = async () => {
      runs += 1;
      checks.markChecked('a');
    };
    await checks.ensure('a', check);
    await checks.ensure('a', check);
    expect(runs).toBe(2);
  });
});
