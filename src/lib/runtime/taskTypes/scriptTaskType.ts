import type { TaskType } from './TaskTypeRegistry.js';

/** Runs a script's source against variables in a sandbox (QuickJS: src/lib/runtime/sandbox). */
export type SandboxedScript = (
  source: string,
  variables: Record<string, unknown>
) => Promise<{ ok: true; value: unknown } | { ok: false; error: { message: string } }>;

/** JavaScript script tasks in the QuickJS sandbox; the value returned is the result. */
export function scriptTaskType(runScript: SandboxedScript): TaskType {
  return {
    name: 'script',
    description: 'Runs JavaScript in a sandbox (no I/O) against the variables',
    fields: [{ name: 'source', label: 'Script', type: 'string', required: true }],
    async run(job) {
      if (job.payload.kind !== 'script') return { status: 'failed', error: { message: 'not a script job' } };
      const outcome = await runScript(job.payload.source, job.variables);
      return outcome.ok
        ? { status: 'completed', result: outcome.value }
        : { status: 'failed', error: { message: `script failed: ${outcome.error.message}` } };
    }
  };
}
