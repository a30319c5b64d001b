import { defineConfig } from 'vite';

// Cross-origin isolation lets SharedArrayBuffer (and so the threaded core) run.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative URLs, so the built page and element work from any folder they are deployed to.
  base: './',
  server: { headers: isolation },
  preview: { headers: isolation },
  // The demo's worker imports TensorFlow.js only when a tfjs backend is chosen; Vite's default
  // worker format (IIFE) cannot split code, so it would inline TensorFlow.js into the worker and
  // the default WASM path would download it too (e2e/backends.test.ts checks that it does not).
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: { index: 'index.html', 'kerasm-mnist-demo': 'src/index.ts' },
      // Keep the element module's exports (an app build would drop them).
      preserveEntrySignatures: 'strict',
      output: {
        // JavaScript sits at the top of dist/, beside mnist/, because the element finds its default
        // data folder relative to its own module.
        entryFileNames: (chunk) => (chunk.name === 'kerasm-mnist-demo' ? '[name].js' : '[name]-[hash].js'),
        chunkFileNames: '[name]-[hash].js',
      },
    },
  },
});
