/**
 * Incremental per-element aggregates (mergeable and subtractable rows): count, sum, max and a
 * log-bucket histogram of durations and waiting times, failures, cancellations. A finished run's
 * intervals are added to its diagram version's rows once (in the transaction that finishes it),
 * and subtracted when the run is deleted; dashboards read only these rows, never the records.
 * Percentiles come from the histogram: buckets grow by 10%, so p50/p95 are within 10% (upper
 * bound of the bucket, capped at the exact max); count, mean and max are exact.
 */
import { RunView, type Interval } from './runView.js';
import type { DurationStats } from './stats.js';
import type { TokenRecord } from '../engine/chain/record.js';

const BASE = Math.log(1.1);
/** Largest values kept per histogram, so the max survives deleting the run that held it. */
export const TOP = 8;

export interface Histogram {
  count: number;
  sum: number;
  max: number;
  /** bucket index → count; bucket i holds values v with floor(ln(v + 1) / ln 1.1) = i. */
  buckets: Record<number, number>;
  /**
   * The largest values, descending, at most TOP: max is top[0]. Subtracting removes a run's own
   * top values, which leaves an exact (shorter) prefix; empty while count > 0 means the max is
   * unknown and the row must be recomputed (`subtractAggregate` says so).
   */
  top: number[];
}

export interface ElementAggregate {
  xmlSha256: string;
  node: string;
  duration: Histogram;
  wait: Histogram;
  failures: number;
  cancelled: number;
  /** Element instances seen (tokens that went through). */
  tokens: number;
}

export function emptyHistogram(): Histogram {
  return { count: 0, sum: 0, max: 0, buckets: {}, top: [] };
}

export function bucketOf(ms: number): number {
  return Math.floor(Math.log(Math.max(0, ms) + 1) / BASE);
}

export function addValue(h: Histogram, ms: number): void {
  h.count += 1;
  h.sum += ms;
  if (ms > h.max) h.max = ms;
  const b = bucketOf(ms);
  h.buckets[b] = (h.buckets[b] ?? 0) + 1;
  h.top = mergeTop(h.top, [ms]);
}

/** The TOP largest of two descending lists, descending. */
function mergeTop(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (out.length < TOP && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && a[i]! >= b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

export function mergeHistogram(into: Histogram, from: Histogram): void {
  into.count += from.count;
  into.sum += from.sum;
  into.max = Math.max(into.max, from.max);
  for (const [b, n] of Object.entries(from.buckets)) into.buckets[Number(b)] = (into.buckets[Number(b)] ?? 0) + n;
  into.top = mergeTop(into.top, from.top);
}

/**
 * Takes `from` (one run's contribution, added earlier) out of `into`; false when the max is no
 * longer known (every kept top value belonged to removed runs), so the row needs recomputing.
 */
export function subtractHistogram(into: Histogram, from: Histogram): boolean {
  into.count -= from.count;
  into.sum -= from.sum;
  for (const [b, n] of Object.entries(from.buckets)) {
    const left = (into.buckets[Number(b)] ?? 0) - n;
    if (left > 0) into.buckets[Number(b)] = left;
    else delete into.buckets[Number(b)];
  }
  // A run's values among the overall top are among its own top, so they are in from.top.
  const top = [...into.top];
  for (const v of from.top) {
    const at = top.indexOf(v);
    if (at >= 0) top.splice(at, 1);
  }
  into.top = top;
  if (into.count <= 0) {
    Object.assign(into, emptyHistogram());
    return true;
  }
  into.max = top[0] ?? into.max;
  return top.length > 0;
}

export function histogramStats(h: Histogram): DurationStats {
  if (h.count === 0) return { count: 0, mean: 0, p50: 0, p95: 0, max: 0 };
  const order = Object.keys(h.buckets)
    .map(Number)
    .sort((a, b) => a - b);
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil((p / 100) * h.count));
    let seen = 0;
    for (const b of order) {
      seen += h.buckets[b]!;
      if (seen >= rank) return Math.min(h.max, Math.exp((b + 1) * BASE) - 1);
    }
    return h.max;
  };
  return { count: h.count, mean: h.sum / h.count, p50: at(50), p95: at(95), max: h.max };
}

export function emptyAggregate(xmlSha256: string, node: string): ElementAggregate {
  return { xmlSha256, node, duration: emptyHistogram(), wait: emptyHistogram(), failures: 0, cancelled: 0, tokens: 0 };
}

/** Folds one run's finished intervals and failures into `rows` (node → aggregate), creating rows as needed. */
export function foldRun(
  rows: Map<string, ElementAggregate>,
  xmlSha256: string,
  intervals: readonly Interval[],
  failures: ReadonlyMap<string, number>
): void {
  const row = (node: string) => {
    let r = rows.get(node);
    if (!r) rows.set(node, (r = emptyAggregate(xmlSha256, node)));
    return r;
  };
  for (const i of intervals) {
    const r = row(i.node);
    r.tokens += 1;
    if (i.outcome === 'cancelled') r.cancelled += 1;
    else addValue(r.duration, i.durationMs);
    if (i.waitMs > 0) addValue(r.wait, i.waitMs);
  }
  for (const [node, n] of failures) row(node).failures += n;
}

export function mergeAggregate(into: ElementAggregate, from: ElementAggregate): void {
  mergeHistogram(into.duration, from.duration);
  mergeHistogram(into.wait, from.wait);
  into.failures += from.failures;
  into.cancelled += from.cancelled;
  into.tokens += from.tokens;
}

/** Takes one run's contribution out of `into`; false when the row must be recomputed (see subtractHistogram). */
export function subtractAggregate(into: ElementAggregate, from: ElementAggregate): boolean {
  const duration = subtractHistogram(into.duration, from.duration);
  const wait = subtractHistogram(into.wait, from.wait);
  into.failures -= from.failures;
  into.cancelled -= from.cancelled;
  into.tokens -= from.tokens;
  return duration && wait;
}

/** One finished run's contribution to its diagram version's rows (node → aggregate), from its whole chain. */
export function runContribution(xmlSha256: string, records: readonly TokenRecord[]): Map<string, ElementAggregate> {
  const view = new RunView();
  view.apply(records);
  const rows = new Map<string, ElementAggregate>();
  foldRun(rows, xmlSha256, view.intervals, view.failures);
  return rows;
}
