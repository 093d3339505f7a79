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

  async refresh(): Promise<void> {
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
