import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Tessera checkout this code runs from: the nearest folder up from this module whose
 * package.json is ours. Works from the sources (through tsx) and from the dist/ bundle alike.
 */
export function projectRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tessera') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Tessera package.json above ' + fileURLToPath(from));
    dir = parent;
  }
}
