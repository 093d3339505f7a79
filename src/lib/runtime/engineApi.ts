/**
 * The engine functions the runtime loop calls (src/lib/engine/index.ts implements them). Taken
 * as a value so the loop can be tested against a small fake engine.
 */
import type { RunSummary, StepResult } from '../engine/api.js';
import type { TokenRecord } from '../engine/chain/record.js';
import type { ProcessModel } from '../engine/definition/model.js';
import type { Effect } from '../engine/effects.js';
import type { EngineContext, EngineEvent, StartCommand } from '../engine/events.js';

/** What the runtime reads from a run's state; the rest is the engine's business. */
export interface RunStateLike {
  runId: string;
  processId: string;
  status: string;
  seq: number;
  head: string;
}

export interface EngineApi<S extends RunStateLike> {
  start(model: ProcessModel, cmd: StartCommand, ctx: EngineContext): StepResult<S>;
  step(model: ProcessModel, state: S, event: EngineEvent, ctx: EngineContext): StepResult<S>;
  replay(model: ProcessModel, records: readonly TokenRecord[]): S;
  summarize(model: ProcessModel, state: S): RunSummary;
  pendingEffects(model: ProcessModel, state: S): Effect[];
}
