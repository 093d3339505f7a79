/**
 * The executable model: what `compile(xml)` produces and what `step` interprets.
 * Plain, frozen data (plus FEEL source text) — no moddle objects survive compilation.
 */
import type { SimpleComparison } from '../feel/simpleComparison.js';

/** A FEEL expression as written (leading `=` stripped, `==` normalised to `=`). */
export interface Expr {
  /** FEEL source text ready for feelin. */
  readonly feel: string;
  /** Where it came from, for error messages: e.g. `conditionExpression`, `inputCollection`. */
  readonly origin: string;
  /** Set when the expression is a plain `name <op> literal`: evaluated without feelin. */
  readonly simple?: SimpleComparison;
}

/** A value that is either a literal string or a FEEL expression (attribute starting with `=`). */
export type Value = { readonly literal: string } | { readonly expr: Expr };

export interface Mapping {
  /** FEEL producing the value. */
  readonly source: Expr;
  /** Variable name or dotted path it is written to. */
  readonly target: string;
}

export interface IoMapping {
  readonly inputs: readonly Mapping[];
  readonly outputs: readonly Mapping[];
}

export interface TimerSpec {
  readonly kind: 'duration' | 'date' | 'cycle';
  /** ISO 8601 literal (validated at compile time) or a FEEL expression evaluated when armed. */
  readonly value: Value;
}

export type EventDefinition =
  | { readonly type: 'none' }
  | { readonly type: 'message'; readonly messageName: string; readonly correlationKey?: Expr }
  | { readonly type: 'timer'; readonly timer: TimerSpec }
  | { readonly type: 'signal'; readonly signalName: string }
  /** `errorCode` undefined on a catch event = catch every error. */
  | { readonly type: 'error'; readonly errorCode?: string; readonly errorMessage?: string }
  | { readonly type: 'escalation'; readonly escalationCode?: string }
  | { readonly type: 'terminate' }
  | { readonly type: 'link'; readonly linkName: string };

export type EventDefinitionType = EventDefinition['type'];

export interface CommandArg {
  readonly value: Value;
}

/** `tessera:command`: argv form, never a shell. */
export interface CommandSpec {
  readonly args: readonly Value[];
  readonly env: readonly { readonly name: string; readonly value: Value }[];
  readonly cwd?: string;
  /** ISO 8601 duration. */
  readonly timeout?: string;
  readonly retries: number;
  /** ISO 8601 duration between attempts. */
  readonly retryBackoff?: string;
  readonly resultVariable?: string;
  /** stdout is a JSON object whose entries become process variables (`jsonOutput="true"`). */
  readonly jsonOutput?: boolean;
}

export interface HttpSpec {
  readonly method: string;
  readonly url: Value;
  readonly headers: readonly { readonly name: string; readonly value: Value }[];
  readonly body?: Value;
  readonly timeout?: string;
  readonly resultVariable?: string;
}

/** How a service-like task (service, send, business rule with a job type) gets its work done. */
export type JobSpec =
  | { readonly kind: 'command'; readonly command: CommandSpec }
  | { readonly kind: 'http'; readonly http: HttpSpec }
  | {
      readonly kind: 'type';
      /** `zeebe:taskDefinition type` (FEEL allowed). */
      readonly type: Value;
      readonly retries: number;
      readonly headers: Readonly<Record<string, string>>;
    };

export interface FormField {
  readonly key: string;
  readonly label: string;
  readonly type: 'string' | 'number' | 'boolean' | 'date' | 'enum' | 'text';
  readonly required: boolean;
  readonly default?: string;
  readonly values?: readonly string[];
}

export interface UserTaskSpec {
  readonly assignee?: Value;
  readonly candidateGroups?: Value;
  readonly candidateUsers?: Value;
  readonly formFields: readonly FormField[];
  /** A form-js schema (JSON text) or a `zeebe:formDefinition formId`, passed through to the UI. */
  readonly formSchema?: string;
  readonly formId?: string;
}

export interface ScriptSpec {
  readonly language: 'feel' | 'javascript';
  /** FEEL expression text, or JavaScript source. */
  readonly source: string;
  readonly resultVariable?: string;
}

export interface MultiInstanceSpec {
  readonly kind: 'multiInstance';
  readonly sequential: boolean;
  readonly inputCollection?: Expr;
  readonly inputElement?: string;
  readonly outputCollection?: string;
  readonly outputElement?: Expr;
  readonly loopCardinality?: Expr;
  readonly completionCondition?: Expr;
}

export interface StandardLoopSpec {
  readonly kind: 'standardLoop';
  readonly loopCondition?: Expr;
  /** Evaluate the condition before the first turn (`testBefore`). */
  readonly testBefore: boolean;
  readonly loopMaximum?: number;
}

export type LoopSpec = MultiInstanceSpec | StandardLoopSpec;

export const NodeType = {
  startEvent: 'startEvent',
  endEvent: 'endEvent',
  intermediateCatchEvent: 'intermediateCatchEvent',
  intermediateThrowEvent: 'intermediateThrowEvent',
  boundaryEvent: 'boundaryEvent',
  task: 'task',
  manualTask: 'manualTask',
  serviceTask: 'serviceTask',
  sendTask: 'sendTask',
  receiveTask: 'receiveTask',
  scriptTask: 'scriptTask',
  userTask: 'userTask',
  businessRuleTask: 'businessRuleTask',
  exclusiveGateway: 'exclusiveGateway',
  parallelGateway: 'parallelGateway',
  inclusiveGateway: 'inclusiveGateway',
  eventBasedGateway: 'eventBasedGateway',
  subProcess: 'subProcess',
  callActivity: 'callActivity'
} as const;
export type NodeType = (typeof NodeType)[keyof typeof NodeType];

/** Every executable flow node. Fields not meaningful for a type are absent. */
export interface FlowNode {
  readonly id: string;
  readonly type: NodeType;
  readonly name?: string;
  /** Id of the enclosing scope: the process id or a sub-process id. */
  readonly scope: string;
  /** Sequence flow ids, in document order. */
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  /** Default sequence flow id (exclusive / inclusive gateways, activities). */
  readonly defaultFlow?: string;
  /** Event definition of an event (start, end, catch, throw, boundary); `none` when plain. */
  readonly event?: EventDefinition;
  /** Boundary events: the activity they are attached to, and whether they interrupt it. */
  readonly attachedTo?: string;
  readonly cancelActivity?: boolean;
  /** Activities: ids of boundary events attached to this node. */
  readonly boundaryEvents: readonly string[];
  /** Start events inside an event sub-process: whether they interrupt the enclosing scope. */
  readonly interrupting?: boolean;
  readonly io?: IoMapping;
  readonly loop?: LoopSpec;
  readonly job?: JobSpec;
  readonly script?: ScriptSpec;
  readonly userTask?: UserTaskSpec;
  /** Call activity: the called process id (same file). */
  readonly calledElement?: string;
  readonly propagateAllChildVariables?: boolean;
  /** Sub-processes: true for an event sub-process (`triggeredByEvent`). */
  readonly triggeredByEvent?: boolean;
  /** Forms on start events. */
  readonly formFields?: readonly FormField[];
}

export interface SequenceFlow {
  readonly id: string;
  readonly name?: string;
  readonly source: string;
  readonly target: string;
  readonly condition?: Expr;
}

/** A process or sub-process: the nodes directly inside it. */
export interface Scope {
  readonly id: string;
  /** Parent scope id; undefined for a process. */
  readonly parent?: string;
  /** Direct child node ids, in document order. */
  readonly nodes: readonly string[];
  /** None start events that begin the scope (a sub-process has exactly one). */
  readonly startEvents: readonly string[];
  /** Event sub-process ids directly inside this scope. */
  readonly eventSubProcesses: readonly string[];
}

export interface ProcessDefinition {
  readonly id: string;
  readonly name?: string;
  /** Every flow node of the process, including those nested in sub-processes. */
  readonly nodes: Readonly<Record<string, FlowNode>>;
  readonly flows: Readonly<Record<string, SequenceFlow>>;
  /** The process itself and each (event) sub-process, by id. */
  readonly scopes: Readonly<Record<string, Scope>>;
}

export interface ProcessModel {
  /** SHA-256 (lowercase hex) of the UTF-8 XML the model was compiled from. */
  readonly xmlSha256: string;
  /** Executable processes by id, in document order. */
  readonly processes: Readonly<Record<string, ProcessDefinition>>;
  /** Id of the first executable process: what `run` starts unless told otherwise. */
  readonly mainProcess: string;
}

/** One thing wrong with a model, named by element id ('' when no element applies). */
export interface Problem {
  readonly element: string;
  readonly message: string;
}
