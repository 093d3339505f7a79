/**
 * One subscriber to a run's records: every record from `next` on, in seq order, exactly once,
 * whatever tab committed it. Records this tab commits are posted at once (`offer`); a poke
 * re-reads the store from where the subscriber is (commits of other tabs, gaps).
 *
 * Deliveries are pipelined: the feed posts a batch and goes on without waiting for the page to
 * answer (postMessage keeps their order). Waiting for each round trip made a busy page hold back
 * the next commits for as long as it was busy, and the worker's own steps delayed the answer.
 */
import type { TokenRecord } from '../engine/index.js';

/** Receives records in seq order; `committedAt` (epoch ms) when they come straight from this tab's commit. */
export type FeedDelivery = (records: TokenRecord[], committedAt?: number) => unknown;

export class RecordFeed {
  readonly runId: string;
  #next: number;
  #reading = false;
  #again = false;
  #closed = false;
  /** Commits offered while a read is under way, each with its commit time: posted after it. */
  #held: { records: TokenRecord[]; committedAt: number }[] = [];
  readonly #read: (runId: string, fromSeq: number) => Promise<TokenRecord[]>;
  readonly #deliver: FeedDelivery;
  readonly #now: () => number;

  constructor(
    runId: string,
    fromSeq: number,
    read: (runId: string, fromSeq: number) => Promise<TokenRecord[]>,
    deliver: FeedDelivery,
    now: () => number = epochNow
  ) {
    this.runId = runId;
    this.#next = fromSeq;
    this.#read = read;
    this.#deliver = deliver;
    this.#now = now;
  }

  /** Something was committed: deliver what the subscriber has not seen yet. */
  poke(): void {
    if (this.#closed) return;
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = true;
    void this.#pump();
  }

  close(): void {
    this.#closed = true;
  }

  /**
   * Records this tab's executor just committed: posted as they are, without re-reading the
   * store, when they continue exactly what the subscriber has (else, or while a read is under
   * way, a poke reads them). Same guarantee as `poke`: every record once, in seq order.
   */
  offer(records: readonly TokenRecord[]): void {
    if (this.#closed) return;
    if (records.length === 0) {
      this.poke();
      return;
    }
    // Held, not read again: at hundreds of commits a second a read is nearly always under way,
    // and re-reading for each commit kept the feed reading the store for good.
    this.#held.push({ records: [...records], committedAt: this.#now() });
    if (!this.#reading) this.#release();
  }

  /** Posts the held commits that continue what the subscriber has; a gap makes it read the store. */
  #release(): void {
    const held = this.#held;
    this.#held = [];
    for (let i = 0; i < held.length; i++) {
      const { records, committedAt } = held[i]!;
      const fresh = records[0]!.seq >= this.#next ? records : records.filter((r) => r.seq >= this.#next);
      if (fresh.length === 0) continue;
      if (fresh[0]!.seq !== this.#next) {
        // Something in between was committed elsewhere (another tab): the store has it.
        this.#held = held.slice(i);
        this.poke();
        return;
      }
      this.#next = fresh.at(-1)!.seq + 1;
      this.#post(fresh, committedAt);
    }
  }

  #post(records: TokenRecord[], committedAt?: number): void {
    try {
      // A subscriber that went away (its page closed) rejects: stop feeding it.
      void Promise.resolve(this.#deliver(records, committedAt)).catch(() => this.close());
    } catch {
      this.close();
    }
  }

  async #pump(): Promise<void> {
    try {
      do {
        this.#again = false;
        const records = await this.#read(this.runId, this.#next);
        const fresh = records.filter((r) => r.seq >= this.#next);
        if (this.#closed || fresh.length === 0) continue;
        this.#next = fresh.at(-1)!.seq + 1;
        this.#post(fresh);
      } while (this.#again && !this.#closed);
    } catch {
      // The store could not be read: the next poke tries again.
    } finally {
      this.#reading = false;
    }
    if (!this.#closed && this.#held.length > 0) this.#release();
  }
}

/** Epoch milliseconds with sub-millisecond resolution, comparable between the worker and the page. */
function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
