import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    // The end-to-end suites start Chromium, load MNIST and train: tens of seconds, not 5.
    testTimeout: 120000,
    hookTimeout: 60000,
    // One browser at a time on a 2-core machine.
    fileParallelism: false,
  },
});
