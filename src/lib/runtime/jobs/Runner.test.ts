import { describe, expect, it } from 'vitest';
import { JobLimits, type JobSpec } from '../../protocol/jobs.js';
import { TaskTypeRegistry } from '../taskTypes/TaskTypeRegistry.js';
import { Runner } from './Runner.js';

const job = (type: string): JobSpec => ({
  key: `run:${type}:1`, runId: 'run', instance: type, node: 'T', attempt: 1, variables: {},
  payload: { kind: 'type', type, headers: {} }
});
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const sent: Record<string, unknown>[] = [];
  let aborted = false;
  const registry = new TaskTypeRegistry()
    .register({ name: 'loud', fields: [], async run(_job, ctx) { ctx.output('stdout', 'x'.repeat(JobLimits.chunkChars + 10)); return { status: 'completed', result: 1 }; } })
    .register({ name: 'chatty', fields: [], async run(_job, ctx) { for (const line of ['a\n', 'b\n', 'c\n']) ctx.output('stdout', line); ctx.output('stderr', 'warn\n'); return { status: 'completed' }; } })
    .register({
      name: 'hang', fields: [],
      run: (_job, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => { aborted = true; resolve({ status: 'failed', error: { message: 'cancelled' } }); }))
    });
  const runner = new Runner({ runnerId: 'r1', concurrency: 2, allow: ['true'], registry, send: (f) => sent.push(JSON.parse(f) as Record<string, unknown>) });
  const leased = (spec: JobSpec, leaseId: string) => runner.receive(JSON.stringify({ type: 'job.leased', key: spec.key, leaseId, job: spec, deadline: 0 }));
  return { runner, sent, leased, aborted: () => aborted, types: () => sent.map((m) => m.type) };
}

describe('runtime/jobs/Runner', () => {
  it('says hello, asks for its slots, runs a job under its lease and asks for the next one', async () => {
    const { runner, sent, leased, types } = setup();
    runner.start();
    expect(sent.slice(0, 2)).toEqual([
      { type: 'hello', version: 1, runnerId: 'r1', allow: ['true'], concurrency: 2, taskTypes: [{ name: 'loud', fields: [] }, { name: 'chatty', fields: [] }, { name: 'hang', fields: [] }] },
      { type: 'lease.request', count: 2 }
    ]);
    leased(job('loud'), 'L1');
    await tick();
    expect(types().slice(2)).toEqual(['job.started', 'job.output', 'job.output', 'job.completed', 'lease.request']);
    expect(sent.filter((m) => m.type === 'job.output').map((m) => (m.chunk as string).length)).toEqual([JobLimits.chunkChars, 10]);
    expect(sent.find((m) => m.type === 'job.completed')).toEqual({ type: 'job.completed', key: 'run:loud:1', leaseId: 'L1', result: 1 });
  });

  it('batches small pieces of output into few frames, all sent before the outcome', async () => {
    const { sent, leased, types } = setup();
    leased(job('chatty'), 'L3');
    await tick();
    expect(types()).toEqual(['job.started', 'job.output', 'job.output', 'job.completed', 'lease.request']);
    expect(sent.filter((m) => m.type === 'job.output').map((m) => [m.stream, m.chunk])).toEqual([['stdout', 'a\nb\nc\n'], ['stderr', 'warn\n']]);
  });

  it('cancel aborts the job, reports nothing for it and frees the slot', async () => {
    const { runner, leased, types, aborted } = setup();
    leased(job('hang'), 'L2');
    expect(runner.active).toBe(1);
    runner.receive(JSON.stringify({ type: 'job.cancel', key: 'run:hang:1' }));
    await tick();
    expect(aborted()).toBe(true);
    expect(runner.active).toBe(0);
    expect(types()).toEqual(['job.started', 'lease.request']);
  });

  it('ignores frames it cannot read', () => {
    const { runner, types } = setup();
    runner.receive('{"type":"job.leased"}');
    expect(types()).toEqual([]);
  });
});
