import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TaskTypeJobs } from '../jobs/TaskTypeJobs.js';
import type { JobOutcome } from '../ports.js';
import { loadTaskTypes } from './loadTaskTypes.js';
import { TaskTypeRegistry } from './TaskTypeRegistry.js';

describe('runtime/taskTypes/loadTaskTypes', () => {
  it('loads a plugin module and runs its jobs; other jobs go to the fallback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-plugin-'));
    writeFileSync(join(dir, 'greet.mjs'), `export default {
      name: 'greet', fields: [{ name: 'who', label: 'Who', type: 'string' }],
      async run(job) { return { status: 'completed', variables: { greeting: 'hello ' + job.variables.who } }; }
    };`);
    writeFileSync(join(dir, 'bad.mjs'), 'export default { name: 42 };');
    const types = await loadTaskTypes(['greet.mjs'], dir);
    await expect(loadTaskTypes(['bad.mjs'], dir)).rejects.toThrow('bad.mjs: the default export is not a task type');
    const forwarded: string[] = [];
    const jobs = new TaskTypeJobs(new TaskTypeRegistry(types), { dispatch: (job) => forwarded.push(job.key), cancel: () => {} });
    const outcome = await new Promise<JobOutcome>((resolve) =>
      jobs.dispatch({ type: 'job.dispatch', key: 'r:1:1', runId: 'r', instance: '1', node: 'T', attempt: 1, variables: { who: 'you' }, payload: { kind: 'type', type: 'greet', headers: {} } }, resolve)
    );
    expect(outcome).toEqual({ type: 'job.completed', instance: '1', variables: { greeting: 'hello you' } });
    jobs.dispatch({ type: 'job.dispatch', key: 'r:2:1', runId: 'r', instance: '2', node: 'T', attempt: 1, variables: {}, payload: { kind: 'type', type: 'other', headers: {} } }, () => {});
    expect(forwarded).toEqual(['r:2:1']);
    rmSync(dir, { recursive: true, force: true });
  });
});
