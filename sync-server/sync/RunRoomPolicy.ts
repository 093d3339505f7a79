/**
 * The relay's rules for a run room (DESIGN.md "A run has one executor at a time"): it grants an
 * executor lease with an epoch, accepts record appends only from the lease holder — at the end
 * of the chain, with the next seq and the right prevHash and hash — and drops everything else
 * before it is stored or forwarded. See src/lib/protocol/runRoom.ts for who writes what.
 */
import * as Y from 'yjs';
import { recordHash } from '../../src/lib/engine/chain/sealRecord.js';
import type { TokenRecord } from '../../src/lib/engine/index.js';
import { LEASE_KEY, leaseClaimSchema, runIntentSchema, runLeaseSchema, runIdOfRoom, RunRoomType, type LeaseClaim, type RunLease } from '../../src/lib/protocol/runRoom.js';
import type { Admission, PolicyPeer as RoomPeer, RoomPolicy } from './RoomPolicy.js';
import type { JobDispatcher } from '../../src/lib/runtime/ports.js';
import { RELAY_HOLDER, RelayRunHost } from './RelayRunHost.js';
import { updateTouches, type InsertTouch } from './updateTouches.js';

export interface RunRoomPolicyOptions {
  /** How long a holder that has left keeps its lease (a reconnect in between keeps it). */
  graceMs?: number;
  now?: () => number;
  /**
   * Opt-in: when the holder has been gone past the grace time and the run has not ended, the
   * relay's host takes it over (RelayRunHost), running its jobs through `jobs`.
   */
  host?: { jobs: JobDispatcher };
}

/** Origin of the relay's own writes to a run doc (lease grants, consumed claims). */
export const RELAY_ORIGIN = Symbol('tessera.relay');

export class RunRoomPolicy implements RoomPolicy {
  readonly #runId: string;
  readonly #doc: Y.Doc;
  readonly #graceMs: number;
  readonly #now: () => number;
  /** Connections of the holder's client that claimed the lease (a reconnect adds one). */
  readonly #holderPeers = new Set<RoomPeer>();
  /** When the last holder connection left (the relay's start counts as such). */
  #leftAt: number;
  readonly #host: RunRoomPolicyOptions['host'];
  /** The relay's own executor of this run, once it took the run over. */
  #hosted: Promise<RelayRunHost | undefined> | undefined;
  #adoptTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(runId: string, doc: Y.Doc, options: RunRoomPolicyOptions = {}) {
    this.#runId = runId;
    this.#doc = doc;
    this.#graceMs = options.graceMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#leftAt = this.#now();
    this.#host = options.host;
    if (this.#host) {
      doc.on('destroy', () => {
        clearTimeout(this.#adoptTimer);
        void this.#hosted?.then((host) => host?.close());
      });
      if (this.lease) this.#scheduleAdoption();
    }
  }

  get lease(): RunLease | undefined {
    const parsed = runLeaseSchema.safeParse(this.#doc.getMap(RunRoomType.lease).get(LEASE_KEY));
    return parsed.success ? parsed.data : undefined;
  }

  /** True when nobody holds the lease, or its holder has been gone longer than the grace time. */
  get expired(): boolean {
    return !this.lease || (this.#holderPeers.size === 0 && this.#now() - this.#leftAt > this.#graceMs);
  }

  admit(peer: RoomPeer, update: Uint8Array): Admission {
    let touches;
    try {
      touches = updateTouches(this.#doc, update);
    } catch {
      return { ok: false, reason: 'update could not be decoded' };
    }
    if (touches.deletes.some((root) => root !== RunRoomType.info && root !== RunRoomType.outcomes)) {
      return { ok: false, reason: 'run docs are append-only' };
    }
    if (touches.deletes.length > 0 && !this.#holds(peer, undefined)) return { ok: false, reason: 'only the executor edits the run info' };
    // Over one socket a client's changes arrive in order: a gap means an earlier one was dropped
    // here. Applying it would leave it pending in the doc (and in every sync) forever.
    const firstClock = new Map<number, number>();
    for (const { item } of touches.inserts) firstClock.set(item.id.client, Math.min(item.id.clock, firstClock.get(item.id.client) ?? Infinity));
    for (const [client, clock] of firstClock) {
      if (clock > Y.getState(this.#doc.store, client)) return { ok: false, reason: 'update is missing earlier changes the relay dropped: reload the run' };
    }
    const records: InsertTouch[] = [];
    for (const touch of touches.inserts) {
      const problem = this.#checkInsert(peer, touch);
      if (problem) return { ok: false, reason: problem };
      if (touch.root === RunRoomType.records) records.push(touch);
    }
    const problem = records.length > 0 ? this.#checkAppend(records) : undefined;
    return problem ? { ok: false, reason: problem } : { ok: true };
  }

  applied(peer: RoomPeer): void {
    const claims = this.#doc.getArray<unknown>(RunRoomType.claims);
    if (claims.length === 0) return;
    let lease = this.lease;
    for (const entry of claims.toArray()) {
      const claim = leaseClaimSchema.safeParse(entry);
      if (!claim.success) continue;
      const next = this.#decide(lease, claim.data);
      if (!next) continue;
      if (!lease || next.client !== lease.client) this.#holderPeers.clear();
      if (claim.data.by === peer.user) this.#holderPeers.add(peer);
      lease = next;
    }
    const current = lease;
    const stored = this.lease;
    this.#doc.transact(() => {
      claims.delete(0, claims.length);
      if (current && (current.epoch !== stored?.epoch || current.client !== stored.client)) {
        this.#doc.getMap(RunRoomType.lease).set(LEASE_KEY, current);
      }
    }, RELAY_ORIGIN);
  }

  left(peer: RoomPeer): void {
    if (this.#holderPeers.delete(peer) && this.#holderPeers.size === 0) {
      this.#leftAt = this.#now();
      this.#scheduleAdoption();
    }
  }

  /** With a host configured: once the grace time is over, adopt the run if nobody took it. */
  #scheduleAdoption(): void {
    if (!this.#host) return;
    clearTimeout(this.#adoptTimer);
    this.#adoptTimer = setTimeout(() => this.#adopt(), this.#graceMs + 20);
    this.#adoptTimer.unref?.();
  }

  #adopt(): void {
    const host = this.#host;
    const lease = this.lease;
    if (!host || !lease || this.#hosted || !this.expired || this.#doc.isDestroyed) return;
    const records = this.#doc.getArray<TokenRecord>(RunRoomType.records);
    const last = records.length > 0 ? records.get(records.length - 1) : undefined;
    if (!last || (last.kind === 'run' && last.status !== 'started')) return;
    this.#holderPeers.clear();
    this.#hosted = RelayRunHost.adopt({ doc: this.#doc, runId: this.#runId, epoch: lease.epoch + 1, jobs: host.jobs, origin: RELAY_ORIGIN }).catch(() => {
      // The doc cannot be executed here (invalid chain or XML): leave the run to its clients.
      this.#hosted = undefined;
      return undefined;
    });
  }

  /** The lease after `claim`: renewed, granted (epoch + 1), or undefined when refused. */
  #decide(lease: RunLease | undefined, claim: LeaseClaim): RunLease | undefined {
    // The relay's host keeps a run it took over: its executor is always here.
    if (this.#hosted || (this.#host && lease?.holder === RELAY_HOLDER)) return undefined;
    if (lease && lease.client === claim.client && lease.holder === claim.by) return lease;
    if (lease && !(this.#holderPeers.size === 0 && this.#now() - this.#leftAt > this.#graceMs)) return undefined;
    return { holder: claim.by, client: claim.client, epoch: (lease?.epoch ?? 0) + 1, at: this.#now() };
  }

  #holds(peer: RoomPeer, client: number | undefined): boolean {
    const lease = this.lease;
    if (!lease || lease.holder === RELAY_HOLDER || peer.user !== lease.holder || this.expired) return false;
    return client === undefined || client === lease.client;
  }

  #checkInsert(peer: RoomPeer, { root, item }: InsertTouch): string | undefined {
    switch (root) {
      case RunRoomType.records:
      case RunRoomType.info:
      case RunRoomType.outcomes:
        return this.#holds(peer, item.id.client) ? undefined : `only the executor (lease holder) writes ${root}`;
      case RunRoomType.intents:
        return entriesOf(item).every((e) => runIntentSchema.safeParse(e).data?.by === peer.user && item.parentSub === null)
          ? undefined
          : 'an intent must be well-formed and signed by its sender';
      case RunRoomType.claims:
        return entriesOf(item).every((e) => leaseClaimSchema.safeParse(e).data?.by === peer.user && item.parentSub === null)
          ? undefined
          : 'a lease claim must be well-formed and made by its sender';
      default:
        return root === undefined ? 'update refers to content the relay does not have' : `${root} is not writable`;
    }
  }

  /** Record items must go at the chain's end, in order, each continuing the chain. */
  #checkAppend(touches: InsertTouch[]): string | undefined {
    const array = this.#doc.getArray<TokenRecord>(RunRoomType.records);
    let last = array.length > 0 ? array.get(array.length - 1) : undefined;
    let tail = tailId(array);
    let seq = array.length;
    for (const { item } of [...touches].sort((a, b) => a.item.id.clock - b.item.id.clock)) {
      if (item.rightOrigin !== null || !sameId(item.origin, tail)) return 'records are appended at the end of the chain only';
      for (const record of entriesOf(item) as TokenRecord[]) {
        const problem = recordProblem(record, seq, this.#runId, last?.hash ?? '');
        if (problem) return `record seq ${seq}: ${problem}`;
        last = record;
        seq++;
      }
      tail = { client: item.id.client, clock: item.id.clock + item.length - 1 };
    }
    return undefined;
  }
}

/** The policy factory for a room: run rooms get a RunRoomPolicy, others none. */
export function runRoomPolicyFor(room: string, options: RunRoomPolicyOptions = {}): ((doc: Y.Doc) => RunRoomPolicy) | undefined {
  const runId = runIdOfRoom(room);
  return runId === undefined ? undefined : (doc) => new RunRoomPolicy(runId, doc, options);
}

function recordProblem(record: TokenRecord, seq: number, runId: string, prevHash: string): string | undefined {
  if (record === null || typeof record !== 'object') return 'not a record';
  if (record.seq !== seq) return `seq is ${String(record.seq)}, expected ${seq} (duplicate or gap)`;
  if (record.runId !== runId) return 'belongs to another run';
  if (record.prevHash !== prevHash) return 'prevHash does not link to the chain';
  const { hash, ...rest } = record;
  try {
    return hash === recordHash(rest) ? undefined : 'hash does not match its content';
  } catch {
    return 'cannot be canonicalised';
  }
}

function entriesOf(item: Y.Item): unknown[] {
  return item.content instanceof Y.ContentAny ? item.content.getContent() : [Symbol('not plain data')];
}

type Id = { client: number; clock: number };

function sameId(a: Id | null, b: Id | null): boolean {
  return a === null || b === null ? a === b : a.client === b.client && a.clock === b.clock;
}

/** The id of the array's last element (Yjs keeps no end pointer: walk the item list). */
function tailId(array: Y.Array<TokenRecord>): Id | null {
  let item = (array as unknown as { _start: Y.Item | null })._start;
  let last: Y.Item | null = null;
  while (item) {
    last = item;
    item = item.right;
  }
  return last ? { client: last.id.client, clock: last.id.clock + last.length - 1 } : null;
}
