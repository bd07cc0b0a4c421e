import { ToolError } from './errors.js';

/** A calendar day in the person's time zone, as `YYYY-MM-DD`. */
export type LocalDate = string;

/** A run of whole days in the person's time zone, both ends included. */
export interface Period {
  first: LocalDate;
  last: LocalDate;
}

/** The forms `resolvePeriod` accepts, for error messages and tool descriptions. */
export const DATE_FORMS =
  'a date (2026-03-31), a month (2026-03), a year (2026), today, yesterday, tomorrow, ' +
  'this/last/next week, month, quarter or year, last or next N days, weeks or months ' +
  '(such as "last 30 days"), year to date, month to date';

const DAY_MS = 86_400_000;
const ODOO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const FIRST_ODOO_DAY = '0001-01-01';
const UNITS = ['day', 'week', 'month', 'quarter', 'year'] as const;
type Unit = (typeof UNITS)[number];

const SHIFTS: Record<string, number> = { this: 0, current: 0, last: -1, previous: -1, next: 1 };
const MONTHS_PER: Record<'month' | 'quarter' | 'year', number> = { month: 1, quarter: 3, year: 12 };

interface DayParts {
  year: number;
  month: number;
  day: number;
}

/**
 * Resolves a date or a relative expression ("this month", "last 30 days") to the days it
 * names in time zone `tz`. Weeks start on Monday (ISO 8601). Raises a ToolError listing the
 * accepted forms for anything else.
 */
export function resolvePeriod(expression: string, tz: string, nowMs = Date.now()): Period {
  const text = expression.trim().toLowerCase().replace(/\s+/g, ' ');
  const today = todayIn(tz, nowMs);
  const period = absolutePeriod(text) ?? namedPeriod(text, today) ?? countedPeriod(text, today);
  if (period === undefined) {
    throw new ToolError(
      'invalid_date',
      `"${expression}" is not a date the bridge understands; use ${DATE_FORMS}.`,
    );
  }
  if (!isOdooDay(period.first) || !isOdooDay(period.last)) {
    throw new ToolError(
      'invalid_date',
      `"${expression}" reaches outside the years 1 to 9999, which are all that Odoo's dates ` +
        'hold; use a date within them.',
    );
  }
  return period;
}

/**
 * Tells whether a formatted day is one Odoo can store: Python's `date` runs from year 1 to
 * 9999, and a year outside them formats as no `YYYY-MM-DD` here.
 */
function isOdooDay(day: LocalDate): boolean {
  return ODOO_DAY.test(day) && day >= FIRST_ODOO_DAY;
}

/** Resolves an expression for the start of a range: the first day of the period it names. */
export function resolveFrom(expression: string, tz: string, nowMs = Date.now()): LocalDate {
  return resolvePeriod(expression, tz, nowMs).first;
}

/** Resolves an expression for the end of a range: the last day of the period it names. */
export function resolveTo(expression: string, tz: string, nowMs = Date.now()): LocalDate {
  return resolvePeriod(expression, tz, nowMs).last;
}

/** Returns today's date in a time zone. */
export function todayIn(tz: string, nowMs = Date.now()): LocalDate {
  const parts = zonedParts(nowMs, tz);
  return formatDay(parts);
}

/**
 * Converts local days to the UTC bounds of a datetime field, `[start, end)`, as Odoo stores
 * datetimes in UTC as `YYYY-MM-DD HH:MM:SS`. `end` is midnight after the last day.
 */
export function utcBounds(
  first: LocalDate,
  last: LocalDate,
  tz: string,
): { start: string; end: string } {
  const startMs = localMidnightToUtcMs(parseDay(first), tz);
  const endMs = localMidnightToUtcMs(addDays(parseDay(last), 1), tz);
  if (!isOdooInstant(startMs) || !isOdooInstant(endMs)) {
    throw new ToolError(
      'invalid_date',
      `The days ${first} to ${last} in ${tz} reach outside Odoo's datetimes, which run from ` +
        'year 1 to 9999 in UTC; leave out the end of the range at the edge of the calendar.',
    );
  }
  return { start: formatUtc(startMs), end: formatUtc(endMs) };
}

/** Tells whether an instant can be written as an Odoo datetime, whose year has four digits. */
function isOdooInstant(instantMs: number): boolean {
  return instantMs >= utcMs(1, 0, 1) && instantMs < utcMs(10_000, 0, 1);
}

/** Shows an Odoo datetime (UTC) in a time zone with the zone named: "2026-12-03 10:20 PST". */
export function formatInZone(odooDatetime: string, tz: string): string {
  const instantMs = parseOdooDatetime(odooDatetime);
  if (instantMs === undefined) {
    return odooDatetime;
  }
  const zone = zoneAt(instantMs, tz);
  return `${shiftedMinute(instantMs + zone.offsetMs)} ${zone.name}`;
}

/** Shows an Odoo datetime (UTC) as the local "YYYY-MM-DD HH:MM" of a time zone. */
export function toLocalMinute(odooDatetime: string, tz: string): string | undefined {
  const instantMs = parseOdooDatetime(odooDatetime);
  return instantMs === undefined ? undefined : localMinute(instantMs, tz);
}

/** Reads Odoo's "YYYY-MM-DD HH:MM:SS" (UTC) as milliseconds since the epoch. */
function parseOdooDatetime(odooDatetime: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(odooDatetime);
  if (match === null) {
    return undefined;
  }
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return utcMs(year!, month! - 1, day!, hour!, minute!, second ?? 0);
}

function localMinute(instantMs: number, tz: string): string {
  return shiftedMinute(instantMs + zoneAt(instantMs, tz).offsetMs);
}

/** Formats an instant already shifted by a zone's offset as "YYYY-MM-DD HH:MM". */
function shiftedMinute(shiftedMs: number): string {
  const date = new Date(shiftedMs);
  const day = {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
  };
  return `${formatDay(day)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

function absolutePeriod(text: string): Period | undefined {
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match !== null) {
    const day = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
    checkRealDay(day, text);
    return { first: formatDay(day), last: formatDay(day) };
  }
  match = /^(\d{4})-(\d{2})$/.exec(text);
  if (match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12) {
    return unitPeriod({ year: Number(match[1]), month: Number(match[2]), day: 1 }, 'month');
  }
  match = /^(\d{4})$/.exec(text);
  if (match !== null) {
    return unitPeriod({ year: Number(match[1]), month: 1, day: 1 }, 'year');
  }
  return undefined;
}

function namedPeriod(text: string, today: LocalDate): Period | undefined {
  const day = parseDay(today);
  const single: Record<string, number> = { today: 0, yesterday: -1, tomorrow: 1 };
  if (text in single) {
    const date = formatDay(addDays(day, single[text]!));
    return { first: date, last: date };
  }
  if (text === 'year to date' || text === 'ytd') {
    return { first: `${day.year}-01-01`, last: today };
  }
  if (text === 'month to date' || text === 'mtd') {
    return { first: formatDay({ ...day, day: 1 }), last: today };
  }
  const match = /^(this|current|last|previous|next) (week|month|quarter|year)$/.exec(text);
  if (match === null) {
    return undefined;
  }
  const shift = SHIFTS[match[1]!] ?? 0;
  const unit = match[2] as Unit;
  return unitPeriod(shiftUnit(startOf(day, unit), unit, shift), unit);
}

/** "last 30 days" ends today and counts today; "next 7 days" starts today. */
function countedPeriod(text: string, today: LocalDate): Period | undefined {
  const match = /^(last|past|next) (\d{1,4}) (day|week|month|year)s?$/.exec(text);
  if (match === null || Number(match[2]) < 1) {
    return undefined;
  }
  const count = Number(match[2]);
  const unit = match[3] as Unit;
  const day = parseDay(today);
  if (match[1] === 'next') {
    return { first: today, last: formatDay(addDays(shiftUnit(day, unit, count), -1)) };
  }
  return { first: formatDay(addDays(shiftUnit(day, unit, -count), 1)), last: today };
}

function unitPeriod(start: DayParts, unit: Unit): Period {
  const next = shiftUnit(start, unit, 1);
  return { first: formatDay(start), last: formatDay(addDays(next, -1)) };
}

function startOf(day: DayParts, unit: Unit): DayParts {
  switch (unit) {
    case 'day':
      return day;
    case 'week': {
      const weekday = new Date(utcMs(day.year, day.month - 1, day.day)).getUTCDay();
      return addDays(day, -((weekday + 6) % 7));
    }
    case 'month':
      return { ...day, day: 1 };
    case 'quarter':
      return { year: day.year, month: Math.floor((day.month - 1) / 3) * 3 + 1, day: 1 };
    case 'year':
      return { year: day.year, month: 1, day: 1 };
  }
}

/** Moves a day by whole units; a month shift keeps the day when the month has it. */
function shiftUnit(day: DayParts, unit: Unit, count: number): DayParts {
  if (unit === 'day') {
    return addDays(day, count);
  }
  if (unit === 'week') {
    return addDays(day, 7 * count);
  }
  const months = MONTHS_PER[unit] * count;
  const index = day.year * 12 + (day.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(utcMs(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(day.day, lastDay) };
}

function addDays(day: DayParts, count: number): DayParts {
  const date = new Date(utcMs(day.year, day.month - 1, day.day) + count * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function checkRealDay(day: DayParts, text: string): void {
  const date = new Date(utcMs(day.year, day.month - 1, day.day));
  if (date.getUTCMonth() !== day.month - 1 || date.getUTCDate() !== day.day) {
    throw new ToolError('invalid_date', `${text} is not a day of the calendar.`);
  }
}

function parseDay(text: LocalDate): DayParts {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

function formatDay(day: DayParts): LocalDate {
  return `${String(day.year).padStart(4, '0')}-${pad(day.month)}-${pad(day.day)}`;
}

function formatUtc(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Returns the milliseconds since the epoch of a UTC wall time. Unlike `Date.UTC`, which reads
 * years 0 to 99 as 1900 to 1999, it keeps every year as given.
 */
function utcMs(
  year: number,
  monthIndex: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function zonedParts(
  instantMs: number,
  tz: string,
): DayParts & { hour: number; minute: number; second: number } {
  const format = cachedFormat(
    `parts ${tz}`,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  );
  const parts = Object.fromEntries(
    format.formatToParts(new Date(instantMs)).map((part) => [part.type, part.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/**
 * Finds the UTC instant of local midnight. The zone's offset is read at a first guess and
 * read again at the corrected instant, which settles it even across a daylight saving change.
 */
function localMidnightToUtcMs(day: DayParts, tz: string): number {
  const wallMs = utcMs(day.year, day.month - 1, day.day);
  let guess = wallMs - offsetMs(wallMs, tz);
  guess = wallMs - offsetMs(guess, tz);
  return guess;
}

function offsetMs(instantMs: number, tz: string): number {
  const parts = zonedParts(instantMs, tz);
  const asUtc = utcMs(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** A zone's offset from UTC and its short name, over a span in which neither changes. */
interface ZoneSpan {
  offsetMs: number;
  name: string;
}

/**
 * The zone spans found so far, by zone and UTC day; null for a day on which the zone changes.
 * Reading them from Intl takes a few formatToParts calls, which cost most of a search_records
 * call's CPU when made for every datetime shown. The bound only guards against a flood.
 */
const ZONE_DAYS = new Map<string, ZoneSpan | null>();
const MAX_ZONE_DAYS = 50_000;

/** Returns the zone's offset and name at an instant, from the cached span of its UTC day. */
function zoneAt(instantMs: number, tz: string): ZoneSpan {
  const dayStartMs = Math.floor(instantMs / DAY_MS) * DAY_MS;
  const key = `${tz} ${dayStartMs}`;
  let span = ZONE_DAYS.get(key);
  if (span === undefined) {
    span = steadyDay(dayStartMs, tz);
    if (ZONE_DAYS.size >= MAX_ZONE_DAYS) {
      ZONE_DAYS.clear();
    }
    ZONE_DAYS.set(key, span);
  }
  return span ?? { offsetMs: offsetMs(instantMs, tz), name: zoneName(instantMs, tz) };
}

/**
 * Returns the zone's span for a UTC day when the offset and the name at its first and last
 * second agree, or null, so that a day with a change is computed per instant.
 * NOTE: a zone that changed and changed back within one UTC day would show the outer offset all
 * day. Changes lie weeks apart in today's rules; older ones were only checked at random.
 */
function steadyDay(dayStartMs: number, tz: string): ZoneSpan | null {
  const lastSecondMs = dayStartMs + DAY_MS - 1000;
  const offset = offsetMs(dayStartMs, tz);
  const name = zoneName(dayStartMs, tz);
  if (offset !== offsetMs(lastSecondMs, tz) || name !== zoneName(lastSecondMs, tz)) {
    return null;
  }
  return { offsetMs: offset, name };
}

/**
 * Names the zone at an instant by its short name. `en-US` has the American abbreviations
 * ("PST") and `en-GB` the European ones ("CET"). Each writes a bare offset ("GMT+1") for a
 * zone it has no name for, so the offset is kept only when neither locale has a name.
 */
function zoneName(instantMs: number, tz: string): string {
  if (tz === 'UTC' || tz === 'Etc/UTC') {
    return 'UTC';
  }
  let offset: string | undefined;
  for (const locale of ZONE_NAME_LOCALES) {
    const name = shortZoneName(instantMs, tz, locale);
    if (name !== undefined && !GMT_OFFSET.test(name)) {
      return name;
    }
    offset ??= name;
  }
  return offset ?? tz;
}

const ZONE_NAME_LOCALES = ['en-US', 'en-GB'] as const;

/** A zone name that is only an offset from GMT, such as "GMT+1" or "GMT-3:30". */
const GMT_OFFSET = /^(GMT|UTC)[+-]/;

function shortZoneName(instantMs: number, tz: string, locale: string): string | undefined {
  const format = cachedFormat(
    `zone ${locale} ${tz}`,
    () => new Intl.DateTimeFormat(locale, { timeZone: tz, timeZoneName: 'short' }),
  );
  return format.formatToParts(new Date(instantMs)).find((part) => part.type === 'timeZoneName')
    ?.value;
}

/**
 * The date formatters made so far, by purpose, locale and time zone. Making one costs far more
 * than formatting with it (most of a search_records call's CPU when each value made its own),
 * and a deployment sees few zones, so they are kept; the bound only guards against a flood.
 */
const FORMATS = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATS = 1000;

function cachedFormat(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = FORMATS.get(key);
  if (format === undefined) {
    if (FORMATS.size >= MAX_FORMATS) {
      FORMATS.clear();
    }
    format = make();
    FORMATS.set(key, format);
  }
  return format;
}
