import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createTokenCheckEndpoint } from './tokenCheckEndpoint.js';
import { signToken } from './tokens.js';

function call(url: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const endpoint = createTokenCheckEndpoint({ secret: 's' });
  return new Promise((resolve) => {
    const req = { method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} } as unknown as IncomingMessage;
    let status = 0;
    const res = {
      writeHead: (s: number) => (status = s),
      end: (text: string) => resolve({ status, body: JSON.parse(text) as Record<string, unknown> })
    } as unknown as ServerResponse;
    void endpoint(req, res);
  });
}

describe('sync-server/sync/tokenCheckEndpoint', () => {
  it('tells a good token from an expired one, one for another room, and none', async () => {
    const good = await signToken('s', { sub: 'a', room: 'diagram:d1', role: 'edit', ttlSeconds: 60 });
    const expired = await signToken('s', { sub: 'a', room: 'diagram:d1', role: 'edit', ttlSeconds: 1 }, Date.now() - 60_000);
    expect((await call('/api/token/check?room=diagram:d1', good)).body).toMatchObject({ ok: true, role: 'edit' });
    expect((await call('/api/token/check?room=diagram:d1', expired)).body).toEqual({ ok: false, status: 401, reason: 'token expired' });
    expect((await call('/api/token/check?room=diagram:d2', good)).body).toMatchObject({ ok: false, status: 403 });
    expect((await call('/api/token/check?room=diagram:d1')).body).toMatchObject({ ok: false, status: 401, reason: 'missing token' });
    expect((await call('/api/token/check?room=nope', good)).status).toBe(400);
  });
});
