import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveWorkingDirectory } from './resolveWorkingDirectory.js';

describe('runtime/commands/resolveWorkingDirectory', () => {
  const job = mkdtempSync(path.join(os.tmpdir(), 'tessera-cwd-test-'));
  mkdirSync(path.join(job, 'pkg', 'sub'), { recursive: true });
  mkdirSync(path.join(job, '..dots'));
  symlinkSync('/etc', path.join(job, 'out'));
  afterAll(() => rmSync(job, { recursive: true, force: true }));

  it('defaults to the job directory and resolves relative paths inside it', () => {
    expect(resolveWorkingDirectory(job, undefined)).toEqual({ ok: true, cwd: job });
    expect(resolveWorkingDirectory(job, 'pkg/sub')).toEqual({ ok: true, cwd: path.join(job, 'pkg', 'sub') });
    expect(resolveWorkingDirectory(job, 'pkg/../pkg')).toEqual({ ok: true, cwd: path.join(job, 'pkg') });
    expect(resolveWorkingDirectory(job, '..dots')).toEqual({ ok: true, cwd: path.join(job, '..dots') });
    expect(resolveWorkingDirectory(job, path.join(job, 'pkg'))).toEqual({ ok: true, cwd: path.join(job, 'pkg') });
  });

  it.each(['..', '../..', '/etc', '/', 'out', 'pkg/../../'])('refuses %j, which leads outside', (cwd) => {
    expect(resolveWorkingDirectory(job, cwd)).toMatchObject({ ok: false, reason: /outside/ });
  });

  it('refuses a directory that does not exist', () => {
    expect(resolveWorkingDirectory(job, 'missing')).toMatchObject({ ok: false, reason: /does not exist/ });
  });
});
