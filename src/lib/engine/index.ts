/** The engine's public surface: hosts import from here only. */
export type { StepResult, RunSummary, VerifyResult } from './api.js';
export type { TokenRecord, UnsealedRecord, RecordKind, RecordStatus } from './chain/record.js';
export type { ProcessModel, Problem } from './definition/model.js';
export type { Effect, JobPayload, ResolvedCommand, ResolvedHttp } from './effects.js';
export type { EngineContext, EngineEvent, ErrorInfo, StartCommand, Variables } from './events.js';
export type { RunState } from './state.js';
export { canonicalJson } from './chain/canonicalJson.js';
export { sha256Hex } from './chain/hash.js';
export { verifyChain } from './chain/verifyChain.js';
export { compile } from './definition/compile.js';
export { CompileError } from './definition/CompileError.js';
export { start, step } from './transition.js';
export { replay } from './replay.js';
export { summarize, pendingEffects, visitedFrom } from './summary.js';
export { EngineError } from './Stepper.js';
export { startTriggers, type StartTrigger } from './startEvents.js';
