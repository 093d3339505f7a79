import type { IncomingMessage, ServerResponse } from 'node:http';
import { roomNameSchema } from '../../src/lib/protocol/syncProtocol.js';
import { checkToken } from './tokens.js';

/**
 * GET /api/token/check?room=…, token in `Authorization: Bearer …` (never in the URL, so never in
 * logs): why a websocket to that room would be refused. A browser cannot read the HTTP status of a
 * refused upgrade, so the app asks here to tell "token expired" (fetch a fresh one) from "not for
 * this room" (say so and stop retrying). Answers nothing a connection attempt would not.
 */
export function createTokenCheckEndpoint(options: { secret: string }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET') return send(res, 405, { ok: false, status: 405, reason: 'use GET' });
    const room = roomNameSchema.safeParse(new URL(req.url ?? '/', 'http://relay').searchParams.get('room'));
    if (!room.success) return send(res, 400, { ok: false, status: 400, reason: 'room must be diagram:<id> or run:<id>' });
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const check = await checkToken(options.secret, token, room.data);
    if (check.ok) return send(res, 200, { ok: true, role: check.claims.role, expiresAt: check.claims.exp * 1000 });
    send(res, 200, { ok: false, status: check.status, reason: check.reason });
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
