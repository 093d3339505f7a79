import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { JobSpec } from '../../src/lib/protocol/jobs.js';
import { SimulatedClock } from '../../src/lib/runtime/SimulatedClock.js';
import { createRelay, type Relay } from '../createRelay.js';
import { signToken } from '../sync/tokens.js';
import { attachJobs } from './attachJobs.js';
import { JobHub } from './JobHub.js';

const secret = 'attach-jobs-secret';
const job = (runId: string): JobSpec => ({
  key: `${runId}:i:1`, runId, instance: 'i', node: 'T', attempt: 1, variables: {},
  payload: { kind: 'command', command: { args: ['true'], env: {}, retries: 1 } }
});

describe('sync-server/jobs/attachJobs (over 127.0.0.1)', () => {
  let relay: Relay;
  let base: string;
  beforeAll(async () => {
    relay = createRelay({ host: '127.0.0.1', port: 0, staticDir: tmpdir() });
    attachJobs(relay, new JobHub({ clock: new SimulatedClock(0) }), { secret });
    base = (await relay.listen()).url.replace(/^http/, 'ws');
  });
  afterAll(() => relay.close());

  const token = (role: 'view' | 'run' | 'runner', room = 'run:*') => signToken(secret, { sub: 't', room, role, ttlSeconds: 60 });
  const open = (path: string, bearer?: string) =>
    new Promise<{ ws?: WebSocket; status?: number }>((resolve) => {
      const ws = new WebSocket(`${base}${path}`, bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {});
      ws.on('open', () => resolve({ ws }));
      ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
      ws.on('error', () => {});
    });

  it('refuses a missing or bad token with 401 and a wrong role with 403, before upgrading', async () => {
    expect(await open('/jobs/runner')).toEqual({ status: 401 });
    expect(await open('/jobs/runner', 'not-a-jwt')).toEqual({ status: 401 });
    expect(await open('/jobs/runner', await token('run'))).toEqual({ status: 403 });
    expect(await open('/jobs', await token('view'))).toEqual({ status: 403 });
    expect(await open('/jobs/elsewhere', await token('runner'))).toEqual({ status: 404 });
  });

  it('a client may submit jobs only for runs its grant covers; a runner token opens /jobs/runner', async () => {
    const { ws } = await open('/jobs', await token('run', 'run:mine*'));
    const replies: { type: string; code?: string; key?: string }[] = [];
    ws!.on('message', (data) => replies.push(JSON.parse(String(data)) as { type: string }));
    ws!.send(JSON.stringify({ type: 'job.submit', job: job('theirs') }));
    ws!.send(JSON.stringify({ type: 'job.submit', job: job('mine-1') }));
    ws!.send('not json');
    await expect.poll(() => replies.length).toBe(3);
    expect(replies).toEqual([
      { type: 'error', code: 'forbidden', key: 'theirs:i:1', message: 'this token does not cover run theirs' },
      { type: 'job.accepted', key: 'mine-1:i:1' },
      { type: 'error', code: 'bad-message', message: 'not JSON' }
    ]);
    ws!.close();
    const runner = await open('/jobs/runner', await token('runner'));
    expect(runner.ws).toBeDefined();
    runner.ws!.close();
  });
});
