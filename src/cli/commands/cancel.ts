import { parseCommandArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { printRun, runOutput } from '../runOutput.js';
import { continueStoredRun, owner } from '../runSession.js';
import { answer, requireStore } from '../storedRunCommand.js';

const usage = `tessera cancel <runId> --store FILE [--json]

Cancels a stored run: its waiting tasks, timers and jobs end and the run ends cancelled.`;

export const cancel: Command = {
  name: 'cancel',
  summary: 'cancel a stored run',
  usage,
  async run(args: string[]): Promise<number> {
    return answer('cancel', usage, args.includes('--json'), async () => {
      const { positionals, flags } = parseCommandArgs(args, { store: 'string', json: 'boolean' });
      if (positionals.length !== 1) throw new UsageError('expected <runId>');
      const storePath = requireStore(flags);
      const summary = await continueStoredRun(storePath, positionals[0]!, { allow: [], allowScripts: false, answers: new Map() },
        (executor) => executor.dispatch({ type: 'run.cancelled', owner }));
      return printRun(runOutput(summary), flags.json === true, storePath);
    });
  }
};
