import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface SyncClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  elements: Y.Map<unknown>;
  synced(): Promise<void>;
  destroy(): void;
}

/** A y-websocket client in Node (`ws` as the WebSocket), as the browser's provider would connect. */
export function syncClient(relayUrl: string, room: string, token: string, options: { protocols?: boolean } = {}): SyncClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${relayUrl.replace(/^http/, 'ws')}/sync`, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // BroadcastChannel would let clients in one process sync without the relay.
    disableBc: true,
    ...(options.protocols ? { protocols: ['tessera.sync.v1', token] } : { params: { token } }),
    maxBackoffTime: 300
  });
  return {
    doc,
    provider,
    elements: doc.getMap('elements'),
    synced: () =>
      provider.synced ? Promise.resolve() : new Promise((resolve) => provider.once('sync', (ok: boolean) => ok && resolve())),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    }
  };
}

/** Resolves when `check` is true (polled), or rejects after `ms`. */
export async function waitFor(check: () => boolean, ms: number, what = 'condition'): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

/** Opens a raw websocket; resolves with the HTTP status when the upgrade is refused, or the socket. */
export function rawSocket(url: string, headers: Record<string, string> = {}): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('error', (error) => reject(error));
  });
}

/** Resolves with the close code and reason of `ws`. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}
