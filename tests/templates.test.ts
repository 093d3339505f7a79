import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/startRelay.js';

const templates = join(repoRoot, 'src/lib/modeler/templates');
const dir = mkdtempSync(join(tmpdir(), 'tessera-templates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tessera(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/tessera', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stderr: result.stderr, json: JSON.parse(result.stdout) as Record<string, unknown> };
}

/** Each starter template with the arguments it runs with as it is, and where it must end. */
const cases = [
  { file: 'build-pipeline.bpmn', args: ['--allow', 'node,echo'], ends: 'Released' },
  { file: 'expense-approval.bpmn', args: ['--var', 'amount=250'], ends: 'Paid' },
  { file: 'expense-approval.bpmn', args: ['--var', 'amount=1500', '--answer', 'ManagerApproval={"approved":true}'], ends: 'Paid' },
  { file: 'expense-approval.bpmn', args: ['--var', 'amount=1500', '--answer', 'ManagerApproval={"approved":false}'], ends: 'Rejected' },
  { file: 'etl-pipeline.bpmn', args: ['--allow', 'node,echo'], ends: 'Done' },
  { file: 'ml-sweep.bpmn', args: ['--allow', 'node,echo'], ends: 'Done' }
];

describe('tests/templates: every starter template runs as it is with tessera run', () => {
  it('checks every template without problems', () => {
    const files = [...new Set(cases.map((c) => join(templates, c.file)))];
    const result = tessera('check', ...files, '--json');
    expect(result.status).toBe(0);
    const checked = result.json.files as { ok: boolean; problems: unknown[] }[];
    expect(checked).toHaveLength(4);
    for (const file of checked) expect(file).toMatchObject({ ok: true, problems: [] });
  });

  it.each(cases)('runs $file $args to completion', ({ file, args, ends }) => {
    const result = tessera('run', join(templates, file), '--json', ...args);
    expect(result.stderr).toBe('');
    expect(result.json).toMatchObject({ status: 'completed', waiting: [] });
    expect(result.status).toBe(0);
    expect((result.json.visited as string[]).at(-1)).toBe(ends);
  });

  it('takes the build pipeline failure path when packaging fails', () => {
    // given the build pipeline with simulateFailure switched on
    const xml = readFileSync(join(templates, 'build-pipeline.bpmn'), 'utf8').replace('simulateFailure: false', 'simulateFailure: true');
    const file = join(dir, 'failing-build.bpmn');
    writeFileSync(file, xml);
    // when it runs, then the error boundary catches the exit code and the run still completes
    const result = tessera('run', file, '--json', '--allow', 'node,echo');
    expect(result.status).toBe(0);
    expect(result.json.visited).toEqual(expect.arrayContaining(['PackageFailed', 'NotifyFailure', 'BuildFailed']));
  });

  it('picks the best hyper-parameters of the ML sweep', () => {
    const result = tessera('run', join(templates, 'ml-sweep.bpmn'), '--json', '--allow', 'node,echo');
    expect((result.json.variables as { best: unknown }).best).toEqual({ lr: '0.01', depth: '6', score: 0.93 });
  });
});
