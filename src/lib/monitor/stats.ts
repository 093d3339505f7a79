/** Duration statistics (nearest-rank percentiles) and failure hot spots. */
import type { Interval } from './runView.js';

export interface DurationStats {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

/** count, mean, p50, p95 (nearest rank) and max of `values`; all 0 when empty. */
export function durationStats(values: readonly number[]): DurationStats {
  if (values.length === 0) return { count: 0, mean: 0, p50: 0, p95: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return { count: sorted.length, mean: sum / sorted.length, p50: rank(50), p95: rank(95), max: sorted[sorted.length - 1]! };
}

export interface ElementStats {
  node: string;
  duration: DurationStats;
  wait: DurationStats;
  failed: number;
  cancelled: number;
}

/** Per element: duration and waiting-time statistics over these finished instances (of any runs). */
export function elementStats(intervals: readonly Interval[]): ElementStats[] {
  const by = new Map<string, Interval[]>();
  for (const i of intervals) {
    const list = by.get(i.node);
    if (list) list.push(i);
    else by.set(i.node, [i]);
  }
  return [...by.entries()]
    .map(([node, list]) => ({
      node,
      duration: durationStats(list.map((i) => i.durationMs)),
      wait: durationStats(list.filter((i) => i.waitMs > 0).map((i) => i.waitMs)),
      failed: list.filter((i) => i.outcome === 'failed').length,
      cancelled: list.filter((i) => i.outcome === 'cancelled').length
    }))
    .sort((a, b) => b.duration.p95 - a.duration.p95 || (a.node < b.node ? -1 : 1));
}

/** Nodes by failures (incidents opened + failed instances), most first. */
export function hotSpots(failures: ReadonlyMap<string, number> | Record<string, number>, limit = 10): { node: string; failures: number }[] {
  const entries = failures instanceof Map ? [...failures.entries()] : Object.entries(failures);
  return entries
    .filter(([, n]) => n > 0)
    .map(([node, n]) => ({ node, failures: n }))
    .sort((a, b) => b.failures - a.failures || (a.node < b.node ? -1 : 1))
    .slice(0, limit);
}
