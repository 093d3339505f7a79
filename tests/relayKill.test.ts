import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteUpdateLog } from '../sync-server/sync/SqliteUpdateLog.js';
import { signToken } from '../sync-server/sync/tokens.js';
import { repoRoot } from './helpers/startRelay.js';
import { syncClient, waitFor, type SyncClient } from './helpers/syncClient.js';

// R15: relay SIGKILLed at random while two clients edit; 0 acknowledged updates lost. 127.0.0.1 only.
const SEED = Number(process.env.TESSERA_SEED ?? 15);
const UPDATES = 200;
const KILLS = 3;
const SECRET = 'r15-secret';
const ROOM = 'diagram:r15';

describe('relay kill storm (R15)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-r15-'));
  let child: ChildProcess | undefined;
  const clients: SyncClient[] = [];

  afterAll(() => {
    for (const c of clients) c.destroy();
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no update a client received, and clients converge after each restart', async () => {
    console.log(`relayKill seed ${SEED}`);
    const random = prng(SEED);
    const killAt = new Set<number>();
    while (killAt.size < KILLS) killAt.add(20 + Math.floor(random() * (UPDATES - 40)));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = await startRelayProcess(port, dir);
    const [a, b] = await Promise.all(
      ['a', 'b'].map(async (sub) => syncClient(url, ROOM, await signToken(SECRET, { sub, room: ROOM, role: 'edit', ttlSeconds: 600 })))
    );
    clients.push(a!, b!);
    await Promise.all([a!.synced(), b!.synced()]);
    // acknowledged = the OTHER client has received it (so it went through the relay)
    const acknowledged = () => [
      ...[...b!.elements.keys()].filter((k) => k.startsWith('A_')),
      ...[...a!.elements.keys()].filter((k) => k.startsWith('B_'))
    ];
    const reconnectMs: number[] = [];
    const startMs: number[] = [];
    for (let i = 0; i < UPDATES; i++) {
      const [who, name] = i % 2 === 0 ? [a!, `A_${i}`] : [b!, `B_${i}`];
      who.elements.set(name, new Y.Map([['name', name]]));
      await new Promise((resolve) => setTimeout(resolve, 5 + random() * 10));
      if (!killAt.has(i)) continue;
      // when the relay is SIGKILLed mid-editing
      const acked = acknowledged();
      child.kill('SIGKILL');
      await new Promise((resolve) => child!.once('exit', resolve));
      // then everything acknowledged before the kill is on disk
      const stored = storedKeys(join(dir, 'sync.sqlite'));
      const lost = acked.filter((k) => !stored.has(k));
      console.log(`kill at update ${i}: ${acked.length} acknowledged, ${stored.size} stored, ${lost.length} lost`);
      expect(lost).toEqual([]);
      const stopped = Date.now();
      child = await startRelayProcess(port, dir);
      startMs.push(Date.now() - stopped);
      // (y-websocket marks a provider unsynced on disconnect, synced again after step 2)
      reconnectMs.push(await waitFor(() => a!.provider.synced && b!.provider.synced, 15_000, 'reconnect'));
    }
    // and at the end both clients converge on all updates, and all of them are stored
    const converged = await waitFor(() => a!.elements.size === UPDATES && b!.elements.size === UPDATES, 15_000, 'convergence');
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    expect(storedKeys(join(dir, 'sync.sqlite')).size).toBe(UPDATES);
    console.log(`relayKill: relay process start ${startMs.join(', ')} ms; clients re-synced ${reconnectMs.join(', ')} ms after it listened; final convergence ${converged} ms`);
    expect(Math.max(...reconnectMs)).toBeLessThan(10_000);
  });
});

function storedKeys(file: string): Set<string> {
  const log = new SqliteUpdateLog(file);
  const state = log.load(ROOM);
  log.close();
  const doc = new Y.Doc();
  if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
  for (const update of state.updates) Y.applyUpdate(doc, update);
  return new Set(doc.getMap('elements').keys());
}

function startRelayProcess(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/tessera', 'relay', '--port', String(port), '--data', dataDir, '--secret', SECRET], {
    cwd: repoRoot,
    env: { ...process.env, TESSERA_SECRET: '' },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!/Open http:\/\/\S+ in your browser/.test(output)) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      child.stderr!.resume();
      resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}:\n${output}`));
    });
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
