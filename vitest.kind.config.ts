import { defineConfig } from 'vitest/config';

/** `npm run test:kind`: the opt-in suite against a real kind cluster (skips itself, saying why, without Docker and kind). */
export default defineConfig({
  test: {
    include: ['test/kind/**/*.test.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 20 * 60_000,
    fileParallelism: false,
  },
});
