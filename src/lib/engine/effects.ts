/** Effects: commands the host performs after the step's records are committed. */
import type { CommandSpec, HttpSpec, FormField } from './definition/model.js';
import type { Variables } from './events.js';

export type JobPayload =
  | { kind: 'command'; command: ResolvedCommand }
  | { kind: 'http'; http: ResolvedHttp }
  | { kind: 'type'; type: string; headers: Record<string, string> }
  | { kind: 'script'; language: 'javascript'; source: string };

export interface ResolvedCommand extends Omit<CommandSpec, 'args' | 'env'> {
  /** argv: args[0] is the executable. */
  args: string[];
  /** `timeout` in milliseconds, when it is a fixed duration. */
  timeoutMs?: number;
  env: Record<string, string>;
}

export interface ResolvedHttp extends Omit<HttpSpec, 'url' | 'headers' | 'body'> {
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

export type Effect =
  | { type: 'timer.schedule'; timerId: string; dueAt: number; instance: string; node: string }
  | { type: 'timer.cancel'; timerId: string }
  /** Run a job; `key` = runId + element instance + attempt, stable across replays. */
  | {
      type: 'job.dispatch';
      key: string;
      instance: string;
      node: string;
      attempt: number;
      payload: JobPayload;
      /** Variables visible to the job (scripts and job types read these). */
      variables: Variables;
      timeoutMs?: number;
    }
  | { type: 'job.cancel'; key: string; instance: string }
  | {
      type: 'userTask.open';
      instance: string;
      node: string;
      name?: string;
      assignee?: string;
      candidateGroups?: string[];
      formFields: FormField[];
      formSchema?: string;
      variables: Variables;
    }
  | { type: 'userTask.close'; instance: string }
  /** A message thrown by this run (send task / message throw / end event), for the host to route. */
  | { type: 'message.publish'; name: string; correlationKey?: string; variables: Variables }
  /** A signal thrown by this run, for the host to broadcast to other runs. */
  | { type: 'signal.publish'; name: string; variables: Variables }
  | { type: 'run.finished'; status: 'completed' | 'failed' | 'cancelled' };

export type EffectType = Effect['type'];
