import { describe, expect, it } from 'vitest';
import type { JobPayload } from '../lib/engine/effects.js';
import type { JobDispatch, JobOutcome } from '../lib/runtime/ports.js';
import type { CommandOutcome } from '../lib/runtime/commands/runCommand.js';
import { LocalJobs, type LocalJobsOptions } from './localJobs.js';

function job(payload: JobPayload): JobDispatch {
  return { type: 'job.dispatch', runId: 'r', key: 'r:i1:1', instance: 'i1', node: 'Task', attempt: 1, payload, variables: { x: 2 } };
}

const exited = (exitCode: number, stdout: string, stderr: string): CommandOutcome =>
  ({ status: 'exited', exitCode, stdout, stderr, truncated: false, durationMs: 1 });

const command = (args: string[]): JobPayload => ({ kind: 'command', command: { args, env: {}, retries: 0 } });

function outcomeOf(opts: Partial<LocalJobsOptions>, payload: JobPayload): Promise<JobOutcome> {
  const jobs = new LocalJobs({
    allow: ['node'],
    allowScripts: false,
    runCommand: async () => exited(0, 'hi', ''),
    runScript: async () => ({ ok: true, value: 42 }),
    ...opts
  });
  return new Promise((resolve) => jobs.dispatch(job(payload), resolve));
}

describe('cli/localJobs', () => {
  it('completes a command that exits 0 with its output as the result', async () => {
    await expect(outcomeOf({}, command(['node', '-v']))).resolves.toEqual({
      type: 'job.completed', instance: 'i1', result: { exitCode: 0, stdout: 'hi', stderr: '' }
    });
  });

  it('fails a refused command, naming the allow-list', async () => {
    const refused = async (): Promise<CommandOutcome> => ({ status: 'refused', reason: '"rm" is not in the allow-list' });
    const outcome = await outcomeOf({ runCommand: refused }, command(['rm', '-rf', '/']));
    expect(outcome).toMatchObject({ type: 'job.failed', error: { message: 'command refused: "rm" is not in the allow-list' } });
  });

  it('fails a non-zero exit with the exit code as the error code', async () => {
    const exit3 = async (): Promise<CommandOutcome> => exited(3, '', 'boom\n');
    await expect(outcomeOf({ runCommand: exit3 }, command(['node']))).resolves.toMatchObject({
      type: 'job.failed', error: { code: '3', message: 'node exited with 3: boom' }
    });
  });

  it('runs scripts only with --allow-scripts', async () => {
    const script: JobPayload = { kind: 'script', language: 'javascript', source: 'return 42' };
    await expect(outcomeOf({}, script)).resolves.toMatchObject({ type: 'job.failed', error: { message: expect.stringMatching(/--allow-scripts/) } });
    await expect(outcomeOf({ allowScripts: true }, script)).resolves.toEqual({ type: 'job.completed', instance: 'i1', result: 42 });
  });

  it('never reports a cancelled job', async () => {
    let release: () => void = () => undefined;
    const slow = () => new Promise<CommandOutcome>((resolve) => (release = () => resolve(exited(0, '', ''))));
    const jobs = new LocalJobs({ allow: [], allowScripts: false, runCommand: slow, runScript: async () => ({ ok: true, value: 1 }) });
    let reported = false;
    jobs.dispatch(job(command(['node'])), () => (reported = true));
    jobs.cancel('r:i1:1');
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(reported).toBe(false);
  });
});
