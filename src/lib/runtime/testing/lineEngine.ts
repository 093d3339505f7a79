/**
 * A tiny fake engine for runtime tests: a straight line of steps (pass, timer, job, user task),
 * sealing real records. Lets the loop be tested without the BPMN interpreter.
 */
import type { RunSummary, StepResult } from '../../engine/api.js';
import type { TokenRecord, UnsealedRecord } from '../../engine/chain/record.js';
import { sealRecord } from '../../engine/chain/sealRecord.js';
import type { ProcessModel } from '../../engine/definition/model.js';
import type { Effect } from '../../engine/effects.js';
import type { EngineContext, EngineEvent, StartCommand } from '../../engine/events.js';
import type { EngineApi, RunStateLike } from '../engineApi.js';

export type LineStep = 'pass' | 'timer' | 'job' | 'user';

export interface LineState extends RunStateLike {
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  /** Index of the step the token is at (= steps.length when ended). */
  at: number;
  since: number;
  visited: string[];
}

export const lineModel = (sha = 'f'.repeat(64)): ProcessModel => ({ xmlSha256: sha, processes: {}, mainProcess: 'Line' });

/** An engine running `steps` in order; a timer waits `delayMs`. */
export function lineEngine(steps: readonly LineStep[], delayMs = 1000): EngineApi<LineState> {
  const node = (i: number): string => `S${i}_${steps[i]}`;

  function advance(state: LineState, ctx: EngineContext, out: StepResult<LineState>): void {
    while (state.status === 'running') {
      if (state.at >= steps.length) {
        push(state, out, ctx, { kind: 'run', node: 'Line', status: 'ended' });
        state.status = 'completed';
        out.effects.push({ type: 'run.finished', status: 'completed' });
        return;
      }
      if (steps[state.at] === 'pass') {
        state.visited.push(node(state.at));
        push(state, out, ctx, { kind: 'token', node: node(state.at), status: 'completed' });
        state.at += 1;
        continue;
      }
      state.since = ctx.now();
      push(state, out, ctx, { kind: 'token', node: node(state.at), status: 'waiting' });
      out.effects.push(...waitEffects(state));
      return;
    }
  }

  function waitEffects(state: LineState): Effect[] {
    const kind = steps[state.at];
    const n = node(state.at);
    if (kind === 'timer') return [{ type: 'timer.schedule', timerId: `t${state.at}`, dueAt: state.since + delayMs, instance: `i${state.at}`, node: n }];
    if (kind === 'job') {
      return [{ type: 'job.dispatch', key: `${state.runId}:i${state.at}:1`, instance: `i${state.at}`, node: n, attempt: 1,
        payload: { kind: 'type', type: 'work', headers: {} }, variables: {} }];
    }
    if (kind === 'user') return [{ type: 'userTask.open', instance: `i${state.at}`, node: n, formFields: [], variables: {} }];
    return [];
  }

  return {
    start(_model: ProcessModel, cmd: StartCommand, ctx: EngineContext) {
      const state: LineState = { runId: cmd.runId, processId: 'Line', status: 'running', seq: 0, head: '', at: 0, since: 0, visited: [] };
      const out: StepResult<LineState> = { state, records: [], effects: [] };
      push(state, out, ctx, { kind: 'run', node: 'Line', status: 'started', data: { processId: 'Line', xmlSha256: 'f'.repeat(64), variables: cmd.variables ?? {} } });
      advance(state, ctx, out);
      return out;
    },
    step(_model, previous, event: EngineEvent, ctx) {
      const state = structuredClone(previous);
      const out: StepResult<LineState> = { state, records: [], effects: [] };
      const expected = { timer: 'timer.fired', job: 'job.completed', user: 'userTask.completed', pass: '' }[steps[state.at] ?? 'pass'];
      if (state.status !== 'running' || event.type !== expected) {
        throw Object.assign(new Error(`${event.type} does not apply at ${state.at}`), { name: 'EngineError' });
      }
      state.visited.push(node(state.at));
      push(state, out, ctx, { kind: 'token', node: node(state.at), status: 'completed' });
      state.at += 1;
      advance(state, ctx, out);
      return out;
    },
    replay(_model, records: readonly TokenRecord[]) {
      const first = records[0];
      if (!first) throw new Error('no records');
      let state: LineState = { runId: first.runId, processId: 'Line', status: 'running', seq: 0, head: '', at: 0, since: 0, visited: [] };
      for (const record of records) {
        if (record.seq > 0) state = { ...structuredClone(record.data as LineState) };
        state.seq = record.seq + 1;
        state.head = record.hash;
      }
      return state;
    },
    summarize(_model, state): RunSummary {
      const waiting = state.status === 'running' ? [node(state.at)] : [];
      return { runId: state.runId, processId: 'Line', status: state.status, waiting, visited: state.visited, variables: {},
        records: state.seq, head: state.head, incidents: [] };
    },
    pendingEffects(_model, state) {
      return state.status === 'running' ? waitEffects(state) : [];
    }
  };
}

/** Seals a record; except for the run record, its data is the state after it (replay takes the last). */
function push(state: LineState, out: StepResult<LineState>, ctx: EngineContext,
  fields: Pick<UnsealedRecord, 'kind' | 'node' | 'status'> & { data?: unknown }): void {
  const { seq: _seq, head: _head, ...rest } = state;
  const data = fields.data ?? structuredClone(rest);
  const record = sealRecord({ v: 1, runId: state.runId, id: ctx.newId(), token: '', previousToken: null, instance: fields.node,
    owner: 'engine', at: ctx.now(), ...fields, data }, state.seq, state.head);
  out.records.push(record);
  state.seq = record.seq + 1;
  state.head = record.hash;
}
