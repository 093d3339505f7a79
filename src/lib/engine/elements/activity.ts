/**
 * Activities: input mappings, loops, boundary subscriptions, then the work of each task type —
 * complete at once, evaluate FEEL, or wait for a job, a person or a message.
 */
import type { FlowNode, Value } from '../definition/model.js';
import type { Effect, JobPayload } from '../effects.js';
import type { TokenData } from '../recordData.js';
import type { Behavior, Move, Stepper } from '../Stepper.js';
import { completionWrites, evaluateInputs } from './mappings.js';
import { innerBody, miInnerCompleted, startMultiInstance } from './multiInstance.js';
import { resolveJob } from './jobs.js';
import { arm, armAll } from './subscriptions.js';
import { enterCallActivity, enterSubProcess } from './scopes.js';

/** Turns a standard loop may take when the model sets no loopMaximum. */
const LOOP_CAP = 10_000;

/** Entering any activity. */
export const enterActivity: Behavior = (s, move, node, instance) => {
  const body = innerBody(s, move, node);
  if (node.loop?.kind === 'multiInstance' && !body) {
    startMultiInstance(s, move, node, instance);
    return;
  }
  const scope = move.scope && !s.state.tokens[move.token] ? move.scope : s.scopeOf(move.token);
  const seed = (move.triggered?.local ?? {}) as Record<string, unknown>;
  if (move.triggered) move.triggered = { ...move.triggered, local: undefined };
  const resumed = s.state.waits[instance];
  let local: Record<string, unknown> | undefined;
  if (resumed) local = s.state.scopes[instance]?.vars;
  else if (node.io?.inputs.length || Object.keys(seed).length > 0) {
    const inputs = evaluateInputs(s, node.io?.inputs ?? [], scope, seed);
    if (!inputs.ok) {
      s.waitWithIncident(move, instance, `${node.id}: ${inputs.message}`, 'evaluate');
      return;
    }
    local = inputs.value;
  }
  if (!resumed && node.loop?.kind === 'standardLoop' && node.loop.testBefore && node.loop.loopCondition) {
    const go = s.condition(node.loop.loopCondition, scope);
    if (!go.ok) return s.waitWithIncident(move, instance, `${node.id}: loop condition: ${go.message}`, 'evaluate');
    if (go.value === false) return s.completeAndLeave(move, node, instance);
  }
  work(s, move, node, instance, scope, local);
};

/** The task-type specific part, once local variables exist. */
function work(s: Stepper, move: Move, node: FlowNode, instance: string, scope: string, local: Record<string, unknown> | undefined): void {
  const extra = local ?? {};
  switch (node.type) {
    case 'subProcess':
      return enterSubProcess(s, move, node, instance, local);
    case 'callActivity':
      return enterCallActivity(s, move, node, instance, local);
    case 'userTask':
      return waitFor(s, move, node, instance, scope, local, () => {
        s.effect(userTaskOpened(s, node, instance, scope, extra));
        return {};
      });
    case 'receiveTask': {
      if (!node.event || node.event.type !== 'message') {
        return s.waitWithIncident(move, instance, `${node.id}: receive task has no message`, 'evaluate');
      }
      return waitFor(s, move, node, instance, scope, local, () => {
        const armed = arm(s, node, scope, instance);
        return armed.ok ? { subs: armed.subs } : armed.message;
      });
    }
    default:
      break;
  }
  if (node.script?.language === 'feel') {
    const outcome = s.feel({ feel: node.script.source, origin: 'script' }, scope, extra);
    if (!outcome.ok) return s.waitWithIncident(move, instance, `${node.id}: ${outcome.message}`, 'evaluate');
    const result = node.script.resultVariable ? { [node.script.resultVariable]: outcome.value } : {};
    return finishActivity(s, move, node, instance, local, result);
  }
  if (node.script?.language === 'javascript' || node.job) {
    return waitFor(s, move, node, instance, scope, local, () => {
      const attempt = s.state.waits[instance]?.job?.attempt ?? 0;
      return dispatchJob(s, node, instance, scope, extra, attempt + 1, retriesOf(node) - 1);
    });
  }
  finishActivity(s, move, node, instance, local, undefined);
}

/** The effect that shows a user task to people: assignee and groups resolved, the form, the variables. */
export function userTaskOpened(s: Stepper, node: FlowNode, instance: string, scope: string, local: Record<string, unknown>): Effect {
  const spec = node.userTask;
  const text = (v: Value | undefined): string | undefined => {
    if (!v) return undefined;
    if ('literal' in v) return v.literal;
    const out = s.feel(v.expr, scope, local);
    return out.ok && out.value !== null ? String(out.value) : undefined;
  };
  const groups = text(spec?.candidateGroups);
  const assignee = text(spec?.assignee);
  return {
    type: 'userTask.open',
    instance,
    node: node.id,
    ...(node.name ? { name: node.name } : {}),
    ...(assignee ? { assignee } : {}),
    ...(groups ? { candidateGroups: groups.split(',').map((g) => g.trim()).filter(Boolean) } : {}),
    formFields: [...(spec?.formFields ?? [])],
    ...(spec?.formSchema ? { formSchema: spec.formSchema } : {}),
    variables: { ...s.vars(scope), ...local }
  };
}

/** Total attempts a job may take (Camunda's `retries`). */
export function retriesOf(node: FlowNode): number {
  const job = node.job;
  if (!job) return 1;
  const retries = job.kind === 'command' ? job.command.retries : job.kind === 'type' ? job.retries : 1;
  return Math.max(1, retries);
}

/** Resolves a job's payload and asks the host to run it; returns the record data or a failure. */
export function dispatchJob(s: Stepper, node: FlowNode, instance: string, scope: string, extra: Record<string, unknown>, attempt: number, retries: number): TokenData | string {
  const payload: JobPayload | string =
    node.script?.language === 'javascript'
      ? { kind: 'script', language: 'javascript', source: node.script.source }
      : resolveJob(s, node, scope, extra);
  if (typeof payload === 'string') return payload;
  const key = `${s.state.runId}:${instance}:${attempt}`;
  const timeoutMs = payload.kind === 'command' ? payload.command.timeoutMs : undefined;
  s.effect({
    type: 'job.dispatch',
    key,
    instance,
    node: node.id,
    attempt,
    payload,
    variables: { ...s.vars(scope), ...extra },
    ...(timeoutMs !== undefined ? { timeoutMs } : {})
  });
  return { job: { key, attempt, retries } };
}

/**
 * Puts the token in a waiting state with the element's boundary subscriptions; `prepare` adds
 * what the element itself waits for (or returns a message for an incident).
 */
export function waitFor(
  s: Stepper,
  move: Move,
  node: FlowNode,
  instance: string,
  scope: string,
  local: Record<string, unknown> | undefined,
  prepare: () => TokenData | string
): void {
  const resumed = s.state.waits[instance];
  // Boundary events of a multi-instance activity belong to its body, not to each inner instance.
  const boundaries = resumed || innerBody(s, move, node) ? { ok: true as const, subs: [] } : armAll(s, node.boundaryEvents.map((id) => s.node(id)), scope, instance);
  if (!boundaries.ok) return s.waitWithIncident(move, instance, boundaries.message, 'evaluate');
  const prepared = prepare();
  if (typeof prepared === 'string') {
    if (!resumed) s.tokenRecord(move, instance, 'waiting', { ...(local ? { local } : {}), subs: boundaries.subs });
    s.openIncident(instance, `${node.id}: ${prepared}`, prepared.startsWith('job') ? 'job' : 'evaluate', node.id);
    return;
  }
  const subs = [...boundaries.subs, ...(prepared.subs ?? [])];
  const data: TokenData = {
    ...prepared,
    ...(local && !resumed ? { local } : {}),
    ...(subs.length > 0 ? { subs } : {}),
    ...(move.loopTurn && !resumed ? { loopTurn: move.loopTurn } : {})
  };
  if (!resumed) move.instance = instance;
  s.tokenRecord(move, instance, 'waiting', data);
}

/** An activity's work is done: outputs, loops and multi-instance bookkeeping, then onwards. */
export function finishActivity(
  s: Stepper,
  move: Move,
  node: FlowNode,
  instance: string,
  local: Record<string, unknown> | undefined,
  result: Record<string, unknown> | undefined,
  extraData?: TokenData
): void {
  if (innerBody(s, move, node)) {
    miInnerCompleted(s, move, node, instance, local, result, extraData);
    return;
  }
  const parent = s.state.tokens[move.token]?.scope ?? move.scope ?? s.state.root;
  const writes = completionWrites(s, node.io?.outputs, parent, local, result);
  if (!writes.ok) {
    s.waitWithIncident(move, instance, `${node.id}: ${writes.message}`, 'finish', node.id, result ?? {});
    return;
  }
  const data: TokenData = { ...(extraData ?? {}), ...(Object.keys(writes.value).length > 0 ? { vars: writes.value } : {}) };
  if (node.loop?.kind === 'standardLoop' && node.loop.loopCondition) {
    const turn = (s.state.waits[instance]?.loopTurn ?? move.loopTurn ?? 0) + 1;
    const max = node.loop.loopMaximum ?? LOOP_CAP;
    // Do-while: the condition reads the variables this turn wrote.
    const again = s.feel(node.loop.loopCondition, parent, flatten(writes.value));
    if (!again.ok || typeof again.value !== 'boolean') {
      const why = again.ok ? `gave ${JSON.stringify(again.value)}, expected true or false` : again.message;
      s.waitWithIncident(move, instance, `${node.id}: loop condition ${why}`, 'finish', node.id, result ?? {});
      return;
    }
    if (again.value && turn < max) {
      s.tokenRecord(move, instance, 'completed', data);
      s.push({ token: move.token, node: node.id, previous: move.previous, loopTurn: turn });
      return;
    }
  }
  s.completeAndLeave(move, node, instance, data);
}

function flatten(writes: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const w of Object.values(writes)) Object.assign(out, w);
  return out;
}
