/** Arming what a waiting element listens for: timers, messages, signals. */
import type { FlowNode, TimerSpec } from '../definition/model.js';
import type { SubscriptionSpec } from '../recordData.js';
import type { Stepper } from '../Stepper.js';
import { addDuration, durationMs, parseCycle, parseDateTime, parseDuration } from '../time/iso8601.js';

export type Armed = { ok: true; subs: SubscriptionSpec[] } | { ok: false; message: string; element: string };

/** Subscriptions for catching nodes (boundary events, event-gateway targets, event sub-process starts). */
export function armAll(s: Stepper, catchers: readonly FlowNode[], scope: string, owner: string): Armed {
  const subs: SubscriptionSpec[] = [];
  for (const node of catchers) {
    const armed = arm(s, node, scope, owner);
    if (!armed.ok) return armed;
    subs.push(...armed.subs);
  }
  return { ok: true, subs };
}

/** The subscription one catching node needs (none for error, escalation, link, none events). */
export function arm(s: Stepper, node: FlowNode, scope: string, owner: string): Armed {
  const event = node.type === 'receiveTask' && !node.event ? undefined : node.event;
  const base = { owner };
  if (!event) return { ok: true, subs: [] };
  switch (event.type) {
    case 'timer': {
      const due = timerDue(s, event.timer, scope);
      if (!due.ok) return { ok: false, message: `${node.id}: ${due.message}`, element: node.id };
      const sub: SubscriptionSpec = { id: s.ctx.newId(), kind: 'timer', node: node.id, dueAt: due.dueAt, ...base };
      if (due.repeat) sub.repeat = due.repeat;
      s.effect({ type: 'timer.schedule', timerId: sub.id, dueAt: due.dueAt, instance: owner, node: node.id });
      return { ok: true, subs: [sub] };
    }
    case 'message': {
      let key: string | undefined;
      if (event.correlationKey) {
        const outcome = s.feel(event.correlationKey, scope);
        if (!outcome.ok) return { ok: false, message: `${node.id}: correlation key: ${outcome.message}`, element: node.id };
        key = outcome.value === null ? undefined : String(outcome.value);
      }
      const sub: SubscriptionSpec = { id: s.ctx.newId(), kind: 'message', node: node.id, name: event.messageName, ...base };
      if (key !== undefined) sub.key = key;
      return { ok: true, subs: [sub] };
    }
    case 'signal':
      return { ok: true, subs: [{ id: s.ctx.newId(), kind: 'signal', node: node.id, name: event.signalName, ...base }] };
    default:
      return { ok: true, subs: [] };
  }
}

type Due =
  | { ok: true; dueAt: number; repeat?: { remaining: number | null; intervalMs: number } }
  | { ok: false; message: string };

/** When a timer falls due, from its ISO 8601 literal or FEEL value, on the step's clock. */
export function timerDue(s: Stepper, timer: TimerSpec, scope: string): Due {
  let text: string;
  if ('literal' in timer.value) text = timer.value.literal.trim();
  else {
    const outcome = s.feel(timer.value.expr, scope);
    if (!outcome.ok) return outcome;
    text = String(outcome.value);
  }
  const now = s.at;
  if (timer.kind === 'duration') {
    const duration = parseDuration(text);
    return duration ? { ok: true, dueAt: addDuration(now, duration) } : { ok: false, message: `timer duration "${text}" is not ISO 8601` };
  }
  if (timer.kind === 'date') {
    const at = parseDateTime(text);
    return at === null ? { ok: false, message: `timer date "${text}" is not ISO 8601` } : { ok: true, dueAt: at };
  }
  const cycle = parseCycle(text);
  if (!cycle) return { ok: false, message: `timer cycle "${text}" is not ISO 8601 (R[n]/[start/]duration)` };
  const intervalMs = durationMs(cycle.interval) ?? Math.max(0, addDuration(now, cycle.interval) - now);
  const dueAt = cycle.start !== undefined ? Math.max(cycle.start, now) : addDuration(now, cycle.interval);
  const remaining = cycle.repetitions === null ? null : cycle.repetitions - 1;
  return { ok: true, dueAt, repeat: { remaining, intervalMs } };
}
