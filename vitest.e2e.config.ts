import { defineConfig } from 'vitest/config';

// End-to-end and multi-process tests: real relay, real Chromium, one file at a time (2 cores).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120000,
    hookTimeout: 120000,
    fileParallelism: false
  }
});
