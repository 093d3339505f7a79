/**
 * The event definition of a start, end, intermediate or boundary event: which triggers the
 * engine executes in which position, with names resolved from the referenced root elements.
 */
import type { EventDefinition, EventDefinitionType, TimerSpec } from './model.js';
import { bodyOf, children, child, extension, idOf, text, type ModdleNode } from './moddleNode.js';
import { compileExpr, isFeel, type Report } from './feel.js';
import { isValidTimer, type TimerKind } from '../time/iso8601.js';

/** Where an event sits, which decides the triggers it may have. */
export type EventRole = 'start' | 'end' | 'catch' | 'throw' | 'boundary';

const ALLOWED: Readonly<Record<EventRole, readonly EventDefinitionType[]>> = {
  start: ['none', 'message', 'timer', 'signal', 'error', 'escalation'],
  end: ['none', 'message', 'signal', 'error', 'escalation', 'terminate'],
  catch: ['message', 'timer', 'signal', 'link'],
  throw: ['none', 'message', 'signal', 'escalation', 'link'],
  boundary: ['message', 'timer', 'signal', 'error', 'escalation']
};

const MODDLE_TYPES: Readonly<Record<string, EventDefinitionType | string>> = {
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:LinkEventDefinition': 'link',
  'bpmn:CompensateEventDefinition': 'compensation',
  'bpmn:ConditionalEventDefinition': 'conditional',
  'bpmn:CancelEventDefinition': 'cancel'
};

const TIMER_EXAMPLES: Readonly<Record<TimerKind, string>> = {
  duration: 'a duration such as PT5M or P1D',
  date: 'a date-time such as 2026-01-01T10:00:00Z',
  cycle: 'a cycle such as R3/PT10S'
};

/** Compiles an event's definition for its role; reports what the engine cannot execute. */
export function compileEventDefinition(
  event: ModdleNode,
  role: EventRole,
  report: Report,
  /** A throw message event done by a job needs no message reference. */
  hasJob = false,
  /** `elementId property` of references already reported as dangling: not reported again as missing. */
  dangling: ReadonlySet<string> = new Set()
): EventDefinition {
  const id = idOf(event);
  const missing = (property: string, message: string): void => {
    if (!dangling.has(`${id} ${property}`)) report(id, message);
  };
  const definitions = [...children(event, 'eventDefinitions'), ...children(event, 'eventDefinitionRef')];
  if (definitions.length > 1) {
    report(id, `multiple event definitions on one event (a BPMN "multiple" event) are not supported`);
    return { type: 'none' };
  }
  const definition = definitions[0];
  const type = definition === undefined ? 'none' : (MODDLE_TYPES[definition.$type] ?? definition.$type);
  if (!(ALLOWED[role] as readonly string[]).includes(type)) {
    report(id, unsupported(type, role));
    return { type: 'none' };
  }
  if (definition === undefined) return { type: 'none' };
  const catching = role === 'start' || role === 'catch' || role === 'boundary';
  switch (type) {
    case 'message':
      return message(id, definition, catching, hasJob, report, missing);
    case 'timer':
      return { type: 'timer', timer: timer(id, definition, report) };
    case 'signal': {
      const signal = child(definition, 'signalRef');
      if (!signal) missing('signalRef', `signal event needs a signalRef naming the signal`);
      return { type: 'signal', signalName: (signal && (text(signal, 'name') ?? idOf(signal))) ?? '' };
    }
    case 'error': {
      const error = child(definition, 'errorRef');
      const errorCode = error && text(error, 'errorCode');
      const errorMessage = error && text(error, 'name');
      if (!catching && errorCode === undefined) missing('errorRef', `error throw event needs an errorRef with an errorCode`);
      return { type: 'error', ...(errorCode === undefined ? {} : { errorCode }), ...(errorMessage === undefined ? {} : { errorMessage }) };
    }
    case 'escalation': {
      const escalation = child(definition, 'escalationRef');
      const escalationCode = escalation && text(escalation, 'escalationCode');
      if (!catching && escalationCode === undefined) missing('escalationRef', `escalation throw event needs an escalationRef with an escalationCode`);
      return { type: 'escalation', ...(escalationCode === undefined ? {} : { escalationCode }) };
    }
    case 'terminate':
      return { type: 'terminate' };
    case 'link': {
      const linkName = text(definition, 'name');
      if (linkName === undefined) report(id, `link event needs a name`);
      return { type: 'link', linkName: linkName ?? '' };
    }
  }
  return { type: 'none' };
}

function message(
  id: string,
  definition: ModdleNode,
  catching: boolean,
  hasJob: boolean,
  report: Report,
  missing: (property: string, message: string) => void
): EventDefinition {
  const ref = child(definition, 'messageRef');
  if (!ref) {
    if (catching || !hasJob) missing('messageRef', `message event needs a messageRef naming the message`);
    return { type: 'message', messageName: '' };
  }
  const messageName = text(ref, 'name') ?? idOf(ref);
  const key = catching ? extension(ref, 'zeebe:Subscription') : undefined;
  const source = key && text(key, 'correlationKey');
  if (source === undefined) return { type: 'message', messageName };
  return { type: 'message', messageName, correlationKey: compileExpr(source, 'correlationKey', id, report) };
}

function timer(id: string, definition: ModdleNode, report: Report): TimerSpec {
  const kinds = (['duration', 'date', 'cycle'] as const).filter(
    (kind) => definition[`time${capitalize(kind)}`] !== undefined
  );
  const kind = kinds[0];
  if (kind === undefined || kinds.length > 1) {
    report(id, `timer needs exactly one of timeDuration, timeDate or timeCycle`);
    return { kind: kind ?? 'duration', value: { literal: '' } };
  }
  const origin = `time${capitalize(kind)}`;
  const source = (bodyOf(definition, origin) ?? '').trim();
  if (isFeel(source)) return { kind, value: { expr: compileExpr(source, origin, id, report) } };
  if (source === '') report(id, `${origin} is empty: expected ${TIMER_EXAMPLES[kind]}, or FEEL starting with =`);
  else if (!isValidTimer(kind, source)) {
    report(id, `${origin} ${JSON.stringify(source)} is not ISO 8601: expected ${TIMER_EXAMPLES[kind]}, or FEEL starting with =`);
  }
  return { kind, value: { literal: source } };
}

function unsupported(type: string, role: EventRole): string {
  const where = { start: 'start event', end: 'end event', catch: 'intermediate catch event', throw: 'intermediate throw event', boundary: 'boundary event' }[role];
  if (type === 'none') return `a ${where} needs an event definition (message, timer, signal, …)`;
  if (type === 'compensation' || type === 'conditional' || type === 'cancel') return `${type} events are not supported`;
  return `a ${type} ${where} is not supported`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
