/** Turning a task's job spec into a payload: FEEL arguments evaluated, durations in ms. */
import type { FlowNode, Value } from '../definition/model.js';
import type { JobPayload } from '../effects.js';
import type { Stepper } from '../Stepper.js';
import { durationMs, parseDuration } from '../time/iso8601.js';

/** The payload for the node's job, or a message saying which part could not be resolved. */
export function resolveJob(s: Stepper, node: FlowNode, scope: string, extra: Record<string, unknown>): JobPayload | string {
  const job = node.job;
  if (!job) return `job: ${node.id} has no job definition`;
  const errors: string[] = [];
  const text = (value: Value, what: string): string => {
    if ('literal' in value) return value.literal;
    const outcome = s.feel(value.expr, scope, extra);
    if (!outcome.ok) {
      errors.push(`${what}: ${outcome.message}`);
      return '';
    }
    return typeof outcome.value === 'string' ? outcome.value : JSON.stringify(outcome.value);
  };
  let payload: JobPayload;
  if (job.kind === 'command') {
    const { args, env, timeout, ...rest } = job.command;
    const timeoutMs = timeout ? msOf(timeout) : undefined;
    payload = {
      kind: 'command',
      command: {
        ...rest,
        ...(timeout ? { timeout } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        args: args.map((arg, i) => text(arg, `argument ${i}`)),
        env: Object.fromEntries(env.map((e) => [e.name, text(e.value, `env ${e.name}`)]))
      }
    };
  } else if (job.kind === 'http') {
    const { url, headers, body, ...rest } = job.http;
    let parsedBody: unknown;
    if (body) {
      if ('literal' in body) parsedBody = body.literal;
      else {
        const outcome = s.feel(body.expr, scope, extra);
        if (outcome.ok) parsedBody = outcome.value;
        else errors.push(`body: ${outcome.message}`);
      }
    }
    payload = {
      kind: 'http',
      http: {
        ...rest,
        url: text(url, 'url'),
        headers: Object.fromEntries(headers.map((h) => [h.name, text(h.value, `header ${h.name}`)])),
        ...(parsedBody !== undefined ? { body: parsedBody } : {})
      }
    };
  } else {
    payload = { kind: 'type', type: text(job.type, 'job type'), headers: { ...job.headers } };
  }
  return errors.length > 0 ? `job: ${errors.join('; ')}` : payload;
}

function msOf(iso: string): number | undefined {
  const duration = parseDuration(iso);
  return duration ? (durationMs(duration) ?? undefined) : undefined;
}
