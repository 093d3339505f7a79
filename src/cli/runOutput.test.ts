import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../lib/engine/api.js';
import { exitCodeOf, failedOutput, invalidOutput, runOutput } from './runOutput.js';

const base: RunSummary = {
  runId: 'r', processId: 'P', status: 'running', waiting: ['Review'], visited: ['Start'], variables: { a: 1 },
  records: 3, head: 'h', incidents: []
};

describe('cli/runOutput', () => {
  it('reports a settled running run as waiting (exit 3)', () => {
    const out = runOutput(base);
    expect(out).toEqual({ runId: 'r', status: 'waiting', variables: { a: 1 }, visited: ['Start'], waiting: ['Review'], records: 3, head: 'h' });
    expect(exitCodeOf(out)).toBe(3);
  });

  it('reports a run stopped by an incident as failed, naming the element (exit 1)', () => {
    const out = runOutput({ ...base, incidents: [{ id: 'i', element: 'Build', instance: 'x', message: 'exit 2' }] });
    expect(out).toMatchObject({ status: 'failed', error: { element: 'Build', message: 'exit 2' } });
    expect(exitCodeOf(out)).toBe(1);
  });

  it('maps completed to 0, invalid to 2, an unexpected error to 1', () => {
    expect(exitCodeOf(runOutput({ ...base, status: 'completed', waiting: [] }))).toBe(0);
    expect(exitCodeOf(invalidOutput([{ element: 'f1', message: 'dangling' }]))).toBe(2);
    expect(failedOutput(new Error('disk full'))).toMatchObject({ status: 'failed', error: { message: 'disk full', element: '' } });
  });
});
