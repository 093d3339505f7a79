import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Command } from './command.js';
import { main } from './main.js';

const echo: Command = {
  name: 'echo',
  summary: 'prints its arguments',
  usage: 'tessera echo [words…]',
  run: async (args) => (args.length > 0 ? 0 : 3)
};
const boom: Command = { ...echo, name: 'boom', run: () => Promise.reject(new Error('disk full')) };

describe('src/cli/main', () => {
  const out = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
  const err = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
  afterEach(() => {
    out.mockClear();
    err.mockClear();
  });

  it.each([[[]], [['--help']], [['-h']], [['help']]])('prints the overview for %j', async (argv) => {
    await expect(main(argv, [echo])).resolves.toBe(0);
    expect(String(out.mock.calls[0]?.[0])).toContain('echo  prints its arguments');
  });

  it('dispatches to the command and returns its exit code', async () => {
    await expect(main(['echo', 'hi'], [echo])).resolves.toBe(0);
    await expect(main(['echo'], [echo])).resolves.toBe(3);
  });

  it('prints a command usage for `help <command>` and `<command> --help`', async () => {
    await expect(main(['help', 'echo'], [echo])).resolves.toBe(0);
    await expect(main(['echo', '--help'], [echo])).resolves.toBe(0);
    expect(out.mock.calls.map((call) => String(call[0]))).toEqual(['tessera echo [words…]\n', 'tessera echo [words…]\n']);
  });

  it('rejects an unknown command with exit 2 and the list of commands', async () => {
    await expect(main(['nope'], [echo])).resolves.toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toContain('unknown command "nope". Commands: echo.');
  });

  it('turns a thrown error into one line and exit 1', async () => {
    await expect(main(['boom'], [boom])).resolves.toBe(1);
    expect(err.mock.calls.map((call) => String(call[0]))).toEqual(['tessera boom: disk full\n']);
  });

  it('lists every command of the CLI contract by default', async () => {
    await main(['--help']);
    const text = String(out.mock.calls[0]?.[0]);
    for (const name of ['run', 'check', 'complete', 'message', 'signal', 'cancel', 'history', 'verify', 'relay', 'runner', 'token']) {
      expect(text).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });
});
