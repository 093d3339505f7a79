import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { Role, roomGrantSchema } from '../../src/lib/protocol/syncProtocol.js';
import { hostOfHeader, isLoopback } from './loopback.js';
import { signToken } from './tokens.js';

const query = z.object({
  room: roomGrantSchema,
  role: z.enum([Role.view, Role.edit, Role.run]).default(Role.edit),
  sub: z.string().min(1).max(200).default('local')
});

/** Tokens minted by GET /api/token live this long; the app asks again before they run out. */
export const LOCAL_TOKEN_TTL_SECONDS = 3600;

/**
 * GET /api/token?room=…&role=view|edit|run[&sub=…]: the local default. Mints a short-lived token
 * only when the relay is bound to loopback AND the request comes from loopback with a loopback
 * Host (no DNS rebinding) and no foreign Origin. A network relay answers 403: use `tessera token`.
 */
export function createTokenEndpoint(options: { secret: string; boundHost: string; ttlSeconds?: number }) {
  const ttlSeconds = options.ttlSeconds ?? LOCAL_TOKEN_TTL_SECONDS;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET') return send(res, 405, { ok: false, error: 'use GET' });
    const origin = req.headers.origin;
    const local =
      isLoopback(options.boundHost) &&
      isLoopback(req.socket.remoteAddress) &&
      isLoopback(hostOfHeader(req.headers.host)) &&
      (origin === undefined || isLoopback(hostOfHeader(safeHost(origin))));
    if (!local) {
      return send(res, 403, { ok: false, error: 'tokens are minted here only on a loopback relay; ask its operator (tessera token)' });
    }
    const params = Object.fromEntries(new URL(req.url ?? '/', 'http://relay').searchParams);
    const parsed = query.safeParse(params);
    if (!parsed.success) return send(res, 400, { ok: false, error: 'need room=diagram:<id>|run:<id> and role=view|edit|run' });
    const token = await signToken(options.secret, { ...parsed.data, ttlSeconds });
    send(res, 200, { ok: true, token, expiresIn: ttlSeconds });
  };
}

function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
