import { describe, expect, it } from 'vitest';
import type { TokenRecord } from '../engine/chain/record.js';
import { verifyChain } from '../engine/chain/verifyChain.js';
import { SqliteRunStore } from '../store/sqlite/SqliteRunStore.js';
import { Executor, TamperedChainError, type ExecutorOptions } from './Executor.js';
import type { RunStore } from './ports.js';
import { SimulatedClock } from './SimulatedClock.js';
import { lineEngine, lineModel, type LineState, type LineStep } from './testing/lineEngine.js';
import { ManualJobs } from './testing/ManualJobs.js';

function setup(steps: LineStep[], store: RunStore = new SqliteRunStore(':memory:')) {
  const clock = new SimulatedClock(1_000_000);
  const jobs = new ManualJobs();
  let n = 0;
  const opts: ExecutorOptions<LineState> = { engine: lineEngine(steps), model: lineModel(), store, clock, jobs, newId: () => `id${n++}` };
  return { clock, jobs, store, opts, executor: new Executor(opts) };
}

async function started(steps: LineStep[], store?: RunStore) {
  const env = setup(steps, store);
  await env.store.putXml('f'.repeat(64), '<x/>');
  await env.executor.start({ runId: 'r1' });
  return env;
}

describe('runtime/Executor', () => {
  it('runs a line of timer, job and user task to the end, committing a verifying chain', async () => {
    // given a run waiting on its timer
    const { executor, clock, jobs, store } = await started(['pass', 'timer', 'job', 'user', 'pass']);
    const opened: string[] = [];
    executor.subscribe((n) => n.effects.forEach((e) => e.type === 'userTask.open' && opened.push(e.node)));
    expect(executor.pending()).toEqual({ timers: 1, jobs: 0 });
    // when the timer falls due, the job finishes and the user task is completed
    clock.advance(1000);
    await executor.whenIdle({ jobs: false });
    expect(jobs.running.size).toBe(1);
    jobs.complete();
    await executor.whenIdle();
    expect(opened).toEqual(['S3_user']);
    await executor.dispatch({ type: 'userTask.completed', node: 'S3_user' });
    // then the run completed and the store holds exactly its chain
    expect(executor.summary()).toMatchObject({ status: 'completed', visited: ['S0_pass', 'S1_timer', 'S2_job', 'S3_user', 'S4_pass'] });
    const records = await store.records('r1');
    const meta = await store.getRun('r1');
    expect(verifyChain(records, meta)).toEqual({ ok: true, count: executor.state.seq, head: executor.state.head });
    expect(meta?.status).toBe('completed');
  });

  it('calls beforeCreate with the first state before committing; a rejection writes nothing', async () => {
    // given a hook that sees each first state and refuses run r2
    const seen: string[] = [];
    const env = setup(['timer']);
    await env.store.putXml('f'.repeat(64), '<x/>');
    const beforeCreate = async (state: LineState) => {
      seen.push(`${state.runId}:${state.status}`);
      if (state.runId === 'r2') throw new Error('no lock');
    };
    // when two runs start
    await new Executor({ ...env.opts, beforeCreate }).start({ runId: 'r1' });
    await expect(new Executor({ ...env.opts, beforeCreate }).start({ runId: 'r2' })).rejects.toThrow('no lock');
    // then the hook saw both; only the first was created
    expect(seen).toEqual(['r1:running', 'r2:running']);
    expect(await env.store.getRun('r1')).toBeDefined();
    expect(await env.store.getRun('r2')).toBeUndefined();
  });

  it('commits a step before performing its effects', async () => {
    // given a store and a clock that log what happens
    const log: string[] = [];
    const env = setup(['timer']);
    const store = env.store;
    const commit = store.createRun.bind(store);
    store.createRun = async (...args) => { log.push('commit:start'); const r = await commit(...args); log.push('commit:done'); return r; };
    const setTimer = env.clock.setTimer.bind(env.clock);
    env.clock.setTimer = (dueAt, fire) => { log.push('timer'); return setTimer(dueAt, fire); };
    await store.putXml('f'.repeat(64), '<x/>');
    // when the run starts
    await env.executor.start({ runId: 'r1' });
    // then the timer was scheduled only after the commit finished
    expect(log).toEqual(['commit:start', 'commit:done', 'timer']);
  });

  it('steps one event at a time, never two at once', async () => {
    // given a store whose commits take a while
    const { executor, store, jobs } = await started(['job', 'user', 'pass']);
    const order: string[] = [];
    const commit = store.commit.bind(store);
    store.commit = async (...args) => { order.push(`begin ${args[1][0]?.seq}`); await new Promise((r) => setTimeout(r, 5)); order.push('end'); return commit(...args); };
    // when two events are dispatched together
    jobs.complete();
    const second = executor.dispatch({ type: 'userTask.completed', node: 'S1_user' });
    await second;
    // then the second step began after the first commit ended
    expect(order).toEqual(['begin 2', 'end', 'begin 4', 'end']);
    expect(executor.state.status).toBe('completed');
  });

  it('refuses an event that does not apply, writes nothing and carries on', async () => {
    const { executor, store } = await started(['user', 'pass']);
    const before = (await store.records('r1')).length;
    await expect(executor.dispatch({ type: 'timer.fired', timerId: 'nope' })).rejects.toThrow(/does not apply/);
    expect(await store.records('r1')).toHaveLength(before);
    await executor.dispatch({ type: 'userTask.completed', node: 'S0_user' });
    expect(executor.state.status).toBe('completed');
  });

  it('performs no effect of a step whose commit failed, and stops until recovered', async () => {
    // given a store that fails the next commit
    const { executor, store, clock } = await started(['user', 'timer', 'pass']);
    store.commit = async () => { throw new Error('disk full'); };
    // when the user task is completed
    await expect(executor.dispatch({ type: 'userTask.completed', node: 'S0_user' })).rejects.toThrow('disk full');
    // then no timer was scheduled, and the executor refuses further events
    expect(clock.pending()).toEqual([]);
    await expect(executor.dispatch({ type: 'timer.fired', timerId: 't1' })).rejects.toThrow('disk full');
  });

  it('recovers a run from the store and re-issues its timer at the original due time', async () => {
    // given a run waiting on a timer due at +1000 ms, whose executor is thrown away
    const env = await started(['timer', 'pass']);
    const before = structuredClone(env.executor.state);
    env.executor.close();
    env.clock.advance(400);
    // when a new executor recovers it
    const next = new Executor(env.opts);
    await next.recover('r1');
    // then its state equals the one before, and the timer fires 600 ms later, not 1000
    expect(next.state).toEqual(before);
    env.clock.advance(599);
    await next.whenIdle({ timers: false });
    expect(next.state.status).toBe('running');
    env.clock.advance(1);
    await next.whenIdle();
    expect(next.state.status).toBe('completed');
  });

  it('fires a timer that fell due while nobody ran the run as soon as it recovers', async () => {
    const env = await started(['timer', 'pass']);
    env.executor.close();
    env.clock.advance(5000);
    const next = new Executor(env.opts);
    await next.recover('r1');
    await next.whenIdle();
    expect(next.state.status).toBe('completed');
  });

  it('re-dispatches a job that was running when the executor went away', async () => {
    const env = await started(['job', 'pass']);
    env.executor.close();
    expect(env.jobs.cancelled).toHaveLength(1);
    const next = new Executor(env.opts);
    await next.recover('r1');
    expect(env.jobs.running.size).toBe(1);
    env.jobs.complete();
    await next.whenIdle();
    expect(next.state.status).toBe('completed');
  });

  it('refuses to recover a run whose stored chain does not verify', async () => {
    const env = await started(['user', 'pass']);
    const records = env.store.records.bind(env.store);
    env.store.records = async (...args): Promise<TokenRecord[]> => {
      const chain = await records(...args);
      return chain.map((r) => (r.seq === 1 ? { ...r, owner: 'mallory' } : r));
    };
    const next = new Executor(env.opts);
    await expect(next.recover('r1')).rejects.toBeInstanceOf(TamperedChainError);
  });
});
