import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { SqliteUpdateLog } from '../sync-server/sync/SqliteUpdateLog.js';
import { signToken } from '../sync-server/sync/tokens.js';
import { startSyncRelay, type SyncRelay } from './helpers/startSyncRelay.js';
import { closed, rawSocket, syncClient, waitFor, type SyncClient } from './helpers/syncClient.js';

describe('relay sync over 127.0.0.1', () => {
  let relay: SyncRelay;
  const clients: SyncClient[] = [];
  const client = (room: string, token: string, options?: { protocols?: boolean }) => {
    const c = syncClient(relay.url, room, token, options);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    relay = await startSyncRelay();
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await relay.stop();
  });

  it('two y-websocket clients converge through the relay', async () => {
    // given two editors of one diagram (one URL-encodes the room, one sends its token as a subprotocol)
    const a = client('diagram:conv', await relay.token('diagram:conv', 'edit'));
    const b = client(encodeURIComponent('diagram:conv'), await relay.token('diagram:conv', 'edit'), { protocols: true });
    await Promise.all([a.synced(), b.synced()]);
    // when both edit different elements
    a.elements.set('Task_A', new Y.Map([['name', 'A']]));
    b.elements.set('Task_B', new Y.Map([['name', 'B']]));
    // then both see both
    await waitFor(() => a.elements.size === 2 && b.elements.size === 2, 5000, 'convergence');
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
    // and a late joiner gets the stored state
    const c = client('diagram:conv', await relay.token('diagram:conv', 'view'));
    await c.synced();
    await waitFor(() => c.elements.size === 2, 5000, 'late joiner');
  });

  it('R16: refuses no token, foreign room, expired, bad signature and bad room names before upgrading', async () => {
    const url = `${relay.url}/sync/diagram:r16`;
    const before = relay.service.stats().connections;
    const foreign = await relay.token('diagram:other', 'edit');
    const expired = await signToken('test-secret-for-127.0.0.1-only', { sub: 'x', room: 'diagram:r16', role: 'edit', ttlSeconds: 1 }, Date.now() - 10_000);
    const forged = await signToken('another-secret', { sub: 'x', room: 'diagram:r16', role: 'edit', ttlSeconds: 600 });
    const attempts = [
      await rawSocket(url),
      await rawSocket(`${url}?token=${foreign}`),
      await rawSocket(`${url}?token=${expired}`),
      await rawSocket(`${url}?token=${forged}`),
      await rawSocket(`${url}?token=garbage`),
      await rawSocket(url, { 'sec-websocket-protocol': `tessera.sync.v1, ${foreign}` }),
      await rawSocket(`${relay.url}/sync/notaroom?token=${foreign}`),
      await rawSocket(`${relay.url}/sync/diagram:*?token=${foreign}`)
    ];
    expect(attempts.map((a) => a.status)).toEqual([401, 403, 401, 401, 401, 403, 400, 400]);
    expect(relay.service.stats().connections).toBe(before);
  });

  it('R16: 100% of 120 seeded forged, tampered, foreign and expired tokens are refused', async () => {
    let seed = 16;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const before = relay.service.stats().connections;
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++) {
      const room = `diagram:r16-${Math.floor(random() * 1000)}`;
      const valid = await relay.token(room, 'view');
      const [header, payload, signature] = valid.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'edit' })).toString('base64url')}.${signature}`;
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, role: 'edit' })).toString('base64url')}.`;
      const candidates = [
        tampered,
        none,
        await relay.token(`${room}x`, 'edit'),
        await signToken('test-secret-for-127.0.0.1-only', { sub: 'x', room, role: 'edit', ttlSeconds: 5 }, Date.now() - 60_000),
        await signToken(`wrong-${i}`, { sub: 'x', room, role: 'edit', ttlSeconds: 600 }),
        Buffer.from(Array.from({ length: 40 }, () => Math.floor(random() * 256))).toString('base64url')
      ];
      const token = candidates[i % candidates.length]!;
      statuses.push((await rawSocket(`${relay.url}/sync/${room}?token=${token}`)).status);
    }
    expect(statuses.filter((s) => s === 101)).toEqual([]);
    expect(relay.service.stats().connections).toBe(before);
  });

  it("R16: a viewer's writes never reach the others or storage; the viewer still syncs", async () => {
    // given an editor and a viewer
    const editor = client('diagram:view', await relay.token('diagram:view', 'edit'));
    const viewer = client('diagram:view', await relay.token('diagram:view', 'view'));
    await Promise.all([editor.synced(), viewer.synced()]);
    // y-websocket reports the relay's permission-denied message with console.warn
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // when the viewer writes 50 times and the editor once
    for (let i = 0; i < 50; i++) viewer.elements.set(`Viewer_${i}`, i);
    editor.elements.set('Editor_1', 1);
    // then the viewer receives the editor's write, the editor never sees the viewer's
    await waitFor(() => viewer.elements.has('Editor_1'), 5000, 'viewer receives');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([...editor.elements.keys()]).toEqual(['Editor_1']);
    const stored = new Y.Doc();
    const log = new SqliteUpdateLog(relay.dbFile);
    const state = log.load('diagram:view');
    log.close();
    if (state.snapshot) Y.applyUpdate(stored, state.snapshot);
    for (const update of state.updates) Y.applyUpdate(stored, update);
    expect([...stored.getMap('elements').keys()]).toEqual(['Editor_1']);
    expect(warn.mock.calls.some((call) => String(call[0]).includes('read-only'))).toBe(true);
    warn.mockRestore();
  });

  it('R16: ends a connection when its token expires', async () => {
    const { status, ws } = await rawSocket(`${relay.url}/sync/diagram:short?token=${await relay.token('diagram:short', 'edit', 1)}`);
    expect(status).toBe(101);
    expect(await closed(ws!)).toEqual({ code: 4003, reason: 'token expired' });
  });

  it('GET /api/token mints tokens for loopback callers of a loopback relay', async () => {
    const response = await fetch(`${relay.url}/api/token?room=diagram:minted&role=edit`);
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    const minted = client('diagram:minted', token);
    await minted.synced();
    expect((await fetch(`${relay.url}/api/token?room=nope&role=edit`)).status).toBe(400);
    expect((await fetch(`${relay.url}/api/token?room=diagram:x`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });
});
