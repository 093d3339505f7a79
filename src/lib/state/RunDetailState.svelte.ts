/** One run as its detail page shows it: live records, what it waits for, its pause, its verification. */
import { untrack } from 'svelte';
import type { TokenRecord, VerifyResult } from '../engine/index.js';
import type { EngineClient } from '../worker/EngineClient.js';
import type { RunDetail } from '../worker/api.js';
import { noteReceived } from '../monitor/liveLatency.js';

export class RunDetailState {
  readonly runId: string;
  detail = $state.raw<RunDetail | undefined>(undefined);
  records = $state.raw<TokenRecord[]>([]);
  missing = $state(false);
  verdict = $state.raw<VerifyResult | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  readonly #client: EngineClient;

  constructor(client: EngineClient, runId: string) {
    this.#client = client;
    this.runId = runId;
  }

  /** Follows the run until the returned function is called (pages call it from an `$effect`). */
  start(): () => void {
    const offs: (() => void)[] = [];
    let stopped = false;
    const follow = async () => {
      while (offs.length) offs.pop()!();
      // Untracked: an effect calling start() must not depend on the records, or each delivery
      // would restart it (a new subscription, and a store read, per delivery).
      const fromSeq = untrack(() => this.records.length);
      const subscriptions = await Promise.all([
        // Records only: the run's detail follows `subscribeRuns`, which hears of every commit too
        // (a getRun per delivery made the worker summarize the run hundreds of times a second).
        this.#client.subscribeRecords(this.runId, fromSeq, (records, committedAt) => {
          const fresh = records.filter((r) => r.seq >= this.records.length);
          if (fresh.length === 0) return;
          noteReceived(fresh, committedAt);
          this.records = this.records.concat(fresh);
        }),
        this.#client.subscribeRuns((runIds) => {
          if (runIds.includes(this.runId)) this.#refreshSoon();
        })
      ]);
      if (stopped) subscriptions.forEach((off) => off());
      else offs.push(...subscriptions);
      await this.refresh();
    };
    void follow();
    const offRestart = this.#client.onRestart(() => void follow());
    return () => {
      stopped = true;
      clearTimeout(this.#soon);
      this.#soon = undefined;
      offRestart();
      while (offs.length) offs.pop()!();
    };
  }

  #soon: ReturnType<typeof setTimeout> | undefined;

  /**
   * The run changed (it hears of every commit): read its detail within 200 ms. A busy run's
   * detail is read 5 times a second, not after every commit, sparing the worker that executes it.
   */
  #refreshSoon(): void {
    this.#soon ??= setTimeout(() => {
      this.#soon = undefined;
      void this.refresh();
    }, 200);
  }

  #refreshing: Promise<void> | undefined;
  #refreshAgain = false;

  /** Reads the run's detail; calls while a read is under way make one more read after it, not one each. */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#refreshAgain = false;
          try {
            const detail = await this.#client.api.getRun(this.runId);
            this.detail = detail;
            this.missing = detail === undefined;
          } catch (error) {
            this.error = message(error);
          }
        } while (this.#refreshAgain);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /** Runs an action on the run, showing its error instead of throwing. */
  async act(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      this.error = undefined;
      await this.refresh();
      return true;
    } catch (error) {
      await this.refresh();
      // A failed write pauses the run: its banner says why, better than the raw error.
      this.error = this.detail?.run.paused ? undefined : message(error);
      return false;
    }
  }

  complete(instance: string, variables: Record<string, unknown>): Promise<boolean> {
    return this.act(() => this.#client.api.completeUserTask(this.runId, instance, variables));
  }

  cancel(): Promise<boolean> {
    return this.act(() => this.#client.api.cancelRun(this.runId));
  }

  resume(): Promise<boolean> {
    return this.act(() => this.#client.api.resumeRun(this.runId));
  }

  resolveIncident(incident: string): Promise<boolean> {
    return this.act(() => this.#client.api.resolveIncident(this.runId, incident));
  }

  async verify(): Promise<void> {
    await this.act(async () => (this.verdict = await this.#client.api.verifyRun(this.runId)));
  }

  /** The run's records as a JSON array, one record a line: what `tessera verify --file` reads. */
  async exportChain(): Promise<string> {
    const { records } = await this.#client.api.exportChain(this.runId);
    return `[\n${records.map((record) => JSON.stringify(record)).join(',\n')}\n]\n`;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
