/** What a run is waiting for, read from its state: open user tasks, jobs, timers. */
import * as engine from '../engine/index.js';
import type { ProcessModel, RunState } from '../engine/index.js';
import type { OpenUserTask, PendingTimer, RunDetail, RunInfo, WaitingJob } from './api.js';
import { waitingNote } from './BrowserJobs.js';

export function runDetail(run: RunInfo, model: ProcessModel, state: RunState): RunDetail {
  const { visited: _visited, ...summary } = engine.summarize(model, state);
  const userTasks: OpenUserTask[] = [];
  const jobs: WaitingJob[] = [];
  const timers: PendingTimer[] = [];
  for (const effect of engine.pendingEffects(model, state)) {
    if (effect.type === 'userTask.open') {
      userTasks.push({
        runId: run.runId,
        instance: effect.instance,
        node: effect.node,
        formFields: effect.formFields,
        variables: effect.variables,
        ...(effect.name === undefined ? {} : { name: effect.name }),
        ...(effect.assignee === undefined ? {} : { assignee: effect.assignee }),
        ...(effect.candidateGroups === undefined ? {} : { candidateGroups: effect.candidateGroups }),
        ...(effect.formSchema === undefined ? {} : { formSchema: effect.formSchema })
      });
    } else if (effect.type === 'job.dispatch') {
      const kind = effect.payload.kind;
      jobs.push({
        runId: run.runId,
        instance: effect.instance,
        node: effect.node,
        kind,
        note: waitingNote(kind) ?? 'running in the script sandbox'
      });
    } else if (effect.type === 'timer.schedule') {
      timers.push({ instance: effect.instance, node: effect.node, dueAt: effect.dueAt });
    }
  }
  return { run, summary, userTasks, jobs, timers };
}
