/**
 * A seeded generator of random but valid BPMN processes for property tests (R1, R4, R6).
 *
 * Processes are composed of structured blocks, each with one way in and one way out, so every
 * generated model is sound: every split has its matching join, an interrupting boundary path
 * merges back after its task, and a non-interrupting one ends at its own end event. A run can
 * then only get stuck through an engine bug (or wait on an open incident).
 *
 * Pure like the engine (no Node, no test library): the same seed gives the same XML.
 */
import { definitions, escapeXml } from './bpmnXml.js';
import { prng, type Rand } from './prng.js';

export { prng, type Rand };

export type Feature =
  | 'userTask'
  | 'serviceTask'
  | 'scriptTask'
  | 'timer'
  | 'message'
  | 'exclusive'
  | 'parallel'
  | 'inclusive'
  | 'subProcess'
  | 'boundaryTimer'
  | 'boundaryError'
  | 'multiInstance'
  | 'eventGateway'
  /** `tessera:command` service tasks with retries and a retry backoff (retry timers). */
  | 'commandTask'
  /** Timer and error boundary events on embedded sub-processes. */
  | 'subProcessBoundary'
  /** An error end event inside a sub-process, behind an exclusive gateway. */
  | 'errorEnd'
  /** A terminate end event inside a sub-process, behind an exclusive gateway. */
  | 'terminate'
  /** Event sub-processes: non-interrupting message starts, interrupting timer starts. */
  | 'eventSubProcess';

export interface GenerateOptions {
  /** Deepest nesting of blocks inside blocks (default 3). */
  readonly maxDepth?: number;
  /** Most leaf elements (tasks and catch events) in the model (default 12). */
  readonly maxLeaves?: number;
  /** Constructs to leave out (every one is on by default). */
  readonly without?: readonly Feature[];
}

/** What a test may send to a run of the model, and the shapes it can check afterwards. */
export interface ModelMeta {
  readonly userTasks: string[];
  /** Service tasks (zeebe job types or commands) and the error codes a boundary on them catches ('*' = any). */
  readonly jobs: { node: string; type: string; retries: number; catches: string[]; command?: { backoff: string } }[];
  /** Every error code declared in the document. */
  readonly errorCodes: string[];
  /** Message catch events: the message name and the correlation key its subscription will carry. */
  readonly messages: { node: string; name: string; correlationKey?: string }[];
  readonly timers: { node: string; iso: string }[];
  readonly boundaries: { node: string; attachedTo: string; kind: 'timer' | 'error'; interrupting: boolean }[];
  /** Error end events (in sub-processes) and the code they throw. */
  readonly errorEnds: { node: string; code: string }[];
  readonly terminateEnds: string[];
  readonly eventSubProcesses: { node: string; start: string; kind: 'message' | 'timer'; interrupting: boolean }[];
  readonly parallel: { fork: string; join: string; branches: number }[];
  readonly inclusive: { split: string; join: string; branches: number }[];
  readonly exclusive: { split: string; merge: string; branches: number }[];
  readonly eventGateways: string[];
  readonly subProcesses: string[];
  readonly multiInstance: { node: string; collection: string; sequential: boolean; outputCollection: string }[];
  /** Integer variables (0..9) the gateway conditions read. */
  readonly conditionVars: string[];
  readonly endEvents: string[];
}

export interface GeneratedModel {
  readonly seed: number;
  readonly xml: string;
  readonly processId: string;
  /** Variables to start the run with (condition inputs, collections, correlation keys). */
  readonly variables: Record<string, unknown>;
  readonly meta: ModelMeta;
  /** Number of flow nodes, for reporting. */
  readonly size: number;
}

interface Scope {
  /** Node and flow XML of the scope, in order. */
  readonly parts: string[];
}

interface Block {
  readonly entry: string;
  readonly exit: string;
}

type BlockKind = 'leaf' | 'sequence' | 'exclusive' | 'parallel' | 'inclusive' | 'subProcess' | 'multiInstance' | 'eventGateway';
type LeafKind = 'task' | 'userTask' | 'serviceTask' | 'scriptTask' | 'timer' | 'message';

class Generator {
  private n = 0;
  private leaves = 0;
  private messages = 1;
  private readonly roots: string[] = [];
  readonly variables: Record<string, unknown> = {};
  readonly meta: ModelMeta = {
    userTasks: [],
    jobs: [],
    errorCodes: [],
    messages: [],
    timers: [],
    boundaries: [],
    errorEnds: [],
    terminateEnds: [],
    eventSubProcesses: [],
    parallel: [],
    inclusive: [],
    exclusive: [],
    eventGateways: [],
    subProcesses: [],
    multiInstance: [],
    conditionVars: [],
    endEvents: []
  };
  size = 0;

  constructor(
    private readonly rand: Rand,
    private readonly maxDepth: number,
    private readonly maxLeaves: number,
    private readonly off: ReadonlySet<Feature>
  ) {}

  process(id: string): string {
    const scope: Scope = { parts: [] };
    const start = this.node(scope, 'startEvent', 'S');
    const body = this.sequence(scope, -1, 1 + this.int(3));
    const end = this.end(scope);
    this.flow(scope, start, body.entry);
    this.flow(scope, body.exit, end);
    if (this.on('eventSubProcess') && this.chance(0.3)) this.eventSubProcess(scope);
    return `${this.roots.join('\n')}\n<bpmn:process id="${id}" isExecutable="true">\n${scope.parts.join('\n')}\n</bpmn:process>`;
  }

  private int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  private chance(p: number): boolean {
    return this.rand() < p;
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  private weighted<T extends string>(weights: Partial<Record<T, number>>): T {
    const entries = Object.entries(weights) as [T, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.rand() * total;
    for (const [kind, w] of entries) {
      r -= w;
      if (r < 0) return kind;
    }
    return entries[entries.length - 1]![0];
  }

  private on(feature: Feature): boolean {
    return !this.off.has(feature);
  }

  private id(prefix: string): string {
    return `${prefix}_${++this.n}`;
  }

  private node(scope: Scope, type: string, prefix: string, inner = '', attrs = ''): string {
    const id = this.id(prefix);
    scope.parts.push(`<bpmn:${type} id="${id}"${attrs}>${inner}</bpmn:${type}>`);
    this.size++;
    return id;
  }

  private end(scope: Scope): string {
    const id = this.node(scope, 'endEvent', 'E');
    this.meta.endEvents.push(id);
    return id;
  }

  private flow(scope: Scope, from: string, to: string, condition?: string): string {
    const id = this.id('f');
    const body = condition === undefined ? '' : `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${escapeXml(condition)}</bpmn:conditionExpression>`;
    scope.parts.push(`<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${body}</bpmn:sequenceFlow>`);
    return id;
  }

  /** A new integer condition variable 0..9 (sometimes reusing one). */
  private conditionVar(): string {
    if (this.meta.conditionVars.length > 0 && this.chance(0.3)) return this.pick(this.meta.conditionVars);
    const name = `c${this.meta.conditionVars.length + 1}`;
    this.meta.conditionVars.push(name);
    this.variables[name] = this.int(10);
    return name;
  }

  private block(scope: Scope, depth: number): Block {
    const room = this.leaves < this.maxLeaves;
    const nest = room && depth < this.maxDepth;
    const kind = this.weighted<BlockKind>({
      leaf: nest ? 1 + depth : 1,
      sequence: nest ? 2 : 0,
      exclusive: nest && this.on('exclusive') ? 1.5 : 0,
      parallel: nest && this.on('parallel') ? 1.5 : 0,
      inclusive: nest && this.on('inclusive') ? 1.2 : 0,
      subProcess: nest && this.on('subProcess') ? 1 : 0,
      multiInstance: room && this.on('multiInstance') ? 0.8 : 0,
      eventGateway: room && this.on('eventGateway') && this.on('message') && this.on('timer') ? 0.4 : 0
    });
    switch (kind) {
      case 'sequence':
        return this.sequence(scope, depth, 2 + this.int(2));
      case 'exclusive':
        return this.exclusive(scope, depth);
      case 'parallel':
        return this.parallel(scope, depth);
      case 'inclusive':
        return this.inclusive(scope, depth);
      case 'subProcess':
        return this.subProcess(scope, depth);
      case 'multiInstance':
        return this.multiInstance(scope);
      case 'eventGateway':
        return this.eventGateway(scope);
      default:
        return this.leaf(scope);
    }
  }

  private sequence(scope: Scope, depth: number, length: number): Block {
    const blocks = Array.from({ length }, () => this.block(scope, depth + 1));
    for (let i = 1; i < blocks.length; i++) this.flow(scope, blocks[i - 1]!.exit, blocks[i]!.entry);
    return { entry: blocks[0]!.entry, exit: blocks.at(-1)!.exit };
  }

  /** Branches of a split: a block each, or (rarely) a flow straight to the join. */
  private branches(scope: Scope, depth: number, count: number, allowEmpty: boolean): (Block | null)[] {
    return Array.from({ length: count }, () => (allowEmpty && this.chance(0.12) ? null : this.block(scope, depth + 1)));
  }

  private connect(scope: Scope, split: string, join: string, branch: Block | null, condition?: string): string {
    if (!branch) return this.flow(scope, split, join, condition);
    const out = this.flow(scope, split, branch.entry, condition);
    this.flow(scope, branch.exit, join);
    return out;
  }

  /** Exclusive split on an integer variable: ranges per branch, a default flow (or full coverage). */
  private exclusive(scope: Scope, depth: number): Block {
    const count = 2 + this.int(2);
    const v = this.conditionVar();
    const withDefault = this.chance(0.8);
    const cuts = [...new Set(Array.from({ length: count - 1 }, () => 1 + this.int(9)))].sort((a, b) => a - b);
    const branches = this.branches(scope, depth, cuts.length + 1, true);
    const placeholder = scope.parts.length;
    scope.parts.push('');
    const split = this.id('XS');
    const merge = this.node(scope, 'exclusiveGateway', 'XJ');
    let defaultFlow = '';
    branches.forEach((branch, i) => {
      const lower = i === 0 ? undefined : cuts[i - 1];
      const upper = cuts[i];
      const isLast = i === branches.length - 1;
      if (isLast && withDefault) {
        defaultFlow = this.connect(scope, split, merge, branch);
        return;
      }
      const condition =
        lower === undefined ? `=${v} < ${upper}` : upper === undefined ? `=${v} >= ${lower}` : `=${v} >= ${lower} and ${v} < ${upper}`;
      this.connect(scope, split, merge, branch, condition);
    });
    scope.parts[placeholder] = `<bpmn:exclusiveGateway id="${split}"${defaultFlow ? ` default="${defaultFlow}"` : ''}/>`;
    this.size++;
    this.meta.exclusive.push({ split, merge, branches: branches.length });
    return { entry: split, exit: merge };
  }

  private parallel(scope: Scope, depth: number): Block {
    const count = 2 + this.int(2);
    const fork = this.node(scope, 'parallelGateway', 'PF');
    const join = this.node(scope, 'parallelGateway', 'PJ');
    for (const branch of this.branches(scope, depth, count, true)) this.connect(scope, fork, join, branch);
    this.meta.parallel.push({ fork, join, branches: count });
    return { entry: fork, exit: join };
  }

  /** Inclusive split: each branch on `v > t`, the last one the default; an inclusive join. */
  private inclusive(scope: Scope, depth: number): Block {
    const count = 2 + this.int(2);
    const v = this.conditionVar();
    const branches = this.branches(scope, depth, count, true);
    const placeholder = scope.parts.length;
    scope.parts.push('');
    const split = this.id('IS');
    const join = this.node(scope, 'inclusiveGateway', 'IJ');
    let defaultFlow = '';
    branches.forEach((branch, i) => {
      if (i === branches.length - 1) {
        defaultFlow = this.connect(scope, split, join, branch);
        return;
      }
      this.connect(scope, split, join, branch, `=${v} ${this.pick(['>', '<', '>=', '<='])} ${this.int(10)}`);
    });
    scope.parts[placeholder] = `<bpmn:inclusiveGateway id="${split}" default="${defaultFlow}"/>`;
    this.size++;
    this.meta.inclusive.push({ split, join, branches: count });
    return { entry: split, exit: join };
  }

  /**
   * An embedded sub-process around a block. Its way out may pass an exclusive gateway to an
   * error or terminate end; it may carry timer/error boundaries and an event sub-process.
   */
  private subProcess(scope: Scope, depth: number): Block {
    const inner: Scope = { parts: [] };
    const id = this.id('Sub');
    const start = this.node(inner, 'startEvent', 'SS');
    const body = this.block(inner, depth + 1);
    const end = this.end(inner);
    this.flow(inner, start, body.entry);
    const exit = this.weighted<'plain' | 'error' | 'terminate'>({ plain: 6, error: this.on('errorEnd') ? 1.5 : 0, terminate: this.on('terminate') ? 1 : 0 });
    let thrown: string | undefined;
    if (exit === 'plain') this.flow(inner, body.exit, end);
    else {
      const v = this.conditionVar();
      const gateway = this.id('XE');
      let special: string;
      if (exit === 'error') {
        thrown = this.declareError('S');
        special = this.node(inner, 'endEvent', 'EE', `<bpmn:errorEventDefinition errorRef="Error_${thrown}"/>`);
        this.meta.errorEnds.push({ node: special, code: thrown });
      } else {
        special = this.node(inner, 'endEvent', 'TE', '<bpmn:terminateEventDefinition/>');
        this.meta.terminateEnds.push(special);
      }
      this.flow(inner, gateway, special, `=${v} >= ${this.int(10)}`);
      const otherwise = this.flow(inner, gateway, end);
      inner.parts.push(`<bpmn:exclusiveGateway id="${gateway}" default="${otherwise}"/>`);
      this.size++;
      this.flow(inner, body.exit, gateway);
    }
    if (this.on('eventSubProcess') && this.chance(0.2)) this.eventSubProcess(inner);
    scope.parts.push(`<bpmn:subProcess id="${id}">\n${inner.parts.join('\n')}\n</bpmn:subProcess>`);
    this.size++;
    this.meta.subProcesses.push(id);
    if (!this.on('subProcessBoundary')) return { entry: id, exit: id };
    // Boundaries: an error boundary (its own code, catch-all, or none: the error goes further out), a timer.
    const interrupting: string[] = [];
    if (thrown && this.chance(0.7)) {
      const ref = this.chance(0.8) ? ` errorRef="Error_${thrown}"` : '';
      const boundary = this.node(scope, 'boundaryEvent', 'BE', `<bpmn:errorEventDefinition${ref}/>`, ` attachedToRef="${id}"`);
      this.meta.boundaries.push({ node: boundary, attachedTo: id, kind: 'error', interrupting: true });
      interrupting.push(boundary);
    }
    if (this.chance(0.3)) {
      const cancel = this.chance(0.6);
      const iso = `PT${20 + this.int(60)}S`;
      const boundary = this.node(
        scope,
        'boundaryEvent',
        'BT',
        `<bpmn:timerEventDefinition><bpmn:timeDuration>${iso}</bpmn:timeDuration></bpmn:timerEventDefinition>`,
        ` attachedToRef="${id}"${cancel ? '' : ' cancelActivity="false"'}`
      );
      this.meta.boundaries.push({ node: boundary, attachedTo: id, kind: 'timer', interrupting: cancel });
      this.meta.timers.push({ node: boundary, iso });
      if (cancel) interrupting.push(boundary);
      else {
        const task = this.node(scope, 'task', 'H');
        this.flow(scope, boundary, task);
        this.flow(scope, task, this.end(scope));
      }
    }
    if (interrupting.length === 0) return { entry: id, exit: id };
    const merge = this.node(scope, 'exclusiveGateway', 'BM');
    this.flow(scope, id, merge);
    for (const boundary of interrupting) this.handler(scope, boundary, merge);
    return { entry: id, exit: merge };
  }

  /** Declares a BPMN error with a fresh code (prefix + number). */
  private declareError(prefix: string): string {
    const code = `${prefix}${this.meta.errorCodes.length + 1}`;
    this.meta.errorCodes.push(code);
    this.roots.push(`<bpmn:error id="Error_${code}" errorCode="${code}"/>`);
    return code;
  }

  /** Declares a message (with a correlation key variable most of the time). */
  private declareMessage(): { messageId: string; name: string; correlationKey?: string } {
    const k = this.messages++;
    const name = `msg${k}`;
    const messageId = `Message_${k}`;
    if (!this.chance(0.7)) {
      this.roots.push(`<bpmn:message id="${messageId}" name="${name}"/>`);
      return { messageId, name };
    }
    const correlationKey = `key-${k}`;
    this.variables[`key${k}`] = correlationKey;
    this.roots.push(`<bpmn:message id="${messageId}" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="=key${k}"/></bpmn:extensionElements></bpmn:message>`);
    return { messageId, name, correlationKey };
  }

  /** An event sub-process in `scope`: a non-interrupting message start, or an interrupting timer start. */
  private eventSubProcess(scope: Scope): void {
    const inner: Scope = { parts: [] };
    const id = this.id('ESP');
    const kind = this.chance(0.6) ? 'message' : 'timer';
    let start: string;
    if (kind === 'message') {
      const message = this.declareMessage();
      start = this.node(inner, 'startEvent', 'ES', `<bpmn:messageEventDefinition messageRef="${message.messageId}"/>`, ' isInterrupting="false"');
      this.meta.messages.push({ node: start, name: message.name, ...(message.correlationKey ? { correlationKey: message.correlationKey } : {}) });
    } else {
      const iso = `PT${5 + this.int(6)}M`;
      start = this.node(inner, 'startEvent', 'ES', `<bpmn:timerEventDefinition><bpmn:timeDuration>${iso}</bpmn:timeDuration></bpmn:timerEventDefinition>`);
      this.meta.timers.push({ node: start, iso });
    }
    const work = this.chance(0.5) && this.on('userTask') ? this.node(inner, 'userTask', 'UT') : this.node(inner, 'task', 'H');
    if (work.startsWith('UT')) this.meta.userTasks.push(work);
    const end = this.end(inner);
    this.flow(inner, start, work);
    this.flow(inner, work, end);
    scope.parts.push(`<bpmn:subProcess id="${id}" triggeredByEvent="true">\n${inner.parts.join('\n')}\n</bpmn:subProcess>`);
    this.size++;
    this.meta.eventSubProcesses.push({ node: id, start, kind, interrupting: kind === 'timer' });
  }

  private leaf(scope: Scope): Block {
    this.leaves++;
    const kind = this.weighted<LeafKind>({
      task: 1,
      userTask: this.on('userTask') ? 3 : 0,
      serviceTask: this.on('serviceTask') ? 2.5 : 0,
      scriptTask: this.on('scriptTask') ? 0.7 : 0,
      timer: this.on('timer') ? 1 : 0,
      message: this.on('message') ? 1 : 0
    });
    switch (kind) {
      case 'userTask':
        return this.userTask(scope);
      case 'serviceTask':
        return this.serviceTask(scope);
      case 'scriptTask': {
        const source = this.meta.conditionVars.length > 0 ? `=${this.pick(this.meta.conditionVars)} + 1` : '=1 + 1';
        const id = this.id('Scr');
        const inner = `<bpmn:extensionElements><zeebe:script expression="${escapeXml(source)}" resultVariable="s_${id}"/></bpmn:extensionElements>`;
        scope.parts.push(`<bpmn:scriptTask id="${id}">${inner}</bpmn:scriptTask>`);
        this.size++;
        return { entry: id, exit: id };
      }
      case 'timer': {
        const id = this.timerCatch(scope);
        return { entry: id, exit: id };
      }
      case 'message': {
        const id = this.messageCatch(scope);
        return { entry: id, exit: id };
      }
      default: {
        const id = this.node(scope, 'task', 'T');
        return { entry: id, exit: id };
      }
    }
  }

  private duration(): string {
    return `PT${1 + this.int(30)}S`;
  }

  private timerCatch(scope: Scope, prefix = 'Tm'): string {
    const iso = this.duration();
    const id = this.node(scope, 'intermediateCatchEvent', prefix, `<bpmn:timerEventDefinition><bpmn:timeDuration>${iso}</bpmn:timeDuration></bpmn:timerEventDefinition>`);
    this.meta.timers.push({ node: id, iso });
    return id;
  }

  private messageCatch(scope: Scope, prefix = 'Msg'): string {
    const message = this.declareMessage();
    const id = this.node(scope, 'intermediateCatchEvent', prefix, `<bpmn:messageEventDefinition messageRef="${message.messageId}"/>`);
    this.meta.messages.push({ node: id, name: message.name, ...(message.correlationKey ? { correlationKey: message.correlationKey } : {}) });
    return id;
  }

  /** A handler path after an interrupting boundary: straight to the merge, or through a task. */
  private handler(scope: Scope, boundary: string, to: string): void {
    if (this.chance(0.5)) {
      this.flow(scope, boundary, to);
      return;
    }
    const task = this.node(scope, 'task', 'H');
    this.flow(scope, boundary, task);
    this.flow(scope, task, to);
  }

  private userTask(scope: Scope, loop = ''): Block {
    const id = this.node(scope, 'userTask', 'UT', loop);
    this.meta.userTasks.push(id);
    if (loop || !this.on('boundaryTimer') || !this.chance(0.35)) return { entry: id, exit: id };
    const interrupting = this.chance(0.5);
    const iso = !interrupting && this.chance(0.5) ? `R2/${this.duration()}` : this.duration();
    const definition = iso.startsWith('R')
      ? `<bpmn:timerEventDefinition><bpmn:timeCycle>${iso}</bpmn:timeCycle></bpmn:timerEventDefinition>`
      : `<bpmn:timerEventDefinition><bpmn:timeDuration>${iso}</bpmn:timeDuration></bpmn:timerEventDefinition>`;
    const boundary = this.node(scope, 'boundaryEvent', 'BT', definition, ` attachedToRef="${id}"${interrupting ? '' : ' cancelActivity="false"'}`);
    this.meta.boundaries.push({ node: boundary, attachedTo: id, kind: 'timer', interrupting });
    this.meta.timers.push({ node: boundary, iso });
    if (!interrupting) {
      // A non-interrupting path runs beside the task and ends on its own.
      const task = this.node(scope, 'task', 'H');
      this.flow(scope, boundary, task);
      this.flow(scope, task, this.end(scope));
      return { entry: id, exit: id };
    }
    const merge = this.node(scope, 'exclusiveGateway', 'BM');
    this.flow(scope, id, merge);
    this.handler(scope, boundary, merge);
    return { entry: id, exit: merge };
  }

  private serviceTask(scope: Scope, loop = ''): Block {
    const id = this.id('ST');
    const type = `work-${id}`;
    const retries = 1 + this.int(3);
    const command = this.on('commandTask') && this.chance(0.3) ? { backoff: `PT${1 + this.int(10)}S` } : undefined;
    const definition = command
      ? `<bpmn:extensionElements><tessera:command retries="${retries}" retryBackoff="${command.backoff}" resultVariable="out_${id}"><tessera:arg>echo</tessera:arg><tessera:arg>${id}</tessera:arg></tessera:command></bpmn:extensionElements>`
      : `<bpmn:extensionElements><zeebe:taskDefinition type="${type}" retries="${retries}"/></bpmn:extensionElements>`;
    scope.parts.push(`<bpmn:serviceTask id="${id}">${definition}${loop}</bpmn:serviceTask>`);
    this.size++;
    const job = { node: id, type: command ? 'command' : type, retries, catches: [] as string[], ...(command ? { command } : {}) };
    this.meta.jobs.push(job);
    if (!this.on('boundaryError') || !this.chance(0.4)) return { entry: id, exit: id };
    let ref = '';
    if (this.chance(0.8)) {
      const code = this.declareError('E');
      ref = ` errorRef="Error_${code}"`;
      job.catches.push(code);
    } else {
      job.catches.push('*');
    }
    const boundary = this.node(scope, 'boundaryEvent', 'BE', `<bpmn:errorEventDefinition${ref}/>`, ` attachedToRef="${id}"`);
    this.meta.boundaries.push({ node: boundary, attachedTo: id, kind: 'error', interrupting: true });
    const merge = this.node(scope, 'exclusiveGateway', 'BM');
    this.flow(scope, id, merge);
    this.handler(scope, boundary, merge);
    return { entry: id, exit: merge };
  }

  /** A user or service task over a generated collection, parallel or sequential. */
  private multiInstance(scope: Scope): Block {
    this.leaves++;
    const k = this.meta.multiInstance.length + 1;
    const collection = `items${k}`;
    const outputCollection = `results${k}`;
    const sequential = this.chance(0.5);
    this.variables[collection] = Array.from({ length: this.int(4) }, (_, i) => i + 1 + 10 * k);
    const loop = `<bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=${collection}" inputElement="item" outputCollection="${outputCollection}" outputElement="=result"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`;
    const block = this.on('serviceTask') && (!this.on('userTask') || this.chance(0.5)) ? this.serviceTask(scope, loop) : this.userTask(scope, loop);
    this.meta.multiInstance.push({ node: block.entry, collection, sequential, outputCollection });
    return block;
  }

  /** An event-based gateway racing a message against a timer, merged afterwards. */
  private eventGateway(scope: Scope): Block {
    this.leaves++;
    const gateway = this.node(scope, 'eventBasedGateway', 'EG');
    const message = this.messageCatch(scope, 'EM');
    const timer = this.timerCatch(scope, 'ET');
    const merge = this.node(scope, 'exclusiveGateway', 'EJ');
    this.flow(scope, gateway, message);
    this.flow(scope, gateway, timer);
    this.flow(scope, message, merge);
    this.flow(scope, timer, merge);
    this.meta.eventGateways.push(gateway);
    return { entry: gateway, exit: merge };
  }
}

/** A random valid process for `seed` (same seed, same XML). */
export function generateModel(seed: number, options: GenerateOptions = {}): GeneratedModel {
  const generator = new Generator(prng(seed), options.maxDepth ?? 3, options.maxLeaves ?? 12, new Set(options.without ?? []));
  const processId = 'P';
  const body = generator.process(processId);
  return { seed, xml: definitions(body), processId, variables: generator.variables, meta: generator.meta, size: generator.size };
}
