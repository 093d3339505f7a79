/**
 * ISO 8601 durations, date-times and repeating intervals: what BPMN timers are written in.
 * Pure arithmetic in UTC (no time zones beyond explicit offsets), so runs replay identically.
 */

/** An ISO 8601 duration split into its designators; only time parts may be fractional. */
export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

/** A repeating interval `R[n]/[start/]interval`; `repetitions` null means forever. */
export interface Cycle {
  readonly repetitions: number | null;
  readonly start?: number;
  readonly interval: Duration;
}

export type TimerKind = 'duration' | 'date' | 'cycle';

const DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

const MS = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** Parses `P[n]Y[n]M[n]W[n]DT[n]H[n]M[n]S`; null when it is not one (or has no designator). */
export function parseDuration(text: string): Duration | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const parts = match.slice(1);
  if (parts.every((part) => part === undefined)) return null;
  // `PT` with nothing after the T is not a duration.
  if (/T$/.test(text.trim())) return null;
  const [years, months, weeks, days, hours, minutes, seconds] = parts.map(toNumber);
  return {
    years: years ?? 0,
    months: months ?? 0,
    weeks: weeks ?? 0,
    days: days ?? 0,
    hours: hours ?? 0,
    minutes: minutes ?? 0,
    seconds: seconds ?? 0
  };
}

/** Milliseconds of a duration without years or months (days count 24 h); null when it has them. */
export function durationMs(d: Duration): number | null {
  if (d.years !== 0 || d.months !== 0) return null;
  return Math.round(
    (d.weeks * 7 + d.days) * MS.day + d.hours * MS.hour + d.minutes * MS.minute + d.seconds * MS.second
  );
}

/** Adds a duration to an instant: years/months on the UTC calendar (clamped to month end), then the rest. */
export function addDuration(epochMs: number, d: Duration): number {
  let at = epochMs;
  if (d.years !== 0 || d.months !== 0) {
    const date = new Date(epochMs);
    const monthIndex = date.getUTCFullYear() * 12 + date.getUTCMonth() + d.years * 12 + d.months;
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12;
    // Jan 31 + P1M is Feb 28/29, as in java.time and Temporal, not Mar 3 as Date would roll over.
    const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
    const timeOfDay = epochMs - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    at = utc(year, month, day) + timeOfDay;
  }
  return at + (durationMs({ ...d, years: 0, months: 0 }) ?? 0);
}

/** Parses an ISO 8601 date or date-time with `Z` or an offset (none = UTC) to epoch ms; null when invalid. */
export function parseDateTime(text: string): number | null {
  const match = DATE_TIME.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const year = Number(y);
  const month = Number(mo) - 1;
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (month < 0 || month > 11 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const local = utc(year, month, day) + hour * MS.hour + minute * MS.minute + second * MS.second + ms;
  const offset = zone === undefined || zone === 'Z' ? 0 : offsetMs(zone);
  return offset === null ? null : local - offset;
}

/** Parses `R[n]/interval`, `R[n]/start/interval` or `R[n]/interval/end`; null when invalid. */
export function parseCycle(text: string): Cycle | null {
  const parts = text.trim().split('/');
  const head = parts[0] ?? '';
  const reps = /^R(\d*)$/.exec(head);
  if (!reps || parts.length < 2 || parts.length > 3) return null;
  const repetitions = reps[1] === '' || reps[1] === undefined ? null : Number(reps[1]);
  if (parts.length === 2) {
    const interval = parseDuration(parts[1] ?? '');
    return interval && nonZero(interval) ? { repetitions, interval } : null;
  }
  const first = parts[1] ?? '';
  const second = parts[2] ?? '';
  const start = parseDateTime(first);
  if (start !== null) {
    const interval = parseDuration(second);
    return interval && nonZero(interval) ? { repetitions, start, interval } : null;
  }
  // `R/PT1H/2026-01-01T00:00:00Z`: interval then end; the end bounds nothing we schedule.
  const interval = parseDuration(first);
  return interval && nonZero(interval) && parseDateTime(second) !== null ? { repetitions, interval } : null;
}

/** Whether `text` is a valid ISO 8601 literal for a timer of this kind. */
export function isValidTimer(kind: TimerKind, text: string): boolean {
  switch (kind) {
    case 'duration':
      return parseDuration(text) !== null;
    case 'date':
      return parseDateTime(text) !== null;
    case 'cycle':
      return parseCycle(text) !== null;
  }
}

function toNumber(part: string | undefined): number | undefined {
  return part === undefined ? undefined : Number(part.replace(',', '.'));
}

function nonZero(d: Duration): boolean {
  return addDuration(0, d) !== 0;
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month + 1, 1) - MS.day).getUTCDate();
}

/** Date.UTC, but years 0–99 stay years 0–99 instead of becoming 1900–1999. */
function utc(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  return date.getTime();
}

function offsetMs(zone: string): number | null {
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? 0);
  if (hours > 23 || minutes > 59) return null;
  return (match[1] === '-' ? -1 : 1) * (hours * MS.hour + minutes * MS.minute);
}
