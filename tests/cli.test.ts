import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot, spawnRelay } from './helpers/startRelay.js';

function tessera(...args: string[]) {
  return spawnSync(process.execPath, ['bin/tessera', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
}

describe('tests/cli: bin/tessera as a process', () => {
  it('prints help listing every command', () => {
    const result = tessera('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ {2}relay /m);
    expect(result.stdout).toMatch(/^ {2}token /m);
  });

  it('rejects an unknown command with exit 2', () => {
    const result = tessera('frobnicate');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });

  it('refuses to bind a network interface without --secret and --allow', () => {
    const result = tessera('relay', '--host', '0.0.0.0', '--port', '0');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('refusing to bind 0.0.0.0');
  });

  it('runs the relay on --port 0, prints the real URL and stops cleanly on SIGTERM', async () => {
    // given a relay started the way `npm start` starts it
    const relay = await spawnRelay(['--data', `${repoRoot}tmp/cli-test-data`]);
    try {
      // then it answers on the URL it printed
      expect(relay.url).toMatch(/^http:\/\/127\.0\.0\.1:(?!0$)\d+$/);
      const health = await fetch(`${relay.url}/healthz`);
      await expect(health.json()).resolves.toMatchObject({ ok: true });
      const manifest = await fetch(`${relay.url}/manifest.webmanifest`);
      expect(manifest.headers.get('content-type')).toBe('application/manifest+json; charset=utf-8');
    } finally {
      // when it is told to stop, then it exits 0
      await expect(relay.stop()).resolves.toBe(0);
    }
    expect(relay.output()).toContain('Tessera relay stopped.');
  });
});
