/**
 * Step mode: the executor holds a step's records back at each element the run enters, commits
 * them one element per `step`, and keeps the held part in `StepHolds` so a recovery pauses at the
 * same place. The committed chain is the one a free run writes: it verifies and replays to the
 * live state.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as engine from '../engine/index.js';
import type { RunState, TokenRecord } from '../engine/index.js';
import { verifyChain } from '../engine/chain/verifyChain.js';
import { SqliteRunStore } from '../store/sqlite/SqliteRunStore.js';
import { Executor, type StepHold, type StepHolds } from './Executor.js';
import { SimulatedClock } from './SimulatedClock.js';
import { generateModel, prng } from './testing/generateModel.js';
import { ManualJobs } from './testing/ManualJobs.js';

const xml = readFileSync(new URL('../../../tests/fixtures/cli-approval.bpmn', import.meta.url), 'utf8');

class MemoryHolds implements StepHolds {
  readonly rows = new Map<string, StepHold>();
  async get(runId: string) {
    return this.rows.get(runId);
  }
  async put(runId: string, hold: StepHold) {
    this.rows.set(runId, structuredClone(hold));
  }
  async delete(runId: string) {
    this.rows.delete(runId);
  }
}

async function setup(stepMode: boolean) {
  const model = await engine.compile(xml);
  const store = new SqliteRunStore(':memory:');
  await store.putXml(model.xmlSha256, xml);
  const holds = new MemoryHolds();
  const clock = new SimulatedClock(1_000_000);
  let n = 0;
  const make = (mode = stepMode) =>
    new Executor<RunState>({ engine, model, store, clock, jobs: new ManualJobs(), holds, stepMode: mode, newId: () => `id${n++}` });
  return { model, store, holds, make, executor: make() };
}

const nodes = (records: readonly TokenRecord[]) => records.filter((r) => r.kind === 'token').map((r) => `${r.node}:${r.status}`);

describe('runtime/Executor step mode', () => {
  it('pauses before each element; step commits one element at a time; the chain is a free run’s', async () => {
    // given a run started in step mode
    const { store, model, executor } = await setup(true);
    const notices: { records: string[]; partial: boolean; effects: string[] }[] = [];
    executor.subscribe((n) => notices.push({ records: nodes(n.records), partial: n.partial === true, effects: n.effects.map((e) => e.type) }));
    await executor.start({ runId: 'r1', variables: { amount: 500 } });
    // then only the run record is committed and it waits before Start
    expect((await store.records('r1')).map((r) => r.kind)).toEqual(['run']);
    expect(executor.held).toMatchObject({ node: 'Start', seq: 1 });
    expect((await store.getRun('r1'))?.status).toBe('running');
    // when stepping
    await executor.step();
    expect(executor.held?.node).toBe('Gw');
    expect(nodes(await store.records('r1'))).toEqual(['Start:completed']);
    await executor.step();
    expect(executor.held?.node).toBe('Review');
    // then the user task opens only once its element is released
    expect(notices.flatMap((n) => n.effects)).toEqual([]);
    await executor.step();
    expect(executor.held).toBeUndefined();
    expect(notices.at(-1)).toEqual({ records: ['Review:waiting'], partial: false, effects: ['userTask.open'] });
    // when the task is completed, the completion commits at once and the run pauses before Decide
    await executor.dispatch({ type: 'userTask.completed', node: 'Review', variables: { approved: true } });
    expect(executor.held?.node).toBe('Decide');
    expect(nodes(await store.records('r1')).at(-1)).toBe('Review:completed');
    await executor.step();
    expect(executor.held?.node).toBe('EndApproved');
    await executor.step();
    // then the run ended; its chain verifies and replays to the live state
    const records = await store.records('r1');
    const meta = await store.getRun('r1');
    expect(meta?.status).toBe('completed');
    expect(verifyChain(records, meta)).toMatchObject({ ok: true, count: records.length });
    expect(engine.replay(model, records)).toEqual(executor.state);
    expect(nodes(records)).toEqual(['Start:completed', 'Gw:completed', 'Review:waiting', 'Review:completed', 'Decide:completed', 'EndApproved:ended']);
  });

  it('continue commits what is held and leaves step mode; events that came meanwhile wait', async () => {
    // given a step-mode run paused before Gw
    const { store, holds, executor } = await setup(true);
    await executor.start({ runId: 'r1', variables: { amount: 500 } });
    await executor.step();
    // when a completion arrives while paused, it waits
    let done = false;
    const completing = executor.dispatch({ type: 'userTask.completed', node: 'Review', variables: { approved: false } }).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    // when continuing
    await executor.continue();
    await completing;
    // then everything ran freely to the end and the hold is gone
    expect(executor.stepMode).toBe(false);
    expect(executor.held).toBeUndefined();
    expect((await store.getRun('r1'))?.status).toBe('completed');
    expect(nodes(await store.records('r1')).at(-1)).toBe('EndRejected:ended');
    expect(holds.rows.has('r1')).toBe(false);
  });

  it('a recovered run pauses where it was held, also after a crash between a commit and its hold update', async () => {
    // given a step-mode run paused before Review, its executor thrown away
    const { store, model, holds, executor, make } = await setup(true);
    await executor.start({ runId: 'r1', variables: { amount: 500 } });
    await executor.step();
    await executor.step();
    executor.close();
    // when recovering
    const again = make(false);
    await again.recover('r1');
    // then it is still in step mode, paused before Review, and goes on one element per step
    expect(again.stepMode).toBe(true);
    expect(again.held?.node).toBe('Review');
    // and a stale hold (its first records already committed) is trimmed
    const stale = holds.rows.get('r1')!;
    await again.step();
    holds.rows.set('r1', stale);
    again.close();
    const third = make(false);
    await third.recover('r1');
    expect(third.held).toBeUndefined();
    expect(third.stepMode).toBe(true);
    await third.dispatch({ type: 'userTask.completed', node: 'Review', variables: { approved: true } });
    expect(third.held?.node).toBe('Decide');
    await third.continue();
    const records = await store.records('r1');
    expect(verifyChain(records, await store.getRun('r1'))).toMatchObject({ ok: true });
    expect(engine.replay(model, records)).toEqual(third.state);
  });

  it('cancelling a paused run drops the held part and cancels from the committed chain', async () => {
    // given a step-mode run paused before Gw
    const { store, model, holds, executor } = await setup(true);
    await executor.start({ runId: 'r1', variables: { amount: 500 } });
    await executor.step();
    // when it is cancelled
    await executor.dispatch({ type: 'run.cancelled' });
    // then nothing of the held step was committed; the chain ends cancelled and replays to the live state
    const records = await store.records('r1');
    expect(records.map((r) => `${r.kind}:${r.node}:${r.status}`)).toEqual(['run:Approval:started', 'token:Start:completed', 'intent:Approval:completed', 'token:Start:cancelled', 'run:Approval:cancelled']);
    expect((await store.getRun('r1'))?.status).toBe('cancelled');
    expect(verifyChain(records, await store.getRun('r1'))).toMatchObject({ ok: true });
    expect(engine.replay(model, records)).toEqual(executor.state);
    expect(executor.held).toBeUndefined();
    expect(holds.rows.has('r1')).toBe(false);
  });

  it('a breakpoint pauses a free run before that element; continue runs to the next one; settings survive recovery', async () => {
    // given a free run waiting at Review, with a breakpoint on Decide
    const { store, model, executor, make } = await setup(false);
    await executor.start({ runId: 'r1', variables: { amount: 500 } });
    await executor.setBreakpoints(['Decide']);
    // when Review is completed
    await executor.dispatch({ type: 'userTask.completed', node: 'Review', variables: { approved: true } });
    // then it pauses before Decide, with Review's completion committed
    expect(executor.held?.node).toBe('Decide');
    expect(nodes(await store.records('r1')).at(-1)).toBe('Review:completed');
    // and a recovered executor has the same breakpoints and pause
    executor.close();
    const again = make(false);
    await again.recover('r1');
    expect(again.breakpoints).toEqual(['Decide']);
    expect(again.stepMode).toBe(false);
    expect(again.held?.node).toBe('Decide');
    // when continuing, it runs to the end (no further breakpoint)
    await again.continue();
    const records = await store.records('r1');
    expect((await store.getRun('r1'))?.status).toBe('completed');
    expect(engine.replay(model, records)).toEqual(again.state);
  });

  it('in step mode, continue stops at a breakpoint; step there goes one element and turns step mode on', async () => {
    // given a step-mode run paused before Start, with a breakpoint on Review (set while paused: the hold keeps its records)
    const { store, holds, executor } = await setup(true);
    await executor.start({ runId: 'r1', variables: { amount: 500 } });
    await executor.setBreakpoints(['Review']);
    expect(holds.rows.get('r1')).toMatchObject({ stepMode: true, breakpoints: ['Review'], records: [expect.objectContaining({ node: 'Start' }), expect.anything(), expect.anything()] });
    // when continuing
    await executor.continue();
    // then Start and Gw ran and it pauses before Review, out of step mode
    expect(executor.stepMode).toBe(false);
    expect(executor.held?.node).toBe('Review');
    expect(nodes(await store.records('r1'))).toEqual(['Start:completed', 'Gw:completed']);
    // when stepping, Review is entered and step mode is on again: the next element pauses
    await executor.step();
    expect(executor.held).toBeUndefined();
    expect(executor.stepMode).toBe(true);
    await executor.dispatch({ type: 'userTask.completed', node: 'Review', variables: { approved: true } });
    expect(executor.held?.node).toBe('Decide');
    await executor.continue();
    expect((await store.getRun('r1'))?.status).toBe('completed');
  });

  it('without step mode nothing is held and no hold is written', async () => {
    const { store, holds, executor } = await setup(false);
    await executor.start({ runId: 'r1', variables: { amount: 5 } });
    expect(executor.held).toBeUndefined();
    expect((await store.getRun('r1'))?.status).toBe('completed');
    expect(holds.rows.size).toBe(0);
  });

  // Seeded so a failure replays: TESSERA_SEED=<printed seed> npx vitest run Executor.stepMode
  const seed = Number(process.env.TESSERA_SEED ?? Date.now() % 2 ** 31);
  it(`writes the same chain as a free run, also recovering at every pause (generated models, seed ${seed})`, async () => {
    const rand = prng(seed);
    let stopsAtBreakpoints = 0;
    for (let i = 0; i < 8; i++) {
      // given a random model and a random branch choice
      const modelXml = generateModel(rand);
      const variables = { pick: Math.floor(rand() * 3) };
      const model = await engine.compile(modelXml);
      // when it runs freely, and in step mode crashing and recovering at every pause
      const free = await drive(model, modelXml, variables, 'free');
      const stepped = await drive(model, modelXml, variables, 'step');
      const broken = await drive(model, modelXml, variables, 'breakpoints');
      // then all wrote the very same chain
      expect(free.status, modelXml).toBe('completed');
      const { pauses, ...chain } = stepped;
      expect(chain, modelXml).toEqual(free);
      expect(pauses, modelXml).toBeGreaterThan(2);
      const { pauses: stops, ...viaBreakpoints } = broken;
      expect(viaBreakpoints, modelXml).toEqual(free);
      stopsAtBreakpoints += stops ?? 0;
    }
    // (a run that ends within its first step never meets the breakpoints set after it)
    expect(stopsAtBreakpoints).toBeGreaterThan(0);
  }, 60_000);
});

/**
 * Runs a model to its end (jobs, then user tasks, then timers). `step`: in step mode, stepping
 * every pause after a crash; `breakpoints`: a breakpoint on every element, continuing after a crash.
 */
async function drive(model: engine.ProcessModel, modelXml: string, variables: Record<string, unknown>, mode: 'free' | 'step' | 'breakpoints') {
  const stepMode = mode === 'step';
  const store = new SqliteRunStore(':memory:');
  await store.putXml(model.xmlSha256, modelXml);
  const holds = new MemoryHolds();
  const clock = new SimulatedClock(Date.UTC(2025, 5, 1));
  let n = 0;
  let jobs = new ManualJobs();
  const make = () => new Executor<RunState>({ engine, model, store, clock, jobs, holds, stepMode, newId: () => `id-${n++}` });
  let executor = make();
  await executor.start({ runId: 'r', variables });
  if (mode === 'breakpoints') await executor.setBreakpoints(Object.values(model.processes).flatMap((process) => Object.keys(process.nodes)));
  let pauses = 0;
  for (let turn = 0; turn < 200; turn++) {
    await executor.whenIdle({ timers: false, jobs: false });
    if (executor.held) {
      // the process dies while paused: a new executor recovers and is paused at the same place
      const at = executor.held;
      executor.close();
      jobs = new ManualJobs();
      executor = make();
      await executor.recover('r');
      expect(executor.held).toEqual(at);
      pauses += 1;
      await (stepMode ? executor.step() : executor.continue());
      continue;
    }
    if (executor.state.status !== 'running') break;
    const job = [...jobs.running.keys()].sort()[0];
    if (job) {
      jobs.complete(job, { [`done_${jobs.running.get(job)!.job.node}`]: true });
      continue;
    }
    const task = Object.entries(executor.state.waits)
      .filter(([, wait]) => model.processes[executor.state.processId]?.nodes[wait.node]?.type === 'userTask' && !wait.mi)
      .sort((a, b) => a[1].seq - b[1].seq)[0];
    if (task) {
      await executor.dispatch({ type: 'userTask.completed', instance: task[0], variables: { [`by_${task[1].node}`]: 'ada' } });
      continue;
    }
    if (!clock.advanceToNext()) break;
  }
  const records = await store.records('r');
  expect(verifyChain(records, await store.getRun('r'))).toMatchObject({ ok: true });
  expect(engine.replay(model, records)).toEqual(executor.state);
  executor.close();
  return { status: executor.state.status, head: executor.state.head, records: records.length, ...(mode === 'free' ? {} : { pauses }) };
}
