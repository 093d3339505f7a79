import { describe, expect, it } from 'vitest';
import type { JobResult, JobSpec } from '../../protocol/jobs.js';
import { JobAlreadyCompleted, JobQueue, StaleLeaseError, UnknownJobError } from './JobQueue.js';

function job(n: number): JobSpec {
  return {
    key: `run:${n}:1`, runId: 'run', instance: String(n), node: 'Task', attempt: 1, variables: {},
    payload: { kind: 'command', command: { args: ['true'], env: {}, retries: 1 } }
  };
}

function setup(opts: { leaseMs?: number; maxDeliveries?: number } = {}) {
  let now = 0;
  const settled: [string, JobResult][] = [];
  const queue = new JobQueue({ now: () => now, onSettled: (j, r) => settled.push([j.key, r]), leaseMs: 1000, ...opts });
  return { queue, settled, advance: (ms: number) => (now += ms) };
}

const ok: JobResult = { status: 'completed', result: { exitCode: 0 } };

describe('runtime/jobs/JobQueue', () => {
  it('leases jobs oldest first, one runner each', () => {
    const { queue } = setup();
    queue.submit(job(1));
    queue.submit(job(2));
    expect(queue.lease('a')?.key).toBe('run:1:1');
    expect(queue.lease('b')?.key).toBe('run:2:1');
    expect(queue.lease('c')).toBeUndefined();
    expect(queue.size()).toEqual({ queued: 0, leased: 2 });
  });

  it('R7: runner dies after the command exits, before its completion is recorded — exactly one completion', () => {
    const { queue, settled, advance } = setup();
    queue.submit(job(1));
    const first = queue.lease('a')!;
    // given runner a ran the command, then died without reporting: its lease runs out
    advance(1000);
    expect(queue.expire()).toEqual(['run:1:1']);
    const second = queue.lease('b')!;
    expect(second.id).not.toBe(first.id);
    queue.settle('run:1:1', second.id, ok);
    // when runner a's completion arrives late (duplicate delivery) it is refused with a typed error
    expect(() => queue.settle('run:1:1', first.id, ok)).toThrow(JobAlreadyCompleted);
    expect(() => queue.settle('run:1:1', second.id, ok)).toThrow(JobAlreadyCompleted);
    expect(settled).toHaveLength(1);
  });

  it('R7: a stale lease cannot settle while another runner holds the job', () => {
    const { queue, settled, advance } = setup();
    queue.submit(job(1));
    const first = queue.lease('a')!;
    advance(1500);
    queue.expire();
    const second = queue.lease('b')!;
    expect(() => queue.settle('run:1:1', first.id, ok)).toThrow(StaleLeaseError);
    queue.settle('run:1:1', second.id, { status: 'failed', error: { message: 'exit 1', code: '1' } });
    expect(settled).toEqual([['run:1:1', { status: 'failed', error: { message: 'exit 1', code: '1' } }]]);
  });

  it('an expired lease is stale even before the expiry sweep', () => {
    const { queue, settled, advance } = setup();
    queue.submit(job(1));
    const lease = queue.lease('a')!;
    advance(1000);
    expect(() => queue.settle('run:1:1', lease.id, ok)).toThrow(StaleLeaseError);
    expect(queue.lease('b')?.key).toBe('run:1:1');
    expect(settled).toEqual([]);
  });

  it('heartbeats keep a lease alive; a disconnect requeues at once', () => {
    const { queue, advance } = setup();
    queue.submit(job(1));
    const lease = queue.lease('a')!;
    for (let i = 0; i < 5; i++) {
      advance(900);
      queue.renew('a');
    }
    expect(queue.expire()).toEqual([]);
    expect(queue.check('run:1:1', lease.id).runnerId).toBe('a');
    expect(queue.release('a')).toEqual(['run:1:1']);
    expect(queue.lease('b')?.runnerId).toBe('b');
  });

  it('submitting a known key again changes nothing', () => {
    const { queue } = setup();
    queue.submit(job(1));
    const lease = queue.lease('a')!;
    expect(queue.submit(job(1))).toBe('leased');
    queue.settle('run:1:1', lease.id, ok);
    expect(queue.submit(job(1))).toBe('completed');
    expect(queue.lease('a')).toBeUndefined();
  });

  it('a cancelled job reports its runner and is never settled', () => {
    const { queue, settled } = setup();
    queue.submit(job(1));
    queue.submit(job(2));
    const lease = queue.lease('a')!;
    expect(queue.cancel('run:1:1')).toBe('a');
    expect(queue.cancel('run:2:1')).toBeUndefined();
    expect(() => queue.settle('run:1:1', lease.id, ok)).toThrow(JobAlreadyCompleted);
    expect(queue.lease('a')).toBeUndefined();
    expect(() => queue.settle('nope', 'x', ok)).toThrow(UnknownJobError);
    expect(settled).toEqual([]);
  });

  it('a job lost by too many runners fails once instead of circling forever', () => {
    const { queue, settled, advance } = setup({ maxDeliveries: 2 });
    queue.submit(job(1));
    queue.lease('a');
    advance(1000);
    queue.expire();
    queue.lease('b');
    advance(1000);
    queue.expire();
    expect(queue.lease('c')).toBeUndefined();
    expect(settled).toHaveLength(1);
    expect(settled[0]![1]).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('lost by 2 runners') } });
  });

  it('duplicate delivery under random expiries: every job settles exactly once', () => {
    const { queue, settled, advance } = setup({ maxDeliveries: 1000 });
    for (let n = 0; n < 200; n++) queue.submit(job(n));
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const held: { key: string; id: string }[] = [];
    for (let step = 0; step < 5000 && settled.length < 200; step++) {
      const r = random();
      if (r < 0.4) {
        const lease = queue.lease(`runner-${step % 3}`);
        if (lease) held.push({ key: lease.key, id: lease.id });
      } else if (r < 0.9 && held.length > 0) {
        const [h] = held.splice(Math.floor(random() * held.length), 1);
        try {
          queue.settle(h!.key, h!.id, ok);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect(['StaleLeaseError', 'JobAlreadyCompleted']).toContain((error as Error).name);
        }
        if (random() < 0.3) held.push(h!); // the same completion delivered again later
      } else {
        advance(400);
        queue.expire();
      }
    }
    expect(settled).toHaveLength(200);
    expect(new Set(settled.map(([key]) => key)).size).toBe(200);
  });
});
