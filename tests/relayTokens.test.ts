import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createRelay } from '../sync-server/createRelay.js';
import { attachSync } from '../sync-server/sync/attachSync.js';
import { signToken } from '../sync-server/sync/tokens.js';
import { RelayAccess, TokenKeeper } from '../src/lib/sync/relayAccess.js';
import { syncClient, waitFor, type SyncClient } from './helpers/syncClient.js';

const SECRET = 'token-refresh-test-secret';

/** A relay on 127.0.0.1; `mints` false makes /api/token refuse (as a relay bound to the network does). */
async function relayWith(options: { ttlSeconds: number; mints: boolean }) {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-tokens-'));
  const relay = createRelay({ host: '127.0.0.1', port: 0, staticDir: dir });
  attachSync(relay, { dbFile: join(dir, 'sync.sqlite'), secret: SECRET, boundHost: options.mints ? '127.0.0.1' : '0.0.0.0', tokenTtlSeconds: options.ttlSeconds });
  const { url } = await relay.listen();
  return { url, stop: async () => (await relay.close(), rmSync(dir, { recursive: true, force: true })) };
}

/** The app's way to connect (CollabSession without the modeler): RelayAccess + provider + TokenKeeper. */
async function appClient(url: string, room: string, linkToken?: string) {
  const access = new RelayAccess({ relayUrl: url, room, role: 'edit', sub: 'ada', linkToken });
  const token = await access.first();
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, room, doc, {
    params: { token: token ?? '' },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300
  });
  let attempts = 0;
  provider.on('status', ({ status }: { status: string }) => status === 'connecting' && attempts++);
  const keeper = new TokenKeeper(provider, access);
  return {
    doc,
    provider,
    keeper,
    attempts: () => attempts,
    destroy: () => (keeper.stop(), provider.destroy(), doc.destroy())
  };
}

describe('relay tokens: refresh on expiry, a clear message when refused', () => {
  let relay: Awaited<ReturnType<typeof relayWith>>;
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    relay = await relayWith({ ttlSeconds: 2, mints: true });
  });

  afterAll(async () => {
    for (const c of cleanups) c();
    await relay.stop();
  });

  it('a 2 s token runs out: the client fetches a fresh one and reconnects; edits before, during and after arrive', async () => {
    const room = 'diagram:short-ttl';
    const app = await appClient(relay.url, room);
    cleanups.push(app.destroy);
    const observer: SyncClient = syncClient(relay.url, room, await signToken(SECRET, { sub: 'obs', room, role: 'view', ttlSeconds: 600 }));
    cleanups.push(observer.destroy);
    await waitFor(() => app.provider.synced, 5000, 'first sync');
    const items = app.doc.getMap<string>('items');
    items.set('before', 'x');
    // when the relay ends the connection with its token (4003), an edit made while it is down
    await new Promise<void>((resolve) =>
      app.provider.on('connection-close', (event: CloseEvent | null) => {
        if (event?.code !== 4003) return;
        items.set('during', 'x');
        resolve();
      })
    );
    // then the client is back with a fresh token, and everything reaches the other client
    await waitFor(() => app.keeper.renewals >= 1 && app.provider.synced, 10_000, 'reconnect with a fresh token');
    items.set('after', 'x');
    const seen = observer.doc.getMap<string>('items');
    await waitFor(() => seen.has('before') && seen.has('during') && seen.has('after'), 10_000, 'all edits at the observer');
    expect(app.keeper.problem).toBeUndefined();
  });

  it('a link for another diagram on a relay that mints nothing: one message, no reconnect loop', async () => {
    const strict = await relayWith({ ttlSeconds: 600, mints: false });
    try {
      const foreign = await signToken(SECRET, { sub: 'bob', room: 'diagram:other', role: 'edit', ttlSeconds: 600 });
      const app = await appClient(strict.url, 'diagram:mine', foreign);
      cleanups.push(app.destroy);
      await waitFor(() => app.keeper.problem !== undefined, 10_000, 'a problem message');
      expect(app.keeper.problem).toMatch(/another diagram/);
      const attempts = app.attempts();
      await new Promise((r) => setTimeout(r, 1500));
      expect(app.attempts()).toBe(attempts);
      expect(app.provider.wsconnected).toBe(false);
    } finally {
      await strict.stop();
    }
  });

  it('an expired link on a relay that mints nothing says the link expired', async () => {
    const strict = await relayWith({ ttlSeconds: 600, mints: false });
    try {
      const expired = await signToken(SECRET, { sub: 'bob', room: 'diagram:mine', role: 'edit', ttlSeconds: 1 }, Date.now() - 60_000);
      const app = await appClient(strict.url, 'diagram:mine', expired);
      cleanups.push(app.destroy);
      await waitFor(() => app.keeper.problem !== undefined, 10_000, 'a problem message');
      expect(app.keeper.problem).toMatch(/link has expired/);
    } finally {
      await strict.stop();
    }
  });

  it('an expired link on a loopback relay is renewed (the relay mints for local callers)', async () => {
    const room = 'diagram:renew-link';
    const expired = await signToken(SECRET, { sub: 'bob', room, role: 'edit', ttlSeconds: 1 }, Date.now() - 60_000);
    const app = await appClient(relay.url, room, expired);
    cleanups.push(app.destroy);
    await waitFor(() => app.provider.synced, 10_000, 'connected with a fresh token');
    expect(app.keeper.problem).toBeUndefined();
    expect(app.keeper.token).not.toBe(expired);
  });
});
