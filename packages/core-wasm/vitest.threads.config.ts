import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// The whole kernel suite again on the shared-memory builds, with gemm split over 2 threads.
export default mergeConfig(base, defineConfig({ test: { env: { KERASM_CORE_THREADS: '2' } } }));
