import { describe, expect, it } from 'vitest';
import { resolveExecutable } from './resolveExecutable.js';

const PATH = '/usr/local/bin:/usr/bin:/bin';

describe('runtime/commands/resolveExecutable', () => {
  it('resolves an allowed bare name through PATH to an absolute path', () => {
    const result = resolveExecutable('echo', ['echo'], PATH);
    expect(result).toMatchObject({ ok: true, path: expect.stringMatching(/^\/.*\/echo$/) });
  });

  it('accepts an allowed absolute path exactly as written', () => {
    expect(resolveExecutable('/bin/echo', ['/bin/echo'], PATH)).toEqual({ ok: true, path: '/bin/echo' });
  });

  it('refuses everything when the allow-list is empty', () => {
    expect(resolveExecutable('echo', [], PATH)).toEqual({
      ok: false,
      reason: 'no executables are allowed (empty allow-list)'
    });
  });

  it.each([
    ['', /argv\[0\] is empty/],
    ['sh', /not in the allow-list/],
    ['/bin/echo', /not in the allow-list/],
    ['./echo', /not in the allow-list/],
    ['../../bin/echo', /contains "\.\."/],
    ['/usr/bin/../bin/echo', /contains "\.\."/],
    ['echo\n', /control characters/],
    ['echo\u0000', /control characters/],
    ['еcho', /not in the allow-list/], // Cyrillic е
    ['ECHO', /not in the allow-list/]
  ])('refuses %j when only echo is allowed', (executable, reason) => {
    expect(resolveExecutable(executable, ['echo'], PATH)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('refuses a malformed allow-list entry instead of guessing what it meant', () => {
    for (const entry of ['bin/echo', '/usr/bin/../bin/echo', 'echo;', '..', '/bin/']) {
      expect(resolveExecutable('echo', ['echo', entry], PATH)).toMatchObject({ ok: false, reason: /allow-list entry/ });
    }
  });

  it('ignores relative PATH entries and reports a missing executable', () => {
    expect(resolveExecutable('echo', ['echo'], '.:bin')).toEqual({
      ok: false,
      reason: expect.stringMatching(/not found in PATH/),
      missing: true
    });
    expect(resolveExecutable('no-such-tool', ['no-such-tool'], PATH)).toMatchObject({ ok: false, missing: true });
  });
});
