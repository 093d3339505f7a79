/**
 * Multi-instance activities (Zeebe semantics): a body instance owns the output collection; each
 * inner instance gets its input element, `loopCounter`, and the output element's variable as null
 * locally, so parallel instances never overwrite each other.
 */
import type { FlowNode, MultiInstanceSpec } from '../definition/model.js';
import type { TokenData } from '../recordData.js';
import type { Move, Stepper } from '../Stepper.js';
import { put, type Writes } from './mappings.js';
import { armAll } from './subscriptions.js';

/** The body instance when `move` runs an inner instance of `node`. */
export function innerBody(s: Stepper, move: Move, node: FlowNode): string | undefined {
  const live = s.state.tokens[move.token];
  const scope = live ? live.scope : move.scope;
  if (!scope) return undefined;
  const wait = s.state.waits[scope];
  return wait?.mi && wait.node === node.id ? scope : undefined;
}

/** Starts the body: evaluates the collection (or cardinality), then the first inner instance(s). */
export function startMultiInstance(s: Stepper, move: Move, node: FlowNode, body: string): void {
  const loop = node.loop as MultiInstanceSpec;
  const scope = s.state.tokens[move.token]?.scope ?? move.scope ?? s.state.root;
  let items: unknown[] | undefined;
  let total: number;
  if (loop.inputCollection) {
    const outcome = s.feel(loop.inputCollection, scope);
    if (!outcome.ok) return s.waitWithIncident(move, body, `${node.id}: input collection: ${outcome.message}`, 'evaluate');
    if (!Array.isArray(outcome.value)) {
      return s.waitWithIncident(move, body, `${node.id}: input collection \`${loop.inputCollection.feel}\` is ${JSON.stringify(outcome.value)}, not a list`, 'evaluate');
    }
    items = outcome.value;
    total = items.length;
  } else if (loop.loopCardinality) {
    const outcome = s.feel(loop.loopCardinality, scope);
    if (!outcome.ok || typeof outcome.value !== 'number' || !Number.isInteger(outcome.value) || outcome.value < 0) {
      const why = outcome.ok ? `is ${JSON.stringify(outcome.value)}, not a whole number` : outcome.message;
      return s.waitWithIncident(move, body, `${node.id}: loop cardinality ${why}`, 'evaluate');
    }
    total = outcome.value;
  } else {
    return s.waitWithIncident(move, body, `${node.id}: multi-instance needs an input collection or a loop cardinality`, 'evaluate');
  }
  if (total === 0) {
    const writes: Writes = {};
    if (loop.outputCollection) put(s, writes, scope, loop.outputCollection, []);
    return s.completeAndLeave(move, node, body, Object.keys(writes).length > 0 ? { vars: writes } : undefined);
  }
  const boundaries = armAll(s, node.boundaryEvents.map((id) => s.node(id)), scope, body);
  if (!boundaries.ok) return s.waitWithIncident(move, body, boundaries.message, 'evaluate');
  const first = loop.sequential ? 1 : total;
  const local = loop.outputCollection ? { [loop.outputCollection]: new Array<unknown>(total).fill(null) } : {};
  const data: TokenData = { local, mi: { total, ...(items ? { items } : {}), started: first, completed: 0 } };
  if (boundaries.subs.length > 0) data.subs = boundaries.subs;
  s.tokenRecord(move, body, 'waiting', data);
  for (let i = 0; i < first; i++) startInner(s, node, body, i, move.previous);
}

function startInner(s: Stepper, node: FlowNode, body: string, index: number, previous: string): void {
  const loop = node.loop as MultiInstanceSpec;
  const items = s.state.waits[body]?.mi?.items;
  const local: Record<string, unknown> = { loopCounter: index + 1 };
  if (loop.inputElement) local[loop.inputElement] = items ? (items[index] ?? null) : null;
  const output = loop.outputElement?.feel.trim();
  if (output && /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(output)) {
    const name = output.split('.')[0]!;
    if (!(name in local)) local[name] = null;
  }
  s.push({ token: s.ctx.newId(), node: node.id, previous, scope: body, triggered: { local } });
}

/** An inner instance finished: collect its output, check the completion condition, go on or complete. */
export function miInnerCompleted(
  s: Stepper,
  move: Move,
  node: FlowNode,
  instance: string,
  local: Record<string, unknown> | undefined,
  result: Record<string, unknown> | undefined,
  extraData?: TokenData
): void {
  const loop = node.loop as MultiInstanceSpec;
  const body = innerBody(s, move, node)!;
  const bodyWait = s.state.waits[body]!;
  const mi = bodyWait.mi!;
  const innerLocal = { ...(local ?? s.state.scopes[instance]?.vars ?? {}) };
  const writes: Writes = {};
  for (const [name, value] of Object.entries(result ?? {})) {
    if (Object.prototype.hasOwnProperty.call(innerLocal, name)) innerLocal[name] = value;
    else put(s, writes, body, name, value);
  }
  if (loop.outputCollection && loop.outputElement) {
    // The output element sees the instance's result even where it propagated outwards (not yet in state).
    const propagated: Record<string, unknown> = {};
    for (const w of Object.values(writes)) Object.assign(propagated, w);
    const outcome = s.feel(loop.outputElement, body, { ...propagated, ...innerLocal });
    if (!outcome.ok) {
      return s.waitWithIncident(move, instance, `${node.id}: output element: ${outcome.message}`, 'finish', node.id, result ?? {});
    }
    const index = Number(innerLocal['loopCounter'] ?? 1) - 1;
    const current = (writes[body]?.[loop.outputCollection] ?? s.state.scopes[body]?.vars[loop.outputCollection]) as unknown[] | undefined;
    const collection = Array.isArray(current) ? [...current] : new Array<unknown>(mi.total).fill(null);
    collection[index] = outcome.value;
    writes[body] = { ...(writes[body] ?? {}), [loop.outputCollection]: collection };
  }
  const completed = mi.completed + 1;
  const next = loop.sequential && completed < mi.total ? mi.started + 1 : mi.started;
  const data: TokenData = { ...(extraData ?? {}), miPatch: { body, completed, started: next }, end: true };
  if (Object.keys(writes).length > 0) data.vars = writes;
  s.tokenRecord(move, instance, 'completed', data);

  let done = completed >= mi.total;
  if (!done && loop.completionCondition) {
    const active = Object.values(s.state.tokens).filter((t) => t.scope === body).length;
    const outcome = s.feel(loop.completionCondition, body, {
      numberOfInstances: mi.total,
      numberOfCompletedInstances: completed,
      numberOfActiveInstances: active,
      nrOfInstances: mi.total,
      nrOfCompletedInstances: completed,
      nrOfActiveInstances: active
    });
    if (!outcome.ok || typeof outcome.value !== 'boolean') {
      const why = outcome.ok ? `gave ${JSON.stringify(outcome.value)}, expected true or false` : outcome.message;
      s.openIncident(body, `${node.id}: completion condition ${why}`, 'evaluate', node.id);
      return;
    }
    done = outcome.value;
  }
  if (!done) {
    if (next > mi.started) startInner(s, node, body, mi.started, move.previous);
    return;
  }
  s.cancelScope(body);
  completeBody(s, node, body);
}

function completeBody(s: Stepper, node: FlowNode, body: string): void {
  const loop = node.loop as MultiInstanceSpec;
  const wait = s.state.waits[body]!;
  const move: Move = { token: wait.token, node: node.id, previous: s.state.tokens[wait.token]?.last ?? '' };
  const writes: Writes = {};
  if (loop.outputCollection) {
    const value = s.state.scopes[body]?.vars[loop.outputCollection] ?? [];
    put(s, writes, wait.scope, loop.outputCollection, value);
  }
  s.completeAndLeave(move, node, body, Object.keys(writes).length > 0 ? { vars: writes } : undefined);
}
