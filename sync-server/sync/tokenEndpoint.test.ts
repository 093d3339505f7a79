import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createTokenEndpoint } from './tokenEndpoint.js';
import { checkToken } from './tokens.js';

function call(
  endpoint: ReturnType<typeof createTokenEndpoint>,
  { url = '/api/token?room=diagram:d1&role=view', remote = '127.0.0.1', host = '127.0.0.1:8787', origin }: { url?: string; remote?: string; host?: string; origin?: string } = {}
): Promise<{ status: number; body: { ok: boolean; token?: string } }> {
  return new Promise((resolve) => {
    const req = { method: 'GET', url, headers: { host, ...(origin ? { origin } : {}) }, socket: { remoteAddress: remote } } as unknown as IncomingMessage;
    let status = 0;
    const res = {
      writeHead: (s: number) => (status = s),
      end: (text: string) => resolve({ status, body: JSON.parse(text) as { ok: boolean; token?: string } })
    } as unknown as ServerResponse;
    void endpoint(req, res);
  });
}

describe('sync-server/sync/tokenEndpoint', () => {
  const local = createTokenEndpoint({ secret: 's', boundHost: '127.0.0.1' });

  it('mints a short-lived token for a loopback caller of a loopback relay', async () => {
    const { status, body } = await call(local);
    expect(status).toBe(200);
    expect(await checkToken('s', body.token, 'diagram:d1')).toMatchObject({ ok: true, claims: { role: 'view', sub: 'local' } });
  });

  it('refuses network binds, remote callers, rebound hosts and foreign origins', async () => {
    const network = createTokenEndpoint({ secret: 's', boundHost: '0.0.0.0' });
    expect((await call(network)).status).toBe(403);
    expect((await call(local, { remote: '192.168.1.9' })).status).toBe(403);
    expect((await call(local, { host: 'evil.example:8787' })).status).toBe(403);
    expect((await call(local, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await call(local, { origin: 'http://localhost:5173', remote: '::ffff:127.0.0.1' })).status).toBe(200);
  });

  it('refuses a bad room or the runner role', async () => {
    expect((await call(local, { url: '/api/token?room=x&role=edit' })).status).toBe(400);
    expect((await call(local, { url: '/api/token?room=diagram:d1&role=runner' })).status).toBe(400);
  });
});
