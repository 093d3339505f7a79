import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    // `npm run dev` runs the relay beside vite; its API and sockets are proxied.
    proxy: {
      '/healthz': 'http://127.0.0.1:8787',
      '/api': 'http://127.0.0.1:8787',
      '/sync': { target: 'ws://127.0.0.1:8787', ws: true }
    }
  },
  test: {
    include: ['src/**/*.test.ts', 'sync-server/**/*.test.ts', 'bin/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20000
  }
});
