import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Handles one HTTP upgrade whose path starts with its prefix. It owns the socket from then on:
 * it either accepts (e.g. `wss.handleUpgrade`) or refuses with `refuseUpgrade` — and it must
 * authenticate BEFORE accepting. `rest` is the path after the prefix ("" or "/…").
 */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, rest: string) => void;

export interface UpgradeRouter {
  /** Routes upgrades for `prefix` ("/sync", "/jobs") and everything below it. */
  route(prefix: string, handler: UpgradeHandler): void;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** Dispatches HTTP upgrades by path prefix; unknown paths get a 404 and no upgrade. */
export function createUpgradeRouter(log: (line: string) => void = () => {}): UpgradeRouter {
  const routes: { prefix: string; handler: UpgradeHandler }[] = [];
  return {
    route(prefix, handler) {
      if (!/^\/[A-Za-z0-9_-]+$/.test(prefix)) throw new Error(`bad upgrade prefix "${prefix}"`);
      if (routes.some((r) => r.prefix === prefix)) throw new Error(`upgrade prefix "${prefix}" is taken`);
      routes.push({ prefix, handler });
    },
    handle(req, socket, head) {
      socket.on('error', () => socket.destroy());
      const pathname = pathOf(req.url);
      const match = routes.find((r) => pathname === r.prefix || pathname.startsWith(`${r.prefix}/`));
      if (!match) {
        refuseUpgrade(socket, 404, 'no such socket endpoint');
        return;
      }
      try {
        match.handler(req, socket, head, pathname.slice(match.prefix.length));
      } catch (error) {
        log(`upgrade ${match.prefix} failed: ${error instanceof Error ? error.message : String(error)}`);
        refuseUpgrade(socket, 500, 'internal error');
      }
    }
  };
}

/** Answers an upgrade request with a plain HTTP error and closes the socket (no upgrade happens). */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  if (socket.destroyed) return;
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${statusText(status)}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** The request path without its query (tokens live in queries: never log `req.url` itself). */
export function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable'
  };
  return texts[status] ?? 'Error';
}
