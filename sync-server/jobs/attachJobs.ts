import type { IncomingMessage } from 'node:http';
import { errors, jwtVerify } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import { JobLimits } from '../../src/lib/protocol/jobs.js';
import { Role, grantCovers, tokenClaimsSchema, type TokenClaims } from '../../src/lib/protocol/syncProtocol.js';
import type { Relay } from '../createRelay.js';
import { pathOf, refuseUpgrade } from '../upgradeRouter.js';
import type { JobHub } from './JobHub.js';

/** Sends beyond this many buffered bytes drop live output (outcomes are always sent). */
const MAX_BUFFERED_OUTPUT = 8 * 1024 * 1024;

/**
 * The job channel on the relay: `/jobs/runner` for runners (token role `runner`), `/jobs` for
 * clients submitting jobs (role `run` or `runner`; a client may only touch runs its room grant
 * covers, `run:<runId>`). Token as `Authorization: Bearer …` or `?token=`.
 */
export function attachJobs(relay: Relay, hub: JobHub, options: { secret: string; log?: (line: string) => void }): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: JobLimits.messageBytes });
  relay.routeUpgrade('/jobs', (req, socket, head, rest) => {
    const kind = rest === '/runner' ? 'runner' : rest === '' || rest === '/' ? 'client' : undefined;
    if (!kind) return refuseUpgrade(socket, 404, `no job endpoint ${pathOf(req.url)}`);
    void verify(options.secret, tokenOf(req)).then((check) => {
      if (!check.ok) return refuseUpgrade(socket, 401, check.reason);
      const allowed = kind === 'runner' ? check.claims.role === Role.runner : check.claims.role === Role.run || check.claims.role === Role.runner;
      if (!allowed) return refuseUpgrade(socket, 403, `role ${check.claims.role} may not open /jobs${rest}`);
      wss.handleUpgrade(req, socket, head, (ws) => bind(ws, kind, check.claims));
    });
  });

  function bind(ws: WebSocket, kind: 'runner' | 'client', claims: TokenClaims): void {
    const send = (frame: string) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_OUTPUT && frame.startsWith('{"type":"job.output"')) return;
      ws.send(frame);
    };
    const conn =
      kind === 'runner'
        ? hub.connectRunner(send)
        : hub.connectClient(send, (runId) => grantCovers(claims.room, `run:${runId}`));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return void ws.close(1003, 'text frames only');
      conn.receive(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
    });
    ws.on('close', () => conn.close());
    ws.on('error', () => ws.terminate());
  }

  relay.onClose(() => {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
    hub.close();
  });
}

type Check = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

async function verify(secret: string, token: string | undefined): Promise<Check> {
  if (!token) return { ok: false, reason: 'missing token' };
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
    const claims = tokenClaimsSchema.safeParse(payload);
    return claims.success ? { ok: true, claims: claims.data } : { ok: false, reason: 'invalid token claims' };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'token expired' : 'invalid token' };
  }
}

function tokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return new URL(req.url ?? '/', 'http://relay').searchParams.get('token') ?? undefined;
}
