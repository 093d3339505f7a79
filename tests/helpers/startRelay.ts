import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRelay, type Relay } from '../../sync-server/createRelay.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The built app: `build/`, or `$TESSERA_BUILD_DIR` (relative to the repository) when set. */
export const buildDir = fileURLToPath(new URL(`../../${process.env.TESSERA_BUILD_DIR || 'build'}/`, import.meta.url));

export interface RunningRelay {
  url: string;
  relay: Relay;
  stop(): Promise<void>;
}

/** Starts the relay in this process on 127.0.0.1 and a free port, serving `build/`. */
export async function startRelay(options: { port?: number; staticDir?: string } = {}): Promise<RunningRelay> {
  const relay = createRelay({
    host: '127.0.0.1',
    port: options.port ?? 0,
    staticDir: options.staticDir ?? buildDir,
    version: (JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { version: string }).version
  });
  const { url } = await relay.listen();
  return { url, relay, stop: () => relay.close() };
}

export interface RelayProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `node bin/tessera relay --port 0 …` as a child process and waits for its URL. */
export function spawnRelay(args: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<RelayProcess> {
  const child = spawn(process.execPath, ['bin/tessera', 'relay', '--port', '0', ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open (http:\/\/\S+) in your browser/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        child,
        output: () => output,
        stop: () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        }
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}:\n${output}`));
    });
  });
}
