import { describe, expect, it } from 'vitest';
import { JobErrorCode, JobLimits, decode, encode, runnerMessage, clientMessage } from './jobs.js';

describe('protocol/jobs', () => {
  it('round-trips a runner completion', () => {
    const frame = encode({ type: 'job.completed', key: 'r:i:1', leaseId: 'L1', result: { exitCode: 0 } });
    expect(decode(runnerMessage, frame)).toEqual({ ok: true, message: JSON.parse(frame) });
  });

  it('refuses bad JSON, unknown types and missing fields with a typed code', () => {
    expect(decode(runnerMessage, '{')).toMatchObject({ ok: false, code: JobErrorCode.badMessage });
    expect(decode(runnerMessage, '{"type":"nope"}')).toMatchObject({ ok: false, code: JobErrorCode.badMessage });
    const missing = decode(runnerMessage, '{"type":"job.failed","key":"k","leaseId":"L"}');
    expect(missing).toMatchObject({ ok: false, code: JobErrorCode.badMessage });
    expect(!missing.ok && missing.error).toContain('error');
  });

  it('refuses a frame over the size limit before parsing it', () => {
    const big = JSON.stringify({ type: 'heartbeat', pad: 'é'.repeat(JobLimits.messageBytes / 2 + 1) });
    expect(decode(runnerMessage, big)).toMatchObject({ ok: false, code: JobErrorCode.tooLarge });
  });

  it('refuses an output chunk over the chunk limit', () => {
    const chunk = 'x'.repeat(JobLimits.chunkChars + 1);
    expect(decode(runnerMessage, encode({ type: 'job.output', key: 'k', leaseId: 'L', stream: 'stdout', chunk })).ok).toBe(false);
  });

  it('validates a submitted command job', () => {
    const job = {
      key: 'run1:inst1:1', runId: 'run1', instance: 'inst1', node: 'Task_1', attempt: 1, variables: {},
      payload: { kind: 'command', command: { args: ['echo', 'hi'], env: {}, retries: 1 } }
    };
    expect(decode(clientMessage, JSON.stringify({ type: 'job.submit', job })).ok).toBe(true);
    const noArgs = { ...job, payload: { kind: 'command', command: { args: [], env: {}, retries: 1 } } };
    expect(decode(clientMessage, JSON.stringify({ type: 'job.submit', job: noArgs })).ok).toBe(false);
  });
});
