/**
 * The typed surface between the page and the engine worker (comlink). Both sides import it;
 * everything that crosses is structured-cloneable data, except listeners, which the page wraps
 * with `comlink.proxy` and which come back as a proxied unsubscribe function.
 */
import type { RunSummary, TokenRecord, VerifyResult } from '../engine/index.js';
import type { FormField } from '../engine/definition/model.js';
import type { RunMeta, RunStatus } from '../runtime/ports.js';
import type { JobOutputChunk } from '../runtime/jobs/RemoteJobs.js';
import type { DiagramSummary } from '../store/dexie/DiagramStore.js';
import type { WriteStats } from '../store/dexie/DexieRunStore.js';

export type { DiagramSummary, JobOutputChunk, WriteStats };

export interface Problem {
  element: string;
  message: string;
}

/** What compiling a diagram's XML gave. */
export interface CompileOutcome {
  ok: boolean;
  xmlSha256: string;
  /** Executable process ids, in document order (empty when not ok). */
  processes: string[];
  problems: Problem[];
}

export interface StartInput {
  /** BPMN XML to run (it is stored by hash; a diagram id saves a lookup). */
  xml?: string;
  diagramId?: string;
  processId?: string;
  variables?: Record<string, unknown>;
  /** Step mode: the run pauses before each element it enters (`stepRun` lets one proceed). */
  stepMode?: boolean;
}

/** Who executes a run: this tab's worker, another tab, or nobody (finished, or no tab open). */
export type Executing = 'here' | 'elsewhere' | 'none';

export interface RunInfo extends RunMeta {
  executing: Executing;
  /** Set while the run is paused because its store refused a write (quota, failed transaction). */
  paused?: string;
}

export interface OpenUserTask {
  runId: string;
  instance: string;
  node: string;
  name?: string;
  formFields: FormField[];
  variables: Record<string, unknown>;
  assignee?: string;
  candidateGroups?: string[];
  /** A form-js schema (JSON text), when the task has one. */
  formSchema?: string;
}

/** A job the browser cannot run (commands, http, job types): it waits for a runner. */
export interface WaitingJob {
  runId: string;
  instance: string;
  node: string;
  kind: string;
  note: string;
}

export interface PendingTimer {
  instance: string;
  node: string;
  dueAt: number;
}

/** A run that pauses (step mode or breakpoints; executing in this tab) and where it is paused. */
export interface StepInfo {
  /** The element the run is about to enter; absent while it waits for something else (a task, a timer). */
  held?: { node: string; name?: string; instance: string };
  /** Pausing before every element (else only at breakpoints). */
  stepMode?: boolean;
  /** Elements the run pauses before even outside step mode. */
  breakpoints?: string[];
}

export interface RunDetail {
  run: RunInfo;
  summary: Omit<RunSummary, 'visited'>;
  userTasks: OpenUserTask[];
  jobs: WaitingJob[];
  timers: PendingTimer[];
  /** Set while the run is in step mode. */
  step?: StepInfo;
}

export interface ExportedChain {
  run: RunMeta;
  xml: string | undefined;
  records: TokenRecord[];
}

export type Unsubscribe = () => void;
export type RecordsListener = (records: TokenRecord[]) => void;
/** Called (at most every 50 ms) with the runs that changed: created, advanced, paused, resumed, finished. */
export type RunsListener = (runIds: string[]) => void;
/** Live output of a run's jobs (commands on runners), as it streams; never stored. */
export type JobOutputListener = (chunk: JobOutputChunk) => void;

export interface RunFilterInput {
  status?: RunStatus | RunStatus[];
  processId?: string;
  diagramId?: string;
}

/** The write failures a test can inject (R19): the next chain transaction throws this DOMException. */
export type SimulatedFailure = 'QuotaExceededError' | 'AbortError';

export interface EngineHostApi {
  /** Compiles XML and reports its problems (nothing is stored). */
  loadDiagram(xml: string): Promise<CompileOutcome>;
  /** Saves a diagram version (compiling it first); `ok: false` outcomes are saved too. */
  saveDiagram(input: { id?: string; name: string; xml: string }): Promise<CompileOutcome & { diagram: DiagramSummary }>;
  listDiagrams(): Promise<DiagramSummary[]>;
  /** Starts a run; resolves once its first step is committed. Throws with the problems on invalid XML. */
  startRun(input: StartInput): Promise<{ runId: string }>;
  /** Starts `count` runs of the same input, at most `inFlight` starting at once; resolves with their ids. */
  startRuns(input: StartInput, count: number, inFlight?: number): Promise<string[]>;
  listRuns(filter?: RunFilterInput): Promise<RunInfo[]>;
  getRun(runId: string): Promise<RunDetail | undefined>;
  records(runId: string, fromSeq?: number): Promise<TokenRecord[]>;
  /** Sends the run's records from `fromSeq` now and every committed one after, in seq order, once each. */
  subscribeRecords(runId: string, fromSeq: number, listener: RecordsListener): Promise<Unsubscribe>;
  subscribeRuns(listener: RunsListener): Promise<Unsubscribe>;
  /** Live output of the run's jobs from the relay's runners (first what open jobs printed so far). */
  subscribeJobOutput(runId: string, listener: JobOutputListener): Promise<Unsubscribe>;
  listUserTasks(runId?: string): Promise<OpenUserTask[]>;
  /** `owner` names who acted when it is not this browser's user (a collaborator's intent, by their token `sub`). */
  completeUserTask(runId: string, instance: string, variables?: Record<string, unknown>, owner?: string): Promise<void>;
  /** To one run, or (no runId) to every running run. */
  correlateMessage(input: { name: string; runId?: string; correlationKey?: string; variables?: Record<string, unknown> }): Promise<void>;
  broadcastSignal(name: string, variables?: Record<string, unknown>): Promise<void>;
  cancelRun(runId: string): Promise<void>;
  resolveIncident(runId: string, incident: string, owner?: string): Promise<void>;
  /** Edits a running run's variables (root scope unless `scope`): a `variables` record, e.g. before retrying an incident. */
  setVariables(runId: string, variables: Record<string, unknown>, scope?: string): Promise<void>;
  /** Step mode: lets the element the run is paused before proceed; it pauses before the next one. */
  stepRun(runId: string): Promise<void>;
  /** Leaves step mode: what is held is committed and the run goes on freely. */
  continueRun(runId: string): Promise<void>;
  /** The elements a run executing here pauses before (also outside step mode); [] clears them. */
  setBreakpoints(runId: string, nodes: string[]): Promise<void>;
  /** Resumes a run paused by a failed write: it is recovered from its committed records. */
  resumeRun(runId: string): Promise<void>;
  exportChain(runId: string): Promise<ExportedChain>;
  verifyRun(runId: string): Promise<VerifyResult>;
  /** Test hook (R3, R19): the chain write after the next `skip` in this worker fails with this DOMException. */
  simulateWriteFailure(kind: SimulatedFailure, skip?: number): Promise<void>;
  /** Benchmark: how this worker's chain transactions were shaped (`reset` starts counting anew). */
  writeStats(reset?: boolean): Promise<WriteStats>;
  /** Benchmark: rewrites these runs' stored rows into a scratch database by bulkAdd in these batch sizes. */
  measureRawWrites(runIds: string[], batches: [number, number][]): Promise<{ rows: number; records: number; transactions: number; ms: number }>;
}
