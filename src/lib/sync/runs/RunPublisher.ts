/**
 * The executing tab's side of a shared run: asks the relay for the executor lease, and while it
 * holds it publishes the run's info and appends every committed record to the run doc (each
 * once, from where the doc's chain ends: a takeover never duplicates a seq), and applies the
 * intents collaborators post through its own engine, writing what each gave. Intents, never
 * direct writes: a collaborator's doc changes nothing in the run until the executor applies it.
 */
import type * as Y from 'yjs';
import type { TokenRecord } from '../../engine/index.js';
import type { IntentOutcome, RunInfoEntry, RunIntent } from '../../protocol/runRoom.js';
import {
  appendRecords,
  claimLease,
  handleIntents,
  holdsLease,
  publishInfo,
  readOutcomes,
  recordOutcome,
  runLeaseOf,
  runRecordsOf
} from '../runDoc.js';

/** What the publisher needs from this tab's engine. */
export interface ExecutorPort {
  info(): Promise<RunInfoEntry>;
  /** Every committed record from `fromSeq`, in seq order, once each. */
  subscribeRecords(fromSeq: number, listener: (records: TokenRecord[]) => void): Promise<() => void>;
  /** `by` is the collaborator who asked (their token `sub`, checked by the relay): the record's owner. */
  completeUserTask(instance: string, variables: Record<string, unknown>, by: string): Promise<void>;
  resolveIncident(incident: string, by: string): Promise<void>;
}

export interface PublisherOptions {
  /** The user id sent with lease claims (the token's `sub`). */
  user: string;
  /** How often to ask again while another client holds the lease. */
  claimEveryMs?: number;
  now?: () => number;
  /** Told when the local chain and the doc's disagree (another executor wrote a different chain). */
  onConflict?: (message: string) => void;
}

export class RunPublisher {
  readonly #doc: Y.Doc;
  readonly #port: ExecutorPort;
  readonly #options: PublisherOptions;
  /** Committed records not yet in the doc, in seq order. */
  #pending: TokenRecord[] = [];
  #info: RunInfoEntry | undefined;
  #offs: (() => void)[] = [];
  #claimTimer: ReturnType<typeof setTimeout> | undefined;
  #intents: Promise<void> = Promise.resolve();
  /** Intents queued or being applied (their outcomes are not in the doc yet). */
  #applying = 0;
  #stopped = false;
  conflict: string | undefined;

  constructor(doc: Y.Doc, port: ExecutorPort, options: PublisherOptions) {
    this.#doc = doc;
    this.#port = port;
    this.#options = options;
  }

  /** Starts on a doc that is synced with the relay (else it would not see where the chain ends). */
  async start(): Promise<void> {
    this.#info = await this.#port.info();
    const unsubscribe = await this.#port.subscribeRecords(0, (records) => {
      this.#pending.push(...records);
      this.#flush();
    });
    if (this.#stopped) return unsubscribe();
    this.#offs.push(unsubscribe);
    const lease = runLeaseOf(this.#doc);
    const onLease = () => this.#flush();
    lease.observe(onLease);
    this.#offs.push(() => lease.unobserve(onLease));
    const applied = new Set(readOutcomes(this.#doc).keys());
    this.#offs.push(handleIntents(this.#doc, (intent) => this.#enqueue(intent), applied));
    this.claim();
    this.#claimAgain(this.#options.claimEveryMs ?? 1000);
  }

  /** While another client holds the lease, asks again, less and less often (each claim is stored). */
  #claimAgain(delay: number): void {
    this.#claimTimer = setTimeout(() => {
      if (this.#stopped) return;
      const holding = holdsLease(this.#doc);
      if (!holding) this.claim();
      this.#claimAgain(holding ? (this.#options.claimEveryMs ?? 1000) : Math.min(delay * 2, 10_000));
    }, delay);
  }

  /** Asks for (or renews, e.g. after a reconnect) the lease. */
  claim(): void {
    if (!this.#stopped) claimLease(this.#doc, this.#options.user, (this.#options.now ?? Date.now)());
  }

  get holding(): boolean {
    return holdsLease(this.#doc);
  }

  /** Records this tab committed that the doc has (the next seq to publish). */
  get published(): number {
    return runRecordsOf(this.#doc).length;
  }

  /** Nothing left to do: every record published (up to `count`) and every intent's outcome written. */
  settled(count: number): boolean {
    return this.published >= count && this.#applying === 0;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#claimTimer);
    while (this.#offs.length) this.#offs.pop()!();
  }

  #flush(): void {
    if (this.#stopped || !holdsLease(this.#doc) || !this.#info) return;
    publishInfo(this.#doc, this.#info);
    const records = runRecordsOf(this.#doc);
    const next = records.length;
    const last = next > 0 ? records.get(next - 1) : undefined;
    this.#pending = this.#pending.filter((record) => record.seq >= next);
    const first = this.#pending[0];
    if (!first || first.seq !== next) return;
    if (first.prevHash !== (last?.hash ?? '')) {
      this.conflict = `the shared chain ends in a different record than this tab's seq ${next - 1}`;
      this.#options.onConflict?.(this.conflict);
      return;
    }
    const batch = this.#pending;
    this.#pending = [];
    appendRecords(this.#doc, batch);
  }

  /** Intents apply one after another, in the order they were posted. */
  #enqueue(intent: RunIntent): void {
    this.#applying++;
    this.#intents = this.#intents.then(() => this.#apply(intent)).finally(() => this.#applying--);
  }

  async #apply(intent: RunIntent): Promise<void> {
    // Only the executor applies intents; one posted before this tab held the lease waits for it.
    while (!this.#stopped && !holdsLease(this.#doc)) await new Promise((resolve) => setTimeout(resolve, 200));
    if (this.#stopped) return;
    const now = this.#options.now ?? Date.now;
    let outcome: IntentOutcome;
    try {
      if (intent.kind === 'task.complete') await this.#port.completeUserTask(intent.instance, intent.variables ?? {}, intent.by);
      else await this.#port.resolveIncident(intent.instance, intent.by);
      outcome = { ok: true, at: now() };
    } catch (error) {
      // A stale intent (the task was completed already, the incident resolved): refused, once.
      outcome = { ok: false, error: (error instanceof Error ? error.message : String(error)).slice(0, 2000), at: now() };
    }
    if (!this.#stopped && holdsLease(this.#doc)) recordOutcome(this.#doc, intent.id, outcome);
  }
}
