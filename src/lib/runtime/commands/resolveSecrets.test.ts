import { describe, expect, it } from 'vitest';
import { resolveSecrets } from './resolveSecrets.js';

const secrets = { TOKEN: 't0k', NPM: 'n-p-m' };

describe('runtime/commands/resolveSecrets', () => {
  it('replaces a whole-value reference', () => {
    expect(resolveSecrets('secrets.TOKEN', secrets)).toEqual({ ok: true, value: 't0k' });
  });

  it('replaces references embedded as ${secrets.NAME}', () => {
    expect(resolveSecrets('--token=${secrets.TOKEN}:${secrets.NPM}', secrets)).toEqual({ ok: true, value: '--token=t0k:n-p-m' });
  });

  it('leaves other text alone', () => {
    expect(resolveSecrets('secrets', secrets)).toEqual({ ok: true, value: 'secrets' });
    expect(resolveSecrets('$(secrets.TOKEN)', secrets)).toEqual({ ok: true, value: '$(secrets.TOKEN)' });
  });

  it('refuses an unknown secret, also inherited object keys', () => {
    expect(resolveSecrets('secrets.MISSING', secrets)).toEqual({ ok: false, reason: 'unknown secret "MISSING"' });
    expect(resolveSecrets('a ${secrets.constructor}', secrets)).toEqual({ ok: false, reason: 'unknown secret "constructor"' });
  });
});
