import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSpec } from '../../protocol/jobs.js';
import { TaskTypeRegistry, commandTaskType, httpTaskType, runTask, scriptTaskType } from './index.js';

const ctx = () => ({ signal: new AbortController().signal, output: () => {} });
const base = { key: 'r:i:1', runId: 'r', instance: 'i', node: 'T', attempt: 1, variables: { n: 2 } };

describe('runtime/taskTypes', () => {
  let server: Server;
  let host: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2000);
        if (req.url === '/fail') return void res.writeHead(503).end('{"error":"down"}');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, got: body ? JSON.parse(body) : null }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const httpJob = (path: string, body?: unknown): JobSpec => ({
    ...base, payload: { kind: 'http', http: { method: 'POST', url: `http://${host}${path}`, headers: {}, ...(body ? { body } : {}) } }
  });

  it('http: JSON in and out with an allow-listed host', async () => {
    const registry = new TaskTypeRegistry([httpTaskType({ allowHosts: [host] })]);
    expect(await runTask(registry, httpJob('/echo', { a: 1 }), ctx())).toEqual({
      status: 'completed', result: { status: 200, body: { method: 'POST', got: { a: 1 } } }
    });
  });

  it('http: a host outside the allow-list is refused without a request', async () => {
    const registry = new TaskTypeRegistry([httpTaskType({ allowHosts: ['example.invalid'] })]);
    const result = await runTask(registry, httpJob('/echo'), ctx());
    expect(result).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('not in the HTTP allow-list') } });
  });

  it('http: status ≥ 400 fails with the status as error code; the timeout holds', async () => {
    const registry = new TaskTypeRegistry([httpTaskType({ allowHosts: [host], defaultTimeoutMs: 200 })]);
    expect(await runTask(registry, httpJob('/fail'), ctx())).toMatchObject({ status: 'failed', error: { code: '503' } });
    const started = Date.now();
    expect(await runTask(registry, httpJob('/slow'), ctx())).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('timed out') } });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('an unknown job type fails with a message naming it and the registered types', async () => {
    const registry = new TaskTypeRegistry([commandTaskType({ allow: [] })]);
    const result = await runTask(registry, { ...base, payload: { kind: 'type', type: 'billing', headers: {} } }, ctx());
    expect(result).toEqual({ status: 'failed', error: { message: 'no task type "billing" is registered on this runner (registered: command)' } });
  });

  it('a registered job type gets the job; its throw becomes a failure', async () => {
    const registry = new TaskTypeRegistry().register({
      name: 'double', fields: [{ name: 'n', label: 'N', type: 'number' }],
      async run(job) {
        if (typeof job.variables.n !== 'number') throw new Error('n missing');
        return { status: 'completed', variables: { doubled: job.variables.n * 2 } };
      }
    });
    expect(await runTask(registry, { ...base, payload: { kind: 'type', type: 'double', headers: {} } }, ctx())).toEqual({ status: 'completed', variables: { doubled: 4 } });
    const job = { ...base, variables: {}, payload: { kind: 'type' as const, type: 'double', headers: {} } };
    expect(await runTask(registry, job, ctx())).toMatchObject({ status: 'failed', error: { message: 'task type "double" failed: n missing' } });
    expect(registry.list()).toEqual([{ name: 'double', fields: [{ name: 'n', label: 'N', type: 'number' }] }]);
  });

  it('script and command built-ins', async () => {
    const registry = new TaskTypeRegistry([
      scriptTaskType(async (source, variables) => ({ ok: true, value: `${source}:${String(variables.n)}` })),
      commandTaskType({ allow: ['echo'] })
    ]);
    expect(await runTask(registry, { ...base, payload: { kind: 'script', language: 'javascript', source: 'x' } }, ctx())).toEqual({ status: 'completed', result: 'x:2' });
    const chunks: string[] = [];
    const echo = { ...base, payload: { kind: 'command' as const, command: { args: ['echo', 'hi $(id)'], env: {}, retries: 1 } } };
    const result = await runTask(registry, echo, { ...ctx(), output: (_s, c) => chunks.push(c) });
    expect(result).toEqual({ status: 'completed', result: { exitCode: 0, stdout: 'hi $(id)\n', stderr: '' } });
    expect(chunks.join('')).toBe('hi $(id)\n');
    const denied = { ...base, payload: { kind: 'command' as const, command: { args: ['rm', '-rf', '/'], env: {}, retries: 1 } } };
    expect(await runTask(registry, denied, ctx())).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/^command refused: .*rm/) } });
  });
});
