import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolvePeriod, utcBounds } from '../../src/mcp/dates.js';
import { ToolError } from '../../src/mcp/errors.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ODOO_DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

const ZONES = [
  'UTC',
  'America/Los_Angeles',
  'Europe/Brussels',
  'Asia/Kolkata',
  'Pacific/Kiritimati',
];

/** A fixed "now", so that the relative expressions resolve the same on every run. */
const NOW_MS = Date.UTC(2026, 11, 4, 15, 30);

const digits = (length: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: length, maxLength: length });

/** The forms of `DATE_FORMS`, with numbers anywhere in their range and beyond. */
const dateExpression: fc.Arbitrary<string> = fc.oneof(
  digits(4).map((year) => year.join('')),
  fc.tuple(digits(4), digits(2)).map(([year, month]) => `${year.join('')}-${month.join('')}`),
  fc
    .tuple(digits(4), digits(2), digits(2))
    .map(([year, month, day]) => `${year.join('')}-${month.join('')}-${day.join('')}`),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 31 }),
    )
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`),
  fc.constantFrom('today', 'yesterday', 'tomorrow', 'year to date', 'ytd', 'month to date', 'mtd'),
  fc
    .tuple(
      fc.constantFrom('this', 'current', 'last', 'previous', 'next'),
      fc.constantFrom('week', 'month', 'quarter', 'year'),
    )
    .map(([shift, unit]) => `${shift} ${unit}`),
  fc
    .tuple(
      fc.constantFrom('last', 'past', 'next'),
      fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1, 99, 100, 2025, 2026, 2027)),
      fc.constantFrom('day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years'),
    )
    .map(([direction, count, unit]) => `${direction} ${count} ${unit}`),
  fc.string({ maxLength: 16 }),
);

/** Case and spacing that a person might type around a form. */
const typedExpression = fc
  .tuple(dateExpression, fc.boolean(), fc.constantFrom('', ' ', '  ', '\t'))
  .map(([text, upper, space]) => `${space}${upper ? text.toUpperCase() : text}${space}`);

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function isCalendarDay(day: string): boolean {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const parsed = new Date(0);
  parsed.setUTCFullYear(year, month - 1, date);
  return parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === date;
}

function nextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const parsed = new Date(0);
  parsed.setUTCFullYear(year, month - 1, date + 1);
  return parsed.toISOString().slice(0, 10);
}

describe('date expressions', () => {
  it('resolve to real days or a date error', () => {
    fc.assert(
      fc.property(typedExpression, fc.constantFrom(...ZONES), (expression, tz) => {
        let period;
        try {
          period = resolvePeriod(expression, tz, NOW_MS);
        } catch (error) {
          expect(error).toBeInstanceOf(ToolError);
          expect((error as ToolError).kind).toBe('invalid_date');
          return;
        }
        expect(period.first).toMatch(DAY);
        expect(period.last).toMatch(DAY);
        expect(isCalendarDay(period.first), period.first).toBe(true);
        expect(isCalendarDay(period.last), period.last).toBe(true);
        expect(period.first <= period.last, `${period.first} <= ${period.last}`).toBe(true);
        const year = /^\s*(\d{4})(-|\s*$)/.exec(expression)?.[1];
        if (year !== undefined) {
          expect(period.first.slice(0, 4)).toBe(year);
          expect(period.last.slice(0, 4)).toBe(year);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('bound datetimes by the days they name', () => {
    fc.assert(
      fc.property(dateExpression, fc.constantFrom(...ZONES), (expression, tz) => {
        let period;
        try {
          period = resolvePeriod(expression, tz, NOW_MS);
        } catch {
          return;
        }
        let bounds;
        try {
          bounds = utcBounds(period.first, period.last, tz);
        } catch (error) {
          expect(error).toBeInstanceOf(ToolError);
          const atEdge = period.first.startsWith('0001-') || period.last.startsWith('9999-');
          expect(atEdge, `${period.first} to ${period.last} is at the edge of the calendar`).toBe(
            true,
          );
          return;
        }
        expect(bounds.start).toMatch(ODOO_DATETIME);
        expect(bounds.end).toMatch(ODOO_DATETIME);
        expect(bounds.start < bounds.end, `${bounds.start} < ${bounds.end}`).toBe(true);
        if (tz === 'UTC') {
          expect(bounds.start).toBe(`${period.first} 00:00:00`);
          expect(bounds.end).toBe(`${nextDay(period.last)} 00:00:00`);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
