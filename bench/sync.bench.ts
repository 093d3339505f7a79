/**
 * Sync benchmark: a real relay (`tessera relay` child process on 127.0.0.1) and y-websocket
 * clients in THIS Node process (`ws` as the WebSocket; no browser — the browser's provider is the
 * same code over the browser's socket). Figures:
 *   - edit propagation client → relay → client, p50/p95 (one edit at a time, 2 clients)
 *   - fan-out: one writer, 50 receivers in one room, p95 of every delivery (the 50 receivers share
 *     this process's event loop, so this overstates what 50 browsers would see)
 *   - memory per idle room (loaded doc with a 20-element diagram, no peers; in this process, gc'd)
 *   - initial sync of a 1,000-element diagram doc (COLLAB.md schema), new client → synced
 *   - where the relay's per-update time goes, in-process with the relay's own classes: validation
 *     (worker round trip), storing (SQLite WAL, synchronous=FULL: an fsync per update), applying
 *
 *   npm run bench:sync     (= node --expose-gc --import tsx bench/sync.bench.ts)
 *
 * Last line of stdout: {"bench":"sync","p50_ms":…,"p95_ms":…,"fanout_p95_ms":…,"bytes_per_idle_room":…}.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { Room } from '../sync-server/sync/Room.js';
import { SqliteUpdateLog } from '../sync-server/sync/SqliteUpdateLog.js';
import { ValidatorPool } from '../sync-server/sync/ValidatorPool.js';
import { signToken } from '../sync-server/sync/tokens.js';
import { fmt, fmtBytes, gc, median, verdict } from './measure.js';

// y-websocket adds a process 'exit' listener per provider in Node; 50+ providers are expected here.
process.setMaxListeners(200);

const TARGET = { p95Ms: 50, fanoutP95Ms: 100 };
const EDITS = Number(process.env.BENCH_EDITS ?? 400);
const FANOUT = 50;
const FANOUT_EDITS = 60;
const IDLE_ROOMS = 500;
const SECRET = 'bench-secret';
const root = fileURLToPath(new URL('..', import.meta.url));

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  elements: Y.Map<unknown>;
}

async function client(url: string, room: string): Promise<Client> {
  const doc = new Y.Doc();
  const token = await signToken(SECRET, { sub: 'bench', room, role: 'edit', ttlSeconds: 3600 });
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token }
  });
  await new Promise<void>((resolve) => (provider.synced ? resolve() : provider.once('sync', () => resolve())));
  return { doc, provider, elements: doc.getMap('elements') };
}

function close(...clients: Client[]): void {
  for (const c of clients) {
    c.provider.destroy();
    c.doc.destroy();
  }
}

/** One element as COLLAB.md's schema has it. */
function element(doc: Y.Doc, i: number): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  map.set('type', i % 5 === 0 ? 'bpmn:SequenceFlow' : 'bpmn:Task');
  map.set('parent', 'Process_1');
  map.set('z', `a${i.toString(36)}`);
  map.set('bounds', { x: (i % 40) * 150, y: Math.floor(i / 40) * 120, width: 100, height: 80 });
  map.set('name', `Step ${i}`);
  const props = new Y.Map<unknown>();
  props.set('tessera:command', ['echo', `step-${i}`]);
  map.set('props', props);
  void doc;
  return map;
}

async function propagation(url: string): Promise<number[]> {
  const [a, b] = [await client(url, 'diagram:latency'), await client(url, 'diagram:latency')];
  const latencies: number[] = [];
  for (let i = 0; i < EDITS + 50; i++) {
    const key = `Task_${i}`;
    const arrived = new Promise<number>((resolve) => {
      const onChange = (event: Y.YMapEvent<unknown>) => {
        if (!event.keysChanged.has(key)) return;
        b.elements.unobserve(onChange);
        resolve(performance.now());
      };
      b.elements.observe(onChange);
    });
    const sent = performance.now();
    a.elements.set(key, element(a.doc, i));
    const at = await arrived;
    if (i >= 50) latencies.push(at - sent);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  close(a, b);
  return latencies;
}

async function fanout(url: string): Promise<number[]> {
  const writer = await client(url, 'diagram:fanout');
  const receivers: Client[] = [];
  for (let i = 0; i < FANOUT; i++) receivers.push(await client(url, 'diagram:fanout'));
  const deliveries: number[] = [];
  for (let i = 0; i < FANOUT_EDITS + 5; i++) {
    const key = `Task_${i}`;
    const sent = performance.now();
    await Promise.all(
      receivers.map(
        (r) =>
          new Promise<void>((resolve) => {
            const onChange = (event: Y.YMapEvent<unknown>) => {
              if (!event.keysChanged.has(key)) return;
              r.elements.unobserve(onChange);
              if (i >= 5) deliveries.push(performance.now() - sent);
              resolve();
            };
            r.elements.observe(onChange);
            if (r === receivers[0]) writer.elements.set(key, element(writer.doc, i));
          })
      )
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  close(writer, ...receivers);
  return deliveries;
}

function bytesPerIdleRoom(dir: string): number {
  const log = new SqliteUpdateLog(join(dir, 'idle.sqlite'));
  const seed = new Y.Doc();
  for (let i = 0; i < 20; i++) seed.getMap('elements').set(`Task_${i}`, element(seed, i));
  const update = Y.encodeStateAsUpdate(seed);
  for (let i = 0; i < IDLE_ROOMS; i++) log.append(`diagram:idle-${i}`, update);
  gc();
  const before = process.memoryUsage().heapUsed;
  const rooms: Room[] = [];
  for (let i = 0; i < IDLE_ROOMS; i++) rooms.push(new Room(`diagram:idle-${i}`, log));
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / IDLE_ROOMS;
  for (const room of rooms) {
    room.awareness.destroy();
    room.doc.destroy();
  }
  log.close();
  return bytes;
}

/** The relay's per-update stages on their own (same classes, same order: validate, apply, store). */
async function stages(dir: string): Promise<Record<'validate' | 'apply' | 'store', number[]>> {
  const log = new SqliteUpdateLog(join(dir, 'stages.sqlite'));
  const pool = new ValidatorPool(2);
  const source = new Y.Doc();
  const updates: Uint8Array[] = [];
  source.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < 300; i++) source.getMap('elements').set(`Task_${i}`, element(source, i));
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the validator workers boot
  const room = new Y.Doc();
  const out = { validate: [] as number[], apply: [] as number[], store: [] as number[] };
  for (const update of updates) {
    let t0 = performance.now();
    await pool.validate(update);
    out.validate.push(performance.now() - t0);
    t0 = performance.now();
    Y.applyUpdate(room, update);
    out.apply.push(performance.now() - t0);
    t0 = performance.now();
    log.append('diagram:stages', update);
    out.store.push(performance.now() - t0);
  }
  await pool.close();
  log.close();
  return out;
}

async function initialSync(url: string): Promise<{ ms: number[]; bytes: number }> {
  const seeder = await client(url, 'diagram:big');
  seeder.doc.transact(() => {
    for (let i = 0; i < 1000; i++) seeder.elements.set(`Element_${i}`, element(seeder.doc, i));
  });
  const bytes = Y.encodeStateAsUpdate(seeder.doc).byteLength;
  const check = await client(url, 'diagram:big');
  const started = performance.now();
  while (check.elements.size < 1000 && performance.now() - started < 10_000) await new Promise((r) => setTimeout(r, 5));
  close(check);
  const ms: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const c = await client(url, 'diagram:big');
    if (c.elements.size !== 1000) throw new Error(`initial sync gave ${c.elements.size} elements`);
    ms.push(performance.now() - t0);
    close(c);
  }
  close(seeder);
  return { ms, bytes };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-sync-'));
  const port = await freePort();
  const relay = await startRelay(port, dir);
  const url = `http://127.0.0.1:${port}`;
  try {
    console.log(`Sync bench: relay child process on ${url}; Node y-websocket clients (ws), not browsers\n`);
    const latencies = await propagation(url);
    const p50 = percentile(latencies, 0.5);
    const p95 = percentile(latencies, 0.95);
    console.log(`edit propagation A → relay → B (${latencies.length} edits): p50 ${fmt(p50)} ms, p95 ${fmt(p95)} ms, max ${fmt(Math.max(...latencies))} ms`);
    const deliveries = await fanout(url);
    const fanP95 = percentile(deliveries, 0.95);
    console.log(`fan-out to ${FANOUT} clients (${deliveries.length} deliveries): p50 ${fmt(percentile(deliveries, 0.5))} ms, p95 ${fmt(fanP95)} ms`);
    const sync = await initialSync(url);
    console.log(`initial sync of a 1,000-element diagram (${fmtBytes(sync.bytes)} V1 state): median ${fmt(median(sync.ms))} ms (connect + auth + sync), max ${fmt(Math.max(...sync.ms))} ms`);
    const idle = bytesPerIdleRoom(dir);
    console.log(`memory per idle room (20-element diagram loaded, no peers): ${fmtBytes(idle)}`);
    const stage = await stages(dir);
    const line = (name: keyof typeof stage) => `${name} p50 ${fmt(percentile(stage[name], 0.5))} ms, p95 ${fmt(percentile(stage[name], 0.95))} ms`;
    console.log(`relay per-update stages (in-process, 300 updates): ${line('validate')}; ${line('apply')}; ${line('store')}`);
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores (latency figures are noisy when other work runs)`);
    console.log(`\n  p95 propagation ${fmt(p95)} ms   target < ${TARGET.p95Ms} ms ${verdict(p95 < TARGET.p95Ms)}`);
    console.log(`  fan-out p95     ${fmt(fanP95)} ms   target < ${TARGET.fanoutP95Ms} ms ${verdict(fanP95 < TARGET.fanoutP95Ms)}`);
    console.log(
      JSON.stringify({
        bench: 'sync',
        p50_ms: round(p50),
        p95_ms: round(p95),
        fanout_p95_ms: round(fanP95),
        bytes_per_idle_room: Math.round(idle),
        validate_p95_ms: round(percentile(stage.validate, 0.95)),
        store_p95_ms: round(percentile(stage.store, 0.95)),
        load: round(loadavg()[0]!)
      })
    );
  } finally {
    relay.kill('SIGTERM');
    await new Promise((resolve) => relay.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function startRelay(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/tessera', 'relay', '--port', String(port), '--data', dataDir, '--secret', SECRET], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit']
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Open http/.test(output)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`relay exited with ${code}: ${output}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

await main();
