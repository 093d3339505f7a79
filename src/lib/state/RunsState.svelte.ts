/** The runs this browser knows, kept fresh from the engine worker (and across worker restarts). */
import type { EngineClient } from '../worker/EngineClient.js';
import type { RunInfo, StartInput } from '../worker/api.js';

export class RunsState {
  runs = $state.raw<RunInfo[]>([]);
  loaded = $state(false);
  error = $state<string | undefined>(undefined);
  readonly #client: EngineClient;

  constructor(client: EngineClient) {
    this.#client = client;
  }

  /** Follows run changes until the returned function is called. */
  start(): () => void {
    let unsubscribe: (() => void) | undefined;
    let stopped = false;
    const follow = async () => {
      unsubscribe?.();
      const next = await this.#client.subscribeRuns(() => void this.refresh());
      if (stopped) next();
      else unsubscribe = next;
      await this.refresh();
    };
    void follow();
    const offRestart = this.#client.onRestart(() => void follow());
    return () => {
      stopped = true;
      offRestart();
      unsubscribe?.();
    };
  }

  #refreshing: Promise<void> | undefined;
  #again = false;

  /** Re-reads the list; calls while one read is in flight make one more read after it. */
  async refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = this.#read();
    try {
      await this.#refreshing;
    } finally {
      this.#refreshing = undefined;
    }
    if (this.#again) {
      this.#again = false;
      await this.refresh();
    }
  }

  async #read(): Promise<void> {
    try {
      this.runs = (await this.#client.api.listRuns()).toReversed();
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loaded = true;
    }
  }

  startRun(input: StartInput): Promise<{ runId: string }> {
    return this.#client.api.startRun(input);
  }
}
