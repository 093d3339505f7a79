#!/usr/bin/env node
// `npm run dev`: vite's dev server plus a relay on 127.0.0.1:8787, which vite proxies /healthz and
// /api to (vite.config.ts). Ctrl-C, or either process ending, stops both.
// Extra arguments go to vite: `npm run dev -- --port 5174`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const relayPort = '8787'; // must match the proxy target in vite.config.ts

console.log('Dev mode: open the vite URL printed below; the relay on :8787 answers /healthz and /api for it.');
const children = [
  start('relay', [join(root, 'bin/tessera'), 'relay', '--port', relayPort, '--host', '127.0.0.1']),
  start('vite', [join(root, 'node_modules/vite/bin/vite.js'), 'dev', ...process.argv.slice(2)])
];

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  Promise.all(children.map((child) => new Promise((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', done)))))
    .then(() => process.exit(code));
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

function start(name, args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (stream, out) => {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) out.write(`[${name}] ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code) => {
    if (!stopping) console.error(`[${name}] exited (${code ?? 'signal'}); stopping the others`);
    stopAll(code ?? 0);
  });
  return child;
}
