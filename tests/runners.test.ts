/**
 * Remote task runners with real processes, end to end: engine → Executor → relay job hub →
 * runner (in-process pool, or `tessera runner` child processes over /jobs websockets) → command.
 * Everything binds 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as engine from '../src/lib/engine/index.js';
import type { RunState } from '../src/lib/engine/state.js';
import { definitions, flows, processXml } from '../src/lib/engine/testing/bpmnXml.js';
import { Executor } from '../src/lib/runtime/Executor.js';
import type { Clock, JobDispatcher } from '../src/lib/runtime/ports.js';
import { SimulatedClock } from '../src/lib/runtime/SimulatedClock.js';
import { SystemClock } from '../src/lib/runtime/SystemClock.js';
import { TaskTypeRegistry, commandTaskType } from '../src/lib/runtime/taskTypes/index.js';
import { SqliteRunStore } from '../src/lib/store/sqlite/SqliteRunStore.js';
import { createRelay, type Relay } from '../sync-server/createRelay.js';
import { attachJobService, builtInTaskTypes } from '../sync-server/jobs/attachJobService.js';
import { JobHub } from '../sync-server/jobs/JobHub.js';
import { startRunnerPool } from '../sync-server/jobs/startRunnerPool.js';
import { signToken } from '../sync-server/sync/tokens.js';

const ROOT = join(import.meta.dirname, '..');
const command = (attrs: string, ...args: string[]) =>
  `<bpmn:extensionElements><tessera:command ${attrs}>${args.map((a) => `<tessera:arg>${a}</tessera:arg>`).join('')}</tessera:command></bpmn:extensionElements>`;
const oneTask = (attrs: string, ...args: string[]) =>
  processXml(`<bpmn:startEvent id="S"/><bpmn:serviceTask id="T">${command(attrs, ...args)}</bpmn:serviceTask><bpmn:endEvent id="E"/>${flows('S>T', 'T>E')}`);

async function startRun(xml: string, jobs: JobDispatcher, runId = 'run1', clock: Clock = new SystemClock()) {
  const model = await engine.compile(xml);
  const store = new SqliteRunStore(':memory:');
  await store.putXml(model.xmlSha256, xml);
  const executor = new Executor<RunState>({ engine, model, store, clock, jobs });
  await executor.start({ runId });
  return { executor, store, records: () => store.records(runId) };
}

function localHub(allow: string[], registry?: TaskTypeRegistry, leaseMs?: number) {
  const hub = new JobHub({ clock: new SystemClock(), ...(leaseMs ? { leaseMs } : {}) });
  const pool = startRunnerPool(hub, { size: 1, allow, registry: registry ?? new TaskTypeRegistry(builtInTaskTypes({ allow })) });
  return { hub, stop: () => { pool.stop(); hub.close(); } };
}

const completions = (records: Awaited<ReturnType<typeof startRun>>['records'] extends () => Promise<infer R> ? R : never, node: string) =>
  records.filter((r) => r.node === node && r.kind === 'token' && r.status === 'completed');

describe('tests/runners (in-process pool)', () => {
  it('echo: the result is recorded and live output streams', async () => {
    const { hub, stop } = localHub(['echo']);
    const live: string[] = [];
    hub.onOutput((_run, _key, _stream, chunk) => live.push(chunk));
    const run = await startRun(oneTask('resultVariable="out"', 'echo', 'hello; $(id) `x` | rm'), hub.dispatcher());
    await run.executor.whenIdle();
    expect(run.executor.summary().status).toBe('completed');
    expect(run.executor.summary().variables).toMatchObject({ out: { exitCode: 0, stdout: 'hello; $(id) `x` | rm\n', stderr: '' } });
    expect(live.join('')).toBe('hello; $(id) `x` | rm\n');
    stop();
  });

  it('a failing command is caught by an error boundary by its exit code', async () => {
    const { hub, stop } = localHub(['node']);
    const xml = definitions(`<bpmn:error id="Err" errorCode="3"/><bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S"/>
      <bpmn:serviceTask id="T">${command('retries="1"', 'node', '-e', 'process.exit(3)')}</bpmn:serviceTask>
      <bpmn:boundaryEvent id="Caught" attachedToRef="T"><bpmn:errorEventDefinition errorRef="Err"/></bpmn:boundaryEvent>
      <bpmn:endEvent id="E"/><bpmn:endEvent id="ECaught"/>${flows('S>T', 'T>E', 'Caught>ECaught')}</bpmn:process>`);
    const run = await startRun(xml, hub.dispatcher());
    await run.executor.whenIdle();
    expect(run.executor.summary().status).toBe('completed');
    expect(engine.visitedFrom(await run.records())).toEqual(['S', 'Caught', 'ECaught']);
    stop();
  });

  it('a hang is killed by its timeout with zero surviving descendants, then an incident', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-hang-'));
    const { hub, stop } = localHub(['sh']);
    const pidFile = join(dir, 'pid');
    const started = Date.now();
    const run = await startRun(oneTask('timeout="PT1S"', 'sh', '-c', `sleep 60 &amp; echo $! &gt; ${pidFile}; sleep 60`), hub.dispatcher());
    await run.executor.whenIdle();
    expect(Date.now() - started).toBeLessThan(4000);
    const incident = (await run.records()).find((r) => r.kind === 'incident');
    expect(JSON.stringify(incident?.data)).toContain('timed out');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(grandchild)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
    stop();
  });

  it('output is capped with a marker', async () => {
    const registry = new TaskTypeRegistry([commandTaskType({ allow: ['node'], outputCapBytes: 64 * 1024 })]);
    const { hub, stop } = localHub(['node'], registry);
    const run = await startRun(oneTask('resultVariable="out"', 'node', '-e', "process.stdout.write('x'.repeat(4*1024*1024))"), hub.dispatcher());
    await run.executor.whenIdle();
    const out = (run.executor.summary().variables as { out: { stdout: string } }).out.stdout;
    expect(out.length).toBeLessThan(65 * 1024);
    expect(out).toContain('[output truncated at 65536 bytes]');
    stop();
  });

  it('a disallowed executable is refused with a clear message and never runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-deny-'));
    const { hub, stop } = localHub(['echo']);
    const run = await startRun(oneTask('', 'touch', join(dir, 'ran')), hub.dispatcher());
    await run.executor.whenIdle();
    const incident = (await run.records()).find((r) => r.kind === 'incident');
    expect(JSON.stringify(incident?.data)).toContain('command refused: executable \\"touch\\" is not in the allow-list (echo)');
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
    stop();
  });

  it('cancelling the run kills the command and its process group in < 1 s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-cancel-'));
    const { hub, stop } = localHub(['sh']);
    const pidFile = join(dir, 'pid');
    const run = await startRun(oneTask('', 'sh', '-c', `trap '' TERM; sleep 60 &amp; echo $! &gt; ${pidFile}; sleep 60`), hub.dispatcher());
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '') await new Promise((r) => setTimeout(r, 20));
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    const cancelled = Date.now();
    await run.executor.dispatch({ type: 'run.cancelled' });
    while (alive(grandchild) && Date.now() - cancelled < 3000) await new Promise((r) => setTimeout(r, 10));
    expect(alive(grandchild)).toBe(false);
    expect(Date.now() - cancelled).toBeLessThan(1000);
    expect(run.executor.summary().status).toBe('cancelled');
    rmSync(dir, { recursive: true, force: true });
    stop();
  });

  it('secrets from the runner reach the command and are redacted from recorded and live output', async () => {
    const registry = new TaskTypeRegistry([commandTaskType({ allow: ['echo'], secrets: { TOKEN: 's3cr3t-value' } })]);
    const { hub, stop } = localHub(['echo'], registry);
    const live: string[] = [];
    hub.onOutput((_r, _k, _s, chunk) => live.push(chunk));
    const run = await startRun(oneTask('resultVariable="out"', 'echo', 'token=${secrets.TOKEN}'), hub.dispatcher());
    await run.executor.whenIdle();
    expect(run.executor.summary().variables).toMatchObject({ out: { stdout: 'token=***\n' } });
    expect(live.join('')).toBe('token=***\n');
    expect(JSON.stringify(await run.records())).not.toContain('s3cr3t-value');
    stop();
  });

  it('zeebe:taskDefinition jobs go to the registered task type; an unknown type is an incident that says so', async () => {
    const registry = new TaskTypeRegistry().register({
      name: 'greet', fields: [{ name: 'who', label: 'Who', type: 'string' }],
      async run(job) {
        return { status: 'completed', variables: { greeting: `hello ${String(job.variables.who)}` } };
      }
    });
    const { hub, stop } = localHub([], registry);
    const typed = (type: string) =>
      processXml(`<bpmn:startEvent id="S"/><bpmn:serviceTask id="T"><bpmn:extensionElements><zeebe:taskDefinition type="${type}"/></bpmn:extensionElements></bpmn:serviceTask><bpmn:endEvent id="E"/>${flows('S>T', 'T>E')}`);
    const model = await engine.compile(typed('greet'));
    const store = new SqliteRunStore(':memory:');
    await store.putXml(model.xmlSha256, typed('greet'));
    const executor = new Executor<RunState>({ engine, model, store, clock: new SystemClock(), jobs: hub.dispatcher() });
    await executor.start({ runId: 'typed', variables: { who: 'runner' } });
    await executor.whenIdle();
    expect(executor.summary()).toMatchObject({ status: 'completed', variables: { greeting: 'hello runner' } });
    const unknown = await startRun(typed('billing'), hub.dispatcher(), 'unknown');
    await unknown.executor.whenIdle();
    expect(unknown.executor.summary().incidents[0]?.message).toContain('no task type "billing" is registered on this runner (registered: greet)');
    stop();
  });

  it('heartbeats keep a job that outlives its lease time with its runner: run once, completed once', async () => {
    const { hub, stop } = localHub(['sleep'], undefined, 300);
    let leases = 0;
    const lease = hub.queue.lease.bind(hub.queue);
    hub.queue.lease = (runnerId) => {
      const got = lease(runnerId);
      if (got) leases += 1;
      return got;
    };
    const run = await startRun(oneTask('', 'sleep', '1.2'), hub.dispatcher());
    await run.executor.whenIdle();
    expect(run.executor.summary().status).toBe('completed');
    expect(leases).toBe(1);
    stop();
  });

  it('R8: retries at the backoff gaps on a fake clock, one incident, resolving runs a new attempt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-r8-'));
    const { hub, stop } = localHub(['test']);
    const clock = new SimulatedClock(1_000_000);
    const inner = hub.dispatcher();
    const dispatchedAt: number[] = [];
    const jobs: JobDispatcher = { dispatch: (job, done) => (dispatchedAt.push(clock.now()), inner.dispatch(job, done)), cancel: (key) => inner.cancel(key) };
    const run = await startRun(oneTask('retries="3" retryBackoff="PT10S"', 'test', '-e', join(dir, 'ok')), jobs, 'run1', clock);
    for (let i = 0; i < 3; i++) {
      await run.executor.whenIdle({ timers: false });
      clock.advance(10_000);
    }
    await run.executor.whenIdle({ timers: false });
    expect(dispatchedAt.map((t) => t - 1_000_000)).toEqual([0, 10_000, 20_000]);
    const incidents = (await run.records()).filter((r) => r.kind === 'incident');
    expect(incidents.map((r) => r.status)).toEqual(['opened']);
    writeFileSync(join(dir, 'ok'), '');
    await run.executor.dispatch({ type: 'incident.resolved', incident: incidents[0]!.id });
    await run.executor.whenIdle({ timers: false });
    expect(dispatchedAt).toHaveLength(4);
    expect(run.executor.summary().status).toBe('completed');
    expect(completions(await run.records(), 'T')).toHaveLength(1);
    rmSync(dir, { recursive: true, force: true });
    stop();
  });
});

describe('tests/runners (tessera runner processes over /jobs)', () => {
  const secret = 'runner-test-secret';
  let relay: Relay;
  let hub: JobHub;
  let url: string;
  let token: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    relay = createRelay({ host: '127.0.0.1', port: 0, staticDir: tmpdir() });
    ({ hub } = attachJobService(relay, { secret, allow: [], config: { runners: 0, leaseMs: 2000 } }));
    ({ url } = await relay.listen());
    token = await signToken(secret, { sub: 'test', room: 'run:*', role: 'runner', ttlSeconds: 600 });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await relay.close();
  });

  function runnerProcess(id: string, allow: string, concurrency = 1): Promise<ChildProcess> {
    const child = spawn(process.execPath, [join(ROOT, 'bin/tessera'), 'runner', '--relay', url, '--token', token, '--allow', allow, '--concurrency', String(concurrency), '--id', id], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (c: Buffer) => {
        err += c.toString();
        if (err.includes('connected to')) resolve(child);
      });
      child.on('exit', (code) => reject(new Error(`runner ${id} exited ${code}: ${err}`)));
    });
  }

  it('two runners share 200 jobs: none lost, none duplicated in the chains', async () => {
    const leasedBy = new Map<string, number>();
    const lease = hub.queue.lease.bind(hub.queue);
    hub.queue.lease = (runnerId) => {
      const got = lease(runnerId);
      if (got) leasedBy.set(runnerId, (leasedBy.get(runnerId) ?? 0) + 1);
      return got;
    };
    const [a, b] = await Promise.all([runnerProcess('A', 'true', 4), runnerProcess('B', 'true', 4)]);
    const tasks = Array.from({ length: 10 }, (_, i) => `T${i}`);
    const xml = processXml(`<bpmn:startEvent id="S"/>${tasks.map((t) => `<bpmn:serviceTask id="${t}">${command('', 'true')}</bpmn:serviceTask>`).join('')}<bpmn:endEvent id="E"/>
      ${flows('S>T0', ...tasks.slice(1).map((t, i) => `T${i}>${t}`), 'T9>E')}`);
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => startRun(xml, hub.dispatcher(), `run${i}`)));
    await Promise.all(runs.map((run) => run.executor.whenIdle()));
    for (const run of runs) {
      expect(run.executor.summary().status).toBe('completed');
      const records = await run.records();
      for (const task of tasks) expect(completions(records, task)).toHaveLength(1);
    }
    expect([...leasedBy.values()].reduce((x, y) => x + y, 0)).toBe(200);
    expect(leasedBy.size).toBe(2);
    hub.queue.lease = lease;
    a.kill('SIGTERM');
    b.kill('SIGTERM');
  }, 60_000);

  it('tessera run --relay: the CLI jobs run on the relay runners, output streams back', async () => {
    const runner = await runnerProcess('C', 'node');
    const runToken = await signToken(secret, { sub: 'cli', room: 'run:*', role: 'run', ttlSeconds: 600 });
    const cli = spawn(process.execPath, [join(ROOT, 'bin/tessera'), 'run', join(ROOT, 'tests/fixtures/cli-commands.bpmn'), '--relay', url, '--token', runToken, '--json'], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    cli.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((resolve) => cli.on('exit', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'completed', variables: { echo: { exitCode: 0, stdout: 'hello' } } });
    expect(stderr).toContain('[Echo] hello');
    runner.kill('SIGTERM');
  }, 30_000);

  it('a runner SIGKILLed mid-job: the job is completed once, by another runner', async () => {
    const a = await runnerProcess('A2', 'node');
    const started = new Promise<void>((resolve) => {
      const off = hub.onOutput((_run, _key, _stream, chunk) => chunk.includes('started') && (off(), resolve()));
    });
    const run = await startRun(oneTask('resultVariable="out"', 'node', '-e', "console.log('started'); setTimeout(() => console.log('done'), 1500)"), hub.dispatcher(), 'killed1');
    await started;
    a.kill('SIGKILL');
    await runnerProcess('B2', 'node');
    await run.executor.whenIdle();
    expect(run.executor.summary().status).toBe('completed');
    expect(completions(await run.records(), 'T')).toHaveLength(1);
    expect(run.executor.summary().variables).toMatchObject({ out: { exitCode: 0, stdout: 'started\ndone\n' } });
    expect(completions(await run.records(), 'T')[0]?.owner).toBe('runner:B2');
  }, 30_000);

  it('a runner SIGKILLed mid-job leaves no processes behind: its job, and what the job started, die with it', async () => {
    // the only runner connected: the job must be A3's
    await Promise.all(children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise((resolve) => (c.once('exit', resolve), c.kill('SIGTERM')))));
    const a = await runnerProcess('A3', 'node');
    const pids = new Promise<number[]>((resolve) => {
      const off = hub.onOutput((_run, _key, _stream, chunk) => {
        const match = /pids (\d+) (\d+)/.exec(chunk);
        if (!match) return;
        off();
        resolve([Number(match[1]), Number(match[2])]);
      });
    });
    // given a job whose command started a child of its own, both running for a minute
    const script = "const c = require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' }); console.log('pids ' + process.pid + ' ' + c.pid); setTimeout(() => {}, 60000)";
    await startRun(oneTask('', 'node', '-e', script), hub.dispatcher(), 'orphans1');
    const [job, grandchild] = await pids;
    expect(alive(job!) && alive(grandchild!)).toBe(true);
    // when its runner is SIGKILLed (no handler runs)
    a.kill('SIGKILL');
    // then neither survives (the runner's watchdog kills the group: SIGTERM, SIGKILL after 500 ms)
    await expect.poll(() => [job!, grandchild!].filter(alive), { timeout: 10_000, interval: 100 }).toEqual([]);
  }, 30_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie is dead but still listed until its parent reaps it.
  return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}
