import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT, errors } from 'jose';
import { grantCovers, tokenClaimsSchema, type Role, type TokenClaims } from '../../src/lib/protocol/syncProtocol.js';

/** Relay access tokens: HS256 JWTs with `sub`, `room` (exact or `prefix*`), `role`, short `exp`. */
export interface TokenRequest {
  sub: string;
  room: string;
  role: Role;
  /** Lifetime in seconds. */
  ttlSeconds: number;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; status: 401 | 403; reason: string };

/** A random signing secret for a loopback relay started without --secret (never printed). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export async function signToken(secret: string, request: TokenRequest, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ room: request.room, role: request.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + Math.max(1, Math.floor(request.ttlSeconds)))
    .sign(key(secret));
}

/** Verifies signature, expiry and claims, then that the token covers `room`. */
export async function checkToken(secret: string, token: string | undefined, room: string, now = Date.now()): Promise<TokenCheck> {
  if (!token) return { ok: false, status: 401, reason: 'missing token' };
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key(secret), {
      algorithms: ['HS256'],
      currentDate: new Date(now),
      requiredClaims: ['exp', 'sub']
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, status: 401, reason: 'token expired' };
    return { ok: false, status: 401, reason: 'invalid token' };
  }
  const claims = tokenClaimsSchema.safeParse(payload);
  if (!claims.success) return { ok: false, status: 401, reason: 'invalid token claims' };
  if (!grantCovers(claims.data.room, room)) return { ok: false, status: 403, reason: 'token is not for this room' };
  return { ok: true, claims: claims.data };
}

/** ISO 8601 duration (PT8H, PT30M, P1D, PT90S) or plain seconds → seconds. */
export function parseTtl(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, d, h, m, s] = match.map((part) => Number(part ?? 0));
  return d! * 86400 + h! * 3600 + m! * 60 + s!;
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}
