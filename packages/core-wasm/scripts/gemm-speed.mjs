// Prints single-thread GEMM GFLOP/s for the training shapes and a few squares, per flavor.
// Run after `pnpm build`: node --experimental-wasm-relaxed-simd scripts/gemm-speed.mjs
import { loadCore, relaxedSimdSupported } from '../dist/index.js';

// [label, transA, transB, m, n, k]
const shapes = [
  ['64x784 . 784x64', false, false, 64, 64, 784],
  ['784x64^T . 64x64 (xT.dY)', true, false, 784, 64, 64],
  ['64x64 . 64x10', false, false, 64, 10, 64],
  ['64x10 . (64x10)^T', false, true, 64, 64, 10],
  ['256^2', false, false, 256, 256, 256],
  ['512^2', false, false, 512, 512, 512],
  ['1024^2', false, false, 1024, 1024, 1024],
];

const flavors = (await relaxedSimdSupported()) ? ['simd', 'relaxed-simd'] : ['simd'];
for (const flavor of flavors) {
  const core = await loadCore({ flavor });
  console.log(`-- ${flavor}`);
  for (const [label, transA, transB, m, n, k] of shapes) {
    const a = core.malloc(4 * m * k);
    const b = core.malloc(4 * k * n);
    const c = core.malloc(4 * m * n);
    const f = core.f32();
    for (let i = 0; i < m * k; i++) f[a / 4 + i] = Math.random() - 0.5;
    for (let i = 0; i < k * n; i++) f[b / 4 + i] = Math.random() - 0.5;
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    const run = () => core.gemm(transA, transB, m, n, k, a, lda, b, ldb, c, n, false);
    const flops = 2 * m * n * k;
    const reps = Math.max(3, Math.round(3e8 / flops));
    for (let i = 0; i < Math.min(reps, 50); i++) run();
    let best = Infinity;
    // Best of many short trials: this shared 2-core VM is noisy.
    for (let trial = 0; trial < 20; trial++) {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) run();
      best = Math.min(best, (performance.now() - t0) / reps);
    }
    console.log(`${label.padEnd(28)} ${(flops / best / 1e6).toFixed(1).padStart(6)} GFLOP/s`);
    core.free(a);
    core.free(b);
    core.free(c);
  }
}
