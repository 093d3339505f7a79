import type { Command } from '../command.js';
import { cancel } from './cancel.js';
import { check } from './check.js';
import { complete } from './complete.js';
import { history } from './history.js';
import { message } from './message.js';
import { verify } from './verify.js';
import { relay } from './relay.js';
import { run } from './run.js';
import { runner } from './runner.js';
import { signal } from './signal.js';
import { token } from './token.js';

/**
 * Every command of the DESIGN.md CLI contract, in help order. A command whose module exists is
 * listed as that module; add yours by importing it and replacing its `planned(…)` entry.
 */
export const commands: readonly Command[] = [
  run,
  check,
  complete,
  message,
  signal,
  cancel,
  history,
  verify,
  relay,
  runner,
  token
];

/** A contract command nobody has implemented yet: says so and exits 2. */
function planned(name: string, summary: string, usage: string): Command {
  return {
    name,
    summary,
    usage,
    async run() {
      process.stderr.write(`tessera ${name}: not implemented yet\n`);
      return 2;
    }
  };
}
