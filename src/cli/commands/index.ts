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
 * Every command of the DESIGN.md CLI contract, in help order, each from its own module.
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
