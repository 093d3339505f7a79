/** The one JSON object (DESIGN.md, CLI contract) run-like commands print, its human form and exit code. */
import type { RunSummary } from '../lib/engine/api.js';
import type { Problem } from '../lib/engine/definition/model.js';
import { ExitCode } from './command.js';

export interface RunOutput {
  runId: string;
  status: 'completed' | 'failed' | 'waiting' | 'invalid' | 'cancelled';
  variables: Record<string, unknown>;
  visited: string[];
  waiting: string[];
  records: number;
  head: string;
  error?: { message: string; element: string };
  problems?: Problem[];
}

/** The output for a settled run: still running means waiting, unless an incident stopped it. */
export function runOutput(summary: RunSummary): RunOutput {
  const incident = summary.incidents[0];
  const status: RunOutput['status'] =
    summary.status === 'running' ? (incident ? 'failed' : 'waiting') : summary.status;
  const output: RunOutput = {
    runId: summary.runId,
    status,
    variables: summary.variables,
    visited: summary.visited,
    waiting: summary.waiting,
    records: summary.records,
    head: summary.head
  };
  const error = summary.error ?? (incident ? { message: incident.message, element: incident.element } : undefined);
  if (error) output.error = error;
  return output;
}

/** The output for a model that does not compile (or a file that cannot be read). */
export function invalidOutput(problems: Problem[]): RunOutput {
  return { runId: '', status: 'invalid', variables: {}, visited: [], waiting: [], records: 0, head: '', problems };
}

/** The output for a run that broke off with an unexpected error (store, engine bug). */
export function failedOutput(error: unknown, runId = ''): RunOutput {
  const message = error instanceof Error ? error.message : String(error);
  const element = typeof (error as { element?: unknown })?.element === 'string' ? (error as { element: string }).element : '';
  return { runId, status: 'failed', variables: {}, visited: [], waiting: [], records: 0, head: '', error: { message, element } };
}

export function exitCodeOf(output: RunOutput): number {
  switch (output.status) {
    case 'completed':
    case 'cancelled':
      return ExitCode.ok;
    case 'waiting':
      return ExitCode.waiting;
    case 'invalid':
      return ExitCode.usage;
    default:
      return ExitCode.failed;
  }
}

/** Prints the output (JSON or for people) and returns the exit code. */
export function printRun(output: RunOutput, json: boolean, store?: string): number {
  process.stdout.write(json ? `${JSON.stringify(output)}\n` : human(output, store));
  return exitCodeOf(output);
}

function human(out: RunOutput, store: string | undefined): string {
  if (out.status === 'invalid') {
    const problems = out.problems ?? [];
    return `invalid model: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
      problems.map((p) => `  ${p.element || '(model)'}: ${p.message}\n`).join('');
  }
  const lines = [`run ${out.runId}: ${out.status} (${out.records} records, head ${out.head})`];
  if (out.visited.length > 0) lines.push(`visited:   ${out.visited.join(' → ')}`);
  lines.push(`variables: ${JSON.stringify(out.variables)}`);
  if (out.error) lines.push(`error:     ${out.error.element ? `${out.error.element}: ` : ''}${out.error.message}`);
  if (out.status === 'waiting') {
    lines.push(`waiting:   ${out.waiting.join(', ') || '(a message or signal)'}`);
    const at = store ? ` --store ${store}` : ' --store FILE';
    if (!store) lines.push('note:      without --store this run is not kept; rerun with --store to continue it later');
    for (const node of out.waiting) lines.push(`  continue: tessera complete ${out.runId} ${node} [--vars JSON]${at}`);
  }
  return `${lines.join('\n')}\n`;
}
