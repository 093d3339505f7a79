/**
 * Script tasks in the browser: QuickJS compiled to WebAssembly, loaded once per worker from the
 * app's own bundle (no CDN), a fresh runtime per script with time and memory limits.
 */
import wasmLocation from '@jitl/quickjs-wasmfile-release-sync/wasm?url';
import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';
import { runScript } from '../runtime/sandbox/runScript.js';
import type { SandboxedScript } from './BrowserJobs.js';

const LIMITS = { timeoutMs: 5_000, memoryBytes: 64 * 1024 * 1024 };

let module: Promise<QuickJSWASMModule> | undefined;

export const runSandboxedScript: SandboxedScript = async (source, variables) => {
  module ??= newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmLocation }));
  return runScript(await module, source, variables, LIMITS);
};
