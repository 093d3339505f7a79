import { z } from 'zod';

/**
 * The relay's collaboration wire format: the standard y-websocket protocol (y-protocols sync,
 * awareness, auth), one binary frame per message, first varUint = message type. Rooms live at
 * `ws://host/sync/<room>` (the room may be URL-encoded). Only V1 Yjs updates are accepted.
 */
export const SYNC_PROTOCOL_VERSION = 1;

/** First varUint of every frame (y-websocket's numbering). */
export const SyncMessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3
} as const;
export type SyncMessageType = (typeof SyncMessageType)[keyof typeof SyncMessageType];

/** Second varUint of a sync frame (y-protocols/sync). */
export const SyncStep = {
  step1: 0,
  step2: 1,
  update: 2
} as const;
export type SyncStep = (typeof SyncStep)[keyof typeof SyncStep];

/** Close codes the relay uses (RFC 6455 ranges; 4xxx are ours). */
export const SyncCloseCode = {
  /** Frame could not be decoded, or an update was invalid / took too long to decode. */
  malformed: 1007,
  /** Rate limit exceeded or policy violation. */
  policy: 1008,
  /** Frame over the size cap (ws closes with this itself). */
  tooBig: 1009,
  /** Reader too slow: its send buffer passed the cap. */
  slowReader: 4001,
  /** The room was closed on the relay (storage failure or shutdown). */
  roomClosed: 4002,
  /** The connection's token expired: reconnect with a fresh one. */
  tokenExpired: 4003
} as const;
export type SyncCloseCode = (typeof SyncCloseCode)[keyof typeof SyncCloseCode];

export const Role = {
  view: 'view',
  edit: 'edit',
  run: 'run',
  runner: 'runner'
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Roles whose document updates the relay applies; `view` gets sync and awareness only. */
export const WRITING_ROLES: readonly Role[] = [Role.edit, Role.run, Role.runner];

/** "diagram:<id>" or "run:<id>". */
export const roomNameSchema = z.string().regex(/^(diagram|run):[A-Za-z0-9_.~-]{1,128}$/);

/** A token's `room`: an exact room name, or a prefix ending in `*` ("diagram:*", "run:abc*"). */
export const roomGrantSchema = z.string().regex(/^((diagram|run):[A-Za-z0-9_.~-]{0,128}\*|(diagram|run):[A-Za-z0-9_.~-]{1,128})$/);

/** Claims of a relay access token (HS256 JWT). */
export const tokenClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  room: roomGrantSchema,
  role: z.enum([Role.view, Role.edit, Role.run, Role.runner]),
  exp: z.number().int(),
  iat: z.number().int().optional()
});
export type TokenClaims = z.infer<typeof tokenClaimsSchema>;

/** True when a token granted for `grant` may open `room`. */
export function grantCovers(grant: string, room: string): boolean {
  return grant.endsWith('*') ? room.startsWith(grant.slice(0, -1)) : grant === room;
}
