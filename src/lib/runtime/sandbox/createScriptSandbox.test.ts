import { describe, expect, it } from 'vitest';
import { createScriptSandbox } from './createScriptSandbox.js';
import { loadQuickJS } from './loadQuickJS.js';

const limits = { timeoutMs: 1000, memoryBytes: 8 * 1024 * 1024 };

describe('runtime/sandbox/createScriptSandbox', () => {
  it('loads the module once and shares it between scripts', async () => {
    let loads = 0;
    const sandbox = createScriptSandbox(() => (loads++, loadQuickJS()));
    const outcomes = await Promise.all([1, 2, 3].map((n) => sandbox.runScript('return variables.n * 2', { n }, limits)));
    expect(outcomes.map((o) => o.ok && o.value)).toEqual([2, 4, 6]);
    expect(loads).toBe(1);
  });

  it('tries the loader again after it failed', async () => {
    let loads = 0;
    const sandbox = createScriptSandbox(() => (++loads === 1 ? Promise.reject(new Error('offline')) : loadQuickJS()));
    await expect(sandbox.runScript('return 1', {}, limits)).rejects.toThrow('offline');
    await expect(sandbox.runScript('return 1', {}, limits)).resolves.toEqual({ ok: true, value: 1, logs: [] });
  });

  it('keeps scripts apart: globals set by one are gone in the next', async () => {
    const sandbox = createScriptSandbox();
    await sandbox.runScript('globalThis.leak = 42; return 0', {}, limits);
    await expect(sandbox.runScript('return typeof leak', {}, limits)).resolves.toMatchObject({ value: 'undefined' });
  });
});
