import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createRelay, type Relay } from './createRelay.js';
import { refuseUpgrade } from './upgradeRouter.js';

describe('sync-server/upgradeRouter', () => {
  let relay: Relay;
  let url: string;
  const wss = new WebSocketServer({ noServer: true });

  beforeAll(async () => {
    // given a relay with an accepting /echo route and a refusing /closed route
    relay = createRelay({
      host: '127.0.0.1',
      port: 0,
      staticDir: '/nonexistent',
      upgradeRoutes: {
        '/echo': (req, socket, head, rest) =>
          wss.handleUpgrade(req, socket, head, (ws) => ws.send(`rest=${rest}`))
      }
    });
    relay.routeUpgrade('/closed', (_req, socket) => refuseUpgrade(socket, 403, 'nope'));
    relay.routeHttp('/api/ping', (_req, res) => {
      res.end('pong');
    });
    ({ url } = await relay.listen());
  });

  afterAll(async () => {
    wss.close();
    await relay.close();
  });

  it('routes an upgrade by prefix and passes the rest of the path', async () => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/echo/a%3Ab?token=x`);
    const message = await new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
    ws.close();
    expect(message).toBe('rest=/a%3Ab');
  });

  it('refuses unknown paths and refusing routes with an HTTP status, never an upgrade', async () => {
    expect(await upgradeStatus(`${url}/nowhere`)).toBe(404);
    expect(await upgradeStatus(`${url}/closed/x`)).toBe(403);
  });

  it('refuses a taken prefix', () => {
    expect(() => relay.routeUpgrade('/echo', () => {})).toThrow(/taken/);
  });

  it('serves an added HTTP route', async () => {
    expect(await (await fetch(`${url}/api/ping`)).text()).toBe('pong');
  });
});

function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('upgrade', () => reject(new Error('upgraded')));
    req.on('error', reject);
    req.end();
  });
}
