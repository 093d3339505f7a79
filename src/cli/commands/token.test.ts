import { describe, expect, it } from 'vitest';
import { checkToken } from '../../../sync-server/sync/tokens.js';
import { mintToken } from './token.js';

describe('cli/commands/token', () => {
  it('mints a token the relay accepts for that room and role', async () => {
    const result = await mintToken(['--room', 'diagram:d1', '--role', 'edit', '--sub', 'ada', '--ttl', 'PT1H'], { TESSERA_SECRET: 's3cret' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const check = await checkToken('s3cret', result.lines[0], 'diagram:d1');
    expect(check).toMatchObject({ ok: true, claims: { sub: 'ada', role: 'edit' } });
    expect(check.ok && check.claims.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(3500);
  });

  it('prints an invite link the app opens (token and role in the query)', async () => {
    const result = await mintToken(['--room', 'diagram:d1', '--role', 'view', '--secret', 's', '--relay', 'https://relay.example'], {});
    expect(result.ok && result.lines[1]).toMatch(/^https:\/\/relay\.example\/diagrams\/d1\?token=ey[^&]+&role=view$/);
  });

  it('says what is wrong', async () => {
    expect(await mintToken(['--room', 'x', '--role', 'edit', '--secret', 's'], {})).toMatchObject({ ok: false, error: /--room/ });
    expect(await mintToken(['--room', 'run:1', '--role', 'admin', '--secret', 's'], {})).toMatchObject({ ok: false, error: /--role/ });
    expect(await mintToken(['--room', 'run:1', '--role', 'run', '--ttl', '8h', '--secret', 's'], {})).toMatchObject({ ok: false, error: /--ttl/ });
    expect(await mintToken(['--room', 'run:1', '--role', 'run'], {})).toMatchObject({ ok: false, error: /secret/ });
  });
});
