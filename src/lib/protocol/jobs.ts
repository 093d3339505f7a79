/**
 * The job channel's wire protocol (`/jobs` on the relay): runners lease and run jobs; clients
 * (the executing browser tab, or the CLI) submit jobs and receive outcomes and live output.
 * Every message is one JSON text frame, validated here with zod, size-limited before parsing.
 * The wire format is written down in docs/jobs-protocol.md.
 */
import { z } from 'zod';

export const JOB_PROTOCOL_VERSION = 1;

export const JobLimits = {
  /** One frame, whole (a job's variables travel in `job.leased` and `job.submit`). */
  messageBytes: 4 * 1024 * 1024,
  /** One live output chunk. */
  chunkChars: 64 * 1024,
  keyChars: 512,
  idChars: 128,
  allowEntries: 256,
  concurrency: 256,
  /** Open (queued + leased) jobs in one relay: beyond this a submit is refused. */
  openJobs: 100_000
} as const;

/** Typed error codes in `error` and `job.refused` messages. */
export const JobErrorCode = {
  badMessage: 'bad-message',
  tooLarge: 'too-large',
  unsupportedVersion: 'unsupported-version',
  forbidden: 'forbidden',
  staleLease: 'stale-lease',
  alreadyCompleted: 'already-completed',
  unknownJob: 'unknown-job',
  queueFull: 'queue-full'
} as const;
export type JobErrorCode = (typeof JobErrorCode)[keyof typeof JobErrorCode];

const key = z.string().min(1).max(JobLimits.keyChars);
const id = z.string().min(1).max(JobLimits.idChars);
const variables = z.record(z.string(), z.unknown());
const errorInfo = z.object({ message: z.string().max(16 * 1024), code: z.string().max(256).optional() });
const stream = z.enum(['stdout', 'stderr']);

/** What a job asks for; mirrors the engine's `JobPayload` (checked structurally by the queue). */
const payload = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('command'),
    command: z.object({
      args: z.array(z.string()).min(1).max(4096),
      env: z.record(z.string(), z.string()),
      cwd: z.string().optional(),
      timeout: z.string().optional(),
      timeoutMs: z.number().optional(),
      retries: z.number(),
      retryBackoff: z.string().optional(),
      resultVariable: z.string().optional()
    })
  }),
  z.object({
    kind: z.literal('http'),
    http: z.object({
      method: z.string(),
      url: z.string(),
      headers: z.record(z.string(), z.string()),
      body: z.unknown().optional(),
      timeout: z.string().optional(),
      resultVariable: z.string().optional()
    })
  }),
  z.object({ kind: z.literal('type'), type: z.string(), headers: z.record(z.string(), z.string()) }),
  z.object({ kind: z.literal('script'), language: z.literal('javascript'), source: z.string() })
]);

/** A task type a runner offers, with the fields the modeler's properties panel shows for it. */
export const taskTypeInfo = z.object({
  name: z.string().min(1).max(128),
  description: z.string().max(2048).optional(),
  fields: z
    .array(
      z.object({
        name: z.string().min(1).max(128),
        label: z.string().max(256),
        type: z.enum(['string', 'number', 'boolean', 'json']),
        required: z.boolean().optional(),
        description: z.string().max(2048).optional()
      })
    )
    .max(64)
});
export type TaskTypeInfo = z.infer<typeof taskTypeInfo>;

/** A job as submitted by a client and leased to a runner. */
export const jobSpec = z.object({
  key,
  runId: id,
  instance: id,
  node: z.string().max(JobLimits.idChars * 2),
  attempt: z.number().int().min(1),
  payload,
  variables,
  timeoutMs: z.number().int().positive().optional()
});
export type JobSpec = z.infer<typeof jobSpec>;

/** How a job ended, as the engine will hear it. */
export const jobResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('completed'), result: z.unknown().optional(), variables: variables.optional(), runner: id.optional() }),
  z.object({ status: z.literal('failed'), error: errorInfo, runner: id.optional() })
]);
export type JobResult = z.infer<typeof jobResult>;

// runner → relay
export const runnerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    version: z.number().int(),
    runnerId: id,
    allow: z.array(z.string().max(1024)).max(JobLimits.allowEntries),
    concurrency: z.number().int().min(1).max(JobLimits.concurrency),
    /** What it can run (optional: older runners leave it out); listed by GET /api/task-types. */
    taskTypes: z.array(taskTypeInfo).max(256).optional()
  }),
  /** Asks for up to `count` more jobs (the runner's free slots). */
  z.object({ type: z.literal('lease.request'), count: z.number().int().min(1).max(JobLimits.concurrency) }),
  z.object({ type: z.literal('job.started'), key, leaseId: id }),
  z.object({ type: z.literal('job.output'), key, leaseId: id, stream, chunk: z.string().max(JobLimits.chunkChars) }),
  z.object({ type: z.literal('job.completed'), key, leaseId: id, result: z.unknown().optional(), variables: variables.optional() }),
  z.object({ type: z.literal('job.failed'), key, leaseId: id, error: errorInfo }),
  /** Extends the leases of every job this runner holds. */
  z.object({ type: z.literal('heartbeat') })
]);
export type RunnerMessage = z.infer<typeof runnerMessage>;

// relay → runner
export const relayToRunnerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome'), version: z.number().int(), leaseMs: z.number().int().positive() }),
  z.object({ type: z.literal('job.leased'), key, leaseId: id, job: jobSpec, deadline: z.number() }),
  z.object({ type: z.literal('job.cancel'), key }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string(), key: key.optional() })
]);
export type RelayToRunnerMessage = z.infer<typeof relayToRunnerMessage>;

// client (dispatcher) → relay
export const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job.submit'), job: jobSpec }),
  z.object({ type: z.literal('job.cancel'), key }),
  /** Live output for these runs (as a watcher); the submitter of a job gets its output anyway. */
  z.object({ type: z.literal('output.watch'), runIds: z.array(id).max(1024) })
]);
export type ClientMessage = z.infer<typeof clientMessage>;

// relay → client
export const relayToClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job.accepted'), key }),
  z.object({ type: z.literal('job.outcome'), key, runId: id, outcome: jobResult }),
  /** `instance`/`node` (optional: older relays leave them out) say which task printed it. */
  z.object({
    type: z.literal('job.output'),
    key,
    runId: id,
    instance: id.optional(),
    node: z.string().max(JobLimits.idChars * 2).optional(),
    stream,
    chunk: z.string().max(JobLimits.chunkChars)
  }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string(), key: key.optional() })
]);
export type RelayToClientMessage = z.infer<typeof relayToClientMessage>;

export type Decoded<T> = { ok: true; message: T } | { ok: false; code: JobErrorCode; error: string };

/** Size-checks, parses and validates one frame; never throws. */
export function decode<T>(schema: z.ZodType<T>, frame: string | Uint8Array): Decoded<T> {
  const bytes = typeof frame === 'string' ? byteLength(frame) : frame.byteLength;
  if (bytes > JobLimits.messageBytes) {
    return { ok: false, code: JobErrorCode.tooLarge, error: `message of ${bytes} bytes exceeds ${JobLimits.messageBytes}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof frame === 'string' ? frame : new TextDecoder().decode(frame));
  } catch {
    return { ok: false, code: JobErrorCode.badMessage, error: 'not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, code: JobErrorCode.badMessage, error: `${issue?.message ?? 'invalid message'}${where}` };
  }
  return { ok: true, message: parsed.data };
}

export function encode(message: RunnerMessage | RelayToRunnerMessage | ClientMessage | RelayToClientMessage): string {
  return JSON.stringify(message);
}

/** UTF-8 length without allocating (strings here can be megabytes). */
function byteLength(text: string): number {
  if (text.length * 3 <= JobLimits.messageBytes) return text.length; // cannot exceed: skip the count
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return bytes;
}
