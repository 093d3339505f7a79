/**
 * A JobDispatcher that runs `zeebe:taskDefinition` jobs whose type is registered here (in this
 * process: a browser tab's own task types, say) and hands every other job to `fallback`
 * (RemoteJobs to the relay, typically). Built-in kinds (command, http, script) always go on.
 */
import type { JobDispatch, JobDispatcher, JobOutcome } from '../ports.js';
import { runTask, type TaskTypeRegistry } from '../taskTypes/TaskTypeRegistry.js';
import { outcomeOf, specOf } from './jobMapping.js';

export class TaskTypeJobs implements JobDispatcher {
  readonly #registry: TaskTypeRegistry;
  readonly #fallback: JobDispatcher | undefined;
  readonly #running = new Map<string, AbortController>();

  constructor(registry: TaskTypeRegistry, fallback?: JobDispatcher) {
    this.#registry = registry;
    this.#fallback = fallback;
  }

  dispatch(job: JobDispatch, done: (outcome: JobOutcome) => void): void {
    if (job.payload.kind !== 'type' || !this.#registry.get(job.payload.type)) {
      this.#fallback?.dispatch(job, done);
      return;
    }
    const abort = new AbortController();
    this.#running.set(job.key, abort);
    const spec = specOf(job);
    void runTask(this.#registry, spec, { signal: abort.signal, output: () => {} }).then((result) => {
      if (this.#running.get(job.key) !== abort) return; // cancelled meanwhile
      this.#running.delete(job.key);
      done(outcomeOf(spec, result));
    });
  }

  cancel(key: string): void {
    const running = this.#running.get(key);
    if (!running) return this.#fallback?.cancel(key);
    running.abort();
    this.#running.delete(key);
  }
}
