/**
 * The engine's public contract (implemented in transition.ts, replay.ts, definition/compile.ts,
 * chain/verify.ts). Hosts import from `$lib/engine` (index.ts) only.
 */
import type { TokenRecord } from './chain/record.js';
import type { Effect } from './effects.js';

/** Result of one pure step: the state after, the records to commit, then the effects to perform. */
export interface StepResult<S> {
  state: S;
  records: TokenRecord[];
  effects: Effect[];
}

/** What a host/CLI reports about a run. */
export interface RunSummary {
  runId: string;
  processId: string;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  /** True when the run can only go on through people, messages, signals, timers or jobs. */
  waiting: string[];
  /** Every completed element instance, in order (loop turns and MI instances each count). */
  visited: string[];
  variables: Record<string, unknown>;
  records: number;
  head: string;
  error?: { message: string; element: string };
  /** Open incidents. */
  incidents: { id: string; element: string; instance: string; message: string }[];
}

export type VerifyResult =
  | { ok: true; count: number; head: string }
  | { ok: false; seq: number; reason: string };
