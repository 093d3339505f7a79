/**
 * The page's side of the engine worker: starts it, wraps it with comlink, turns listeners into
 * proxies. `restart()` terminates the worker and starts a new one (what a crash and reload do);
 * the new one recovers every unfinished run from IndexedDB.
 */
import * as Comlink from 'comlink';
import type { TokenRecord } from '../engine/index.js';
import type { EngineHostApi, RunsListener } from './api.js';

export type EngineRemote = Comlink.Remote<EngineHostApi>;

export class EngineClient {
  #worker: Worker;
  #api: EngineRemote;
  readonly #createWorker: () => Worker;
  readonly #restartListeners = new Set<() => void>();

  constructor(createWorker: () => Worker = defaultWorker) {
    this.#createWorker = createWorker;
    this.#worker = createWorker();
    this.#api = Comlink.wrap<EngineHostApi>(this.#worker);
  }

  get api(): EngineRemote {
    return this.#api;
  }

  /**
   * Live records of a run from `fromSeq`; returns the unsubscribe function. `committedAt` (epoch
   * ms, worker clock) comes with records this tab's worker just committed (RecordFeed).
   */
  async subscribeRecords(runId: string, fromSeq: number, listener: (records: TokenRecord[], committedAt?: number) => void): Promise<() => void> {
    const unsubscribe = await this.#api.subscribeRecords(runId, fromSeq, Comlink.proxy(listener));
    return () => void Promise.resolve(unsubscribe()).catch(() => undefined);
  }

  async subscribeRuns(listener: RunsListener): Promise<() => void> {
    const unsubscribe = await this.#api.subscribeRuns(Comlink.proxy(listener));
    return () => void Promise.resolve(unsubscribe()).catch(() => undefined);
  }

  /** Called after every restart (subscriptions to the old worker are gone: subscribe again). */
  onRestart(listener: () => void): () => void {
    this.#restartListeners.add(listener);
    return () => this.#restartListeners.delete(listener);
  }

  /** Kills the worker mid-whatever and starts a fresh one. */
  restart(): void {
    this.#worker.terminate();
    this.#worker = this.#createWorker();
    this.#api = Comlink.wrap<EngineHostApi>(this.#worker);
    for (const listener of this.#restartListeners) listener();
  }

  terminate(): void {
    this.#worker.terminate();
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'tessera-engine' });
}
