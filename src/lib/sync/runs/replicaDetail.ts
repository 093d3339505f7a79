/**
 * What a replica shows about a shared run, computed from its verified records alone: the run's
 * status, variables, incidents and open user tasks (with their forms), by replaying the records
 * over the run's own XML — the same fold the executor's engine uses.
 */
import * as engine from '../../engine/index.js';
import type { ProcessModel, RunSummary, TokenRecord } from '../../engine/index.js';
import type { OpenUserTask } from '../../worker/api.js';

export interface ReplicaDetail {
  summary: Omit<RunSummary, 'visited'>;
  userTasks: OpenUserTask[];
}

/** Replays `records` (verified, from seq 0) over `model`; throws when they do not fit the model. */
export function replicaDetail(model: ProcessModel, records: readonly TokenRecord[]): ReplicaDetail {
  const state = engine.replay(model, records);
  const { visited: _visited, ...summary } = engine.summarize(model, state);
  const userTasks: OpenUserTask[] = [];
  for (const effect of engine.pendingEffects(model, state)) {
    if (effect.type !== 'userTask.open') continue;
    userTasks.push({
      runId: summary.runId,
      instance: effect.instance,
      node: effect.node,
      formFields: effect.formFields,
      variables: effect.variables,
      ...(effect.name === undefined ? {} : { name: effect.name }),
      ...(effect.formSchema === undefined ? {} : { formSchema: effect.formSchema })
    });
  }
  return { summary, userTasks };
}
