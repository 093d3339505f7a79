import { describe, expect, it } from 'vitest';
import type { ResolvedCommand } from '../../engine/effects.js';
import { DEFAULT_TIMEOUT_MS, prepareCommand } from './prepareCommand.js';

const command = (extra: Partial<ResolvedCommand> = {}): ResolvedCommand => ({ args: ['printf', 'x'], env: {}, retries: 0, ...extra });

describe('runtime/commands/prepareCommand', () => {
  it('takes the time limit from the runner, else the command, else the default', () => {
    const timeoutOf = (cmd: ResolvedCommand, timeoutMs?: number) => {
      const prepared = prepareCommand(cmd, { allow: ['printf'], ...(timeoutMs === undefined ? {} : { timeoutMs }) });
      return prepared.ok ? prepared.command.timeoutMs : prepared.reason;
    };
    expect(timeoutOf(command({ timeout: 'PT5M' }), 1000)).toBe(1000);
    expect(timeoutOf(command({ timeout: 'PT1M30S' }))).toBe(90_000);
    expect(timeoutOf(command())).toBe(DEFAULT_TIMEOUT_MS);
    expect(timeoutOf(command({ timeout: 'P30D' }))).toBe(2 ** 31 - 1);
    expect(timeoutOf(command({ timeout: 'P1M' }))).toMatch(/not a positive ISO 8601 duration/);
    expect(timeoutOf(command({ timeout: 'soon' }))).toMatch(/not a positive ISO 8601 duration/);
    expect(timeoutOf(command({ timeout: 'PT0S' }))).toMatch(/not a positive ISO 8601 duration/);
  });

  it('resolves secrets in arguments and lists every secret value for redaction', () => {
    const prepared = prepareCommand(command({ args: ['printf', '%s', 'secrets.A'] }), { allow: ['printf'], secrets: { A: 'a1', B: 'b2' } });
    expect(prepared).toMatchObject({ ok: true, command: { args: ['%s', 'a1'], secretValues: ['a1', 'b2'] } });
  });

  it('tells a refusal from an allowed executable that is missing', () => {
    expect(prepareCommand(command({ args: ['sh'] }), { allow: ['printf'] })).toMatchObject({ ok: false, status: 'refused' });
    expect(prepareCommand(command({ args: ['not-installed-x'] }), { allow: ['not-installed-x'] })).toMatchObject({
      ok: false,
      status: 'spawn-failed'
    });
  });
});
