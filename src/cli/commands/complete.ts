import { parseCommandArgs, parseVarsJson, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { printRun, runOutput } from '../runOutput.js';
import { continueStoredRun, owner } from '../runSession.js';
import { answer, requireStore, sessionFlags, storedRunFlags } from '../storedRunCommand.js';

const usage = `tessera complete <runId> <NODE> [--vars JSON] --store FILE [--allow EXE,…] [--allow-scripts] [--answer NODE=JSON]… [--json]

Completes the waiting user task NODE of a stored run with --vars as its data, then continues the
run like \`tessera run\` until it completes, fails or waits again. Exit codes as for run.`;

export const complete: Command = {
  name: 'complete',
  summary: 'complete a waiting user task of a stored run',
  usage,
  async run(args: string[]): Promise<number> {
    return answer('complete', usage, args.includes('--json'), async () => {
      const { positionals, flags } = parseCommandArgs(args, storedRunFlags);
      if (positionals.length !== 2) throw new UsageError('expected <runId> <NODE>');
      const [runId, node] = positionals as [string, string];
      const variables = parseVarsJson(flags.vars as string | undefined);
      const storePath = requireStore(flags);
      const summary = await continueStoredRun(storePath, runId, sessionFlags(flags), (executor) =>
        executor.dispatch({ type: 'userTask.completed', node, variables, owner })
      );
      return printRun(runOutput(summary), flags.json === true, storePath);
    });
  }
};
