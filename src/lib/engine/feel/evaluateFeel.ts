/**
 * FEEL evaluation through feelin, with the run's clock for now()/today() and results turned into
 * JSON (dates and durations become ISO 8601 strings) so that replay compares JSON forms.
 */
import { dateAndTime, date, evaluate } from 'feelin';
import type { Expr } from '../definition/model.js';
import { evaluateSimple } from './simpleComparison.js';

export type FeelOutcome = { ok: true; value: unknown } | { ok: false; message: string };

/** Evaluates `expr` against `variables` at time `now` (ms since epoch). */
export function evaluateFeel(expr: Expr, variables: Record<string, unknown>, now: number): FeelOutcome {
  if (expr.simple) {
    const value = evaluateSimple(expr.simple, variables);
    if (value !== undefined) return { ok: true, value };
  }
  const iso = new Date(now).toISOString();
  const context = {
    ...variables,
    now: () => dateAndTime(iso),
    today: () => date(iso.slice(0, 10))
  };
  let result: { value: unknown; warnings: { message: string }[] };
  try {
    result = evaluate(expr.feel, context);
  } catch (error) {
    return { ok: false, message: `FEEL ${expr.origin} \`${expr.feel}\` failed: ${(error as Error).message}` };
  }
  if (result.warnings.length > 0) {
    const why = result.warnings.map((w) => w.message).join('; ');
    return { ok: false, message: `FEEL ${expr.origin} \`${expr.feel}\`: ${why}` };
  }
  return { ok: true, value: toJson(result.value) };
}

/** Evaluates a condition: anything but a boolean (null included) is a failure, never a silent false. */
export function evaluateCondition(expr: Expr, variables: Record<string, unknown>, now: number): FeelOutcome {
  const outcome = evaluateFeel(expr, variables, now);
  if (!outcome.ok) return outcome;
  if (typeof outcome.value !== 'boolean') {
    return {
      ok: false,
      message: `condition \`${expr.feel}\` gave ${JSON.stringify(outcome.value) ?? 'nothing'}, expected true or false`
    };
  }
  return outcome;
}

/** A FEEL value as plain JSON: temporal values as ISO 8601 text, functions and ranges refused. */
export function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const iso = (value as { iso?: unknown }).iso;
    if (typeof iso === 'string') return iso;
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) out[key] = toJson(member);
    return out;
  }
  return null;
}
