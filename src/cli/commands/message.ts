import { parseCommandArgs, parseVarsJson, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { deliver, runningRunIds } from '../deliver.js';
import { printRun } from '../runOutput.js';
import { owner } from '../runSession.js';
import { answer, printMany, requireStore, sessionFlags, storedRunFlags } from '../storedRunCommand.js';

const usage = `tessera message <runId|--all> <name> [--key K] [--vars JSON] --store FILE [--allow EXE,…] [--answer NODE=JSON]… [--json]

Correlates the message <name> (with correlation key K) to one stored run, or with --all to every
running run waiting for it; each run then continues like \`tessera run\`.
With --all, --json prints { "runs": [ … ] }; exit 1 when no run took the message.`;

export const message: Command = {
  name: 'message',
  summary: 'correlate a message to stored runs',
  usage,
  async run(args: string[]): Promise<number> {
    const json = args.includes('--json');
    return answer('message', usage, json, async () => {
      const { positionals, flags } = parseCommandArgs(args, { ...storedRunFlags, all: 'boolean', key: 'string' });
      const all = flags.all === true;
      if (positionals.length !== (all ? 1 : 2)) throw new UsageError(all ? 'expected --all <name>' : 'expected <runId> <name>');
      const name = positionals.at(-1)!;
      const storePath = requireStore(flags);
      const variables = parseVarsJson(flags.vars as string | undefined);
      const key = flags.key as string | undefined;
      const event = { type: 'message.correlated' as const, name, variables, owner, ...(key === undefined ? {} : { correlationKey: key }) };
      const runIds = all ? await runningRunIds(storePath) : [positionals[0]!];
      const outputs = await deliver(storePath, runIds, event, sessionFlags(flags), !all);
      return all ? printMany(outputs, json, `message ${name}`) : printRun(outputs[0]!, json, storePath);
    });
  }
};
