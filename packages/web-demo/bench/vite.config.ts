import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Builds the bench page into bench/dist; bench/run.mjs serves it with the MNIST assets and
// tfjs-backend-wasm's .wasm files.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
