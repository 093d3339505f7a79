/** Rebuilding a run's state from its chain: the same fold the live steps used. */
import type { TokenRecord } from './chain/record.js';
import type { ProcessModel } from './definition/model.js';
import { applyRecord, draftOf, initialState } from './reduce.js';
import type { RunState } from './state.js';
import { EngineError } from './Stepper.js';

/** The state after `records` (which must start at seq 0 and be contiguous). */
export function replay(model: ProcessModel, records: readonly TokenRecord[]): RunState {
  const first = records[0];
  if (!first || first.kind !== 'run' || first.status !== 'started') {
    throw new EngineError('bad-event', 'a chain starts with its run-started record');
  }
  if ((first.data as { xmlSha256?: string } | undefined)?.xmlSha256 !== model.xmlSha256) {
    throw new EngineError('bad-event', `run ${first.runId} was started from another version of the diagram`);
  }
  const state = draftOf(initialState(first));
  for (const record of records) {
    if (record.seq !== state.seq) throw new EngineError('bad-event', `record seq ${record.seq} follows seq ${state.seq - 1}: the chain has a gap`);
    applyRecord(state, record);
  }
  return state;
}
