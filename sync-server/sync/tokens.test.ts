import { describe, expect, it } from 'vitest';
import { checkToken, parseTtl, randomSecret, signToken } from './tokens.js';

describe('sync-server/sync/tokens', () => {
  const secret = randomSecret();

  it('accepts a token for its room and returns its claims', async () => {
    const token = await signToken(secret, { sub: 'ada', room: 'diagram:1', role: 'edit', ttlSeconds: 60 });
    const check = await checkToken(secret, token, 'diagram:1');
    expect(check).toMatchObject({ ok: true, claims: { sub: 'ada', room: 'diagram:1', role: 'edit' } });
  });

  it('refuses missing, foreign-room, expired and wrongly signed tokens', async () => {
    const token = await signToken(secret, { sub: 'ada', room: 'diagram:1', role: 'edit', ttlSeconds: 60 });
    expect(await checkToken(secret, undefined, 'diagram:1')).toMatchObject({ ok: false, status: 401 });
    expect(await checkToken(secret, token, 'diagram:2')).toMatchObject({ ok: false, status: 403 });
    expect(await checkToken(secret, token, 'diagram:1', Date.now() + 120_000)).toMatchObject({ ok: false, reason: 'token expired' });
    expect(await checkToken(randomSecret(), token, 'diagram:1')).toMatchObject({ ok: false, reason: 'invalid token' });
    expect(await checkToken(secret, `${token}x`, 'diagram:1')).toMatchObject({ ok: false, status: 401 });
  });

  it('lets a prefix grant open any room under it', async () => {
    const token = await signToken(secret, { sub: 'ada', room: 'run:*', role: 'run', ttlSeconds: 60 });
    expect((await checkToken(secret, token, 'run:42')).ok).toBe(true);
    expect((await checkToken(secret, token, 'diagram:42')).ok).toBe(false);
  });

  it('parses ISO 8601 durations and seconds', () => {
    expect(parseTtl('PT8H')).toBe(28800);
    expect(parseTtl('P1DT30M')).toBe(88200);
    expect(parseTtl('90')).toBe(90);
    expect(parseTtl('8h')).toBeUndefined();
    expect(parseTtl('PT')).toBeUndefined();
  });
});
