import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Used when the starter templates cannot be read. */
export const FALLBACK_ALLOW = ['node', 'npm', 'git', 'echo'] as const;

const FIRST_ARG = /<tessera:command\b[^>]*>\s*<tessera:arg>\s*([^<\s]+)\s*<\/tessera:arg>/g;

/**
 * The loopback default allow-list: exactly the executables the starter templates call (the
 * first argv entry of each `tessera:command`), sorted; the fallback when none are found.
 */
export function defaultAllowList(templatesDir: string): string[] {
  const found = new Set<string>();
  try {
    for (const file of readdirSync(templatesDir)) {
      if (!file.endsWith('.bpmn')) continue;
      for (const match of readFileSync(path.join(templatesDir, file), 'utf8').matchAll(FIRST_ARG)) found.add(match[1]!);
    }
  } catch {
    // no templates here (a bundle without sources): the fallback below
  }
  return found.size > 0 ? [...found].sort() : [...FALLBACK_ALLOW];
}
