import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Loading the real MNIST files and training small models take seconds, not the default 5.
    testTimeout: 60000,
  },
});
