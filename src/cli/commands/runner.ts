import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { JobLimits } from '../../lib/protocol/jobs.js';
import { defaultAllowList } from '../../lib/runtime/jobs/defaultAllowList.js';
import { Runner } from '../../lib/runtime/jobs/Runner.js';
import { TaskTypeRegistry, commandTaskType, httpTaskType, scriptTaskType } from '../../lib/runtime/taskTypes/index.js';
import { loadTaskTypes } from '../../lib/runtime/taskTypes/loadTaskTypes.js';
import type { Command } from '../command.js';
import { runSandboxedScript } from '../jobRunners.js';
import { projectRoot } from '../projectRoot.js';
import { isLoopback } from './relay.js';

const usage = `tessera runner --relay URL --token T [--allow EXE,…] [--concurrency N] [--secrets FILE] [--http-hosts H,…] [--task-type MODULE]… [--id NAME]

Leases service-task jobs from a relay and runs them here (commands, http, scripts).
  --relay URL        the relay (http://127.0.0.1:8787)
  --token T          a token with role runner (or $TESSERA_TOKEN): tessera token --role runner
  --allow LIST       executables commands may start, comma separated, repeatable; "" refuses all.
                     Default: on a loopback relay the starter templates' executables, else none
  --concurrency N    jobs at once (default 1)
  --secrets FILE     JSON object of secrets, referenced in models as secrets.NAME
  --http-hosts LIST  hosts the http task type may call (default none)
  --task-type MODULE a task-type plugin (default export { name, fields, run }), repeatable
  --id NAME          runner name shown by the relay (default host-pid)`;

export interface RunnerFlags {
  url: URL;
  token: string;
  allow: string[];
  allowSource: 'flags' | 'loopback default' | 'none';
  concurrency: number;
  secrets: Record<string, string>;
  httpHosts: string[];
  taskTypes: string[];
  id: string;
}

/** Reads runner flags; a message saying what is wrong otherwise. */
export function parseRunnerFlags(args: string[], env: Record<string, string | undefined>): { ok: true; flags: RunnerFlags } | { ok: false; error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        relay: { type: 'string' },
        token: { type: 'string' },
        allow: { type: 'string', multiple: true },
        concurrency: { type: 'string' },
        secrets: { type: 'string' },
        'http-hosts': { type: 'string' },
        'task-type': { type: 'string', multiple: true },
        id: { type: 'string' }
      }
    }));
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (!values.relay) return { ok: false, error: '--relay URL is required' };
  let url: URL;
  try {
    url = new URL('/jobs/runner', values.relay.replace(/^http/, 'ws'));
  } catch {
    return { ok: false, error: `invalid relay URL "${values.relay}"` };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return { ok: false, error: `relay URL must be http(s) or ws(s): "${values.relay}"` };
  const token = values.token ?? env.TESSERA_TOKEN;
  if (!token) return { ok: false, error: '--token (or $TESSERA_TOKEN) is required' };
  const concurrency = Number(values.concurrency ?? '1');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > JobLimits.concurrency) {
    return { ok: false, error: `--concurrency must be 1…${JobLimits.concurrency}` };
  }
  let secrets: Record<string, string> = {};
  if (values.secrets) {
    try {
      secrets = JSON.parse(readFileSync(values.secrets, 'utf8')) as Record<string, string>;
      if (typeof secrets !== 'object' || Object.values(secrets).some((v) => typeof v !== 'string')) throw new Error('not an object of strings');
    } catch (error) {
      return { ok: false, error: `--secrets ${values.secrets}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const listed = values.allow?.flatMap((list) => list.split(',')).map((exe) => exe.trim()).filter(Boolean);
  const loopback = isLoopback(url.hostname);
  const allow = listed ?? (loopback ? defaultAllowList(join(projectRoot(), 'src/lib/modeler/templates')) : []);
  return {
    ok: true,
    flags: {
      url,
      token,
      allow,
      allowSource: listed ? 'flags' : loopback ? 'loopback default' : 'none',
      concurrency,
      secrets,
      httpHosts: (values['http-hosts'] ?? '').split(',').map((h) => h.trim()).filter(Boolean),
      taskTypes: values['task-type'] ?? [],
      id: values.id ?? `${hostname()}-${process.pid}`
    }
  };
}

export const runner: Command = {
  name: 'runner',
  summary: 'execute service-task jobs for a relay',
  usage,
  async run(args) {
    const parsed = parseRunnerFlags(args, process.env);
    if (!parsed.ok) {
      process.stderr.write(`tessera runner: ${parsed.error}\n\n${usage}\n`);
      return 2;
    }
    const { flags } = parsed;
    let registry: TaskTypeRegistry;
    try {
      registry = new TaskTypeRegistry([
        commandTaskType({ allow: flags.allow, secrets: flags.secrets }),
        httpTaskType({ allowHosts: flags.httpHosts }),
        scriptTaskType(runSandboxedScript),
        ...(await loadTaskTypes(flags.taskTypes, process.cwd()))
      ]);
    } catch (error) {
      process.stderr.write(`tessera runner: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
    process.stdout.write(
      `Tessera runner ${flags.id} → ${flags.url.origin} (concurrency ${flags.concurrency})\n` +
        `  allow: ${flags.allow.join(', ') || '(empty: every command refused)'} [${flags.allowSource}]\n` +
        `  task types: ${registry.list().map((t) => t.name).join(', ')}\n`
    );
    return serve(flags, registry);
  }
};

/** Connects, reconnects with backoff, and runs jobs until SIGINT/SIGTERM or a refused token. */
function serve(flags: RunnerFlags, registry: TaskTypeRegistry): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  return new Promise((resolve) => {
    let stopping = false;
    let socket: WebSocket | undefined;
    let current: Runner | undefined;
    let delay = 250;
    const finish = (code: number) => {
      stopping = true;
      current?.stop();
      socket?.terminate();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(code);
    };
    const onSignal = () => finish(0);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    const connect = () => {
      const ws = new WebSocket(flags.url, { headers: { authorization: `Bearer ${flags.token}` }, maxPayload: JobLimits.messageBytes });
      socket = ws;
      ws.on('open', () => {
        delay = 250;
        log(`connected to ${flags.url.origin}`);
        current = new Runner({ runnerId: flags.id, concurrency: flags.concurrency, allow: flags.allow, registry, send: (frame) => ws.send(frame), log });
        current.start();
      });
      ws.on('message', (data) => current?.receive(String(data)));
      ws.on('unexpected-response', (_req, res) => {
        log(`tessera runner: the relay refused the connection: HTTP ${res.statusCode}`);
        if (res.statusCode === 401 || res.statusCode === 403) finish(1);
        else ws.terminate();
      });
      ws.on('error', (error) => log(`relay connection: ${error.message}`));
      ws.on('close', () => {
        current?.stop();
        current = undefined;
        if (stopping) return;
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 5000);
      });
    };
    connect();
  });
}
