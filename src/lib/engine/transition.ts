/**
 * The pure transition: `start` opens a run, `step` applies one event. Both return the records to
 * commit and the effects to perform after the commit; neither performs anything.
 */
import type { StepResult } from './api.js';
import type { ProcessModel } from './definition/model.js';
import type { EngineContext, EngineEvent, StartCommand } from './events.js';
import { deliverEvent, deliverSignal } from './delivery.js';
import { enterActivity } from './elements/activity.js';
import { enterBoundaryEvent, enterEndEvent, enterIntermediateCatchEvent, enterIntermediateThrowEvent, enterStartEvent } from './elements/events.js';
import { enterEventBasedGateway, enterExclusiveGateway, enterInclusiveGateway, enterParallelGateway, settleInclusiveJoins } from './elements/gateways.js';
import { eventSubProcessSubscriptions } from './elements/scopes.js';
import { scopeCompleted } from './elements/scopeCompleted.js';
import { draftOf } from './reduce.js';
import type { RunState } from './state.js';
import { EngineError, Stepper, type Behaviors } from './Stepper.js';

/** Element behaviours by type and the step's settling hooks. */
export const behaviors: Behaviors = {
  enter: {
    startEvent: enterStartEvent,
    endEvent: enterEndEvent,
    intermediateCatchEvent: enterIntermediateCatchEvent,
    intermediateThrowEvent: enterIntermediateThrowEvent,
    boundaryEvent: enterBoundaryEvent,
    task: enterActivity,
    manualTask: enterActivity,
    serviceTask: enterActivity,
    sendTask: enterActivity,
    receiveTask: enterActivity,
    scriptTask: enterActivity,
    userTask: enterActivity,
    businessRuleTask: enterActivity,
    subProcess: enterActivity,
    callActivity: enterActivity,
    exclusiveGateway: enterExclusiveGateway,
    parallelGateway: enterParallelGateway,
    inclusiveGateway: enterInclusiveGateway,
    eventBasedGateway: enterEventBasedGateway
  },
  scopeCompleted,
  deliverSignal,
  settle: settleInclusiveJoins
};

/** Opens a run: the run record (pinned to the model's XML hash), then a token on the start event. */
export function start(model: ProcessModel, cmd: StartCommand, ctx: EngineContext): StepResult<RunState> {
  const processId = cmd.processId ?? model.mainProcess;
  const process = model.processes[processId];
  if (!process) throw new EngineError('bad-start', `no executable process "${processId}" in the model`);
  const startId = cmd.startEvent ?? pickStart(model, processId);
  const startNode = process.nodes[startId];
  if (!startNode || startNode.type !== 'startEvent' || startNode.scope !== processId) {
    throw new EngineError('bad-start', `"${startId}" is not a start event of process ${processId}`);
  }
  const owner = cmd.owner ?? 'engine';
  const now = ctx.now();
  const root = ctx.newId();
  const variables = { ...(cmd.variables ?? {}) };
  const state: RunState = {
    v: 1,
    runId: cmd.runId,
    processId,
    xmlSha256: model.xmlSha256,
    owner,
    startedAt: now,
    status: 'running',
    seq: 0,
    head: '',
    root,
    scopes: { [root]: { parent: null, vars: variables } },
    tokens: {},
    waits: {},
    subs: {},
    incidents: {}
  };
  const s = new Stepper(model, state, { now: () => now, newId: () => ctx.newId() }, owner, behaviors);
  const armed = eventSubProcessSubscriptions(s, processId, root);
  if (!armed.ok) throw new EngineError('bad-start', armed.message);
  const runRecord = s.emit({
    kind: 'run',
    status: 'started',
    node: processId,
    instance: root,
    data: {
      processId,
      xmlSha256: model.xmlSha256,
      variables,
      ...(cmd.startEvent ? { startEvent: cmd.startEvent } : {}),
      ...(armed.subs.length > 0 ? { subs: armed.subs } : {})
    }
  });
  s.push({ token: ctx.newId(), node: startId, previous: runRecord.id, scope: root });
  s.drain();
  return { state: s.state, records: s.records, effects: s.effects };
}

/** Applies one event to a run. Throws EngineError (and writes nothing) when it does not apply. */
export function step(model: ProcessModel, state: RunState, event: EngineEvent, ctx: EngineContext): StepResult<RunState> {
  if (state.status !== 'running') throw new EngineError('not-running', `run ${state.runId} is ${state.status}`);
  const owner = ('owner' in event && event.owner) || 'engine';
  const now = ctx.now();
  const s = new Stepper(model, draftOf(state), { now: () => now, newId: () => ctx.newId() }, owner, behaviors);
  deliverEvent(s, event);
  s.drain();
  return { state: s.state, records: s.records, effects: s.effects };
}

function pickStart(model: ProcessModel, processId: string): string {
  const scope = model.processes[processId]!.scopes[processId];
  const none = scope?.startEvents[0];
  if (none) return none;
  const any = (scope?.nodes ?? []).filter((id) => model.processes[processId]!.nodes[id]?.type === 'startEvent');
  if (any.length === 1) return any[0]!;
  throw new EngineError('bad-start', `process ${processId} has no none start event; name the start event to use`);
}
