import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // *.browser.test.ts need a browser's storage and DOM: vitest.browser.config.ts runs them in Chromium.
    exclude: ['src/**/*.browser.test.ts'],
    // Loading the real MNIST files and training small models take seconds, not the default 5.
    testTimeout: 60000,
  },
});
