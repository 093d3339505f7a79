import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { sealRecord } from '../../src/lib/engine/chain/sealRecord.js';
import { verifyChain, type TokenRecord } from '../../src/lib/engine/index.js';
import { SyncMessageType } from '../../src/lib/protocol/syncProtocol.js';
import { LEASE_KEY, RunRoomType, type RunIntent, type RunLease } from '../../src/lib/protocol/runRoom.js';
import { Room, type RoomPeer } from './Room.js';
import { runRoomPolicyFor } from './RunRoomPolicy.js';
import { SqliteUpdateLog } from './SqliteUpdateLog.js';

const RUN = 'r1';
const REMOTE = Symbol('remote');

/** A client over an in-memory link: its doc's local updates go to the room, the room's frames come back. */
class Client implements RoomPeer {
  doc = new Y.Doc();
  denied: string[] = [];
  constructor(
    readonly room: Room,
    readonly user: string
  ) {
    this.reset();
    room.join(this);
  }
  send(frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    if (type === SyncMessageType.sync) syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), this.doc, REMOTE);
    if (type === SyncMessageType.auth) authProtocol.readAuthMessage(decoder, this.doc, (_doc, reason) => this.denied.push(reason));
  }
  /** A fresh doc with the relay's state and the same client id (what a client does after a denial). */
  reset(): void {
    const id = this.doc.clientID;
    this.doc = new Y.Doc();
    this.doc.clientID = id;
    Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(this.room.doc), REMOTE);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.room.applyUpdate(this, update);
    });
  }
  claim(): void {
    this.doc.getArray(RunRoomType.claims).push([{ client: this.doc.clientID, by: this.user, at: 0 }]);
  }
  append(records: TokenRecord[]): void {
    this.doc.getArray(RunRoomType.records).push(records);
  }
  get lease(): RunLease | undefined {
    return this.doc.getMap(RunRoomType.lease).get(LEASE_KEY) as RunLease | undefined;
  }
}

function chain(count: number, from: TokenRecord[] = []): TokenRecord[] {
  const out = [...from];
  for (let seq = from.length; seq < from.length + count; seq++) {
    const first = seq === 0;
    out.push(
      sealRecord(
        { v: 1, runId: RUN, id: `rec${seq}`, kind: first ? 'run' : 'token', token: first ? '' : 't1', previousToken: null, node: first ? 'P' : `N${seq}`, instance: `i${seq}`, status: first ? 'started' : 'completed', owner: 'alice', at: seq },
        seq,
        out.at(-1)?.hash ?? ''
      )
    );
  }
  return out.slice(from.length);
}

function setup() {
  let now = 1000;
  const log = new SqliteUpdateLog(':memory:');
  const room = new Room(`run:${RUN}`, log, { policy: runRoomPolicyFor(`run:${RUN}`, { graceMs: 5000, now: () => now }) });
  const records = () => room.doc.getArray<TokenRecord>(RunRoomType.records).toArray();
  const stored = () => {
    const copy = new Y.Doc();
    const { snapshot, updates } = log.load(`run:${RUN}`);
    if (snapshot) Y.applyUpdate(copy, snapshot);
    for (const update of updates) Y.applyUpdate(copy, update);
    return copy.getArray<TokenRecord>(RunRoomType.records).toArray();
  };
  return { room, records, stored, advance: (ms: number) => (now += ms), now: () => now };
}

describe('sync-server/sync/RunRoomPolicy', () => {
  it('grants the lease to the first claimant and accepts appends only from it', () => {
    // given alice's executor holding the lease and a collaborator bob in the room
    const { room, records, stored } = setup();
    const alice = new Client(room, 'alice');
    const bob = new Client(room, 'bob');
    alice.claim();
    expect(bob.lease).toMatchObject({ holder: 'alice', client: alice.doc.clientID, epoch: 1 });
    const first = chain(3);
    alice.append(first);
    // when bob appends a well-formed next record
    bob.append(chain(1, first));
    // then it is dropped: not applied, not stored, not forwarded; bob is told why
    expect(records().map((r) => r.seq)).toEqual([0, 1, 2]);
    expect(stored().map((r) => r.seq)).toEqual([0, 1, 2]);
    expect(alice.doc.getArray(RunRoomType.records).length).toBe(3);
    expect(bob.denied[0]).toMatch(/only the executor/);
    // and bob's next change depends on the dropped one: refused too, not kept pending on the relay
    bob.claim();
    expect(bob.denied.at(-1)).toMatch(/missing/);
    expect(room.doc.store.pendingStructs).toBeNull();
    // and bob's claim while alice is connected (from a fresh doc) changes nothing
    bob.reset();
    bob.claim();
    expect(alice.lease).toMatchObject({ holder: 'alice', epoch: 1 });
    expect(room.doc.getArray(RunRoomType.claims).length).toBe(0);
    // and a reconnect's sync step 2 (a whole state, with the consumed claims' deletions) passes
    const carol = new Client(room, 'carol');
    carol.claim();
    room.applyUpdate(carol, Y.encodeStateAsUpdate(carol.doc));
    room.applyUpdate(alice, Y.encodeStateAsUpdate(alice.doc));
    expect(carol.denied).toEqual([]);
    expect(alice.denied).toHaveLength(0);
  });

  it("accepts a collaborator's intents signed by itself, refuses forged ones", () => {
    const { room } = setup();
    const bob = new Client(room, 'bob');
    const alice = new Client(room, 'alice');
    const intent = (by: string): RunIntent => ({ id: `i-${by}`, kind: 'task.complete', node: 'Review', instance: 'inst1', variables: { ok: true }, by, at: 1 });
    bob.doc.getArray(RunRoomType.intents).push([intent('bob')]);
    bob.doc.getArray(RunRoomType.intents).push([intent('alice')]);
    expect(alice.doc.getArray(RunRoomType.intents).toArray()).toEqual([intent('bob')]);
    expect(bob.denied).toHaveLength(1);
  });

  it('refuses deletions, inserts before the end, gaps, duplicates and tampered records from the holder', () => {
    const { room, records } = setup();
    const alice = new Client(room, 'alice');
    alice.claim();
    const first = chain(2);
    alice.append(first);
    const next = chain(1, first)[0]!;
    const attempts: [string, () => void][] = [
      ['delete', () => alice.doc.getArray(RunRoomType.records).delete(0, 1)],
      ['insert', () => alice.doc.getArray(RunRoomType.records).insert(0, [next])],
      ['gap', () => alice.append(chain(2, first).slice(1))],
      ['duplicate', () => alice.append([first[1]!])],
      ['tampered', () => alice.append([{ ...next, node: 'Elsewhere' }])],
      ['lease', () => alice.doc.getMap(RunRoomType.lease).set(LEASE_KEY, { holder: 'alice', client: 1, epoch: 9, at: 0 })]
    ];
    for (const [index, [what, attempt]] of attempts.entries()) {
      attempt();
      expect(alice.denied, what).toHaveLength(index + 1);
      // alice's doc now holds what the relay dropped: start over from the relay's state
      alice.reset();
    }
    expect(records().map((r) => r.hash)).toEqual(first.map((r) => r.hash));
  });

  it('hands the lease over with a higher epoch after the holder left, with no duplicate seq', () => {
    // given alice executing in one tab with three records published
    const { room, records, stored, advance } = setup();
    const alice = new Client(room, 'alice');
    alice.claim();
    const first = chain(3);
    alice.append(first);
    // when alice's tab goes away and her other tab (another client) claims after the grace time
    const other = new Client(room, 'alice');
    other.claim();
    expect(other.lease?.client).toBe(alice.doc.clientID);
    room.leave(alice);
    advance(6000);
    other.claim();
    // then the other tab holds epoch 2 and continues the chain
    expect(other.lease).toMatchObject({ client: other.doc.clientID, epoch: 2 });
    const more = chain(1, first);
    other.append(more);
    // and the old tab, back with its stale view, cannot append its own seq 3
    room.join(alice);
    alice.append(chain(1, first).map((r) => ({ ...r, at: 99 })));
    expect(alice.denied[0]).toMatch(/only the executor/);
    expect(records().map((r) => r.seq)).toEqual([0, 1, 2, 3]);
    expect(records()[3]!.hash).toBe(more[0]!.hash);
    expect(verifyChain(stored())).toMatchObject({ ok: true, count: 4 });
  });
});
