import { realpathSync } from 'node:fs';
import path from 'node:path';

export type WorkingDirectory = { ok: true; cwd: string } | { ok: false; reason: string };

/**
 * Resolves the command's `cwd` inside the job's working directory. Relative paths are taken
 * from the job directory; an absolute path is accepted only when it lies inside it. The check
 * runs on real paths, so a symlink inside the job directory cannot lead out of it.
 */
export function resolveWorkingDirectory(jobDir: string, cwd: string | undefined): WorkingDirectory {
  const root = realpathSync(jobDir);
  if (cwd === undefined || cwd === '') return { ok: true, cwd: root };
  if (cwd.includes('\u0000')) return { ok: false, reason: 'cwd contains NUL' };
  let target: string;
  try {
    target = realpathSync(path.resolve(root, cwd));
  } catch {
    return { ok: false, reason: `cwd ${JSON.stringify(cwd)} does not exist in the job's working directory` };
  }
  const inside = path.relative(root, target);
  if (inside === '..' || inside.startsWith('../') || path.isAbsolute(inside)) {
    return { ok: false, reason: `cwd ${JSON.stringify(cwd)} is outside the job's working directory` };
  }
  return { ok: true, cwd: target };
}
