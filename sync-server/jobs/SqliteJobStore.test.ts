import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobResult, JobSpec } from '../../src/lib/protocol/jobs.js';
import { JobAlreadyCompleted, JobQueue } from '../../src/lib/runtime/jobs/JobQueue.js';
import { SqliteJobStore } from './SqliteJobStore.js';

const job = (n: number): JobSpec => ({
  key: `run:${n}:1`, runId: 'run', instance: String(n), node: 'T', attempt: 1, variables: { n },
  payload: { kind: 'command', command: { args: ['true'], env: {}, retries: 1 } }
});

describe('sync-server/jobs/SqliteJobStore', () => {
  it('a relay restart keeps queued and leased jobs, and finished ones stay finished with their outcome', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-jobs-'));
    const file = join(dir, 'jobs.sqlite');
    const settled: JobResult[] = [];
    const open = () => {
      const store = new SqliteJobStore(file);
      return { store, queue: new JobQueue({ now: () => 0, onSettled: (_j, r) => settled.push(r), store }) };
    };
    // given a queue with one finished, one leased and one queued job
    const first = open();
    [1, 2, 3].forEach((n) => first.queue.submit(job(n)));
    const lease = first.queue.lease('a')!;
    first.queue.settle(lease.key, lease.id, { status: 'completed', result: { exitCode: 0 } });
    first.queue.lease('a');
    first.store.close();
    // when the relay restarts
    const second = open();
    // then jobs 2 and 3 wait for runners again and job 1 is still done, outcome included
    expect([second.queue.lease('b')?.key, second.queue.lease('b')?.key, second.queue.lease('b')]).toEqual(['run:2:1', 'run:3:1', undefined]);
    expect(second.queue.lease('b')).toBeUndefined();
    expect(second.queue.submit(job(1))).toBe('completed');
    expect(second.queue.result('run:1:1')).toEqual({ status: 'completed', result: { exitCode: 0 } });
    expect(() => second.queue.settle('run:1:1', lease.id, { status: 'completed' })).toThrow(JobAlreadyCompleted);
    expect(settled).toHaveLength(1);
    second.store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
