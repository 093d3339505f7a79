import type { TokenRecord } from '../../lib/engine/chain/record.js';
import { parseCommandArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { openStore } from '../openStore.js';
import { answer, requireStore } from '../storedRunCommand.js';

const usage = `tessera history <runId> --store FILE [--json]

Prints a stored run's records in chain order: a table, or with --json one record a line (JSON lines).`;

export const history: Command = {
  name: 'history',
  summary: "print a run's records as JSON lines",
  usage,
  async run(args: string[]): Promise<number> {
    return answer('history', usage, false, async () => {
      const { positionals, flags } = parseCommandArgs(args, { store: 'string', json: 'boolean' });
      if (positionals.length !== 1) throw new UsageError('expected <runId>');
      const runId = positionals[0]!;
      const store = openStore(requireStore(flags), true);
      try {
        if (!(await store.getRun(runId))) throw new UsageError(`no run ${runId} in the store`);
        const records = await store.records(runId);
        process.stdout.write(flags.json === true ? records.map((r) => `${JSON.stringify(r)}\n`).join('') : table(records));
        return 0;
      } finally {
        await store.close();
      }
    });
  }
};

/** A table for people: one line a record, data shortened. */
export function table(records: readonly TokenRecord[]): string {
  const rows = records.map((r) => [
    String(r.seq),
    new Date(r.at).toISOString(),
    r.kind,
    r.status,
    r.node,
    r.owner,
    r.data === undefined ? '' : shorten(JSON.stringify(r.data), 60)
  ]);
  const header = ['seq', 'at', 'kind', 'status', 'node', 'owner', 'data'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
