/**
 * One subscriber to a run's records: every record from `next` on, in seq order, exactly once,
 * whatever tab committed it. Each poke re-reads the store from where the subscriber is.
 */
import type { TokenRecord } from '../engine/index.js';

export class RecordFeed {
  readonly runId: string;
  #next: number;
  #busy = false;
  #again = false;
  #closed = false;
  /** What runs now: a store read (`pump`) or a delivery of offered records (`drain`). */
  #mode: 'pump' | 'drain' | undefined;
  /** Offered records waiting for the delivery in flight, continuing `#next`. */
  #buffer: TokenRecord[] = [];
  readonly #read: (runId: string, fromSeq: number) => Promise<TokenRecord[]>;
  readonly #deliver: (records: TokenRecord[]) => unknown;

  constructor(
    runId: string,
    fromSeq: number,
    read: (runId: string, fromSeq: number) => Promise<TokenRecord[]>,
    deliver: (records: TokenRecord[]) => unknown
  ) {
    this.runId = runId;
    this.#next = fromSeq;
    this.#read = read;
    this.#deliver = deliver;
  }

  /** Something was committed: deliver what the subscriber has not seen yet. */
  poke(): void {
    if (this.#closed) return;
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    this.#mode = 'pump';
    void this.#pump();
  }

  close(): void {
    this.#closed = true;
  }

  /**
   * Records this tab's executor just committed: delivered as they are, without re-reading the
   * store, when they continue exactly what the subscriber has (else, or while a read is due, a
   * poke reads them). Same guarantee as `poke`: every record once, in seq order.
   */
  offer(records: readonly TokenRecord[]): void {
    if (this.#closed) return;
    if (records.length === 0) {
      this.poke();
      return;
    }
    const expected = this.#next + this.#buffer.length;
    if (this.#mode === 'pump' || this.#again || records[0]!.seq !== expected) {
      this.poke();
      return;
    }
    this.#buffer.push(...records);
    if (!this.#busy) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#busy = true;
    this.#mode = 'drain';
    try {
      while (this.#buffer.length > 0 && !this.#closed) {
        const batch = this.#buffer;
        this.#buffer = [];
        this.#next = batch.at(-1)!.seq + 1;
        await Promise.resolve(this.#deliver(batch)).catch(() => this.close());
      }
    } finally {
      this.#busy = false;
      this.#mode = undefined;
    }
    if (this.#again) this.poke();
  }

  async #pump(): Promise<void> {
    try {
      do {
        this.#again = false;
        const records = await this.#read(this.runId, this.#next);
        if (this.#closed || records.length === 0) continue;
        this.#next = records.at(-1)!.seq + 1;
        await Promise.resolve(this.#deliver(records)).catch(() => this.close());
      } while (this.#again && !this.#closed);
    } catch {
      // The store could not be read: the next poke tries again.
    } finally {
      this.#busy = false;
      this.#mode = undefined;
    }
  }
}
