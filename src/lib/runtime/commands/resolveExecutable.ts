import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** `missing`: allowed, but not installed here — the runner's environment, not the command, is at fault. */
export type ExecutableCheck = { ok: true; path: string } | { ok: false; reason: string; missing?: true };

/** Bare allow-list entries: plain file names, nothing a shell or a path could reinterpret. */
const BARE_NAME = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/;

/**
 * Checks `executable` (argv[0]) against the allow-list and returns the absolute path to spawn.
 *
 * An entry is a bare name (`git`, found through `searchPath`) or an absolute path. A bare
 * argv[0] must equal a bare entry; an argv[0] with a `/` must equal an absolute entry exactly.
 * Strings are compared as they are (no normalisation), so look-alike characters, `./git`,
 * `../../bin/sh` or `/usr/bin/../bin/sh` never match.
 */
export function resolveExecutable(executable: string, allow: readonly string[], searchPath: string): ExecutableCheck {
  if (allow.length === 0) return refuse('no executables are allowed (empty allow-list)');
  const badEntry = allow.find((entry) => !isBareName(entry) && !isCleanAbsolute(entry));
  if (badEntry !== undefined) {
    return refuse(`allow-list entry ${JSON.stringify(badEntry)} is neither a bare name nor a clean absolute path`);
  }
  const shown = JSON.stringify(executable);
  if (executable === '') return refuse('the command has no executable (argv[0] is empty)');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (/[\u0000-\u001f\u007f]/.test(executable)) return refuse(`executable ${shown} contains control characters`);
  if (executable.split('/').includes('..')) return refuse(`executable ${shown} contains ".."`);
  if (!allow.includes(executable)) return refuse(`executable ${shown} is not in the allow-list (${allow.join(', ')})`);
  if (executable.includes('/')) {
    return isRunnableFile(executable) ? { ok: true, path: executable } : missing(`executable ${shown} is not an executable file`);
  }
  for (const dir of searchPath.split(':')) {
    if (!path.isAbsolute(dir)) continue; // a relative PATH entry would depend on the cwd
    const candidate = path.join(dir, executable);
    if (isRunnableFile(candidate)) return { ok: true, path: candidate };
  }
  return missing(`executable ${shown} was not found in PATH (${searchPath})`);
}

function isBareName(entry: string): boolean {
  return BARE_NAME.test(entry) && entry !== '.' && entry !== '..';
}

function isCleanAbsolute(entry: string): boolean {
  return path.isAbsolute(entry) && path.normalize(entry) === entry && !entry.endsWith('/');
}

function isRunnableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function refuse(reason: string): ExecutableCheck {
  return { ok: false, reason };
}

function missing(reason: string): ExecutableCheck {
  return { ok: false, reason, missing: true };
}
