/**
 * Script tasks in the browser: QuickJS compiled to WebAssembly, loaded once per worker from the
 * app's own bundle (no CDN), a fresh runtime per script with time and memory limits.
 */
import wasmLocation from '@jitl/quickjs-wasmfile-release-sync/wasm?url';
import { createScriptSandbox } from '../runtime/sandbox/createScriptSandbox.js';
import { loadQuickJS } from '../runtime/sandbox/loadQuickJS.js';
import type { SandboxedScript } from './BrowserJobs.js';

const LIMITS = { timeoutMs: 5_000, memoryBytes: 64 * 1024 * 1024 };
const sandbox = createScriptSandbox(() => loadQuickJS(wasmLocation));

export const runSandboxedScript: SandboxedScript = (source, variables) => sandbox.runScript(source, variables, LIMITS);
