import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobLimits } from '../../protocol/jobs.js';
import { OutputBatcher, type OutputStream } from './OutputBatcher.js';

describe('runtime/jobs/OutputBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(flushChars?: number) {
    const sent: [OutputStream, string][] = [];
    const batcher = new OutputBatcher({ send: (stream, chunk) => sent.push([stream, chunk]), intervalMs: 100, ...(flushChars ? { flushChars } : {}) });
    return { sent, batcher };
  }

  it('sends lines printed within the interval as one chunk, keeping stream order', () => {
    const { sent, batcher } = setup();
    batcher.push('stdout', 'a\n');
    batcher.push('stdout', 'b\n');
    batcher.push('stderr', 'oops\n');
    batcher.push('stdout', 'c\n');
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([['stdout', 'a\nb\n'], ['stderr', 'oops\n'], ['stdout', 'c\n']]);
  });

  it('sends at once when enough is waiting, split into protocol-sized chunks', () => {
    const { sent, batcher } = setup(10);
    batcher.push('stdout', 'x'.repeat(JobLimits.chunkChars + 5));
    expect(sent.map(([, chunk]) => chunk.length)).toEqual([JobLimits.chunkChars, 5]);
  });

  it('flush sends what waits; discard drops it', () => {
    const { sent, batcher } = setup();
    batcher.push('stdout', 'kept');
    batcher.flush();
    batcher.push('stdout', 'dropped');
    batcher.discard();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([['stdout', 'kept']]);
  });
});
