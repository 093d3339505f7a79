// Types only: importing values from the package barrel pulls every build variant (four .wasm
// files) into a Vite bundle; the loader chooses the one variant instead.
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core';
import { sandboxPrelude } from './sandboxPrelude.js';

export interface ScriptLimits {
  timeoutMs: number;
  memoryBytes: number;
  /** QuickJS stack limit, at most (and by default) 32 KiB: see MAX_STACK_BYTES. */
  stackBytes?: number;
}

export type ScriptErrorKind = 'thrown' | 'timeout' | 'memory' | 'invalid-result';

export type ScriptOutcome =
  | { ok: true; value: unknown; logs: string[] }
  | { ok: false; error: { message: string; kind: ScriptErrorKind } };

/**
 * QuickJS counts its stack in WebAssembly linear memory, but each wasm frame also takes host
 * stack. JSON.stringify of a 100,000-deep array overflowed the host stack (an uncatchable
 * RangeError that aborts the module) at a 96 KiB limit in Node 20 and at 48 KiB in a Chromium
 * Web Worker; at 32 KiB both stay a catchable "stack overflow" (about 180 plain recursive calls).
 */
export const MAX_STACK_BYTES = 32 * 1024;
const MAX_LOG_LINES = 200;
const MAX_LOG_CHARS = 64 * 1024;

/**
 * Runs `source` as the body of `function (variables) { … }` in a fresh QuickJS runtime.
 *
 * The script sees only the ECMAScript built-ins, a frozen JSON copy of `variables` (also as
 * a global) and a `console` whose lines land in `logs`. Its result is what it `return`s (no
 * `return` gives `null`); a returned promise is settled with the microtask queue (there are
 * no timers). The result must be plain JSON data, else `invalid-result`.
 */
export function runScript(
  quickjs: QuickJSWASMModule,
  source: string,
  variables: Record<string, unknown>,
  limits: ScriptLimits
): ScriptOutcome {
  let input: string;
  try {
    input = JSON.stringify(variables);
  } catch (error) {
    return failure('thrown', `variables are not JSON: ${messageOf(error)}`);
  }
  const deadline = Date.now() + limits.timeoutMs;
  let interrupted = false;
  const runtime = quickjs.newRuntime();
  try {
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(Math.min(limits.stackBytes ?? MAX_STACK_BYTES, MAX_STACK_BYTES));
    runtime.setInterruptHandler(() => (interrupted = interrupted || Date.now() > deadline));
    const context = runtime.newContext();
    try {
      return evaluate(runtime, context, source, input, () => interrupted, limits);
    } finally {
      context.dispose();
    }
  } catch (error) {
    // newContext and friends throw on the host side when the memory limit is too small.
    return failure(interrupted ? 'timeout' : 'memory', messageOf(error));
  } finally {
    runtime.dispose();
  }
}

function evaluate(
  runtime: QuickJSRuntime,
  context: QuickJSContext,
  source: string,
  input: string,
  wasInterrupted: () => boolean,
  limits: ScriptLimits
): ScriptOutcome {
  const logs: string[] = [];
  const handles: QuickJSHandle[] = [];
  const keep = (handle: QuickJSHandle): QuickJSHandle => (handles.push(handle), handle);
  const errorOutcome = (errorHandle: QuickJSHandle): ScriptOutcome =>
    classify(context.dump(keep(errorHandle)), wasInterrupted(), limits);
  try {
    const emit = keep(context.newFunction('emit', (line) => void capture(logs, context.getString(line))));
    const prelude = context.evalCode(sandboxPrelude, 'prelude.js');
    if (prelude.error) return errorOutcome(prelude.error);
    const installed = context.callFunction(keep(prelude.value), context.undefined, keep(context.newString(input)), emit);
    if (installed.error) return errorOutcome(installed.error);
    const toJson = keep(installed.value);

    const ran = context.evalCode(`(function (variables) {\n${source}\n})(variables)`, 'script.js');
    if (ran.error) return errorOutcome(ran.error);
    let result = keep(ran.value);
    const settled = settle(runtime, context, result);
    if (settled.error) return errorOutcome(settled.error);
    result = keep(settled.value);

    const json = context.callFunction(toJson, context.undefined, result);
    if (json.error) return errorOutcome(json.error);
    const text = context.getString(keep(json.value));
    return { ok: true, value: JSON.parse(text) as unknown, logs };
  } finally {
    for (const handle of handles.reverse()) if (handle.alive) handle.dispose();
  }
}

type Settled = { value: QuickJSHandle; error?: undefined } | { error: QuickJSHandle; value?: undefined };

/** Drains the microtask queue when the script returned a promise, then unwraps it. */
function settle(runtime: QuickJSRuntime, context: QuickJSContext, result: QuickJSHandle): Settled {
  const state = context.getPromiseState(result);
  if (state.type === 'fulfilled' && state.notAPromise) return { value: result };
  if (state.type === 'fulfilled') return { value: state.value };
  if (state.type === 'rejected') return { error: state.error };
  const jobs = runtime.executePendingJobs();
  if (jobs.error) return { error: jobs.error };
  jobs.dispose();
  const final = context.getPromiseState(result);
  if (final.type === 'fulfilled') return { value: final.value };
  if (final.type === 'rejected') return { error: final.error };
  return { error: context.newError({ name: 'InvalidResult', message: 'script returned a promise that never settled' }) };
}

function capture(logs: string[], line: string): void {
  if (logs.length > MAX_LOG_LINES) return;
  const used = logs.reduce((sum, l) => sum + l.length, 0);
  if (logs.length === MAX_LOG_LINES || used + line.length > MAX_LOG_CHARS) {
    logs.push(`…[logs truncated at ${MAX_LOG_LINES} lines or ${MAX_LOG_CHARS} characters]`);
    return;
  }
  logs.push(line);
}

function classify(dumped: unknown, interrupted: boolean, limits: ScriptLimits): ScriptOutcome {
  const name = isRecord(dumped) && typeof dumped.name === 'string' ? dumped.name : '';
  const message = isRecord(dumped) && typeof dumped.message === 'string' ? dumped.message : messageOf(dumped);
  if (interrupted) return failure('timeout', `script exceeded its time limit of ${limits.timeoutMs} ms`);
  if (name === 'InvalidResult') return failure('invalid-result', message);
  // How QuickJS raises both. A script can throw look-alikes, but only to misreport its own failure.
  if (name === 'InternalError' && message === 'out of memory') {
    return failure('memory', `script exceeded its memory limit of ${limits.memoryBytes} bytes`);
  }
  if (name === 'InternalError' && message === 'stack overflow') {
    return failure('memory', 'script overflowed its stack (too deep recursion)');
  }
  return failure('thrown', name && name !== 'Error' ? `${name}: ${message}` : message);
}

function failure(kind: ScriptErrorKind, message: string): ScriptOutcome {
  return { ok: false, error: { kind, message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function messageOf(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
