/**
 * A collaborator's view of a shared run (opened from an invite link): the run doc's records,
 * verified as they arrive (a tampered one is shown as such and nothing from it on is applied),
 * the run's XML checked against the hash its first record pins, what the run waits for (replayed
 * from the verified records), and intents — complete a user task, retry an incident — that the
 * executing tab applies.
 */
import { compile, sha256Hex, type ProcessModel, type TokenRecord } from '../engine/index.js';
import { postIntent, readInfo, readLease, readOutcomes, runRecordsOf, type IntentOutcome, type RunInfoEntry, type RunLease } from '../sync/runDoc.js';
import { replicaDetail, type ReplicaDetail } from '../sync/runs/replicaDetail.js';
import { ReplicaVerifier, type Tampered } from '../sync/runs/ReplicaVerifier.js';
import { RunRoomConnection, type RunRoomStatus } from '../sync/runs/RunRoomConnection.js';

declare global {
  interface Window {
    tesseraSharedRun?: SharedRunView;
  }
}

export class SharedRunView {
  readonly runId: string;
  status = $state<RunRoomStatus>('connecting');
  records = $state.raw<readonly TokenRecord[]>([]);
  tampered = $state.raw<Tampered | undefined>(undefined);
  info = $state.raw<RunInfoEntry | undefined>(undefined);
  /** Why the run's XML cannot be shown or replayed (hash mismatch, compile error). */
  problem = $state<string | undefined>(undefined);
  detail = $state.raw<ReplicaDetail | undefined>(undefined);
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole on each change ($state.raw), never mutated
  outcomes = $state.raw<ReadonlyMap<string, IntentOutcome>>(new Map());
  lease = $state.raw<RunLease | undefined>(undefined);
  /** The relay's last reason for dropping a change from this page (its later changes need a reload). */
  denied = $state<string | undefined>(undefined);
  /** When (epoch ms) each verified seq reached this page: the live view's latency, for tests and people. */
  readonly arrivals: number[] = [];
  /** Intents this tab posted, in order. */
  posted = $state.raw<{ id: string; label: string }[]>([]);
  readonly #token: string;
  readonly #claims: { sub: string; role: string };
  readonly #verifier = new ReplicaVerifier();
  #connection: RunRoomConnection | undefined;
  #model: { sha: string; model: ProcessModel } | undefined;
  #frame = 0;

  constructor(runId: string, token: string) {
    this.runId = runId;
    this.#token = token;
    this.#claims = tokenClaims(token);
  }

  /** Whether this link may act (role `run`) or only watch (role `view`). */
  get canAct(): boolean {
    return this.#claims.role === 'run' || this.#claims.role === 'edit';
  }

  /** The doc (tests inject into it to check that a tampered record shows as such). */
  get doc() {
    return this.#connection?.doc;
  }

  start(): () => void {
    const connection = new RunRoomConnection(location.origin, this.runId, this.#token);
    this.#connection = connection;
    const off = connection.onChange(() => this.#schedule());
    this.#schedule();
    window.tesseraSharedRun = this;
    return () => {
      off();
      cancelAnimationFrame(this.#frame);
      connection.destroy();
      if (window.tesseraSharedRun === this) window.tesseraSharedRun = undefined;
    };
  }

  /** Asks the executor to complete a user task with these variables. */
  completeTask(node: string, instance: string, variables: Record<string, unknown>): void {
    this.#post({ kind: 'task.complete', node, instance, variables }, `Complete ${node}`);
  }

  /** Asks the executor to retry an incident. */
  retryIncident(node: string, incident: string): void {
    this.#post({ kind: 'incident.retry', node, instance: incident }, `Retry ${node}`);
  }

  #post(intent: { kind: 'task.complete' | 'incident.retry'; node: string; instance: string; variables?: Record<string, unknown> }, label: string): void {
    const doc = this.#connection?.doc;
    if (!doc) return;
    const id = crypto.randomUUID();
    postIntent(doc, { id, ...intent, by: this.#claims.sub, at: Date.now() });
    this.posted = [...this.posted, { id, label }];
  }

  #schedule(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = requestAnimationFrame(() => void this.#refresh());
  }

  async #refresh(): Promise<void> {
    const connection = this.#connection;
    if (!connection) return;
    this.status = connection.status;
    const doc = connection.doc;
    this.lease = readLease(doc);
    this.denied = connection.denied.at(-1);
    this.outcomes = readOutcomes(doc);
    if (this.#verifier.update(runRecordsOf(doc).toArray())) {
      const { records, tampered } = this.#verifier.state;
      for (let seq = this.arrivals.length; seq < records.length; seq++) this.arrivals.push(Date.now());
      this.records = records;
      this.tampered = tampered;
    }
    const info = readInfo(doc);
    if (info && info.xmlSha256 !== this.info?.xmlSha256) this.info = info;
    await this.#replay();
  }

  async #replay(): Promise<void> {
    const info = this.info;
    const first = this.records[0];
    if (!info || !first) return;
    const pinned = (first.data as { xmlSha256?: string } | undefined)?.xmlSha256;
    if (info.xmlSha256 !== pinned || sha256Hex(info.xml) !== pinned) {
      this.problem = 'The published diagram is not the version this run started from (its hash differs).';
      return;
    }
    try {
      if (this.#model?.sha !== pinned) this.#model = { sha: pinned, model: await compile(info.xml) };
      this.detail = replicaDetail(this.#model.model, this.records);
      this.problem = undefined;
    } catch (error) {
      this.problem = `The run cannot be replayed here: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

/** The `sub` and `role` of a relay token (not verified here: the relay checks it). */
function tokenClaims(token: string): { sub: string; role: string } {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown; role?: unknown };
    return { sub: typeof payload.sub === 'string' ? payload.sub : '', role: typeof payload.role === 'string' ? payload.role : 'view' };
  } catch {
    return { sub: '', role: 'view' };
  }
}
