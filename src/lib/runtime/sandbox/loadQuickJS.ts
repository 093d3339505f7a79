// The core package and one variant, not the `quickjs-emscripten` barrel: the barrel references
// all four build variants, and Vite then emits all four .wasm files (4.2 MB instead of 0.5 MB).
// Both are dependencies of quickjs-emscripten, pinned to its exact version.
import RELEASE_SYNC from '@jitl/quickjs-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, newVariant } from 'quickjs-emscripten-core';
import type { QuickJSWASMModule } from 'quickjs-emscripten-core';

/**
 * Loads the release-sync QuickJS build (its .wasm is a separate file).
 *
 * In Node the variant reads the .wasm beside its own module. In a Vite bundle the browser
 * build of the variant finds it with `new URL('emscripten-module.wasm', import.meta.url)`,
 * which `vite build` emits as an asset; `vite dev`'s dependency pre-bundling does not copy
 * it, so browser code should pass the URL explicitly:
 * `import wasmUrl from '@jitl/quickjs-wasmfile-release-sync/wasm?url'; loadQuickJS(wasmUrl)`.
 */
export function loadQuickJS(wasmLocation?: string): Promise<QuickJSWASMModule> {
  const variant = wasmLocation === undefined ? RELEASE_SYNC : newVariant(RELEASE_SYNC, { wasmLocation });
  return newQuickJSWASMModuleFromVariant(variant);
}
