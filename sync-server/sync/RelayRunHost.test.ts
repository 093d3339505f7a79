import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as engine from '../../src/lib/engine/index.js';
import type { RunState } from '../../src/lib/engine/state.js';
import type { TokenRecord } from '../../src/lib/engine/index.js';
import { LEASE_KEY, RunRoomType, type RunLease } from '../../src/lib/protocol/runRoom.js';
import { Executor } from '../../src/lib/runtime/Executor.js';
import { SystemClock } from '../../src/lib/runtime/SystemClock.js';
import { ManualJobs } from '../../src/lib/runtime/testing/ManualJobs.js';
import { SqliteRunStore } from '../../src/lib/store/sqlite/SqliteRunStore.js';
import { Room, type RoomPeer } from './Room.js';
import { runRoomPolicyFor } from './RunRoomPolicy.js';
import { SqliteUpdateLog } from './SqliteUpdateLog.js';

const XML = readFileSync(new URL('../../tests/fixtures/shared-review.bpmn', import.meta.url), 'utf8');

/** A browser executor's run, waiting at its user task: the records and XML it would publish. */
async function browserRun(): Promise<{ runId: string; records: TokenRecord[]; instance: string }> {
  const model = await engine.compile(XML);
  const store = new SqliteRunStore(':memory:');
  await store.putXml(model.xmlSha256, XML);
  const executor = new Executor<RunState>({ engine, model, store, clock: new SystemClock(), jobs: new ManualJobs() });
  const state = await executor.start({ runId: 'shared-run-1', processId: 'SharedReview', variables: {}, owner: 'alice' });
  const instance = engine.pendingEffects(model, state).find((e) => e.type === 'userTask.open')!.instance;
  const records = await store.records(state.runId);
  executor.close();
  return { runId: state.runId, records, instance };
}

/** A peer whose doc mirrors the room (no policy on its side: what it writes goes to the room). */
function peer(room: Room, user: string) {
  const doc = new Y.Doc();
  const self: RoomPeer = { user, send: () => {} };
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc), 'room');
  room.doc.on('update', (update: Uint8Array) => Y.applyUpdate(doc, update, 'room'));
  doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'room' && room.applyUpdate(self, update));
  room.join(self);
  return { doc, self };
}

describe('sync-server/sync/RelayRunHost', () => {
  it("takes a run over when its executor is gone past the grace time and applies a collaborator's completion", async () => {
    // given a relay that may host runs, and a browser executor that published a waiting run, then went away
    const { runId, records, instance } = await browserRun();
    const room = new Room(`run:${runId}`, new SqliteUpdateLog(':memory:'), { policy: runRoomPolicyFor(`run:${runId}`, { graceMs: 50, host: { jobs: new ManualJobs() } }) });
    const alice = peer(room, 'alice');
    alice.doc.getArray(RunRoomType.claims).push([{ client: alice.doc.clientID, by: 'alice', at: 0 }]);
    alice.doc.transact(() => {
      const info = alice.doc.getMap(RunRoomType.info);
      for (const [key, value] of Object.entries({ runId, processId: 'SharedReview', xmlSha256: engine.sha256Hex(XML), xml: XML })) info.set(key, value);
      alice.doc.getArray(RunRoomType.records).push(records);
    });
    const lease = () => room.doc.getMap(RunRoomType.lease).get(LEASE_KEY) as RunLease;
    expect(lease()).toMatchObject({ holder: 'alice', epoch: 1 });
    room.leave(alice.self);

    // when the grace time passes, then the relay holds the lease (epoch 2) …
    await vi.waitFor(() => expect(lease()).toMatchObject({ holder: 'relay', epoch: 2 }), { timeout: 5000 });
    // … and a collaborator's completion is applied by the relay's executor
    const bob = peer(room, 'bob');
    bob.doc.getArray(RunRoomType.intents).push([{ id: 'i1', kind: 'task.complete', node: 'Review', instance, variables: { note: 'by bob' }, by: 'bob', at: 1 }]);
    const chain = () => room.doc.getArray<TokenRecord>(RunRoomType.records).toArray();
    await vi.waitFor(() => expect(chain().at(-1)).toMatchObject({ kind: 'run', status: 'ended' }), { timeout: 5000 });
    expect(room.doc.getMap(RunRoomType.outcomes).get('i1')).toMatchObject({ ok: true });
    expect(engine.verifyChain(chain())).toMatchObject({ ok: true });
    expect(chain().map((r) => r.seq)).toEqual(chain().map((_, i) => i));
    expect(chain().find((r) => r.kind === 'intent')).toMatchObject({ owner: 'bob', data: { variables: { note: 'by bob' } } });

    // and alice, back, cannot take the run from the relay
    const back = peer(room, 'alice');
    back.doc.getArray(RunRoomType.claims).push([{ client: back.doc.clientID, by: 'alice', at: 2 }]);
    expect(lease()).toMatchObject({ holder: 'relay', epoch: 2 });
    room.destroy();
  });
});
