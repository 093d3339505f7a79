/** How a process can start: what a host needs to deploy timer and message start events. */
import type { ProcessModel } from './definition/model.js';
import { timerDue } from './elements/subscriptions.js';
import { draftOf } from './reduce.js';
import type { RunState } from './state.js';
import { Stepper } from './Stepper.js';
import { behaviors } from './transition.js';

export type StartTrigger =
  | { kind: 'none'; startEvent: string }
  | { kind: 'message'; startEvent: string; messageName: string }
  | { kind: 'signal'; startEvent: string; signalName: string }
  /** `dueAt`: the next firing after `now`; `repeat` for cycles (null = forever). */
  | { kind: 'timer'; startEvent: string; dueAt: number; repeat?: { remaining: number | null; intervalMs: number } }
  | { kind: 'invalid'; startEvent: string; message: string };

/** The start events of a process and when or by what each one fires. */
export function startTriggers(model: ProcessModel, processId: string, now: number): StartTrigger[] {
  const process = model.processes[processId];
  if (!process) return [];
  const empty: RunState = draftOf({
    v: 1, runId: '', processId, xmlSha256: model.xmlSha256, owner: '', startedAt: now, status: 'running', seq: 0, head: '',
    root: '', scopes: { '': { parent: null, vars: {} } }, tokens: {}, waits: {}, subs: {}, incidents: {}
  });
  const s = new Stepper(model, empty, { now: () => now, newId: () => '' }, '', behaviors);
  const triggers: StartTrigger[] = [];
  for (const id of process.scopes[processId]?.nodes ?? []) {
    const node = process.nodes[id];
    if (node?.type !== 'startEvent') continue;
    const event = node.event ?? { type: 'none' as const };
    if (event.type === 'timer') {
      const due = timerDue(s, event.timer, '');
      triggers.push(due.ok ? { kind: 'timer', startEvent: id, dueAt: due.dueAt, ...(due.repeat ? { repeat: due.repeat } : {}) } : { kind: 'invalid', startEvent: id, message: due.message });
    } else if (event.type === 'message') triggers.push({ kind: 'message', startEvent: id, messageName: event.messageName });
    else if (event.type === 'signal') triggers.push({ kind: 'signal', startEvent: id, signalName: event.signalName });
    else triggers.push({ kind: 'none', startEvent: id });
  }
  return triggers;
}
