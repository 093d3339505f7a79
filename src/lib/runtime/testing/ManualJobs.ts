import type { JobDispatch, JobDispatcher, JobOutcome } from '../ports.js';

/** A job dispatcher that holds jobs until the test finishes them. */
export class ManualJobs implements JobDispatcher {
  readonly running = new Map<string, { job: JobDispatch; done: (outcome: JobOutcome) => void }>();
  readonly cancelled: string[] = [];

  dispatch(job: JobDispatch, done: (outcome: JobOutcome) => void): void {
    this.running.set(job.key, { job, done });
  }

  cancel(key: string): void {
    this.running.delete(key);
    this.cancelled.push(key);
  }

  /** Completes the oldest running job (or the one with `key`); false when none runs. */
  complete(key?: string, variables?: Record<string, unknown>): boolean {
    const entry = key ? this.running.get(key) : this.running.values().next().value;
    if (!entry) return false;
    this.running.delete(entry.job.key);
    entry.done({ type: 'job.completed', instance: entry.job.instance, ...(variables ? { variables } : {}) });
    return true;
  }
}
