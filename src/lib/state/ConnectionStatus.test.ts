import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionStatus } from './ConnectionStatus.svelte.js';

function reply(status: number, body: unknown): typeof fetch {
  return async () => new Response(JSON.stringify(body), { status });
}

describe('src/lib/state/ConnectionStatus', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is online when the relay answers /healthz with ok', async () => {
    vi.stubGlobal('navigator', { onLine: true });
    const status = new ConnectionStatus({ fetch: reply(200, { ok: true, version: '1.2.3' }) });
    expect(status.state).toBe('checking');
    await status.probe();
    expect(status.state).toBe('online');
    expect(status.relayVersion).toBe('1.2.3');
  });

  it.each([
    ['an error status', reply(502, { ok: false })],
    ['a non-JSON answer', async () => new Response('<html>', { status: 200 })],
    ['a refused connection', () => Promise.reject(new TypeError('fetch failed'))]
  ])('reports the relay unreachable on %s', async (_, fetch) => {
    vi.stubGlobal('navigator', { onLine: true });
    const status = new ConnectionStatus({ fetch: fetch as typeof globalThis.fetch });
    await status.probe();
    expect(status.state).toBe('relay-unreachable');
  });

  it('gives up on a relay slower than the timeout', async () => {
    vi.stubGlobal('navigator', { onLine: true });
    const hang: typeof fetch = (_, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const status = new ConnectionStatus({ fetch: hang, timeoutMs: 10 });
    await status.probe();
    expect(status.state).toBe('relay-unreachable');
  });

  it('says offline when the browser has no network, whatever the relay did last', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    const status = new ConnectionStatus({ fetch: reply(200, { ok: true }) });
    await status.probe();
    expect(status.state).toBe('offline');
  });
});
