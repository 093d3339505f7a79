import { describe, expect, it } from 'vitest';
import { isLoopback, parseRelayFlags } from './relay.js';

describe('src/cli/commands/relay', () => {
  it('defaults to loopback on 8787 with ./.tessera', () => {
    expect(parseRelayFlags([], {})).toEqual({
      ok: true,
      flags: { host: '127.0.0.1', port: 8787, data: '.tessera', secret: undefined, allow: undefined }
    });
  });

  it('reads TESSERA_PORT, then PORT, and lets flags win', () => {
    expect(parseRelayFlags([], { PORT: '9000' })).toMatchObject({ flags: { port: 9000 } });
    expect(parseRelayFlags([], { PORT: '9000', TESSERA_PORT: '9100' })).toMatchObject({ flags: { port: 9100 } });
    expect(parseRelayFlags(['--port', '0'], { TESSERA_PORT: '9100' })).toMatchObject({ flags: { port: 0 } });
    expect(parseRelayFlags([], { TESSERA_HOST: '::1' })).toMatchObject({ flags: { host: '::1' } });
  });

  it('joins repeated and comma-separated --allow lists', () => {
    expect(parseRelayFlags(['--allow', 'npm, git', '--allow', 'node'], {})).toMatchObject({
      flags: { allow: ['npm', 'git', 'node'] }
    });
  });

  it.each([['--port', 'x'], ['--port', '70000'], ['--bogus'], ['stray']])('rejects %s', (...args) => {
    expect(parseRelayFlags(args, {}).ok).toBe(false);
  });

  it('refuses a network bind without a secret and an explicit allow-list', () => {
    const bare = parseRelayFlags(['--host', '0.0.0.0'], {});
    expect(bare).toMatchObject({ ok: false });
    expect(bare.ok ? '' : bare.error).toContain('--secret and --allow');
    expect(parseRelayFlags(['--host', '0.0.0.0', '--secret', 's'], {}).ok).toBe(false);
    expect(parseRelayFlags(['--host', '0.0.0.0', '--allow', 'npm'], {}).ok).toBe(false);
    expect(parseRelayFlags(['--host', '0.0.0.0', '--secret', 's', '--allow', ''], {})).toMatchObject({
      ok: true,
      flags: { allow: [] }
    });
    expect(parseRelayFlags(['--host', '10.0.0.5', '--allow', 'npm'], { TESSERA_SECRET: 's' }).ok).toBe(true);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.2', false],
    ['127.example.com', false]
  ])('isLoopback(%s) is %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });

  it('--host-runs asks the relay to take over shared runs whose executor is gone (off by default)', () => {
    expect(parseRelayFlags(['--host-runs'], {})).toMatchObject({ ok: true, flags: { hostRuns: true } });
    expect(parseRelayFlags([], {})).not.toMatchObject({ flags: { hostRuns: true } });
  });
});
