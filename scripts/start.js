#!/usr/bin/env node
// `npm start`: build the app if build/ is missing or older than its sources, then run the relay.
// Extra arguments go to the relay: `npm start -- --port 9000`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const built = join(root, 'build/index.html');
const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];

/** Newest modification time under `path`, skipping tests and the CLI (neither is in the bundle). */
function newest(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name.endsWith('.test.ts') || (entry.isDirectory() && entry.name === 'cli')) continue;
    latest = Math.max(latest, newest(join(path, entry.name)));
  }
  return latest;
}

const sourceTime = Math.max(...sources.map((s) => join(root, s)).filter(existsSync).map(newest));
if (!existsSync(built) || statSync(built).mtimeMs < sourceTime) {
  console.log(existsSync(built) ? 'Sources changed since the last build: rebuilding…' : 'Building the app…');
  const build = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit'
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const relay = spawn(process.execPath, [join(root, 'bin/tessera'), 'relay', ...process.argv.slice(2)], {
  cwd: process.cwd(),
  stdio: 'inherit'
});
// Ctrl-C reaches the relay through the terminal's process group; a SIGTERM to us is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => relay.kill(signal));
relay.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
