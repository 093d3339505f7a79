/** Between the engine's job effects/events and the job protocol's jobs/results. */
import type { JobResult, JobSpec } from '../../protocol/jobs.js';
import type { JobDispatch, JobOutcome } from '../ports.js';

/** The engine's job effect as the protocol's job. */
export function specOf(job: JobDispatch): JobSpec {
  return {
    key: job.key,
    runId: job.runId,
    instance: job.instance,
    node: job.node,
    attempt: job.attempt,
    payload: job.payload as JobSpec['payload'],
    variables: job.variables,
    ...(job.timeoutMs === undefined ? {} : { timeoutMs: job.timeoutMs })
  };
}

/** A runner's result as the engine event it becomes; the runner is the record's owner. */
export function outcomeOf(job: Pick<JobSpec, 'instance'>, result: JobResult): JobOutcome {
  const owner = result.runner === undefined ? {} : { owner: `runner:${result.runner}` };
  return result.status === 'completed'
    ? {
        type: 'job.completed',
        instance: job.instance,
        ...(result.result === undefined ? {} : { result: result.result }),
        ...(result.variables ? { variables: result.variables } : {}),
        ...owner
      }
    : { type: 'job.failed', instance: job.instance, error: result.error, ...owner };
}
