import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Node 20 validates relaxed SIMD only behind this flag; the forks pool passes it to workers.
    execArgv: ['--experimental-wasm-relaxed-simd'],
    testTimeout: 60_000,
  },
});
