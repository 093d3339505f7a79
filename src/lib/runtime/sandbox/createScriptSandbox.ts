import type { QuickJSWASMModule } from 'quickjs-emscripten-core';
import { loadQuickJS } from './loadQuickJS.js';
import { runScript } from './runScript.js';
import type { ScriptLimits, ScriptOutcome } from './runScript.js';

export interface ScriptSandbox {
  /** Runs one script in a fresh QuickJS runtime; see `runScript` for the contract. */
  runScript(source: string, variables: Record<string, unknown>, limits: ScriptLimits): Promise<ScriptOutcome>;
}

/**
 * A sandbox that loads the QuickJS module once, on first use, and shares it between scripts
 * (each script still gets its own runtime and context). A host-side failure inside the
 * module (a WebAssembly abort) can leave it unusable, so after one the next script loads a
 * fresh module.
 */
export function createScriptSandbox(load: () => Promise<QuickJSWASMModule> = () => loadQuickJS()): ScriptSandbox {
  let module: Promise<QuickJSWASMModule> | undefined;
  return {
    async runScript(source, variables, limits) {
      module ??= load();
      const quickjs = await module.catch((error: unknown) => {
        module = undefined;
        throw error;
      });
      try {
        return runScript(quickjs, source, variables, limits);
      } catch (error) {
        module = undefined;
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: { kind: 'thrown', message: `script sandbox failed: ${message}` } };
      }
    }
  };
}
