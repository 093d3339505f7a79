import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from './compile.js';
import { CompileError } from './CompileError.js';

const MIWG = join(process.cwd(), '..', 'shared', 'conformance', 'miwg');
const files = readdirSync(MIWG).filter((file) => file.endsWith('.bpmn')).sort();
const read = (file: string): string => readFileSync(join(MIWG, file), 'utf8');

/** Compiles and classifies: a model, or a CompileError; anything else fails the test. */
async function outcome(xml: string): Promise<{ ok: true; processes: string[] } | { ok: false; error: CompileError }> {
  try {
    const model = await compile(xml);
    return { ok: true, processes: Object.keys(model.processes) };
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    return { ok: false, error };
  }
}

function expectSpecificProblems(error: CompileError): void {
  expect(error.problems.length).toBeGreaterThan(0);
  for (const problem of error.problems) {
    expect(typeof problem.element).toBe('string');
    expect(problem.message.trim()).not.toBe('');
  }
}

describe('engine/definition/conformance (MIWG reference models)', () => {
  it('given the MIWG suite then it is there', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('given every MIWG model then each compiles or names its problems', async () => {
    const rows: { file: string; result: string; processes: string; problems: string }[] = [];
    for (const file of files) {
      const result = await outcome(read(file));
      if (result.ok) {
        rows.push({ file, result: 'ok', processes: result.processes.join(' '), problems: '' });
      } else {
        expectSpecificProblems(result.error);
        for (const problem of result.error.problems) expect(problem.element).not.toBe('');
        const summary = [...new Set(result.error.problems.map((problem) => problem.message.replace(/'[^']*'/g, "'…'")))];
        rows.push({ file, result: `refused (${result.error.problems.length})`, processes: '', problems: summary.join(' | ').slice(0, 160) });
      }
    }
    console.table(rows);
  });

  it('given every MIWG model marked executable then all of its elements go through compile', async () => {
    const rows: { file: string; result: string; kinds: string }[] = [];
    for (const file of files) {
      const result = await outcome(read(file).replaceAll('isExecutable="false"', 'isExecutable="true"'));
      if (result.ok) {
        rows.push({ file, result: `ok: ${result.processes.length} process(es)`, kinds: '' });
        continue;
      }
      expectSpecificProblems(result.error);
      for (const problem of result.error.problems) expect(problem.element, problem.message).not.toBe('');
      const kinds = new Set(result.error.problems.map((problem) => problem.message.replace(/(['"]).*?\1/g, '…').slice(0, 60)));
      rows.push({ file, result: `refused (${result.error.problems.length})`, kinds: [...kinds].join(' | ').slice(0, 160) });
    }
    console.table(rows);
  });

  it('given truncated MIWG files then every one is a CompileError', async () => {
    for (const file of files) {
      const xml = read(file);
      for (const fraction of [0.01, 0.1, 0.33, 0.5, 0.9, 0.999]) {
        const result = await outcome(xml.slice(0, Math.floor(xml.length * fraction)));
        expect(result.ok, `${file} cut at ${fraction}`).toBe(false);
        if (!result.ok) expectSpecificProblems(result.error);
      }
    }
  });

  it('given garbled input then it is a CompileError, never another exception', async () => {
    const sample = read(files[0] ?? '');
    const utf16AsLatin1 = Buffer.from(sample, 'utf16le').toString('latin1');
    const oldNamespace = sample.replaceAll('http://www.omg.org/spec/BPMN/20100524/MODEL', 'http://schema.omg.org/spec/BPMN/2.0');
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const bytes = Array.from({ length: 20 }, (_, n) =>
      Array.from({ length: 50 + n * 40 }, () => String.fromCharCode(Math.floor(random() * 256))).join('')
    );
    const inputs = ['', '   ', '<', '<?xml version="1.0"?>', '<foo/>', '{"json": true}', utf16AsLatin1, oldNamespace, ...bytes];
    for (const input of inputs) {
      const result = await outcome(input);
      expect(result.ok, JSON.stringify(input.slice(0, 40))).toBe(false);
      if (!result.ok) expectSpecificProblems(result.error);
    }
  });

  it('given arbitrary text or a valid model with a slice cut out then the answer is a model or a CompileError', async () => {
    const sample = read('C.9.1.bpmn');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), async (text) => {
        const result = await outcome(text);
        if (!result.ok) expectSpecificProblems(result.error);
      }),
      { numRuns: 100, seed: 7 }
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(sample.length), fc.nat(200), async (start, length) => {
        const result = await outcome(sample.slice(0, start) + sample.slice(start + length));
        if (!result.ok) expectSpecificProblems(result.error);
      }),
      { numRuns: 100, seed: 7 }
    );
  });

  it('given the old BPMN namespace then the problem says which namespace was expected', async () => {
    const sample = read(files[0] ?? '').replaceAll('http://www.omg.org/spec/BPMN/20100524/MODEL', 'http://schema.omg.org/spec/BPMN/2.0');
    const result = await outcome(sample);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.problems[0]?.message).toMatch(/namespace/);
  });
});
