/**
 * The engine host the worker exposes: runs execute here under their Web Lock (one tab per run),
 * their chains go to IndexedDB, other tabs hear about every commit over the TabBus and read the
 * records themselves. A reload (a new worker) claims every unfinished run and recovers it from
 * its records; timers that fell due meanwhile fire at once.
 */
import * as engine from '../engine/index.js';
import type { EngineEvent, ProcessModel, TokenRecord, VerifyResult } from '../engine/index.js';
import type { StepHolds } from '../runtime/Executor.js';
import type { Clock, JobDispatcher, RunMeta } from '../runtime/ports.js';
import type { DexieRunStore } from '../store/dexie/DexieRunStore.js';
import type { DiagramStore } from '../store/dexie/DiagramStore.js';
import type {
  CompileOutcome,
  EngineHostApi,
  ExportedChain,
  OpenUserTask,
  RecordsListener,
  RunDetail,
  RunFilterInput,
  RunInfo,
  RunsListener,
  JobOutputListener,
  SimulatedFailure,
  StartInput,
  StepInfo,
  Unsubscribe,
  WriteStats
} from './api.js';
import { measureRawWrites } from '../store/dexie/measureRawWrites.js';
import type { JobOutputSource } from '../runtime/jobs/RemoteJobs.js';
import { RecordFeed } from './RecordFeed.js';
import { runDetail } from './runDetail.js';
import { RunExecution } from './RunExecution.js';
import type { RunLocks } from './runLocks.js';
import type { TabBus, TabMessage } from './TabBus.js';

export interface EngineHostDeps {
  store: DexieRunStore;
  diagrams: DiagramStore;
  locks: RunLocks;
  bus: TabBus;
  clock: Clock;
  jobs: JobDispatcher;
  /** Where step-mode runs keep their flag and held records (without it, step mode is refused). */
  holds?: StepHolds;
  /** Live job output from the relay (absent: subscribeJobOutput never calls back). */
  output?: JobOutputSource;
  /** Wraps an unsubscribe function for the other side (comlink.proxy in the worker). */
  exportFunction?: (fn: Unsubscribe) => Unsubscribe;
}

/** Who intents come from in a local, unauthenticated browser. */
const OWNER = 'local';

/** The record owner for an action: the named collaborator (bounded, it goes into the chain), else this browser. */
function ownerOf(owner: string | undefined): string {
  const name = owner?.trim().slice(0, 200);
  return name ? name : OWNER;
}

export class EngineHost implements EngineHostApi {
  readonly #deps: EngineHostDeps;
  readonly #executions = new Map<string, RunExecution>();
  /** Runs whose lock this host holds or waits for. */
  readonly #claimed = new Set<string>();
  readonly #paused = new Map<string, string>();
  readonly #models = new Map<string, Promise<ProcessModel>>();
  readonly #feeds = new Set<RecordFeed>();
  readonly #runListeners = new Set<RunsListener>();
  readonly #changed = new Set<string>();
  readonly #storedXml = new Set<string>();
  readonly #untold = new Set<string>();
  #changeTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(deps: EngineHostDeps) {
    this.#deps = deps;
    deps.bus.on((message) => void this.#onTabMessage(message));
  }

  /** Claims every unfinished run: this tab executes it now, or as soon as the tab executing it goes. */
  async boot(): Promise<void> {
    for (const run of await this.#deps.store.listRuns({ status: 'running' })) this.#claim(run.runId);
  }

  async loadDiagram(xml: string): Promise<CompileOutcome> {
    return (await this.#compile(xml)).outcome;
  }

  async saveDiagram(input: { id?: string; name: string; xml: string }) {
    const { outcome } = await this.#compile(input.xml);
    const diagram = await this.#deps.diagrams.save(input.id ?? crypto.randomUUID(), input.name, input.xml);
    return { ...outcome, diagram };
  }

  listDiagrams() {
    return this.#deps.diagrams.list();
  }

  async startRun(input: StartInput): Promise<{ runId: string }> {
    const xml = input.xml ?? (input.diagramId ? (await this.#deps.diagrams.get(input.diagramId))?.xml : undefined);
    if (xml === undefined) throw new Error(input.diagramId ? `no diagram ${input.diagramId}` : 'nothing to run: give XML or a diagram');
    if (input.stepMode && !this.#deps.holds) throw new Error('step mode is not available here');
    const { model, outcome } = await this.#compile(xml);
    if (!model) throw new Error(`the diagram has problems:\n${outcome.problems.map((p) => `${p.element}: ${p.message}`).join('\n')}`);
    if (!this.#storedXml.has(model.xmlSha256)) {
      await this.#deps.store.putXml(model.xmlSha256, xml);
      this.#storedXml.add(model.xmlSha256);
    }
    const runId = crypto.randomUUID();
    this.#claimed.add(runId);
    let locked = false;
    // A run that ends within its first step needs no lock: it is stored ended, and no tab ever
    // claims an ended run. One that goes on takes its lock before its first commit, so no other
    // tab can claim it first. A step-mode run goes on (held) even when its first step ends it.
    const execution = this.#execution(
      runId,
      model,
      async (state) => {
        if (state.status !== 'running' && !input.stepMode) return;
        await this.#lockFor(execution);
        locked = true;
      },
      input.stepMode === true
    );
    try {
      await execution.start({
        runId,
        owner: OWNER,
        ...(input.processId ? { processId: input.processId } : {}),
        ...(input.variables ? { variables: input.variables } : {})
      });
    } catch (error) {
      this.#executions.delete(runId);
      execution.abandon();
      if (!locked) this.#claimed.delete(runId);
      throw error;
    }
    if (!locked) void this.#executeUntilEnd(execution).finally(() => this.#claimed.delete(runId));
    return { runId };
  }

  /** Resolves once this tab holds the run's lock; the lock is kept until the run ends here. */
  #lockFor(execution: RunExecution): Promise<void> {
    return new Promise((granted, refused) => {
      this.#deps.locks
        .hold(execution.runId, async () => {
          granted();
          await this.#executeUntilEnd(execution);
        })
        .catch(refused)
        .finally(() => this.#claimed.delete(execution.runId));
    });
  }

  async startRuns(input: StartInput, count: number, inFlight = 64): Promise<string[]> {
    const ids: string[] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < count) {
        next += 1;
        ids.push((await this.startRun(input)).runId);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, count)) }, lane));
    return ids;
  }

  async listRuns(filter: RunFilterInput = {}): Promise<RunInfo[]> {
    let runs = await this.#deps.store.listRuns({
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.processId ? { processId: filter.processId } : {})
    });
    if (filter.diagramId) {
      const hashes = new Set(await this.#deps.diagrams.versionHashes(filter.diagramId));
      runs = runs.filter((run) => hashes.has(run.xmlSha256));
    }
    const held = await this.#deps.locks.held();
    return runs.map((run) => this.#info(run, held));
  }

  async getRun(runId: string): Promise<RunDetail | undefined> {
    const meta = await this.#deps.store.getRun(runId);
    if (!meta) return undefined;
    const model = await this.#model(meta.xmlSha256);
    const execution = this.#executions.get(runId);
    const held = execution?.held;
    // A held step's state is ahead of the chain: show what is committed.
    const live = held ? undefined : execution?.state;
    // The executor adopts a step's state only after its commit resolves: a meta row read in between is
    // ahead of the live state, and status "completed" must never come with an older state's variables.
    const state = live && live.seq === meta.count ? live : engine.replay(model, await this.#deps.store.records(runId));
    const detail = runDetail(this.#info(meta, await this.#deps.locks.held()), model, state);
    if (!execution) {
      const elsewhere = await this.#stepInfoElsewhere(meta, model);
      return elsewhere ? { ...detail, step: elsewhere } : detail;
    }
    const breakpoints = execution.breakpoints;
    if (meta.status !== 'running' || (!execution.stepMode && !held && breakpoints.length === 0)) return detail;
    const name = held ? nodeName(model, held.node) : undefined;
    const step: StepInfo = { stepMode: execution.stepMode, breakpoints };
    if (held) step.held = { node: held.node, instance: held.instance, ...(name ? { name } : {}) };
    return { ...detail, step };
  }

  records(runId: string, fromSeq = 0): Promise<TokenRecord[]> {
    return this.#deps.store.records(runId, fromSeq);
  }

  async subscribeRecords(runId: string, fromSeq: number, listener: RecordsListener): Promise<Unsubscribe> {
    const feed = new RecordFeed(runId, fromSeq, (id, from) => this.#deps.store.records(id, from), listener);
    this.#feeds.add(feed);
    feed.poke();
    return this.#export(() => {
      feed.close();
      this.#feeds.delete(feed);
    });
  }

  async subscribeJobOutput(runId: string, listener: JobOutputListener): Promise<Unsubscribe> {
    if (!this.#deps.output) return this.#export(() => undefined);
    // A page that went away without unsubscribing rejects the call: stop watching for it.
    const off = this.#deps.output.watchOutput(runId, (chunk) => void Promise.resolve(listener(chunk)).catch(() => off()));
    return this.#export(off);
  }

  async subscribeRuns(listener: RunsListener): Promise<Unsubscribe> {
    this.#runListeners.add(listener);
    return this.#export(() => this.#runListeners.delete(listener));
  }

  async listUserTasks(runId?: string): Promise<OpenUserTask[]> {
    const runIds = runId ? [runId] : (await this.#deps.store.listRuns({ status: 'running' })).map((run) => run.runId);
    const details = await Promise.all(runIds.map((id) => this.getRun(id)));
    return details.flatMap((detail) => detail?.userTasks ?? []);
  }

  completeUserTask(runId: string, instance: string, variables?: Record<string, unknown>, owner?: string): Promise<void> {
    return this.#deliver(runId, { type: 'userTask.completed', instance, owner: ownerOf(owner), ...(variables ? { variables } : {}) });
  }

  correlateMessage(input: { name: string; runId?: string; correlationKey?: string; variables?: Record<string, unknown> }): Promise<void> {
    const event: EngineEvent = {
      type: 'message.correlated',
      name: input.name,
      owner: OWNER,
      ...(input.correlationKey === undefined ? {} : { correlationKey: input.correlationKey }),
      ...(input.variables ? { variables: input.variables } : {})
    };
    return this.#deliver(input.runId, event);
  }

  broadcastSignal(name: string, variables?: Record<string, unknown>): Promise<void> {
    return this.#deliver(undefined, { type: 'signal.broadcast', name, owner: OWNER, ...(variables ? { variables } : {}) });
  }

  cancelRun(runId: string): Promise<void> {
    return this.#deliver(runId, { type: 'run.cancelled', owner: OWNER });
  }

  resolveIncident(runId: string, incident: string, owner?: string): Promise<void> {
    return this.#deliver(runId, { type: 'incident.resolved', incident, owner: ownerOf(owner) });
  }

  setVariables(runId: string, variables: Record<string, unknown>, scope?: string): Promise<void> {
    return this.#deliver(runId, { type: 'variables.set', variables, owner: OWNER, ...(scope === undefined ? {} : { scope }) });
  }

  stepRun(runId: string): Promise<void> {
    return this.#stepping(runId, 'step');
  }

  continueRun(runId: string): Promise<void> {
    return this.#stepping(runId, 'continue');
  }

  setBreakpoints(runId: string, nodes: string[]): Promise<void> {
    return this.#stepping(runId, 'breakpoints', nodes);
  }

  /** Step controls act on the run where it executes: here, or in the tab that does (over the bus). */
  async #stepping(runId: string, action: 'step' | 'continue' | 'breakpoints', nodes: string[] = []): Promise<void> {
    const execution = this.#executions.get(runId);
    if (execution) {
      await stepAction(execution, action, nodes);
      this.#changedRun(runId);
      return;
    }
    const answer = await this.#deps.bus.request({ type: 'step.requested', requestId: crypto.randomUUID(), runId, action, nodes });
    if (answer === null) throw new Error(`no tab is executing run ${runId} right now (has it ended?)`);
    if (answer !== undefined) throw new Error(answer);
  }

  /** Where a run another tab executes is paused: read from the hold that tab keeps. */
  async #stepInfoElsewhere(meta: RunMeta, model: ProcessModel): Promise<StepInfo | undefined> {
    const hold = meta.status === 'running' ? await this.#deps.holds?.get(meta.runId) : undefined;
    if (!hold) return undefined;
    const next = hold.records.find((record) => record.seq >= meta.count);
    const step: StepInfo = { stepMode: hold.stepMode, breakpoints: hold.breakpoints ?? [] };
    const name = next ? nodeName(model, next.node) : undefined;
    if (next) step.held = { node: next.node, instance: next.instance, ...(name ? { name } : {}) };
    return step;
  }

  async resumeRun(runId: string): Promise<void> {
    const execution = this.#executions.get(runId);
    if (execution) return this.#resume(execution);
    const answer = await this.#deps.bus.request({ type: 'resume.requested', requestId: crypto.randomUUID(), runId });
    if (answer === null) {
      // Nobody executes it (its recovery failed, or its tab is gone): try here.
      const meta = await this.#deps.store.getRun(runId);
      if (meta?.status !== 'running') throw new Error(`run ${runId} has ended; there is nothing to resume`);
      this.#paused.delete(runId);
      this.#deps.bus.post({ type: 'run.resumed', runId });
      this.#claim(runId);
      return;
    }
    if (answer !== undefined) throw new Error(answer);
  }

  async exportChain(runId: string): Promise<ExportedChain> {
    const { run, records } = await this.#deps.store.chain(runId);
    if (!run) throw new Error(`no run ${runId}`);
    return { run, xml: await this.#deps.store.getXml(run.xmlSha256), records };
  }

  async verifyRun(runId: string): Promise<VerifyResult> {
    const { run, records } = await this.#deps.store.chain(runId);
    if (!run) return { ok: false, seq: 0, reason: `no run ${runId}` };
    return engine.verifyChain(records, run);
  }

  async simulateWriteFailure(kind: SimulatedFailure, skip = 0): Promise<void> {
    this.#deps.store.failNextWrite(() => new DOMException(`simulated ${kind} (test hook)`, kind), skip);
  }

  async writeStats(reset = false): Promise<WriteStats> {
    return this.#deps.store.writeStats(reset);
  }

  async measureRawWrites(runIds: string[], batches: [number, number][]) {
    return measureRawWrites(await this.#deps.store.rowsOf(runIds), batches);
  }

  /** Stops executing here (what terminating the worker does; tests use it to crash a host). */
  close(): void {
    for (const execution of this.#executions.values()) execution.close();
    this.#executions.clear();
    this.#closed = true;
  }

  /** Queues for the run's lock unless this host already holds or waits for it. */
  #claim(runId: string): void {
    if (this.#claimed.has(runId)) return;
    this.#claimed.add(runId);
    void this.#deps.locks
      .hold(runId, async () => {
        if (this.#closed) return;
        const meta = await this.#deps.store.getRun(runId);
        if (!meta || meta.status !== 'running') return;
        let model: ProcessModel;
        try {
          model = await this.#model(meta.xmlSha256);
        } catch (error) {
          this.#markPaused(runId, `This run cannot be executed: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
        const execution = this.#execution(runId, model);
        try {
          await execution.recover();
        } catch (error) {
          this.#markPaused(runId, `This run could not be recovered: ${error instanceof Error ? error.message : String(error)}`);
          execution.pauseForRetry(this.#paused.get(runId)!);
        }
        this.#changedRun(runId);
        await this.#executeUntilEnd(execution);
      })
      .catch(() => undefined)
      .finally(() => this.#claimed.delete(runId));
  }

  #execution(runId: string, model: ProcessModel, beforeCreate?: (state: engine.RunState) => Promise<void>, stepMode = false): RunExecution {
    const execution = new RunExecution({
      runId,
      model,
      ...(beforeCreate ? { beforeCreate } : {}),
      ...(this.#deps.holds ? { holds: this.#deps.holds } : {}),
      stepMode,
      store: this.#deps.store,
      clock: this.#deps.clock,
      jobs: this.#deps.jobs,
      onStep: (records, effects) => {
        // The feeds get the committed records pushed (no store re-read); the rest as before.
        for (const feed of this.#feeds) if (feed.runId === runId) feed.offer(records);
        this.#changedRun(runId, true, false);
        for (const effect of effects) this.#route(effect);
      },
      onPaused: (message) => this.#markPaused(runId, message)
    });
    this.#executions.set(runId, execution);
    return execution;
  }

  async #executeUntilEnd(execution: RunExecution): Promise<void> {
    try {
      await execution.finished;
    } finally {
      this.#executions.delete(execution.runId);
      execution.close();
      this.#changedRun(execution.runId);
    }
  }

  async #resume(execution: RunExecution): Promise<void> {
    await execution.resume();
    this.#paused.delete(execution.runId);
    this.#deps.bus.post({ type: 'run.resumed', runId: execution.runId });
    this.#changedRun(execution.runId);
  }

  /** Applies an event to a run here, or asks the tab executing it; no runId: every run. */
  async #deliver(runId: string | undefined, event: EngineEvent): Promise<void> {
    if (runId === undefined) {
      await Promise.all([...this.#executions.values()].map((execution) => execution.dispatch(event).catch(() => undefined)));
      this.#deps.bus.post({ type: 'event.requested', requestId: crypto.randomUUID(), event });
      return;
    }
    const execution = this.#executions.get(runId);
    if (execution) {
      await execution.dispatch(event);
      return;
    }
    const answer = await this.#deps.bus.request({ type: 'event.requested', requestId: crypto.randomUUID(), runId, event });
    if (answer === null) throw new Error(`no tab is executing run ${runId} right now (has it ended?)`);
    if (answer !== undefined) throw new Error(answer);
  }

  /** Messages and signals a run throws reach the other runs (here and in other tabs). */
  #route(effect: engine.Effect): void {
    if (effect.type === 'signal.publish') void this.broadcastSignal(effect.name, effect.variables).catch(() => undefined);
    if (effect.type === 'message.publish') {
      void this.correlateMessage({
        name: effect.name,
        variables: effect.variables,
        ...(effect.correlationKey === undefined ? {} : { correlationKey: effect.correlationKey })
      }).catch(() => undefined);
    }
  }

  async #onTabMessage(message: TabMessage): Promise<void> {
    if (this.#closed) return;
    switch (message.type) {
      case 'runs.changed':
        for (const runId of message.runIds) {
          this.#changedRun(runId, false);
          if (this.#claimed.has(runId) || this.#paused.has(runId)) continue;
          const meta = await this.#deps.store.getRun(runId);
          if (meta?.status === 'running') this.#claim(runId);
        }
        return;
      case 'run.paused':
        this.#paused.set(message.runId, message.message);
        this.#changedRun(message.runId, false);
        return;
      case 'run.resumed':
        this.#paused.delete(message.runId);
        this.#changedRun(message.runId, false);
        return;
      case 'event.requested': {
        if (message.runId === undefined) {
          for (const execution of this.#executions.values()) void execution.dispatch(message.event).catch(() => undefined);
          return;
        }
        const execution = this.#executions.get(message.runId);
        if (!execution) return;
        const error = await execution.dispatch(message.event).then(
          () => undefined,
          (e: unknown) => (e instanceof Error ? e.message : String(e))
        );
        this.#deps.bus.post({ type: 'request.answered', requestId: message.requestId, ...(error ? { error } : {}) });
        return;
      }
      case 'step.requested': {
        const execution = this.#executions.get(message.runId);
        if (!execution) return;
        const error = await stepAction(execution, message.action, message.nodes ?? []).then(
          () => undefined,
          (e: unknown) => (e instanceof Error ? e.message : String(e))
        );
        this.#changedRun(message.runId);
        this.#deps.bus.post({ type: 'request.answered', requestId: message.requestId, ...(error ? { error } : {}) });
        return;
      }
      case 'resume.requested': {
        const execution = this.#executions.get(message.runId);
        if (!execution) return;
        const error = await this.#resume(execution).then(
          () => undefined,
          (e: unknown) => (e instanceof Error ? e.message : String(e))
        );
        this.#deps.bus.post({ type: 'request.answered', requestId: message.requestId, ...(error ? { error } : {}) });
        return;
      }
      default:
        return;
    }
  }

  #markPaused(runId: string, message: string): void {
    this.#paused.set(runId, message);
    this.#deps.bus.post({ type: 'run.paused', runId, message });
    this.#changedRun(runId);
  }

  /** Feeds of this run read what is new; run listeners hear about it (coalesced); other tabs too. */
  #changedRun(runId: string, tellTabs = true, pokeFeeds = true): void {
    if (pokeFeeds) for (const feed of this.#feeds) if (feed.runId === runId) feed.poke();
    if (tellTabs) this.#tellTabs(runId);
    if (this.#runListeners.size === 0) return;
    this.#changed.add(runId);
    if (this.#changeTimer !== undefined) return;
    this.#changeTimer = setTimeout(() => {
      this.#changeTimer = undefined;
      const changed = [...this.#changed];
      this.#changed.clear();
      for (const listener of this.#runListeners) {
        Promise.resolve(listener(changed)).catch(() => this.#runListeners.delete(listener));
      }
    }, 50);
  }

  /** Other tabs hear of changed runs in one message per task, not one per commit. */
  #tellTabs(runId: string): void {
    this.#untold.add(runId);
    if (this.#untold.size > 1) return;
    setTimeout(() => {
      const runIds = [...this.#untold];
      this.#untold.clear();
      this.#deps.bus.post({ type: 'runs.changed', runIds });
    }, 0);
  }

  #info(run: RunMeta, held: Set<string>): RunInfo {
    const paused = this.#paused.get(run.runId);
    const executing = this.#executions.has(run.runId) ? 'here' : held.has(run.runId) ? 'elsewhere' : 'none';
    return { ...run, executing, ...(paused === undefined ? {} : { paused }) };
  }

  #model(xmlSha256: string): Promise<ProcessModel> {
    let model = this.#models.get(xmlSha256);
    if (!model) {
      model = this.#deps.store.getXml(xmlSha256).then((xml) => {
        if (xml === undefined) throw new Error(`the BPMN (sha256 ${xmlSha256}) is missing from the store`);
        return engine.compile(xml);
      });
      model.catch(() => this.#models.delete(xmlSha256));
      this.#models.set(xmlSha256, model);
    }
    return model;
  }

  async #compile(xml: string): Promise<{ model?: ProcessModel; outcome: CompileOutcome }> {
    const xmlSha256 = engine.sha256Hex(xml);
    try {
      let model = this.#models.get(xmlSha256);
      if (!model) {
        model = engine.compile(xml);
        this.#models.set(xmlSha256, model);
        model.catch(() => this.#models.delete(xmlSha256));
      }
      const compiled = await model;
      return { model: compiled, outcome: { ok: true, xmlSha256, processes: Object.keys(compiled.processes), problems: [] } };
    } catch (error) {
      const problems =
        error instanceof engine.CompileError
          ? error.problems.map((p) => ({ element: p.element, message: p.message }))
          : [{ element: '', message: error instanceof Error ? error.message : String(error) }];
      return { outcome: { ok: false, xmlSha256, processes: [], problems } };
    }
  }

  #export(fn: Unsubscribe): Unsubscribe {
    return this.#deps.exportFunction ? this.#deps.exportFunction(fn) : fn;
  }
}

/** An element's name from the model, if it has one. */
function nodeName(model: ProcessModel, node: string): string | undefined {
  for (const process of Object.values(model.processes)) {
    const found = process.nodes[node];
    if (found) return found.name;
  }
  return undefined;
}

function stepAction(execution: RunExecution, action: 'step' | 'continue' | 'breakpoints', nodes: string[]): Promise<void> {
  if (action === 'step') return execution.step();
  if (action === 'continue') return execution.continue();
  return execution.setBreakpoints(nodes);
}
