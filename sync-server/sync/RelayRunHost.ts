/**
 * The relay's host taking a shared run over when its executor went away (opt-in: the relay then
 * runs the run's jobs through its own dispatcher). It rebuilds the run from the room's doc — the
 * verified records and the XML pinned by seq 0 — in a scratch SQLite store, recovers it with the
 * same Executor the CLI uses, appends what it commits to the doc as the lease holder, and applies
 * collaborators' intents, writing their outcomes.
 */
import * as Y from 'yjs';
import * as engine from '../../src/lib/engine/index.js';
import type { RunState } from '../../src/lib/engine/state.js';
import type { TokenRecord } from '../../src/lib/engine/index.js';
import { Executor } from '../../src/lib/runtime/Executor.js';
import type { Clock, JobDispatcher } from '../../src/lib/runtime/ports.js';
import { SystemClock } from '../../src/lib/runtime/SystemClock.js';
import { LEASE_KEY, runInfoSchema, runIntentSchema, RunRoomType, type IntentOutcome, type RunIntent } from '../../src/lib/protocol/runRoom.js';
import { SqliteRunStore } from '../../src/lib/store/sqlite/SqliteRunStore.js';

/** The lease holder name the relay's own host uses. */
export const RELAY_HOLDER = 'relay';

export interface RelayRunHostOptions {
  doc: Y.Doc;
  runId: string;
  /** The epoch of the lease the relay takes. */
  epoch: number;
  jobs: JobDispatcher;
  clock?: Clock;
  /** Origin of the host's doc transactions (the Room stores and forwards them to every peer). */
  origin: unknown;
}

export class RelayRunHost {
  readonly #doc: Y.Doc;
  readonly #origin: unknown;
  readonly #store = new SqliteRunStore(':memory:');
  #executor: Executor<RunState> | undefined;
  #model: engine.ProcessModel | undefined;
  #offs: (() => void)[] = [];
  #intents: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(options: RelayRunHostOptions) {
    this.#doc = options.doc;
    this.#origin = options.origin;
  }

  /** Takes the lease (epoch) and the run over; throws when the doc's chain or XML does not verify. */
  static async adopt(options: RelayRunHostOptions): Promise<RelayRunHost> {
    const host = new RelayRunHost(options);
    await host.#start(options);
    return host;
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#offs.length) this.#offs.pop()!();
    this.#executor?.close();
    void this.#store.close();
  }

  async #start({ doc, runId, epoch, jobs, clock }: RelayRunHostOptions): Promise<void> {
    const records = doc.getArray<TokenRecord>(RunRoomType.records).toArray();
    const verdict = engine.verifyChain(records);
    if (!verdict.ok) throw new Error(`run ${runId}: the shared chain is invalid at seq ${verdict.seq}: ${verdict.reason}`);
    const info = runInfoSchema.parse(doc.getMap(RunRoomType.info).toJSON());
    const pinned = (records[0]!.data as { xmlSha256?: string } | undefined)?.xmlSha256;
    if (info.runId !== runId || engine.sha256Hex(info.xml) !== pinned) throw new Error(`run ${runId}: the published XML is not the one the run started from`);
    const model = await engine.compile(info.xml);
    this.#model = model;
    await this.#store.putXml(info.xmlSha256, info.xml);
    await this.#store.createRun({ runId, processId: info.processId, xmlSha256: info.xmlSha256, status: 'running', startedAt: records[0]!.at, updatedAt: records.at(-1)!.at }, records);
    const executor = new Executor<RunState>({ engine, model, store: this.#store, clock: clock ?? new SystemClock(), jobs });
    this.#executor = executor;
    this.#transact(() => doc.getMap(RunRoomType.lease).set(LEASE_KEY, { holder: RELAY_HOLDER, client: doc.clientID, epoch, at: Date.now() }));
    this.#offs.push(executor.subscribe(({ records: committed }) => this.#append(committed)));
    await executor.recover(runId);
    const intents = doc.getArray<unknown>(RunRoomType.intents);
    const applied = new Set(doc.getMap(RunRoomType.outcomes).keys());
    const drain = () => {
      for (const entry of intents.toArray()) {
        const intent = runIntentSchema.safeParse(entry);
        if (!intent.success || applied.has(intent.data.id)) continue;
        applied.add(intent.data.id);
        this.#intents = this.#intents.then(() => this.#apply(intent.data));
      }
    };
    drain();
    intents.observe(drain);
    this.#offs.push(() => intents.unobserve(drain));
  }

  /** Committed records continue the doc's chain (the store was filled from it): append from its end. */
  #append(committed: readonly TokenRecord[]): void {
    if (this.#closed) return;
    const records = this.#doc.getArray<TokenRecord>(RunRoomType.records);
    const fresh = committed.filter((record) => record.seq >= records.length);
    if (fresh.length > 0) this.#transact(() => records.push(fresh));
  }

  async #apply(intent: RunIntent): Promise<void> {
    const executor = this.#executor;
    const model = this.#model;
    if (this.#closed || !executor || !model) return;
    let outcome: IntentOutcome;
    try {
      const owner = intent.by;
      if (intent.kind === 'task.complete') {
        const open = engine.pendingEffects(model, executor.state).some((e) => e.type === 'userTask.open' && e.instance === intent.instance);
        if (!open) throw new Error(`no open user task ${intent.instance}`);
        await executor.dispatch({ type: 'userTask.completed', instance: intent.instance, variables: intent.variables ?? {}, owner });
      } else {
        await executor.dispatch({ type: 'incident.resolved', incident: intent.instance, owner });
      }
      outcome = { ok: true, at: Date.now() };
    } catch (error) {
      outcome = { ok: false, error: (error instanceof Error ? error.message : String(error)).slice(0, 2000), at: Date.now() };
    }
    if (!this.#closed) this.#transact(() => this.#doc.getMap(RunRoomType.outcomes).set(intent.id, outcome));
  }

  #transact(fn: () => void): void {
    if (!this.#doc.isDestroyed) this.#doc.transact(fn, this.#origin);
  }
}
