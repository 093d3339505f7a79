/** How run tables show times, durations and data (runs list, records timeline). */

const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const dateAndClock = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** A record's time of day. */
export function clockTime(at: number): string {
  return clock.format(at);
}

/** A run's start: date and time. */
export function dateTime(at: number): string {
  return dateAndClock.format(at);
}

/** A duration: ms below a second, then seconds, then minutes. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** Data as one line of JSON, cut at `max` characters. */
export function shortJson(data: unknown, max = 80): string {
  if (data === undefined) return '';
  const text = JSON.stringify(data);
  return text.length > max ? `${text.slice(0, max - 3)}…` : text;
}
