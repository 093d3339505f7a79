import { newQuickJSWASMModule, newVariant, RELEASE_SYNC } from 'quickjs-emscripten';
import type { QuickJSWASMModule } from 'quickjs-emscripten';

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
  return newQuickJSWASMModule(variant);
}
