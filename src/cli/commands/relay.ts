import { mkdirSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { createRelay } from '../../../sync-server/createRelay.js';
import { attachSync } from '../../../sync-server/sync/attachSync.js';
import { randomSecret } from '../../../sync-server/sync/tokens.js';
import { attachJobService } from '../../../sync-server/jobs/attachJobService.js';
import { readRelayJobConfig, resolveAllowList } from '../../../sync-server/jobs/relayJobConfig.js';
import { defaultAllowList } from '../../lib/runtime/jobs/defaultAllowList.js';
import type { JobDispatcher } from '../../lib/runtime/ports.js';
import { loadTaskTypes } from '../../lib/runtime/taskTypes/loadTaskTypes.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { projectRoot } from '../projectRoot.js';

const usage = `tessera relay [--port N] [--host H] [--data DIR] [--secret S] [--allow EXE,…] [--host-runs]

Serves the Tessera app, collaboration rooms (ws://HOST/sync/<room>) and service-task jobs
(ws://HOST/jobs; runners on ws://HOST/jobs/runner, plus an in-process pool). Job settings:
DIR/relay.json { allow, secrets, httpHosts, runners, concurrency, leaseMs, taskTypes }.
  --port N      port to listen on (default $TESSERA_PORT, $PORT, else 8787; 0 picks a free one)
  --host H      interface to bind (default $TESSERA_HOST, else 127.0.0.1)
  --data DIR    where the relay keeps its data (default ./.tessera)
  --secret S    token signing secret (or $TESSERA_SECRET); required off loopback. Without it a
                random secret is made at start and GET /api/token mints tokens for loopback callers
  --allow LIST  executables runners may start, comma separated, repeatable; required off loopback.
                Default: relay.json "allow", else on loopback the starter templates' executables
  --host-runs   take over shared runs whose executing tab is gone (the relay executes them,
                jobs through its runners)`;

export interface RelayFlags {
  host: string;
  port: number;
  data: string;
  secret: string | undefined;
  allow: string[] | undefined;
  /** Take shared runs over when their executor is gone (set only when asked for). */
  hostRuns?: true;
}

/** Reads relay flags and environment into settings, or a message saying what is wrong. */
export function parseRelayFlags(
  args: string[],
  env: Record<string, string | undefined>
): { ok: true; flags: RelayFlags } | { ok: false; error: string } {
  let values: { port?: string; host?: string; data?: string; secret?: string; allow?: string[]; 'host-runs'?: boolean };
  try {
    const parsed = parseCommandArgs(args, { port: 'string', host: 'string', data: 'string', secret: 'string', allow: 'list', 'host-runs': 'boolean' });
    if (parsed.positionals.length > 0) return { ok: false, error: `unexpected argument "${parsed.positionals[0]}"` };
    values = parsed.flags as typeof values;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const portText = values.port ?? env.TESSERA_PORT ?? env.PORT ?? '8787';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) return { ok: false, error: `invalid port "${portText}"` };
  const host = values.host ?? env.TESSERA_HOST ?? '127.0.0.1';
  const secret = values.secret ?? (env.TESSERA_SECRET || undefined);
  const allow = values.allow?.flatMap((list) => list.split(',')).map((exe) => exe.trim()).filter(Boolean);
  if (!isLoopback(host)) {
    // Off loopback anyone on the network can reach the relay: no anonymous rooms, no implicit commands.
    const missing = [secret ? '' : '--secret', values.allow ? '' : '--allow'].filter(Boolean);
    if (missing.length > 0) {
      return {
        ok: false,
        error: `refusing to bind ${host}: a relay reachable from the network needs ${missing.join(' and ')} ` +
          '(an explicit executable allow-list, possibly empty: --allow "")'
      };
    }
  }
  return { ok: true, flags: { host, port, data: values.data ?? '.tessera', secret, allow, ...(values['host-runs'] ? { hostRuns: true as const } : {}) } };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

export const relay: Command = {
  name: 'relay',
  summary: 'serve the app, rooms and runners; what `npm start` runs',
  usage,
  async run(args) {
    const parsed = parseRelayFlags(args, process.env);
    if (!parsed.ok) {
      process.stderr.write(`tessera relay: ${parsed.error}\n\n${usage}\n`);
      return 2;
    }
    const { flags } = parsed;
    const dataDir = resolve(flags.data);
    mkdirSync(dataDir, { recursive: true });
    const root = projectRoot();
    const staticDir = resolve(root, process.env.TESSERA_BUILD_DIR || 'build');
    const server = createRelay({
      host: flags.host,
      port: flags.port,
      staticDir,
      version: packageVersion(root),
      log: (line) => process.stderr.write(`${line}\n`)
    });
    // Without --secret (loopback only) tokens are signed with a per-start random secret, handed
    // out by GET /api/token to loopback callers; it is never printed.
    const secret = flags.secret ?? randomSecret();
    // The job hub is made below; a run the relay takes over dispatches to it once it exists.
    const late: { jobs?: JobDispatcher } = {};
    const hostJobs: JobDispatcher = {
      dispatch: (job, done) => late.jobs?.dispatch(job, done),
      cancel: (key) => late.jobs?.cancel(key)
    };
    attachSync(server, {
      ...(flags.hostRuns ? { runHost: { jobs: hostJobs } } : {}),
      dbFile: resolve(dataDir, 'sync.sqlite'),
      secret,
      boundHost: flags.host,
      logLine: (line) => process.stderr.write(`${line}\n`)
    });
    let jobConfig;
    let plugins;
    try {
      jobConfig = readRelayJobConfig(dataDir);
      plugins = await loadTaskTypes(jobConfig.taskTypes ?? [], dataDir);
    } catch (error) {
      process.stderr.write(`tessera relay: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
    const allow = resolveAllowList(flags.allow, jobConfig, isLoopback(flags.host), () =>
      defaultAllowList(resolve(root, 'src/lib/modeler/templates'))
    );
    const jobs = attachJobService(server, {
      secret,
      allow: allow.allow,
      config: jobConfig,
      taskTypes: plugins,
      dataDir,
      log: (line) => process.stderr.write(`${line}\n`)
    });
    late.jobs = jobs.hub.dispatcher();
    let url: string;
    try {
      ({ url } = await server.listen());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      process.stderr.write(`tessera relay: ${flags.host}:${flags.port} is in use; stop the other server or pass --port\n`);
      return 1;
    }
    process.stdout.write(
      `Tessera relay on ${url}\nOpen ${url} in your browser.\n` +
        `  app:   ${staticDir}\n  data:  ${dataDir}\n` +
        `  sync:  ${url.replace(/^http/, 'ws')}/sync/<room>; tokens: ${flags.secret ? 'tessera token (signed with --secret)' : 'GET /api/token (loopback only, random secret)'}\n` +
        `  jobs:  ${url.replace(/^http/, 'ws')}/jobs/runner (tessera runner --role runner token); ${jobs.poolSize} in-process runner(s)\n` +
        `  allow: ${allow.allow.join(', ') || '(empty: every command refused)'} [${allow.source}]\n` +
        (flags.hostRuns ? '  runs:  shared runs whose executing tab is gone are taken over here (--host-runs)\n' : '')
    );
    await stopSignal();
    await server.close();
    process.stdout.write('Tessera relay stopped.\n');
    return 0;
  }
};

function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function packageVersion(root: string): string {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
