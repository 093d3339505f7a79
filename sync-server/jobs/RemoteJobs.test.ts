import { describe, expect, it } from 'vitest';
import { RemoteJobs } from '../../src/lib/runtime/jobs/RemoteJobs.js';
import type { JobDispatch, JobOutcome } from '../../src/lib/runtime/ports.js';
import { SimulatedClock } from '../../src/lib/runtime/SimulatedClock.js';
import { JobHub } from './JobHub.js';

const dispatch = (n: number): JobDispatch => ({
  type: 'job.dispatch', key: `run:${n}:1`, runId: 'run', instance: String(n), node: 'T', attempt: 1, variables: {},
  payload: { kind: 'command', command: { args: ['true'], env: {}, retries: 1 } }
});

describe('runtime/jobs/RemoteJobs against the hub', () => {
  it('queues jobs while offline, submits on connect, resubmits after a reconnect and gets each outcome once', () => {
    const hub = new JobHub({ clock: new SimulatedClock(0) });
    const leases: { key: string; leaseId: string }[] = [];
    const runner = hub.connectRunner((frame) => {
      const m = JSON.parse(frame) as { type: string; key: string; leaseId: string };
      if (m.type === 'job.leased') leases.push(m);
    });
    runner.receive(JSON.stringify({ type: 'lease.request', count: 2 }));
    const output: string[] = [];
    const remote = new RemoteJobs({ onOutput: (_r, _k, _s, chunk) => output.push(chunk) });
    const outcomes: JobOutcome[] = [];
    // given two jobs dispatched while offline
    remote.dispatch(dispatch(1), (o) => outcomes.push(o));
    remote.dispatch(dispatch(2), (o) => outcomes.push(o));
    expect(leases).toHaveLength(0);
    // when the channel opens
    let client = hub.connectClient((frame) => remote.receive(frame));
    remote.connected((frame) => client.receive(frame));
    expect(leases.map((l) => l.key)).toEqual(['run:1:1', 'run:2:1']);
    runner.receive(JSON.stringify({ type: 'job.output', key: 'run:1:1', leaseId: leases[0]!.leaseId, stream: 'stdout', chunk: 'hi' }));
    runner.receive(JSON.stringify({ type: 'job.completed', key: 'run:1:1', leaseId: leases[0]!.leaseId, result: { exitCode: 0 } }));
    // and it drops before job 2 finishes, then reconnects
    remote.disconnected();
    client.close();
    runner.receive(JSON.stringify({ type: 'job.failed', key: 'run:2:1', leaseId: leases[1]!.leaseId, error: { message: 'exit 1', code: '1' } }));
    client = hub.connectClient((frame) => remote.receive(frame));
    remote.connected((frame) => client.receive(frame));
    remote.connected((frame) => client.receive(frame)); // a second resubmit changes nothing
    // then each job has exactly one outcome, and nothing ran twice
    expect(outcomes).toEqual([
      { type: 'job.completed', instance: '1', result: { exitCode: 0 } },
      { type: 'job.failed', instance: '2', error: { message: 'exit 1', code: '1' } }
    ]);
    expect(leases).toHaveLength(2);
    expect(output).toEqual(['hi']);
    expect(remote.waiting).toBe(0);
  });

  it('watchOutput: a second client watching the run gets what was printed so far, then live chunks, until it unsubscribes', () => {
    const hub = new JobHub({ clock: new SimulatedClock(0) });
    const leases: { key: string; leaseId: string }[] = [];
    const runner = hub.connectRunner((frame) => {
      const m = JSON.parse(frame) as { type: string; key: string; leaseId: string };
      if (m.type === 'job.leased') leases.push(m);
    });
    runner.receive(JSON.stringify({ type: 'lease.request', count: 1 }));
    const submitter = new RemoteJobs();
    const subConn = hub.connectClient((frame) => submitter.receive(frame));
    submitter.connected((frame) => subConn.receive(frame));
    submitter.dispatch(dispatch(1), () => undefined);
    const print = (chunk: string) => runner.receive(JSON.stringify({ type: 'job.output', key: 'run:1:1', leaseId: leases[0]!.leaseId, stream: 'stdout', chunk }));
    print('one\n');
    const watcher = new RemoteJobs();
    const seen: unknown[] = [];
    const off = watcher.watchOutput('run', (chunk) => seen.push(chunk));
    const watchConn = hub.connectClient((frame) => watcher.receive(frame));
    watcher.connected((frame) => watchConn.receive(frame)); // watching survives (re)connects
    print('two\n');
    off();
    print('three\n');
    expect(seen).toEqual([
      { key: 'run:1:1', runId: 'run', instance: '1', node: 'T', stream: 'stdout', chunk: 'one\n' },
      { key: 'run:1:1', runId: 'run', instance: '1', node: 'T', stream: 'stdout', chunk: 'two\n' }
    ]);
  });
});
