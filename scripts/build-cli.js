// Bundles the CLI (src/cli/main.ts and everything it imports) into dist/cli.mjs with esbuild, so
// `bin/tessera` starts in ~0.3 s instead of compiling TypeScript through tsx on every call.
// Runs on `npm ci` / `npm install` (the `prepare` script); bin/tessera falls back to tsx when the
// bundle is missing or older than the sources.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  entryPoints: [`${root}src/cli/main.ts`],
  outfile: `${root}dist/cli.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Native and WebAssembly packages load their own files at run time.
  external: ['better-sqlite3', 'quickjs-emscripten', 'quickjs-emscripten-core', '@jitl/*', 'tsx'],
  banner: { js: "import { createRequire as __tesseraRequire } from 'node:module'; const require = __tesseraRequire(import.meta.url);" },
  logLevel: 'warning'
});
