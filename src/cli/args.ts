/** Argument parsing shared by the run-time commands: node's strict parseArgs plus our value rules. */
import { parseArgs } from 'node:util';

/** A usage mistake: the command prints it with its usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type FlagKind = 'boolean' | 'string' | 'list';

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
}

/** Parses `args` against `spec` (flag name → kind); unknown flags and missing values are UsageErrors. */
export function parseCommandArgs(args: readonly string[], spec: Readonly<Record<string, FlagKind>>): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries(spec).map(([name, kind]) => [
      name,
      kind === 'boolean' ? { type: 'boolean' as const } : { type: 'string' as const, multiple: kind === 'list' }
    ])
  );
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { positionals, flags: values as ParsedArgs['flags'] };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
}

/** `--vars JSON`: a JSON object, else a UsageError saying why. */
export function parseVarsJson(text: string | undefined, flag = '--vars'): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${flag} must be a JSON object, like {"amount": 100}`);
  }
  return value as Record<string, unknown>;
}

/** `--var name=value`: the value is JSON when it parses as JSON, else the string itself. */
export function parseVarAssignments(items: readonly string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var ${item}: expected name=value`);
    out[item.slice(0, eq)] = jsonOrString(item.slice(eq + 1));
  }
  return out;
}

/** `--answer NODE=JSON`: the data a user task completes with, by node id. */
export function parseAnswers(items: readonly string[] | undefined): Map<string, Record<string, unknown>> {
  const answers = new Map<string, Record<string, unknown>>();
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--answer ${item}: expected NODE=JSON`);
    answers.set(item.slice(0, eq), parseVarsJson(item.slice(eq + 1) || '{}', `--answer ${item.slice(0, eq)}`));
  }
  return answers;
}

/** `--allow a,b --allow c`: the executables service-task commands may run. */
export function parseAllowList(items: readonly string[] | undefined): string[] {
  return (items ?? []).flatMap((item) => item.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

function jsonOrString(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
