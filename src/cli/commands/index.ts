import type { Command } from '../command.js';
import { check } from './check.js';
import { history } from './history.js';
import { verify } from './verify.js';
import { relay } from './relay.js';

/**
 * Every command of the DESIGN.md CLI contract, in help order. A command whose module exists is
 * listed as that module; add yours by importing it and replacing its `planned(…)` entry.
 */
export const commands: readonly Command[] = [
  planned('run', 'run a BPMN file until it completes, fails or waits', 'tessera run <file.bpmn> [--process ID] [--var name=value]… [--vars JSON] [--answer NODE=JSON]… [--allow EXE[,EXE…]] [--store FILE] [--json]'),
  check,
  planned('complete', 'complete a waiting user task of a stored run', 'tessera complete <runId> <NODE> [--vars JSON] --store FILE [--allow …] [--answer …] [--json]'),
  planned('message', 'correlate a message to stored runs', 'tessera message <runId|--all> <name> [--key K] [--vars JSON] --store FILE [--json]'),
  planned('signal', 'broadcast a signal to stored runs', 'tessera signal <name> [--vars JSON] --store FILE [--json]'),
  planned('cancel', 'cancel a stored run', 'tessera cancel <runId> --store FILE'),
  history,
  verify,
  relay,
  planned('runner', 'execute service-task commands for a relay', 'tessera runner --relay URL --token T [--allow EXE,…] [--concurrency N]'),
  planned('token', 'sign an access token for a relay room', 'tessera token --room R --role view|edit|run|runner [--sub NAME] [--ttl PT8H] [--secret S]')
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
