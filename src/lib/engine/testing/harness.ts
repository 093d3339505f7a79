/** Test harness: run a model through start/step with a deterministic clock and ids, checking replay as it goes. */
import type { TokenRecord } from '../chain/record.js';
import { verifyChain } from '../chain/verifyChain.js';
import { canonicalJson } from '../chain/canonicalJson.js';
import { compile } from '../definition/compile.js';
import type { ProcessModel } from '../definition/model.js';
import type { Effect } from '../effects.js';
import type { EngineEvent, Variables } from '../events.js';
import { replay } from '../replay.js';
import type { RunState } from '../state.js';
import { summarize, visitedFrom } from '../summary.js';
import { start, step } from '../transition.js';

export interface Harness {
  model: ProcessModel;
  state: RunState;
  records: TokenRecord[];
  effects: Effect[];
  clock: { now: number };
  send(event: EngineEvent): Effect[];
  /** Advances the clock and fires every timer that fell due, in due order. */
  advance(ms: number): void;
  visited(): string[];
  summary(): ReturnType<typeof summarize>;
  vars(): Variables;
  /** Pending timers: id → due time. */
  timers: Map<string, number>;
  /** Open job dispatches by instance. */
  jobs(): Extract<Effect, { type: 'job.dispatch' }>[];
  userTasks(): Extract<Effect, { type: 'userTask.open' }>[];
}

/** Compiles `xml`, starts a run and returns a harness that checks replay == live after every step. */
export async function runModel(xml: string, variables: Variables = {}, processId?: string): Promise<Harness> {
  const model = await compile(xml);
  let n = 0;
  const clock = { now: Date.UTC(2025, 0, 1) };
  const ctx = { now: () => clock.now, newId: () => `id${++n}` };
  const timers = new Map<string, number>();
  const openJobs = new Map<string, Extract<Effect, { type: 'job.dispatch' }>>();
  const openTasks = new Map<string, Extract<Effect, { type: 'userTask.open' }>>();
  const track = (effects: Effect[]) => {
    for (const e of effects) {
      if (e.type === 'timer.schedule') timers.set(e.timerId, e.dueAt);
      if (e.type === 'timer.cancel') timers.delete(e.timerId);
      if (e.type === 'job.dispatch') openJobs.set(e.instance, e);
      if (e.type === 'job.cancel') openJobs.delete(e.instance);
      if (e.type === 'userTask.open') openTasks.set(e.instance, e);
      if (e.type === 'userTask.close') openTasks.delete(e.instance);
    }
  };
  const first = start(model, { runId: 'run1', ...(processId ? { processId } : {}), variables }, ctx);
  const h: Harness = {
    model,
    state: first.state,
    records: [...first.records],
    effects: [...first.effects],
    clock,
    timers,
    send(event) {
      if (event.type === 'job.completed' || event.type === 'job.failed' || event.type === 'job.errorThrown') openJobs.delete(event.instance);
      if (event.type === 'timer.fired') timers.delete(event.timerId);
      const result = step(model, h.state, event, ctx);
      h.state = result.state;
      h.records.push(...result.records);
      h.effects.push(...result.effects);
      track(result.effects);
      check(h);
      return result.effects;
    },
    advance(ms) {
      const until = clock.now + ms;
      for (;;) {
        const due = [...timers].filter(([, at]) => at <= until).sort((a, b) => a[1] - b[1])[0];
        if (!due || h.state.status !== 'running') break;
        clock.now = Math.max(clock.now, due[1]);
        h.send({ type: 'timer.fired', timerId: due[0] });
      }
      clock.now = until;
    },
    visited: () => visitedFrom(h.records),
    summary: () => summarize(model, h.state),
    vars: () => ({ ...(h.state.scopes[h.state.root]?.vars ?? {}) }),
    jobs: () => [...openJobs.values()],
    userTasks: () => [...openTasks.values()]
  };
  track(first.effects);
  check(h);
  return h;
}

function check(h: Harness): void {
  const verified = verifyChain(h.records);
  if (!verified.ok) throw new Error(`chain does not verify at seq ${verified.seq}: ${verified.reason}`);
  const replayed = replay(h.model, h.records);
  if (canonicalJson(replayed) !== canonicalJson(h.state)) {
    throw new Error(`replay differs from live state:\nlive   ${JSON.stringify(h.state)}\nreplay ${JSON.stringify(replayed)}`);
  }
}
