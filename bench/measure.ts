/** Timing helpers: warm up, then time a function over a fixed wall-clock window, in batches. */
import { performance } from 'node:perf_hooks';

export interface Sample {
  iterations: number;
  ms: number;
  /** Iterations per second of wall-clock time. */
  perSec: number;
  /** Iterations per second of this process's CPU time (user + system): steadier on a busy machine. */
  perCpuSec: number;
  /** CPU time / wall time: below ~0.9 the machine was busy with something else. */
  cpuShare: number;
  slices?: number;
}

function sample(iterations: number, ms: number, cpu: NodeJS.CpuUsage): Sample {
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { iterations, ms, perSec: (iterations * 1000) / ms, perCpuSec: (iterations * 1000) / cpuMs, cpuShare: cpuMs / ms };
}

export interface Window {
  /** Minimum wall-clock time of the sample, ms. */
  minMs: number;
  /** Minimum iterations (whichever of the two takes longer). */
  minIterations?: number;
}

/** Times `fn` (synchronous) until both the window and the iteration floor are reached. */
export function timeSync(fn: (i: number) => void, window: Window): Sample {
  const minIterations = window.minIterations ?? 1;
  let iterations = 0;
  let batch = 1;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < window.minMs || iterations < minIterations) {
    for (let k = 0; k < batch; k++) fn(iterations++);
    elapsed = performance.now() - t0;
    // Grow the batch so that the clock is read about every 10 ms.
    if (elapsed < 10 && batch < 1 << 16) batch *= 2;
  }
  return sample(iterations, elapsed, process.cpuUsage(c0));
}

/** Times `fn` (asynchronous, awaited one at a time) like timeSync. */
export async function timeAsync(fn: (i: number) => Promise<void>, window: Window): Promise<Sample> {
  const minIterations = window.minIterations ?? 1;
  let iterations = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < window.minMs || iterations < minIterations) {
    await fn(iterations++);
    if ((iterations & 7) === 0) elapsed = performance.now() - t0;
  }
  elapsed = performance.now() - t0;
  return sample(iterations, elapsed, process.cpuUsage(c0));
}

export interface Contender {
  name: string;
  /** One iteration; may return a promise, which is awaited before the next. */
  run: (i: number) => unknown;
}

/**
 * Times several contenders in interleaved slices — A, B, C, A, B, C, … each slice ≥ sliceMs and
 * ≥ 1 iteration — until each has run ≥ totalMs. On a busy machine the noise then falls on all of
 * them alike, which blocks of a second or more each do not give. A young-generation GC (untimed)
 * before each slice keeps one contender's short-lived garbage off another's clock. Not a full GC:
 * a major GC before every slice makes the next iteration several times slower (bpmn-engine:
 * ~18 → ~90 ms CPU per instance), which would measure V8 re-warming, not the engines.
 */
export async function interleave(contenders: readonly Contender[], totalMs: number, sliceMs: number): Promise<Sample[]> {
  const acc = contenders.map(() => ({ iterations: 0, ms: 0, cpuMs: 0, slices: 0 }));
  for (;;) {
    let pending = false;
    for (let c = 0; c < contenders.length; c++) {
      const a = acc[c]!;
      if (a.ms >= totalMs) continue;
      pending = true;
      minorGc();
      const run = contenders[c]!.run;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let elapsed = 0;
      let n = 0;
      while (elapsed < sliceMs || n === 0) {
        const out = run(a.iterations + n);
        if (out instanceof Promise) await out;
        n++;
        elapsed = performance.now() - t0;
      }
      elapsed = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      a.iterations += n;
      a.ms += elapsed;
      a.cpuMs += (cpu.user + cpu.system) / 1000;
      a.slices++;
    }
    if (!pending) break;
  }
  return acc.map((a) => ({
    iterations: a.iterations,
    ms: a.ms,
    perSec: (a.iterations * 1000) / a.ms,
    perCpuSec: (a.iterations * 1000) / a.cpuMs,
    cpuShare: a.cpuMs / a.ms,
    slices: a.slices
  }));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** 12345.6 → "12,346"; small values keep significant digits. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(digits);
}

export function fmtBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(2)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** "✓ meets" / "✗ misses" next to a figure and its target. */
export function verdict(ok: boolean): string {
  return ok ? 'meets target' : 'MISSES target';
}

/** A scavenge of the young generation only. */
export function minorGc(): void {
  const collect = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc (npm run bench:engine does)');
  collect({ type: 'minor' });
}

/** Full collections until the heap settles (for heap measurements). */
export function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc (npm run bench:engine does)');
  for (let i = 0; i < 4; i++) collect();
}
