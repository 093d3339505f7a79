/** Live checks for what people type into the panel, with the engine's own parsers. */
import { feelSyntaxError, normaliseFeel } from '../../engine/definition/feel.js';
import { isValidTimer, type TimerKind } from '../../engine/time/iso8601.js';

/** A FEEL problem (undefined when it parses); the leading `=` is optional. */
export function checkFeel(source: string): string | undefined {
  if (source.trim() === '' || source.trim() === '=') return undefined;
  const at = feelSyntaxError(normaliseFeel(source));
  return at === undefined ? undefined : `FEEL does not parse near character ${at + 1}`;
}

/** A value that is FEEL when it starts with `=`, else a literal (command args, headers). */
export function checkValue(source: string): string | undefined {
  return source.trim().startsWith('=') ? checkFeel(source) : undefined;
}

const EXAMPLES: Record<TimerKind, string> = {
  duration: 'an ISO 8601 duration such as PT15M or P2D',
  date: 'an ISO 8601 date-time such as 2026-01-31T09:00:00Z',
  cycle: 'an ISO 8601 cycle such as R3/PT10M'
};

export function checkTimer(kind: TimerKind, text: string): string | undefined {
  if (text.trim() === '' || text.trim().startsWith('=')) return text.trim().startsWith('=') ? checkFeel(text) : undefined;
  return isValidTimer(kind, text.trim()) ? undefined : `Not ${EXAMPLES[kind]}`;
}

export function checkDuration(text: string): string | undefined {
  return text.trim() === '' ? undefined : checkTimer('duration', text);
}
