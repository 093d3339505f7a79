import { beforeAll, describe, expect, it } from 'vitest';
import type { QuickJSWASMModule } from 'quickjs-emscripten-core';
import { loadQuickJS } from './loadQuickJS.js';
import { runScript } from './runScript.js';
import type { ScriptLimits } from './runScript.js';

const limits: ScriptLimits = { timeoutMs: 300, memoryBytes: 16 * 1024 * 1024 };

describe('runtime/sandbox/runScript', () => {
  let quickjs: QuickJSWASMModule;
  beforeAll(async () => {
    quickjs = await loadQuickJS();
  });
  const run = (source: string, variables: Record<string, unknown> = {}, l: ScriptLimits = limits) =>
    runScript(quickjs, source, variables, l);

  it('computes with the variables and returns the value', () => {
    expect(run('return variables.a * 10 + variables.b', { a: 4, b: 2 })).toEqual({ ok: true, value: 42, logs: [] });
  });

  it('returns objects and arrays as JSON data', () => {
    const outcome = run('return { items: variables.list.map((x) => x + 1), nested: { ok: true, none: null } }', {
      list: [1, 2]
    });
    expect(outcome).toEqual({ ok: true, value: { items: [2, 3], nested: { ok: true, none: null } }, logs: [] });
  });

  it('gives null when the script returns nothing', () => {
    expect(run('const x = 1;')).toEqual({ ok: true, value: null, logs: [] });
  });

  it('captures console output into logs', () => {
    const outcome = run('console.log("total", variables.n, { k: 1 }); console.error("careful"); return 1', { n: 3 });
    expect(outcome).toEqual({ ok: true, value: 1, logs: ['total 3 {"k":1}', 'careful'] });
  });

  it('caps the logs', () => {
    const outcome = run('for (let i = 0; i < 1000; i++) console.log("line " + i); return 0', {}, { ...limits, timeoutMs: 5000 });
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.logs).toHaveLength(201);
    expect(outcome.logs.at(-1)).toMatch(/logs truncated/);
  });

  it('settles a returned promise', () => {
    expect(run('return (async () => variables.x + 1)()', { x: 1 })).toEqual({ ok: true, value: 2, logs: [] });
  });

  it('freezes the variables so the script cannot change them', () => {
    expect(run('"use strict"; variables.a = 2; return variables.a', { a: 1 })).toMatchObject({
      ok: false,
      error: { kind: 'thrown' }
    });
    expect(run('variables.o.x = 2; return variables.o.x', { o: { x: 1 } })).toMatchObject({ ok: true, value: 1 });
  });

  it('reports a thrown error with its message', () => {
    expect(run('throw new Error("no approval")')).toEqual({ ok: false, error: { kind: 'thrown', message: 'no approval' } });
    expect(run('throw new TypeError("bad")')).toEqual({ ok: false, error: { kind: 'thrown', message: 'TypeError: bad' } });
    expect(run('throw "plain"')).toEqual({ ok: false, error: { kind: 'thrown', message: 'plain' } });
  });

  it('reports a syntax error as thrown', () => {
    expect(run('return (')).toMatchObject({ ok: false, error: { kind: 'thrown', message: expect.stringMatching(/SyntaxError/) } });
  });

  it('stops an endless loop at the time limit, even one inside try/catch', () => {
    for (const source of ['while (true) {}', 'try { while (true) {} } catch (e) { return "escaped" }']) {
      const started = Date.now();
      const outcome = run(source);
      const elapsed = Date.now() - started;
      expect(outcome).toMatchObject({ ok: false, error: { kind: 'timeout' } });
      expect(elapsed).toBeGreaterThanOrEqual(limits.timeoutMs - 5);
      // Generous: the point is that the loop is cut off, not how promptly on a loaded machine.
      expect(elapsed).toBeLessThan(limits.timeoutMs + 5000);
    }
  });

  it('stops a huge allocation at the memory limit', () => {
    expect(run('return new Array(1e9).fill(0).length')).toEqual({
      ok: false,
      error: { kind: 'memory', message: 'script exceeded its memory limit of 16777216 bytes' }
    });
  });

  it('turns deep recursion into an error, not a crash, and keeps working after it', () => {
    // A long time limit, so only the stack limit can stop these (a loaded machine is slow to build 100,000 arrays).
    const patient = { ...limits, timeoutMs: 30_000 };
    expect(run('function f(n) { return f(n + 1) + 1 } return f(0)', {}, patient)).toMatchObject({ ok: false, error: { kind: 'memory' } });
    // JSON.stringify recurses in C: the worst case for the host stack.
    const deep = 'let a = []; for (let i = 0; i < 100000; i++) a = [a]; return JSON.stringify(a).length';
    expect(run(deep, {}, patient)).toMatchObject({ ok: false, error: { kind: 'memory' } });
    // A larger stack limit than MAX_STACK_BYTES is clamped rather than trusted.
    expect(run(deep, {}, { ...patient, stackBytes: 4 * 1024 * 1024 })).toMatchObject({ ok: false, error: { kind: 'memory' } });
    expect(run('return 1')).toMatchObject({ ok: true, value: 1 });
  });

  it('exposes no host objects: no fetch, require, process, timers or imports', () => {
    const probe = `return [typeof fetch, typeof globalThis.fetch, typeof require, typeof process, typeof setTimeout,
      typeof XMLHttpRequest, typeof WebAssembly, typeof module, typeof Deno, typeof std, typeof os]`;
    expect(run(probe)).toEqual({ ok: true, value: Array(11).fill('undefined'), logs: [] });
    const dynamicImport = "return import('node:fs').then(() => 'loaded', (e) => 'refused: ' + e.message)";
    expect(run(dynamicImport)).toMatchObject({ ok: true, value: expect.stringMatching(/^refused/) });
    expect(run("import fs from 'node:fs'; return 1")).toMatchObject({ ok: false, error: { kind: 'thrown' } });
  });

  it('refuses results JSON cannot carry', () => {
    const cases: [string, RegExp][] = [
      ['return () => 1', /a function at \$/],
      ['return 10n', /a bigint at \$/],
      ['const o = {}; o.self = o; return o', /a cycle at \$\.self/],
      ['return { when: new Date(0) }', /a Date at \$\.when/],
      ['return [1, NaN]', /a non-finite number at \$\[1\]/],
      ['return { f: Math.max }', /a function at \$\.f/],
      ['return Symbol("s")', /a symbol at \$/],
      ['return new Promise(() => {})', /never settled/]
    ];
    for (const [source, message] of cases) {
      expect(run(source)).toEqual({ ok: false, error: { kind: 'invalid-result', message: expect.stringMatching(message) } });
    }
  });

  it('checks the result with the built-ins it had before the script ran', () => {
    const source = 'JSON.stringify = () => "{}"; Object.getPrototypeOf = () => null; return { a: 1, d: new Date(0) }';
    expect(run(source)).toMatchObject({ ok: false, error: { kind: 'invalid-result' } });
  });
});
