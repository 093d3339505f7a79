import { describe, expect, it } from 'vitest';
import type { JobSpec } from '../../src/lib/protocol/jobs.js';
import { SimulatedClock } from '../../src/lib/runtime/SimulatedClock.js';
import { JobHub, RERUN_NOTE } from './JobHub.js';

const job = (n: number): JobSpec => ({
  key: `run:${n}:1`, runId: 'run', instance: String(n), node: 'T', attempt: 1, variables: {},
  payload: { kind: 'command', command: { args: ['true'], env: {}, retries: 1 } }
});

function peer(hub: JobHub, kind: 'runner' | 'client') {
  const got: Record<string, unknown>[] = [];
  const send = (frame: string) => got.push(JSON.parse(frame) as Record<string, unknown>);
  const conn = kind === 'runner' ? hub.connectRunner(send) : hub.connectClient(send);
  return { got, say: (m: object) => conn.receive(JSON.stringify(m)), close: () => conn.close(), of: (type: string) => got.filter((m) => m.type === type) };
}

describe('sync-server/jobs/JobHub', () => {
  it('leases a submitted job to a runner, streams its output to the submitter and watchers, delivers one outcome', () => {
    const hub = new JobHub({ clock: new SimulatedClock(0), leaseMs: 1000 });
    const client = peer(hub, 'client');
    const watcher = peer(hub, 'client');
    const runner = peer(hub, 'runner');
    watcher.say({ type: 'output.watch', runIds: ['run'] });
    runner.say({ type: 'hello', version: 1, runnerId: 'r1', allow: ['true'], concurrency: 1 });
    runner.say({ type: 'lease.request', count: 1 });
    client.say({ type: 'job.submit', job: job(1) });
    const [leased] = runner.of('job.leased') as { key: string; leaseId: string }[];
    expect(leased).toMatchObject({ key: 'run:1:1' });
    runner.say({ type: 'job.output', key: 'run:1:1', leaseId: leased!.leaseId, stream: 'stdout', chunk: 'hi' });
    runner.say({ type: 'job.completed', key: 'run:1:1', leaseId: leased!.leaseId, result: { exitCode: 0 } });
    runner.say({ type: 'job.completed', key: 'run:1:1', leaseId: leased!.leaseId, result: { exitCode: 0 } });
    expect(client.of('job.output')).toEqual([{ type: 'job.output', key: 'run:1:1', runId: 'run', instance: '1', node: 'T', stream: 'stdout', chunk: 'hi' }]);
    expect(watcher.of('job.output')).toHaveLength(1);
    expect(client.of('job.outcome')).toEqual([{ type: 'job.outcome', key: 'run:1:1', runId: 'run', outcome: { status: 'completed', runner: 'r1', result: { exitCode: 0 } } }]);
    expect(runner.of('error')).toMatchObject([{ code: 'already-completed', key: 'run:1:1' }]);
  });

  it('a watcher arriving mid-job gets the buffered tail first, then live chunks; nothing once the job settled', () => {
    const hub = new JobHub({ clock: new SimulatedClock(0), leaseMs: 1000 });
    const client = peer(hub, 'client');
    const runner = peer(hub, 'runner');
    runner.say({ type: 'lease.request', count: 1 });
    client.say({ type: 'job.submit', job: job(1) });
    const { leaseId } = runner.of('job.leased')[0] as { leaseId: string };
    const out = (chunk: string) => runner.say({ type: 'job.output', key: 'run:1:1', leaseId, stream: 'stdout', chunk });
    out('line 1\n');
    out('line 2\n');
    const late = peer(hub, 'client');
    late.say({ type: 'output.watch', runIds: ['run'] });
    out('line 3\n');
    late.say({ type: 'output.watch', runIds: ['run'] }); // watching again does not repeat the tail
    expect(late.of('job.output').map((m) => m.chunk)).toEqual(['line 1\n', 'line 2\n', 'line 3\n']);
    runner.say({ type: 'job.completed', key: 'run:1:1', leaseId });
    const after = peer(hub, 'client');
    after.say({ type: 'output.watch', runIds: ['run'] });
    expect(after.of('job.output')).toEqual([]);
  });

  it('lists the task types its connected runners offer, each name once, until they leave', () => {
    const hub = new JobHub({ clock: new SimulatedClock(0), leaseMs: 1000 });
    const slack = { name: 'slack.post', fields: [{ name: 'channel', label: 'Channel', type: 'string' }] };
    const a = peer(hub, 'runner');
    const b = peer(hub, 'runner');
    a.say({ type: 'hello', version: 1, runnerId: 'a', allow: [], concurrency: 1, taskTypes: [{ name: 'command', fields: [] }, slack] });
    b.say({ type: 'hello', version: 1, runnerId: 'b', allow: [], concurrency: 1, taskTypes: [slack] });
    expect(hub.taskTypes().map((t) => t.name)).toEqual(['command', 'slack.post']);
    a.close();
    expect(hub.taskTypes()).toEqual([slack]);
    b.close();
    expect(hub.taskTypes()).toEqual([]);
  });

  it('a watcher sees only runs its token covers', () => {
    const hub = new JobHub({ clock: new SimulatedClock(0), leaseMs: 1000 });
    const client = peer(hub, 'client');
    const runner = peer(hub, 'runner');
    const got: unknown[] = [];
    const outsider = hub.connectClient((frame) => got.push(JSON.parse(frame)), (runId) => runId === 'other');
    outsider.receive(JSON.stringify({ type: 'output.watch', runIds: ['run'] }));
    runner.say({ type: 'lease.request', count: 1 });
    client.say({ type: 'job.submit', job: job(1) });
    const { leaseId } = runner.of('job.leased')[0] as { leaseId: string };
    runner.say({ type: 'job.output', key: 'run:1:1', leaseId, stream: 'stdout', chunk: 'secret-ish' });
    expect(got).toEqual([]);
  });

  it('a runner that disconnects mid-job: another runner gets it; the first one’s late result is refused as stale', () => {
    const hub = new JobHub({ clock: new SimulatedClock(0), leaseMs: 1000 });
    const client = peer(hub, 'client');
    const a = peer(hub, 'runner');
    a.say({ type: 'lease.request', count: 1 });
    client.say({ type: 'job.submit', job: job(1) });
    const first = a.of('job.leased')[0] as { leaseId: string };
    const b = peer(hub, 'runner');
    b.say({ type: 'lease.request', count: 1 });
    a.close();
    const second = b.of('job.leased')[0] as { leaseId: string };
    expect(second.leaseId).not.toBe(first.leaseId);
    b.say({ type: 'job.failed', key: 'run:1:1', leaseId: second.leaseId, error: { message: 'boom', code: '2' } });
    expect(client.of('job.outcome')).toHaveLength(1);
  });

  it('a job rerun after its runner was lost: watchers are told, and a late watcher gets only the new run’s output', () => {
    const hub = new JobHub({ clock: new SimulatedClock(0), leaseMs: 1000 });
    const client = peer(hub, 'client');
    const a = peer(hub, 'runner');
    a.say({ type: 'lease.request', count: 1 });
    client.say({ type: 'job.submit', job: job(1) });
    const first = a.of('job.leased')[0] as { leaseId: string };
    a.say({ type: 'job.output', key: 'run:1:1', leaseId: first.leaseId, stream: 'stdout', chunk: 'old\n' });
    const b = peer(hub, 'runner');
    b.say({ type: 'lease.request', count: 1 });
    a.close();
    const second = b.of('job.leased')[0] as { leaseId: string };
    b.say({ type: 'job.output', key: 'run:1:1', leaseId: second.leaseId, stream: 'stdout', chunk: 'new\n' });
    expect(client.of('job.output').map((m) => m.chunk)).toEqual(['old\n', RERUN_NOTE, 'new\n']);
    const late = peer(hub, 'client');
    late.say({ type: 'output.watch', runIds: ['run'] });
    expect(late.of('job.output').map((m) => m.chunk)).toEqual([RERUN_NOTE, 'new\n']);
  });

  it('a lease that expires without heartbeats is handed on; with heartbeats it is kept', async () => {
    const clock = new SimulatedClock(0);
    const hub = new JobHub({ clock, leaseMs: 1000 });
    const client = peer(hub, 'client');
    const a = peer(hub, 'runner');
    const b = peer(hub, 'runner');
    a.say({ type: 'lease.request', count: 2 });
    client.say({ type: 'job.submit', job: job(1) });
    client.say({ type: 'job.submit', job: job(2) });
    b.say({ type: 'lease.request', count: 2 });
    expect(a.of('job.leased')).toHaveLength(2);
    clock.advance(900);
    a.say({ type: 'heartbeat' });
    clock.advance(900);
    expect(b.of('job.leased')).toHaveLength(0);
    clock.advance(200);
    expect(b.of('job.leased')).toHaveLength(2);
    const stale = a.of('job.leased')[0] as { key: string; leaseId: string };
    a.say({ type: 'job.completed', key: stale.key, leaseId: stale.leaseId });
    expect(a.of('error')).toMatchObject([{ code: 'stale-lease' }]);
    expect(client.of('job.outcome')).toHaveLength(0);
  });

  it('a client that reconnects and resubmits gets the outcome it missed; bad frames get a clear error', () => {
    const hub = new JobHub({ clock: new SimulatedClock(0) });
    const runner = peer(hub, 'runner');
    runner.say({ type: 'lease.request', count: 1 });
    const before = peer(hub, 'client');
    before.say({ type: 'job.submit', job: job(1) });
    before.close();
    const lease = runner.of('job.leased')[0] as { leaseId: string };
    runner.say({ type: 'job.completed', key: 'run:1:1', leaseId: lease.leaseId });
    const after = peer(hub, 'client');
    after.say({ type: 'job.submit', job: job(1) });
    expect(after.of('job.outcome')).toMatchObject([{ key: 'run:1:1', outcome: { status: 'completed' } }]);
    expect(runner.of('job.leased')).toHaveLength(1);
    after.say({ type: 'job.submit' });
    expect(after.of('error')).toMatchObject([{ code: 'bad-message' }]);
  });

  it('a lease id used from another runner connection is stale', () => {
    const hub = new JobHub({ clock: new SimulatedClock(0) });
    const client = peer(hub, 'client');
    const holder = peer(hub, 'runner');
    const other = peer(hub, 'runner');
    holder.say({ type: 'lease.request', count: 1 });
    client.say({ type: 'job.submit', job: job(1) });
    const lease = holder.of('job.leased')[0] as { leaseId: string };
    other.say({ type: 'job.completed', key: 'run:1:1', leaseId: lease.leaseId });
    expect(other.of('error')).toMatchObject([{ code: 'stale-lease' }]);
    expect(client.of('job.outcome')).toHaveLength(0);
    holder.say({ type: 'job.completed', key: 'run:1:1', leaseId: lease.leaseId });
    expect(client.of('job.outcome')).toHaveLength(1);
  });

  it('cancel tells the runner holding the job and drops its outcome', () => {
    const hub = new JobHub({ clock: new SimulatedClock(0) });
    const runner = peer(hub, 'runner');
    const client = peer(hub, 'client');
    runner.say({ type: 'lease.request', count: 1 });
    client.say({ type: 'job.submit', job: job(1) });
    client.say({ type: 'job.cancel', key: 'run:1:1' });
    expect(runner.of('job.cancel')).toEqual([{ type: 'job.cancel', key: 'run:1:1' }]);
    const lease = runner.of('job.leased')[0] as { leaseId: string };
    runner.say({ type: 'job.completed', key: 'run:1:1', leaseId: lease.leaseId });
    expect(client.of('job.outcome')).toHaveLength(0);
  });

  it('20,000 jobs through 4 runners settle once each (bench:runners measures the speed)', () => {
    const hub = new JobHub({ clock: new SimulatedClock(0) });
    const client = peer(hub, 'client');
    for (let n = 0; n < 20_000; n++) client.say({ type: 'job.submit', job: job(n) });
    const runners = Array.from({ length: 4 }, () => {
      const got: { type: string; key: string; leaseId: string }[] = [];
      const conn = hub.connectRunner((frame) => got.push(JSON.parse(frame) as { type: string; key: string; leaseId: string }));
      return { got, conn };
    });
    for (const { conn } of runners) conn.receive(JSON.stringify({ type: 'lease.request', count: 8 }));
    let busy = true;
    while (busy) {
      busy = false;
      for (const { got, conn } of runners) {
        const leased = got.splice(0).filter((m) => m.type === 'job.leased');
        for (const m of leased) {
          busy = true;
          conn.receive(JSON.stringify({ type: 'job.completed', key: m.key, leaseId: m.leaseId }));
          conn.receive(JSON.stringify({ type: 'lease.request', count: 1 }));
        }
      }
    }
    expect(client.of('job.outcome')).toHaveLength(20_000);
    expect(new Set(client.of('job.outcome').map((m) => m.key)).size).toBe(20_000);
    expect(hub.stats()).toMatchObject({ queued: 0, leased: 0 });
  });
});
