import { parseCommandArgs, parseVarsJson, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { deliver, runningRunIds } from '../deliver.js';
import { owner } from '../runSession.js';
import { answer, printMany, requireStore, sessionFlags, storedRunFlags } from '../storedRunCommand.js';

const usage = `tessera signal <name> [--vars JSON] --store FILE [--allow EXE,…] [--answer NODE=JSON]… [--json]

Broadcasts the signal <name> to every running run in the store; each run that waits for it
continues like \`tessera run\`. --json prints { "runs": [ … ] }; exit 1 when no run took it.`;

export const signal: Command = {
  name: 'signal',
  summary: 'broadcast a signal to stored runs',
  usage,
  async run(args: string[]): Promise<number> {
    const json = args.includes('--json');
    return answer('signal', usage, json, async () => {
      const { positionals, flags } = parseCommandArgs(args, storedRunFlags);
      if (positionals.length !== 1) throw new UsageError('expected <name>');
      const name = positionals[0]!;
      const storePath = requireStore(flags);
      const variables = parseVarsJson(flags.vars as string | undefined);
      const runIds = await runningRunIds(storePath);
      const outputs = await deliver(storePath, runIds, { type: 'signal.broadcast', name, variables, owner }, sessionFlags(flags), false);
      return printMany(outputs, json, `signal ${name}`);
    });
  }
};
