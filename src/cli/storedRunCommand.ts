/** The shape shared by complete, message, signal and cancel: flags, store access, errors, output. */
import { parseAllowList, parseAnswers, UsageError } from './args.js';
import { ExitCode } from './command.js';
import { failedOutput, printRun, runOutput, exitCodeOf, type RunOutput } from './runOutput.js';

/** True for the engine's refusal of an event that does not apply (nothing was written). */
export function isEngineRefusal(error: unknown): error is Error {
  return error instanceof Error && error.name === 'EngineError';
}

/** Flags every stored-run command accepts. */
export const storedRunFlags = {
  store: 'string', vars: 'string', json: 'boolean', allow: 'list', 'allow-scripts': 'boolean', answer: 'list'
} as const;

export type StoredRunFlags = Record<string, string | boolean | string[] | undefined>;

/** Session options (--allow, --allow-scripts, --answer) from parsed flags. */
export function sessionFlags(f: StoredRunFlags) {
  return {
    allow: parseAllowList(f.allow as string[] | undefined),
    allowScripts: f['allow-scripts'] === true,
    answers: parseAnswers(f.answer as string[] | undefined)
  };
}

/** The --store flag, required. */
export function requireStore(f: StoredRunFlags): string {
  if (typeof f.store !== 'string') throw new UsageError('--store FILE is required');
  return f.store;
}

/**
 * Runs `body`, turning its failures into the promised answers: usage errors and refused events
 * exit 2 with a message, anything else is a failed run printed in the usual shape.
 */
export async function answer(name: string, usage: string, json: boolean, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tessera ${name}: ${error.message}\n\n${usage}\n`);
      return ExitCode.usage;
    }
    if (isEngineRefusal(error)) {
      process.stderr.write(`tessera ${name}: ${error.message}\n`);
      return ExitCode.usage;
    }
    if (!json) {
      process.stderr.write(`tessera ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      return ExitCode.failed;
    }
    return printRun(failedOutput(error), json);
  }
}

/** Prints the outputs of a fan-out (message --all, signal) and picks the exit code. */
export function printMany(outputs: RunOutput[], json: boolean, what: string): number {
  if (json) process.stdout.write(`${JSON.stringify({ runs: outputs })}\n`);
  else if (outputs.length === 0) process.stdout.write(`no waiting run took ${what}\n`);
  else for (const out of outputs) printRun(out, false);
  if (outputs.length === 0) return ExitCode.failed;
  return outputs.some((out) => exitCodeOf(out) === ExitCode.failed) ? ExitCode.failed : ExitCode.ok;
}

export { runOutput };
