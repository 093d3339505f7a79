import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { sealRecord } from '../../engine/chain/sealRecord.js';
import type { TokenRecord } from '../../engine/index.js';
import { LEASE_KEY, RunRoomType, type RunIntent, type RunLease } from '../../protocol/runRoom.js';
import { postIntent, readInfo, readOutcomes, runRecordsOf } from '../runDoc.js';
import { ReplicaVerifier } from './ReplicaVerifier.js';
import { RunPublisher, type ExecutorPort } from './RunPublisher.js';

const RUN = 'r1';
const XML = '<definitions/>';
const SHA = 'a'.repeat(64);

function chain(count: number, from: TokenRecord[] = []): TokenRecord[] {
  const out = [...from];
  for (let seq = from.length; seq < from.length + count; seq++) {
    const first = seq === 0;
    const unsealed = { v: 1 as const, runId: RUN, id: `rec${seq}`, kind: first ? ('run' as const) : ('token' as const), token: '', previousToken: null, node: `N${seq}`, instance: `i${seq}`, status: first ? ('started' as const) : ('completed' as const), owner: 'alice', at: seq };
    out.push(sealRecord(unsealed, seq, out.at(-1)?.hash ?? ''));
  }
  return out.slice(from.length);
}

/** A relay doc linking peers, granting the lease like RunRoomPolicy does (first claimant; `release` hands it on). */
function network() {
  const relay = new Y.Doc();
  const peers: Y.Doc[] = [];
  relay.on('update', (update: Uint8Array, origin: unknown) => peers.forEach((p) => p !== origin && Y.applyUpdate(p, update, 'relay')));
  const claims = relay.getArray<{ client: number; by: string }>(RunRoomType.claims);
  let released = false;
  claims.observe(() => {
    if (claims.length === 0) return;
    const lease = relay.getMap(RunRoomType.lease).get(LEASE_KEY) as RunLease | undefined;
    const claim = claims.get(0);
    relay.transact(() => {
      claims.delete(0, claims.length);
      if (!lease || released) {
        released = false;
        relay.getMap(RunRoomType.lease).set(LEASE_KEY, { holder: claim.by, client: claim.client, epoch: (lease?.epoch ?? 0) + 1, at: 0 });
      }
    });
  });
  const join = () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(relay));
    doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'relay' && Y.applyUpdate(relay, update, doc));
    peers.push(doc);
    return doc;
  };
  return { relay, join, release: () => (released = true) };
}

/** This tab's engine as the publisher sees it: a record feed we push to, task and incident calls. */
function engine(records: TokenRecord[] = []) {
  let listener: ((records: TokenRecord[]) => void) | undefined;
  const port: ExecutorPort = {
    info: async () => ({ runId: RUN, processId: 'P', xmlSha256: SHA, xml: XML }),
    subscribeRecords: async (from, l) => {
      listener = l;
      l(records.filter((r) => r.seq >= from));
      return () => (listener = undefined);
    },
    completeUserTask: vi.fn(async (instance: string) => {
      if (instance !== 'task1') throw new Error(`no open user task ${instance}`);
    }),
    resolveIncident: vi.fn(async () => {})
  };
  return { port, commit: (more: TokenRecord[]) => listener?.(more) };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('sync/runs/RunPublisher', () => {
  it('publishes info and every committed record once; a collaborator verifies and sees them', async () => {
    // given an executor with two committed records and a collaborator watching
    const net = network();
    const doc = net.join();
    const viewer = net.join();
    const first = chain(2);
    const tab = engine(first);
    const publisher = new RunPublisher(doc, tab.port, { user: 'alice', claimEveryMs: 10 });
    await publisher.start();
    // when the run goes on
    const more = chain(3, first);
    tab.commit(more.slice(0, 1));
    tab.commit(more.slice(1));
    tab.commit(more.slice(1)); // a repeated delivery changes nothing
    // then the collaborator's replica holds the five records, verified, and the run's XML
    const verifier = new ReplicaVerifier();
    verifier.update(runRecordsOf(viewer).toArray());
    expect(verifier.state.records.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(verifier.state.tampered).toBeUndefined();
    expect(readInfo(viewer)).toMatchObject({ runId: RUN, xml: XML, xmlSha256: SHA });
    publisher.stop();
  });

  it('applies each intent once through the engine, refuses stale ones, and says so in the doc', async () => {
    const net = network();
    const doc = net.join();
    const viewer = net.join();
    const tab = engine(chain(1));
    const publisher = new RunPublisher(doc, tab.port, { user: 'alice', claimEveryMs: 10 });
    await publisher.start();
    // when the collaborator completes the task twice (same intent), then a task that is gone, then retries an incident
    const intent = (id: string, kind: RunIntent['kind'], instance: string): RunIntent => ({ id, kind, node: 'Review', instance, variables: { ok: true }, by: 'bob', at: 1 });
    postIntent(viewer, intent('a', 'task.complete', 'task1'));
    postIntent(viewer, intent('a', 'task.complete', 'task1'));
    postIntent(viewer, intent('b', 'task.complete', 'old-task'));
    postIntent(viewer, intent('c', 'incident.retry', 'inc1'));
    await vi.waitFor(() => expect(readOutcomes(viewer).size).toBe(3));
    // then the engine saw each once, in order, and the outcomes reached the collaborator
    expect(tab.port.completeUserTask).toHaveBeenCalledTimes(2);
    expect(tab.port.completeUserTask).toHaveBeenNthCalledWith(1, 'task1', { ok: true }, 'bob');
    expect(tab.port.resolveIncident).toHaveBeenCalledWith('inc1', 'bob');
    expect(readOutcomes(viewer).get('a')?.ok).toBe(true);
    expect(readOutcomes(viewer).get('b')).toMatchObject({ ok: false, error: 'no open user task old-task' });
    // and a new executor (restarted tab) does not apply them again
    publisher.stop();
    const again = new RunPublisher(net.join(), engine(chain(1)).port, { user: 'alice' });
    await again.start();
    await flush();
    expect(tab.port.completeUserTask).toHaveBeenCalledTimes(2);
    again.stop();
  });

  it('a tab taking over appends only what the doc lacks: no duplicate seq', async () => {
    // given a first executor that published three records, then went away
    const net = network();
    const all = chain(5);
    const a = new RunPublisher(net.join(), engine(all.slice(0, 3)).port, { user: 'alice' });
    await a.start();
    a.stop();
    net.release();
    // when another tab, whose store has all five records, takes the lease
    const doc = net.join();
    const b = new RunPublisher(doc, engine(all).port, { user: 'alice', claimEveryMs: 5 });
    await b.start();
    await vi.waitFor(() => expect(b.holding).toBe(true));
    // then the chain in the doc is seq 0…4, each once
    expect(runRecordsOf(net.relay).toArray().map((r) => r.seq)).toEqual([0, 1, 2, 3, 4]);
    b.stop();
  });
});

describe('sync/runs/ReplicaVerifier', () => {
  it('shows a tampered record as such and never applies it or anything after it', () => {
    const records = chain(4);
    const verifier = new ReplicaVerifier();
    expect(verifier.update(records.slice(0, 2))).toBe(true);
    // when a modified record arrives, then a good-looking one after it
    const forged = { ...records[2]!, node: 'Elsewhere' };
    verifier.update([...records.slice(0, 2), forged, records[3]!]);
    expect(verifier.state.records).toHaveLength(2);
    expect(verifier.state.tampered).toMatchObject({ seq: 2, reason: expect.stringMatching(/hash does not match/) });
    // and a record of another run at the end of a good chain is flagged too
    const other = new ReplicaVerifier();
    other.update([...records, { ...chain(5)[4]!, runId: 'other' }]);
    expect(other.state).toMatchObject({ records: records, tampered: { seq: 4 } });
  });
});
