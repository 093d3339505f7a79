/**
 * RunLocks in memory, for tests of several hosts in one process: each host gets its own client;
 * `crash(owner)` releases everything that owner holds, as a terminated worker's locks are.
 */
import type { RunLocks } from './runLocks.js';

export class MemoryLockManager {
  readonly #holders = new Map<string, string>();
  readonly #waiting = new Map<string, { owner: string; grant: () => void }[]>();
  readonly #crashed = new Set<string>();

  client(owner: string): RunLocks {
    return {
      hold: async (runId, fn) => {
        await this.#acquire(runId, owner);
        try {
          await fn();
        } finally {
          if (this.#holders.get(runId) === owner) this.#release(runId);
        }
      },
      held: async () => new Set(this.#holders.keys())
    };
  }

  /** Who holds the run's lock. */
  holder(runId: string): string | undefined {
    return this.#holders.get(runId);
  }

  /** The owner is gone: its locks pass to the next in line, its queued requests are dropped. */
  crash(owner: string): void {
    this.#crashed.add(owner);
    for (const [runId, holder] of [...this.#holders]) if (holder === owner) this.#release(runId);
  }

  #acquire(runId: string, owner: string): Promise<void> {
    if (!this.#holders.has(runId)) {
      this.#holders.set(runId, owner);
      return Promise.resolve();
    }
    return new Promise((grant) => {
      const queue = this.#waiting.get(runId) ?? [];
      queue.push({ owner, grant });
      this.#waiting.set(runId, queue);
    });
  }

  #release(runId: string): void {
    this.#holders.delete(runId);
    const queue = this.#waiting.get(runId) ?? [];
    let next = queue.shift();
    while (next && this.#crashed.has(next.owner)) next = queue.shift();
    if (!next) return;
    this.#holders.set(runId, next.owner);
    next.grant();
  }
}
