import { describe, expect, it } from 'vitest';
import { buildEnvironment, MINIMAL_PATH } from './buildEnvironment.js';

describe('runtime/commands/buildEnvironment', () => {
  it('starts from PATH, HOME, LANG and TMPDIR only', () => {
    const result = buildEnvironment({}, {});
    expect(result.ok && Object.keys(result.env).sort()).toEqual(['HOME', 'LANG', 'PATH', 'TMPDIR']);
    expect(result.ok && result.env.PATH).toBe(MINIMAL_PATH);
  });

  it('adds the command variables with secrets resolved, values passed literally', () => {
    const result = buildEnvironment({ TOKEN: 'secrets.T', CMD: '$(touch /tmp/x)' }, { T: 'v' }, { PATH: '/bin' });
    expect(result).toEqual({ ok: true, env: { PATH: '/bin', TOKEN: 'v', CMD: '$(touch /tmp/x)' } });
  });

  it.each(['LD_PRELOAD', 'DYLD_INSERT_LIBRARIES', 'NODE_OPTIONS', 'BASH_ENV', 'PATH', 'BASH_FUNC_x%%'])(
    'refuses %s',
    (name) => {
      expect(buildEnvironment({ [name]: 'x' }, {})).toMatchObject({ ok: false });
    }
  );

  it('refuses invalid names, NUL in values and unknown secrets', () => {
    expect(buildEnvironment({ 'A=B': 'x' }, {})).toMatchObject({ ok: false, reason: /name/ });
    expect(buildEnvironment({ A: 'x\u0000y' }, {})).toMatchObject({ ok: false, reason: /NUL/ });
    expect(buildEnvironment({ A: 'secrets.NOPE' }, {})).toMatchObject({ ok: false, reason: /unknown secret "NOPE"/ });
  });
});
