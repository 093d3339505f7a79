import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { roomNameSchema, SyncCloseCode, type TokenClaims } from '../../src/lib/protocol/syncProtocol.js';
import type { JobDispatcher } from '../../src/lib/runtime/ports.js';
import { refuseUpgrade, type UpgradeHandler } from '../upgradeRouter.js';
import { Room } from './Room.js';
import { runRoomPolicyFor } from './RunRoomPolicy.js';
import type { SqliteUpdateLog } from './SqliteUpdateLog.js';
import { defaultConnectionLimits, SyncConnection, type ConnectionLimits } from './SyncConnection.js';
import { checkToken } from './tokens.js';
import { ValidatorPool } from './ValidatorPool.js';

export interface SyncServiceOptions {
  log: SqliteUpdateLog;
  /** HS256 signing secret for room tokens. */
  secret: string;
  logLine?: (line: string) => void;
  /** Largest frame accepted (ws closes bigger ones with 1009). */
  maxPayloadBytes?: number;
  maxRooms?: number;
  maxConnectionsPerIp?: number;
  /** How long a room with nobody in it stays loaded. */
  idleRoomMs?: number;
  compactAfter?: number;
  decodeTimeoutMs?: number;
  /** Worker threads decoding updates (a stuck one delays only what is queued on it). */
  decodeWorkers?: number;
  limits?: Partial<ConnectionLimits>;
  /** How long a run's executor keeps its lease after its connection went away (ms). */
  runLeaseGraceMs?: number;
  /** Opt-in: the relay's host takes over shared runs whose executor is gone (jobs go to `jobs`). */
  runHost?: { jobs: JobDispatcher };
}

export interface SyncService {
  /** The `/sync` upgrade route: `/sync/<room>`, token in `?token=` or Sec-WebSocket-Protocol. */
  handleUpgrade: UpgradeHandler;
  stats(): { rooms: number; connections: number };
  close(): Promise<void>;
}

const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Collaboration rooms over the y-websocket protocol, authenticated in the upgrade. */
export function createSyncService(options: SyncServiceOptions): SyncService {
  const logLine = options.logLine ?? (() => {});
  const maxRooms = options.maxRooms ?? 1000;
  const maxPerIp = options.maxConnectionsPerIp ?? 64;
  const idleRoomMs = options.idleRoomMs ?? 30_000;
  const limits = { ...defaultConnectionLimits, ...options.limits };
  const validator = new ValidatorPool(options.decodeWorkers ?? 2, { timeoutMs: options.decodeTimeoutMs ?? 1000 });
  const rooms = new Map<string, { room: Room; connections: Set<SyncConnection>; idle?: NodeJS.Timeout }>();
  const perIp = new Map<string, number>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes ?? 2 * 1024 * 1024,
    perMessageDeflate: false,
    // A token sent as a subprotocol is never echoed back: pick the client's other protocol if any.
    handleProtocols: (protocols) => [...protocols].find((p) => !JWT_SHAPE.test(p)) ?? [...protocols][0] ?? false
  });

  function openRoom(name: string) {
    let entry = rooms.get(name);
    if (!entry) {
      const room = new Room(name, options.log, {
        compactAfter: options.compactAfter,
        policy: runRoomPolicyFor(name, {
          ...(options.runLeaseGraceMs === undefined ? {} : { graceMs: options.runLeaseGraceMs }),
          ...(options.runHost === undefined ? {} : { host: options.runHost })
        }),
        onStorageFailure: (error) => {
          logLine(`sync: storing an update of ${name} failed (${String(error)}); closing the room`);
          closeRoom(name, false);
        }
      });
      entry = { room, connections: new Set() };
      rooms.set(name, entry);
    }
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = undefined;
    return entry;
  }

  function closeRoom(name: string, compact: boolean): void {
    const entry = rooms.get(name);
    if (!entry) return;
    rooms.delete(name);
    if (entry.idle) clearTimeout(entry.idle);
    for (const connection of entry.connections) connection.close(SyncCloseCode.roomClosed, 'room closed on the relay');
    if (compact) entry.room.destroy();
    else {
      entry.room.awareness.destroy();
      entry.room.doc.destroy();
    }
  }

  function release(ip: string): void {
    const count = (perIp.get(ip) ?? 1) - 1;
    if (count <= 0) perIp.delete(ip);
    else perIp.set(ip, count);
  }

  function attach(ws: WebSocket, name: string, claims: TokenClaims, ip: string): void {
    const { role } = claims;
    const entry = openRoom(name);
    const connection = new SyncConnection({
      user: claims.sub,
      socket: {
        send: (frame) => ws.send(frame),
        close: (code, reason) => ws.close(code, reason),
        terminate: () => ws.terminate(),
        get bufferedAmount() {
          return ws.bufferedAmount;
        }
      },
      room: entry.room,
      role,
      validate: (update) => validator.validate(update),
      limits
    });
    entry.connections.add(connection);
    // A token is checked once, at the upgrade; the connection ends when the token does.
    const expiry = setTimeout(
      () => connection.close(SyncCloseCode.tokenExpired, 'token expired'),
      Math.min(2 ** 31 - 1, Math.max(0, claims.exp * 1000 - Date.now()))
    );
    expiry.unref();
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) connection.close(SyncCloseCode.malformed, 'text frames are not accepted');
      else connection.receive(toBytes(data));
    });
    ws.on('error', () => ws.terminate());
    ws.once('close', () => {
      clearTimeout(expiry);
      connection.closedByPeer();
      release(ip);
      entry.connections.delete(connection);
      if (entry.connections.size === 0 && rooms.get(name) === entry) {
        entry.idle = setTimeout(() => closeRoom(name, true), idleRoomMs);
        entry.idle.unref();
      }
    });
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, rest: string): Promise<void> {
    const ip = req.socket.remoteAddress ?? 'unknown';
    let name: string;
    try {
      name = decodeURIComponent(rest.replace(/^\//, ''));
    } catch {
      name = '';
    }
    if (!roomNameSchema.safeParse(name).success) {
      refuseUpgrade(socket, 400, 'room must be diagram:<id> or run:<id>');
      return;
    }
    if ((perIp.get(ip) ?? 0) >= maxPerIp) {
      refuseUpgrade(socket, 429, 'too many connections from this address');
      return;
    }
    perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    const check = await checkToken(options.secret, tokenOf(req), name);
    if (!check.ok || socket.destroyed || (!rooms.has(name) && rooms.size >= maxRooms)) {
      release(ip);
      if (!check.ok) logLine(`sync: refused ${name} from ${ip}: ${check.reason}`);
      refuseUpgrade(socket, check.ok ? 503 : check.status, check.ok ? 'too many open rooms' : check.reason);
      return;
    }
    const { claims } = check;
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, name, claims, ip));
  }

  return {
    handleUpgrade: (req, socket, head, rest) => {
      upgrade(req, socket, head, rest).catch((error: unknown) => {
        logLine(`sync: upgrade failed: ${error instanceof Error ? error.message : String(error)}`);
        refuseUpgrade(socket, 500, 'internal error');
      });
    },
    stats: () => ({ rooms: rooms.size, connections: [...rooms.values()].reduce((n, e) => n + e.connections.size, 0) }),
    close: async () => {
      for (const name of [...rooms.keys()]) closeRoom(name, true);
      for (const client of wss.clients) client.terminate();
      wss.close();
      await validator.close();
    }
  };
}

/** The token from `?token=` or a JWT-shaped Sec-WebSocket-Protocol entry. */
function tokenOf(req: IncomingMessage): string | undefined {
  const query = new URL(req.url ?? '/', 'http://relay').searchParams.get('token');
  if (query) return query;
  const header = req.headers['sec-websocket-protocol'];
  return header?.split(',').map((p) => p.trim()).find((p) => JWT_SHAPE.test(p));
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
