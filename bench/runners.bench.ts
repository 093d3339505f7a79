/**
 * Runner benchmark: jobs/s for the trivial command `true` through the relay's job queue and
 * runners, beside spawning `true` directly at the same parallelism (the limit).
 *
 *   npm run bench:runners     (= node --import tsx bench/runners.bench.ts)
 *
 * "relay" = a real relay on 127.0.0.1 with its in-process runner pool (2 workers × 2 jobs,
 * each job through runCommand: allow-list, fresh work dir, process group, capped output); jobs
 * submitted by a client over the /jobs websocket, as a browser tab does. "direct" = spawn('true')
 * with 4 in flight. Latency is submit → the runner's job.started (just before spawn).
 * Last line of stdout: {"bench":"runners","jobs_per_s":…,"direct_fraction":…,"p95_ms":…}.
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { JobSpec } from '../src/lib/protocol/jobs.js';
import { createRelay } from '../sync-server/createRelay.js';
import { attachJobService } from '../sync-server/jobs/attachJobService.js';
import { runCommand } from '../src/lib/runtime/commands/runCommand.js';
import { signToken } from '../sync-server/sync/tokens.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 800);
const SLICES = 8;
const PARALLEL = 4;
const TARGET_FRACTION = 0.5;

/** `n` jobs, PARALLEL in flight; jobs/s. */
async function parallel(n: number, job: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next += 1;
      await job();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return n / ((performance.now() - started) / 1000);
}

const spawnTrue = () =>
  new Promise<void>((resolve, reject) => {
    const child = spawn('true', [], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });

/** The runners' executor alone: allow-list, work dir, own process group, captured output. */
const runTrue = async () => {
  const outcome = await runCommand({ args: ['true'], env: {}, retries: 1 }, { allow: ['true'] });
  if (outcome.status !== 'exited') throw new Error(JSON.stringify(outcome));
};

const direct = (n: number) => parallel(n, spawnTrue);

interface RelayBench {
  run(n: number): Promise<{ perSecond: number; latencies: number[] }>;
  close(): Promise<void>;
}

/** A relay on 127.0.0.1 with its default runner pool and one websocket client submitting jobs. */
async function startRelayBench(): Promise<RelayBench> {
  const secret = 'bench-secret';
  const relay = createRelay({ host: '127.0.0.1', port: 0, staticDir: tmpdir() });
  // The default pool: 2 workers × 2 jobs = PARALLEL in flight.
  const { hub } = attachJobService(relay, { secret, allow: ['true'], config: {} });
  const { url } = await relay.listen();
  const submittedAt = new Map<string, number>();
  let latencies: number[] = [];
  const check = hub.queue.check.bind(hub.queue);
  hub.queue.check = (key, leaseId) => {
    const at = submittedAt.get(key);
    if (at !== undefined) {
      latencies.push(performance.now() - at);
      submittedAt.delete(key);
    }
    return check(key, leaseId);
  };
  const token = await signToken(secret, { sub: 'bench', room: 'run:*', role: 'run', ttlSeconds: 600 });
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/jobs`, { headers: { authorization: `Bearer ${token}` } });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  let waiting: { left: number; resolve: () => void; reject: (e: Error) => void } | undefined;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; outcome?: { status: string } };
    if (message.type !== 'job.outcome' || !waiting) return;
    if (message.outcome?.status !== 'completed') waiting.reject(new Error(`job failed: ${JSON.stringify(message.outcome)}`));
    if (--waiting.left === 0) waiting.resolve();
  });
  let round = 0;
  return {
    async run(n) {
      round += 1;
      latencies = [];
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        waiting = { left: n, resolve, reject };
        for (let i = 0; i < n; i++) {
          const job: JobSpec = {
            key: `bench${round}:${i}:1`, runId: `bench${round}`, instance: String(i), node: 'T', attempt: 1, variables: {},
            payload: { kind: 'command', command: { args: ['true'], env: {}, retries: 1 } }
          };
          submittedAt.set(job.key, performance.now());
          ws.send(JSON.stringify({ type: 'job.submit', job }));
        }
      });
      return { perSecond: n / ((performance.now() - started) / 1000), latencies };
    },
    async close() {
      ws.close();
      await relay.close();
    }
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const median = (xs: number[]) => percentile(xs, 50);

const bench = await startRelayBench();
await direct(50); // warm-up
await bench.run(50);
// Alternating slices, so that a loaded machine's drift hits both sides alike; medians of slices.
const directRates: number[] = [];
const relayRates: number[] = [];
const executorRates: number[] = [];
const latencies: number[] = [];
for (let slice = 0; slice < SLICES; slice++) {
  directRates.push(await direct(JOBS / SLICES));
  executorRates.push(await parallel(JOBS / SLICES, runTrue));
  const relay = await bench.run(JOBS / SLICES);
  relayRates.push(relay.perSecond);
  latencies.push(...relay.latencies);
}
const jobsPerS = median(relayRates);
const directPerS = median(directRates);
const fraction = median(relayRates.map((rate, i) => rate / directRates[i]!));
const executorFraction = median(relayRates.map((rate, i) => rate / executorRates[i]!));
// Submitting a slice at once makes latency mostly queueing; measure it one job at a time too.
const single: number[] = [];
for (let i = 0; i < 40; i++) single.push(...(await bench.run(1)).latencies);
await bench.close();

const fmt = (x: number, digits = 1) => x.toFixed(digits);
console.log(`runners bench: ${JOBS} × \`true\` each side, ${PARALLEL} in flight, medians of ${SLICES} alternating slices`);
console.log(`  direct spawn:         ${fmt(directPerS, 0)} jobs/s (the limit)`);
console.log(`  runCommand, no relay:  ${fmt(median(executorRates), 0)} jobs/s (the runners' executor alone: pipes, process group, work dir)`);
console.log(`  relay queue+runners:  ${fmt(jobsPerS, 0)} jobs/s = ${fmt(fraction * 100)}% of direct (median of per-slice ratios) (target ≥ ${TARGET_FRACTION * 100}%: ${fraction >= TARGET_FRACTION ? 'met' : 'MISSED'})`);
console.log(`  relay ÷ runCommand alone: ${fmt(executorFraction * 100)}% (what the queue, leases and websocket cost)`);
console.log(`  submit → started, ${JOBS / SLICES} queued at once: p50 ${fmt(percentile(latencies, 50))} ms, p95 ${fmt(percentile(latencies, 95))} ms`);
console.log(`  submit → started, one job at a time:       p50 ${fmt(percentile(single, 50), 2)} ms, p95 ${fmt(percentile(single, 95), 2)} ms`);
console.log(JSON.stringify({ bench: 'runners', jobs_per_s: Math.round(jobsPerS), direct_fraction: Number(fraction.toFixed(3)), p95_ms: Number(percentile(single, 95).toFixed(2)), p95_queued_ms: Number(percentile(latencies, 95).toFixed(1)), executor_fraction: Number(executorFraction.toFixed(3)), direct_jobs_per_s: Math.round(directPerS) }));
