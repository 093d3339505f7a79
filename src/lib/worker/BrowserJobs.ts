/**
 * The browser's job dispatcher. JavaScript script tasks run in the QuickJS WebAssembly sandbox
 * (no access to the page, the worker's globals, IndexedDB or the network) with time and memory
 * limits. Commands, HTTP calls and job types need a runner on the relay: with a `remote`
 * dispatcher (RemoteJobs over the relay's /jobs channel, see connectRelayJobs.ts) they go there;
 * without one they are left waiting — never completed or failed with a made-up result.
 */
import type { JobDispatch, JobDispatcher, JobOutcome } from '../runtime/ports.js';
import type { ScriptOutcome } from '../runtime/sandbox/runScript.js';

export const NEEDS_RUNNER = 'needs a runner (relay)';

/** Runs one script against its variables in a fresh sandbox. */
export type SandboxedScript = (source: string, variables: Record<string, unknown>) => Promise<ScriptOutcome>;

export class BrowserJobs implements JobDispatcher {
  readonly #runScript: SandboxedScript;
  readonly #running = new Set<string>();
  readonly #remote: JobDispatcher | undefined;

  constructor(runScript: SandboxedScript, remote?: JobDispatcher) {
    this.#runScript = runScript;
    this.#remote = remote;
  }

  dispatch(job: JobDispatch, done: (outcome: JobOutcome) => void): void {
    if (job.payload.kind !== 'script') {
      this.#remote?.dispatch(job, done); // without a remote it waits for a runner: see NEEDS_RUNNER
      return;
    }
    const { source } = job.payload;
    this.#running.add(job.key);
    this.#runScript(source, job.variables)
      .then(
        (outcome): JobOutcome =>
          outcome.ok
            ? { type: 'job.completed', instance: job.instance, result: outcome.value }
            : { type: 'job.failed', instance: job.instance, error: { message: `script ${outcome.error.kind}: ${outcome.error.message}` } },
        (error: unknown): JobOutcome => ({
          type: 'job.failed',
          instance: job.instance,
          error: { message: `script sandbox unavailable: ${error instanceof Error ? error.message : String(error)}` }
        })
      )
      .then((outcome) => {
        if (!this.#running.delete(job.key)) return; // cancelled meanwhile
        done(outcome);
      });
  }

  cancel(key: string): void {
    if (!this.#running.delete(key)) this.#remote?.cancel(key);
  }
}

/** Why a dispatched job of this kind is still waiting in the browser, or undefined when it runs here. */
export function waitingNote(kind: JobDispatch['payload']['kind']): string | undefined {
  return kind === 'script' ? undefined : NEEDS_RUNNER;
}
