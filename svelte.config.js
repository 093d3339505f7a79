import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// TESSERA_BUILD_DIR lets parallel work build and test side by side without clobbering `build/`.
const pages = process.env.TESSERA_BUILD_DIR || 'build';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // SPA: every route falls back to index.html; the relay serves it for unknown paths.
    adapter: adapter({ pages, assets: pages, fallback: 'index.html', strict: true }),
    serviceWorker: { register: false },
    ...(pages === 'build' ? {} : { outDir: `.svelte-kit-${pages.replace(/[^\w-]/g, '_')}` })
  }
};

export default config;
