import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { startSyncRelay, type SyncRelay } from './helpers/startSyncRelay.js';
import { closed, rawSocket, syncClient, waitFor, type SyncClient } from './helpers/syncClient.js';

// R17: the relay under abuse stays responsive, bounded, and closes only offenders. 127.0.0.1 only.
const SEED = Number(process.env.TESSERA_SEED ?? 17);
const ISSUE_687 = Buffer.from('00010000000001000100010200001602000001fdffffffff7f0000', 'hex');

function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('relay limits (R17)', () => {
  let relay: SyncRelay;
  let a: SyncClient;
  let b: SyncClient;
  let healthyWrites = 0;
  let writer: NodeJS.Timeout;
  let worstHealthzMs = 0;
  let probe: NodeJS.Timeout;
  const rssBefore = process.memoryUsage().rss;

  beforeAll(async () => {
    console.log(`relayLimits seed ${SEED}`);
    relay = await startSyncRelay({
      maxRooms: 20,
      maxConnectionsPerIp: 40,
      idleRoomMs: 100,
      limits: { maxBufferedBytes: 512 * 1024, bytesPerSecond: 64 * 1024 * 1024, byteBurst: 64 * 1024 * 1024 }
    });
    // given two healthy editors writing all along, and a /healthz probe
    a = syncClient(relay.url, 'diagram:healthy', await relay.token('diagram:healthy', 'edit'));
    b = syncClient(relay.url, 'diagram:healthy', await relay.token('diagram:healthy', 'edit'));
    await Promise.all([a.synced(), b.synced()]);
    writer = setInterval(() => a.elements.set(`Healthy_${healthyWrites++}`, healthyWrites), 20);
    probe = setInterval(() => {
      const started = Date.now();
      void fetch(`${relay.url}/healthz`).then(() => (worstHealthzMs = Math.max(worstHealthzMs, Date.now() - started)));
    }, 50);
  });

  afterAll(async () => {
    clearInterval(writer);
    clearInterval(probe);
    // then the healthy pair converged, the relay answered /healthz quickly throughout, memory stayed bounded
    const written = healthyWrites;
    await waitFor(() => b.elements.size === written, 10_000, 'healthy convergence');
    a.destroy();
    b.destroy();
    await relay.stop();
    console.log(`relayLimits: ${written} healthy writes, worst /healthz ${worstHealthzMs} ms, rss +${Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20)} MiB`);
    expect(worstHealthzMs).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 2 ** 20);
  });

  async function editor(room = 'diagram:healthy'): Promise<WebSocket> {
    const { status, ws } = await rawSocket(`${relay.url}/sync/${room}?token=${await relay.token(room, 'edit')}`);
    expect(status).toBe(101);
    return ws!;
  }

  it('closes a frame over 2 MiB with 1009', async () => {
    const ws = await editor();
    const done = closed(ws);
    ws.send(new Uint8Array(3 * 1024 * 1024));
    expect((await done).code).toBe(1009);
  });

  it('survives the yjs #687 bytes sent as a V1 update', async () => {
    const ws = await editor();
    const started = Date.now();
    ws.send(updateFrame(ISSUE_687));
    const res = await fetch(`${relay.url}/healthz`);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    ws.close();
  });

  it('closes senders of random and mutated frames, one by one, with a reason', async () => {
    const random = prng(SEED);
    const doc = new Y.Doc();
    doc.getMap('elements').set('Task_1', new Y.Map([['name', 'x']]));
    const valid = updateFrame(Y.encodeStateAsUpdate(doc));
    const reasons = new Map<string, number>();
    let ws = await editor('diagram:fuzz');
    let done = closed(ws);
    for (let i = 0; i < 150; i++) {
      let frame: Uint8Array;
      if (i % 2 === 0) {
        frame = Uint8Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      } else {
        frame = valid.slice();
        for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) frame[Math.floor(random() * frame.length)] = Math.floor(random() * 256);
      }
      ws.send(frame);
      const outcome = await Promise.race([done, new Promise<undefined>((resolve) => setTimeout(resolve, 30))]);
      if (outcome) {
        reasons.set(outcome.reason.replace(/\d+/g, 'N').slice(0, 40), (reasons.get(outcome.reason.replace(/\d+/g, 'N').slice(0, 40)) ?? 0) + 1);
        ws = await editor('diagram:fuzz');
        done = closed(ws);
      }
    }
    ws.close();
    console.log('fuzz close reasons', Object.fromEntries(reasons));
    expect([...reasons.values()].reduce((n, c) => n + c, 0)).toBeGreaterThan(30);
    expect([...reasons.keys()].every((r) => r.length > 0)).toBe(true);
  });

  it('closes a flooding sender with 1008', async () => {
    const ws = await editor();
    const done = closed(ws);
    for (let i = 0; i < 1000; i++) ws.send(Uint8Array.of(3));
    expect(await done).toEqual({ code: 1008, reason: 'rate limit exceeded' });
  });

  it('caps open rooms and connections per address, and unloads idle rooms', async () => {
    const token = await relay.token('diagram:*', 'view');
    const attempts = await Promise.all(
      Array.from({ length: 60 }, (_, i) => rawSocket(`${relay.url}/sync/diagram:many-${i}?token=${token}`))
    );
    const statuses = attempts.map((a) => a.status);
    expect(statuses.filter((s) => s === 101).length).toBeLessThanOrEqual(40);
    expect(statuses.some((s) => s === 503 || s === 429)).toBe(true);
    expect(relay.service.stats().rooms).toBeLessThanOrEqual(20);
    for (const attempt of attempts) attempt.ws?.close();
    await waitFor(() => relay.service.stats().rooms <= 2, 5000, 'idle rooms unloaded');
  });

  it('drops a reader whose send queue passes the cap', async () => {
    // given a reader that stops reading and a writer of large updates in its room
    const slow = await editor('diagram:slow');
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = syncClient(relay.url, 'diagram:slow', await relay.token('diagram:slow', 'edit'));
    await big.synced();
    const before = relay.service.stats().connections;
    // when 40 × 512 KiB go out
    for (let i = 0; i < 40; i++) {
      big.doc.getText(`t${i}`).insert(0, 'x'.repeat(512 * 1024));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // then the slow reader is gone and the writer still is
    await waitFor(() => relay.service.stats().connections === before - 1, 10_000, 'slow reader dropped');
    expect(big.provider.wsconnected).toBe(true);
    big.destroy();
    slow.terminate();
  });
});
