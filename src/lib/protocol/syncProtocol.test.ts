import { describe, expect, it } from 'vitest';
import { grantCovers, roomGrantSchema, roomNameSchema, tokenClaimsSchema } from './syncProtocol.js';

describe('lib/protocol/syncProtocol', () => {
  it('accepts diagram and run rooms only', () => {
    expect(roomNameSchema.safeParse('diagram:abc-1').success).toBe(true);
    expect(roomNameSchema.safeParse('run:0f3a').success).toBe(true);
    for (const bad of ['diagram:', 'other:x', 'diagram:a/b', 'diagram:*', `run:${'x'.repeat(129)}`]) {
      expect(roomNameSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('grants an exact room or a prefix', () => {
    expect(roomGrantSchema.safeParse('diagram:*').success).toBe(true);
    expect(roomGrantSchema.safeParse('*').success).toBe(false);
    expect(grantCovers('diagram:a', 'diagram:a')).toBe(true);
    expect(grantCovers('diagram:a', 'diagram:ab')).toBe(false);
    expect(grantCovers('diagram:*', 'diagram:ab')).toBe(true);
    expect(grantCovers('diagram:*', 'run:ab')).toBe(false);
  });

  it('validates token claims', () => {
    expect(tokenClaimsSchema.safeParse({ sub: 'u', room: 'run:1', role: 'run', exp: 1 }).success).toBe(true);
    expect(tokenClaimsSchema.safeParse({ sub: 'u', room: 'run:1', role: 'admin', exp: 1 }).success).toBe(false);
  });
});
