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
    void this.#pump();
  }

  close(): void {
    this.#closed = true;
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
    }
  }
}
