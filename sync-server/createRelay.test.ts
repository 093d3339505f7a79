import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelay, type Relay } from './createRelay.js';

describe('sync-server/createRelay', () => {
  let dir: string;
  let relay: Relay;
  let url: string;

  beforeAll(async () => {
    // given a small build directory
    dir = await mkdtemp(join(tmpdir(), 'tessera-relay-'));
    await mkdir(join(dir, '_app/immutable'), { recursive: true });
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>shell</title>');
    await writeFile(join(dir, 'service-worker.js'), 'self;');
    await writeFile(join(dir, 'manifest.webmanifest'), '{"name":"Tessera"}');
    await writeFile(join(dir, '_app/immutable/entry.abc.js'), 'export {};');
    await writeFile(join(tmpdir(), 'tessera-outside.txt'), 'secret');
    relay = createRelay({ host: '127.0.0.1', port: 0, staticDir: dir, version: '9.9.9' });
    ({ url } = await relay.listen());
  });

  afterAll(async () => {
    await relay.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('listens on the real port it was given 0 for', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);
  });

  it('answers /healthz with its version', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    await expect(response.json()).resolves.toEqual({ ok: true, version: '9.9.9' });
  });

  it.each([
    ['/', 'text/html; charset=utf-8', 'no-cache'],
    ['/service-worker.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8', 'no-cache'],
    ['/_app/immutable/entry.abc.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']
  ])('serves %s as %s with cache-control %s', async (path, type, cache) => {
    const response = await fetch(`${url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('cache-control')).toBe(cache);
  });

  it('falls back to index.html for client-side routes, not for missing files', async () => {
    const route = await fetch(`${url}/runs/abc`);
    expect(route.status).toBe(200);
    await expect(route.text()).resolves.toContain('<title>shell</title>');
    expect((await fetch(`${url}/missing.js`)).status).toBe(404);
  });

  it('keeps /api for the API: JSON 404, never the app shell', async () => {
    const response = await fetch(`${url}/api/nothing`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it.each(['/../tessera-outside.txt', '/%2e%2e/tessera-outside.txt', '/..%2ftessera-outside.txt', '/%2e%2e%5ctessera-outside.txt'])(
    'never serves a file outside the build for %s',
    async (path) => {
      const { status, body } = await rawGet(url, path);
      expect(body).not.toContain('secret');
      expect([400, 404]).toContain(status);
    }
  );

  it('revalidates with an etag', async () => {
    const first = await fetch(`${url}/manifest.webmanifest`);
    const etag = first.headers.get('etag') ?? '';
    const second = await fetch(`${url}/manifest.webmanifest`, { headers: { 'if-none-match': etag } });
    expect(second.status).toBe(304);
  });

  it('refuses writes', async () => {
    expect((await fetch(`${url}/`, { method: 'POST' })).status).toBe(405);
  });

  it('closes promptly even with a keep-alive connection open', async () => {
    // given a second relay with an idle keep-alive client
    const other = createRelay({ host: '127.0.0.1', port: 0, staticDir: dir });
    const { url: otherUrl } = await other.listen();
    await fetch(`${otherUrl}/healthz`, { keepalive: true });
    // when it closes, then it does so well under the 5 s keep-alive timeout
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

/** A GET that sends the path exactly as written (fetch would normalise the dots away). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
