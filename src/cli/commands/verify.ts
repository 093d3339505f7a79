import { readFile } from 'node:fs/promises';
import type { VerifyResult } from '../../lib/engine/api.js';
import type { TokenRecord } from '../../lib/engine/chain/record.js';
import { verifyChain } from '../../lib/engine/chain/verifyChain.js';
import { recordShapeProblem } from '../../lib/store/recordSchema.js';
import { parseCommandArgs, UsageError } from '../args.js';
import { ExitCode, type Command } from '../command.js';
import { openStore } from '../openStore.js';
import { answer } from '../storedRunCommand.js';

const usage = `tessera verify (<runId> --store FILE | --file chain.json)

Recomputes every record's hash and link. A stored run is also checked against the head and
count the store committed (so a cut-off chain shows). chain.json is a JSON array of records or
JSON lines (what \`tessera history --json\` prints).
Prints "ok <n> records, head <hash>" (exit 0) or the first bad seq and why (exit 1).`;

export const verify: Command = {
  name: 'verify',
  summary: "verify a run's hash chain",
  usage,
  async run(args: string[]): Promise<number> {
    return answer('verify', usage, false, async () => {
      const { positionals, flags } = parseCommandArgs(args, { store: 'string', file: 'string' });
      const file = flags.file as string | undefined;
      const storePath = flags.store as string | undefined;
      let result: VerifyResult;
      if (file !== undefined && positionals.length === 0 && storePath === undefined) {
        result = verifyValues(await readChainFile(file));
      } else if (file === undefined && positionals.length === 1 && storePath !== undefined) {
        result = await verifyStored(storePath, positionals[0]!);
      } else {
        throw new UsageError('give either <runId> --store FILE, or --file chain.json');
      }
      if (result.ok) {
        process.stdout.write(`ok ${result.count} records, head ${result.head}\n`);
        return ExitCode.ok;
      }
      process.stdout.write(`invalid at seq ${result.seq}: ${result.reason}\n`);
      return ExitCode.failed;
    });
  }
};

/** Verifies values read from a file: the first one that is not a record is where the chain breaks. */
export function verifyValues(values: readonly unknown[]): VerifyResult {
  const badShape = values.findIndex((value) => recordShapeProblem(value) !== null);
  const prefix = (badShape < 0 ? values : values.slice(0, badShape)) as TokenRecord[];
  if (badShape < 0) return verifyChain(prefix);
  const before = badShape === 0 ? ({ ok: true } as const) : verifyChain(prefix);
  if (!before.ok) return before;
  return { ok: false, seq: badShape, reason: `not a valid record: ${recordShapeProblem(values[badShape])}` };
}

async function verifyStored(storePath: string, runId: string): Promise<VerifyResult> {
  const store = openStore(storePath, true);
  try {
    const meta = await store.getRun(runId);
    if (!meta) throw new UsageError(`no run ${runId} in the store`);
    return verifyChain(await store.records(runId), { count: meta.count, head: meta.head });
  } finally {
    await store.close();
  }
}

/** A JSON array of records, or JSON lines. */
async function readChainFile(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed;
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
  }
  return trimmed.split('\n').filter((line) => line.trim() !== '').map((line, i) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      // A line that is not JSON is a record that is not one: verify names its seq.
      return { unparsable: `line ${i + 1}` };
    }
  });
}
