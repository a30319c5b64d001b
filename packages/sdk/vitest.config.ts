import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // *.browser.test.ts need a browser's storage and DOM: vitest.browser.config.ts runs them in Chromium.
    exclude: ['src/**/*.browser.test.ts'],
    // Loading the real MNIST files and training small models take seconds, not the default 5.
    testTimeout: 60000,
    // vitest's default, one worker fewer than the cores, runs one file at a time on the 2-core build
    // machine; two workers take the Node suite from about 440 s to 310 s there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Files share their worker's modules: importing the SDK and TensorFlow.js once per worker, not
    // once per file, takes the suite from about 290 s to 215 s. The setup file resets what they share.
    isolate: false,
    setupFiles: ['src/testing/fresh_session.ts'],
  },
});
