import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { CompileError } from '../../lib/engine/definition/CompileError.js';
import * as engine from '../../lib/engine/index.js';
import { parseAllowList, parseAnswers, parseCommandArgs, parseVarAssignments, parseVarsJson, UsageError } from '../args.js';
import { ExitCode, type Command } from '../command.js';
import { failedOutput, invalidOutput, printRun, runOutput } from '../runOutput.js';
import { openStore } from '../openStore.js';
import { connectRelayJobs, type RelayJobs } from '../relayJobs.js';
import { createExecutor, owner, settle } from '../runSession.js';
import { decodeXml } from './check.js';

const usage = `tessera run <file.bpmn> [--process ID] [--var name=value]… [--vars JSON] [--answer NODE=JSON]…
            [--allow EXE[,EXE…]] [--allow-scripts] [--relay URL --token T] [--store FILE] [--json]

Runs the process until it completes, fails, or can only wait for people or messages (timers
really wait; service-task commands and scripts run here).
  --process ID       which executable process to start (default: the first)
  --var name=value   a start variable; the value is JSON when it parses as JSON, else a string
  --vars JSON        start variables as one JSON object
  --answer NODE=JSON complete user task NODE with this data whenever it is reached (repeatable)
  --allow EXE,…      executables service-task commands may run (none by default: every command is refused)
  --allow-scripts    let JavaScript script tasks run (in the QuickJS sandbox)
  --relay URL        run service tasks on this relay's runners instead (its allow-list applies)
  --token T          with --relay: a token with role run for run:* (or $TESSERA_TOKEN)
  --store FILE       keep the run in this SQLite store (continue it later with complete/message/signal)
  --json             print one JSON object: runId, status, variables, visited, waiting, records, head, error, problems
Exit code 0 completed, 1 failed, 2 invalid model or usage, 3 waiting.`;

const flags = {
  process: 'string', var: 'list', vars: 'string', answer: 'list', allow: 'list', 'allow-scripts': 'boolean',
  store: 'string', json: 'boolean', relay: 'string', token: 'string'
} as const;

export const run: Command = {
  name: 'run',
  summary: 'run a BPMN file until it completes, fails or waits',
  usage,
  async run(args: string[]): Promise<number> {
    let options;
    try {
      options = readOptions(args);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`tessera run: ${error.message}\n\n${usage}\n`);
      return ExitCode.usage;
    }
    const { file, json, storePath } = options;
    let xml: string;
    try {
      xml = decodeXml(await readFile(file));
    } catch (error) {
      return printRun(invalidOutput([{ element: '', message: `cannot read ${file}: ${messageOf(error)}` }]), json);
    }
    let model;
    try {
      model = await engine.compile(xml);
    } catch (error) {
      if (error instanceof CompileError) return printRun(invalidOutput([...error.problems]), json);
      return printRun(invalidOutput([{ element: '', message: `cannot compile ${file}: ${messageOf(error)}` }]), json);
    }
    const processId = options.processId ?? model.mainProcess;
    if (!model.processes[processId]) {
      const known = Object.keys(model.processes).join(', ');
      return printRun(invalidOutput([{ element: processId, message: `no executable process ${processId} (processes: ${known})` }]), json);
    }
    let relayJobs: RelayJobs | undefined;
    if (options.relay) {
      try {
        relayJobs = await connectRelayJobs(options.relay.url, options.relay.token, (text) => process.stderr.write(text));
      } catch (error) {
        process.stderr.write(`tessera run: ${messageOf(error)}\n`);
        return ExitCode.failed;
      }
    }
    const store = openStore(storePath);
    try {
      await store.putXml(model.xmlSha256, xml);
      const executor = createExecutor(model, store, { ...options.session, file, ...(relayJobs ? { jobs: relayJobs.jobs } : {}) });
      const startEvent = await awaitTimerStart(model, processId);
      await executor.start({ runId: randomUUID(), processId, variables: options.variables, owner, ...(startEvent ? { startEvent } : {}) });
      return printRun(runOutput(await settle(executor, store)), json, storePath);
    } catch (error) {
      // Engine or store failure mid-run: still one answer in the promised shape, never a trace.
      return printRun(failedOutput(error), json, storePath);
    } finally {
      relayJobs?.close();
      await store.close();
    }
  }
};

function readOptions(args: string[]) {
  const { positionals, flags: f } = parseCommandArgs(args, flags);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no BPMN file given' : `one file at a time (got ${positionals.join(', ')})`);
  const variables = { ...parseVarsJson(f.vars as string | undefined), ...parseVarAssignments(f.var as string[] | undefined) };
  const token = (f.token as string | undefined) ?? process.env.TESSERA_TOKEN;
  if (f.relay !== undefined && !token) throw new UsageError('--relay needs --token (or $TESSERA_TOKEN)');
  return {
    file: positionals[0]!,
    json: f.json === true,
    storePath: f.store as string | undefined,
    processId: f.process as string | undefined,
    variables,
    relay: f.relay === undefined ? undefined : { url: f.relay as string, token: token! },
    session: {
      allow: parseAllowList(f.allow as string[] | undefined),
      allowScripts: f['allow-scripts'] === true,
      answers: parseAnswers(f.answer as string[] | undefined)
    }
  };
}

/**
 * A process whose only start is a timer really waits for it (a cycle: its first occurrence), as
 * `run` waits for every timer; a none start, or message/signal starts, begin at once.
 */
async function awaitTimerStart(model: engine.ProcessModel, processId: string): Promise<string | undefined> {
  const triggers = engine.startTriggers(model, processId, Date.now());
  if (triggers.length === 0 || triggers.some((t) => t.kind === 'none')) return undefined;
  const timers = triggers.filter((t) => t.kind === 'timer');
  if (timers.length !== triggers.length || timers.length === 0) return undefined;
  const first = timers.reduce((a, b) => (b.dueAt < a.dueAt ? b : a));
  const delay = first.dueAt - Date.now();
  if (delay > 0) {
    process.stderr.write(`tessera run: waiting for timer start ${first.startEvent} (${new Date(first.dueAt).toISOString()})\n`);
    await sleep(delay);
  }
  return first.startEvent;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
