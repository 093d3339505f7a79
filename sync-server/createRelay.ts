import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveStatic } from './serveStatic.js';
import { createUpgradeRouter, type UpgradeHandler } from './upgradeRouter.js';

export interface RelayOptions {
  host: string;
  /** 0 picks a free port; `listen()` reports the real one. */
  port: number;
  /** The built app (adapter-static output). */
  staticDir: string;
  /** Reported by /healthz so a client can tell which relay it talks to. */
  version?: string;
  log?: (line: string) => void;
  /** Websocket endpoints by path prefix, e.g. { '/sync': …, '/jobs': … }; more via `routeUpgrade`. */
  upgradeRoutes?: Record<string, UpgradeHandler>;
  /** Exact-path HTTP endpoints under /api, e.g. { '/api/token': … }; more via `routeHttp`. */
  httpRoutes?: Record<string, HttpHandler>;
}

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface Relay {
  listen(): Promise<{ url: string }>;
  close(): Promise<void>;
  server: Server;
  /** Adds a websocket endpoint: upgrades to `prefix` and below go to `handler` (which authenticates). */
  routeUpgrade(prefix: string, handler: UpgradeHandler): void;
  /** Adds an exact-path HTTP endpoint under /api/. */
  routeHttp(path: string, handler: HttpHandler): void;
  /** Runs before the HTTP server closes (close websocket servers, flush stores). */
  onClose(hook: () => Promise<void> | void): void;
}

/** Creates the relay's HTTP server: /healthz, /api (reserved), then the static SPA. */
export function createRelay(options: RelayOptions): Relay {
  const log = options.log ?? (() => {});
  const version = options.version ?? '0.0.0';
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal error\n');
    });
  });

  const upgrades = createUpgradeRouter(log);
  for (const [prefix, handler] of Object.entries(options.upgradeRoutes ?? {})) upgrades.route(prefix, handler);
  server.on('upgrade', (req, socket, head) => upgrades.handle(req, socket, head));
  const closeHooks: (() => Promise<void> | void)[] = [];
  const httpRoutes = new Map<string, HttpHandler>();
  const routeHttp = (path: string, handler: HttpHandler) => {
    if (!path.startsWith('/api/') || httpRoutes.has(path)) throw new Error(`bad or taken HTTP route "${path}"`);
    httpRoutes.set(path, handler);
  };
  for (const [path, handler] of Object.entries(options.httpRoutes ?? {})) routeHttp(path, handler);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://relay').pathname;
    if (pathname === '/healthz') {
      sendJson(res, 200, { ok: true, version });
      return;
    }
    // API routes arrive with later issues; until then answer as an API would, never with the SPA.
    const route = httpRoutes.get(pathname);
    if (route) {
      await route(req, res);
      return;
    }
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      sendJson(res, 404, { ok: false, error: `no such endpoint: ${pathname}` });
      return;
    }
    await serveStatic(options.staticDir, req, res);
  }

  return {
    server,
    routeUpgrade: (prefix, handler) => upgrades.route(prefix, handler),
    routeHttp,
    onClose: (hook) => {
      closeHooks.push(hook);
    },
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          resolve({ url: urlFor(server.address() as AddressInfo) });
        });
      }),
    close: async () => {
      for (const hook of closeHooks.splice(0)) await hook();
      await new Promise<void>((resolve, reject) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would hold close() open for seconds; a relay stop is a stop.
        server.closeAllConnections();
      });
    }
  };
}

function urlFor(address: AddressInfo): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
