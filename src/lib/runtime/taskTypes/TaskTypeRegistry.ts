/**
 * Task types: what a job does. Built-ins `command`, `http` and `script` serve the engine's job
 * payload kinds; any other name serves `zeebe:taskDefinition type="NAME"` jobs. Add one as a
 * module exporting a TaskType and register it on the runner (relay side) or in the browser host:
 *
 *   registry.register({ name: 'slack.post', fields: [{ name: 'channel', label: 'Channel', type: 'string' }],
 *     async run(job, ctx) { …; return { status: 'completed', result } } });
 */
import type { JobResult, JobSpec } from '../../protocol/jobs.js';

/** A field the modeler's properties panel offers for the type (stored as a task header). */
export interface TaskField {
  name: string;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'json';
  required?: boolean;
  description?: string;
}

export interface TaskContext {
  /** Aborted when the job is cancelled: stop at once. */
  signal: AbortSignal;
  /** Live output for people watching the run (the final result carries the recorded output). */
  output(stream: 'stdout' | 'stderr', chunk: string): void;
}

export interface TaskType {
  name: string;
  description?: string;
  fields: readonly TaskField[];
  /** Never throws on purpose; a throw becomes a failed job with the error's message. */
  run(job: JobSpec, ctx: TaskContext): Promise<JobResult>;
}

export class TaskTypeRegistry {
  readonly #types = new Map<string, TaskType>();

  constructor(types: readonly TaskType[] = []) {
    for (const type of types) this.register(type);
  }

  register(type: TaskType): this {
    if (!/^[A-Za-z][\w.:-]{0,127}$/.test(type.name)) throw new Error(`bad task type name "${type.name}"`);
    if (this.#types.has(type.name)) throw new Error(`task type "${type.name}" is already registered`);
    this.#types.set(type.name, type);
    return this;
  }

  get(name: string): TaskType | undefined {
    return this.#types.get(name);
  }

  /** Registered types with their fields, for the properties panel. */
  list(): { name: string; description?: string; fields: readonly TaskField[] }[] {
    return [...this.#types.values()].map(({ name, description, fields }) => ({ name, fields, ...(description ? { description } : {}) }));
  }
}

/** Runs a job with the type its payload names; an unknown type fails with a message that says so. */
export async function runTask(registry: TaskTypeRegistry, job: JobSpec, ctx: TaskContext): Promise<JobResult> {
  const name = job.payload.kind === 'type' ? job.payload.type : job.payload.kind;
  const type = registry.get(name);
  if (!type) {
    const known = registry.list().map((t) => t.name).join(', ') || 'none';
    return { status: 'failed', error: { message: `no task type "${name}" is registered on this runner (registered: ${known})` } };
  }
  try {
    return await type.run(job, ctx);
  } catch (error) {
    return { status: 'failed', error: { message: `task type "${name}" failed: ${error instanceof Error ? error.message : String(error)}` } };
  }
}
