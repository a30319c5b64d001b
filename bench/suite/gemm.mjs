// GEMM GFLOP/s per shape and transpose variant: kerasm's core on 1 and all threads against
// tfjs-wasm's tf.matMul (XNNPACK, single-threaded in Node) with transposeA/B on the same shapes.
import { loadCore } from '@kerasm/core-wasm';
import { interleave, median, secondsPerCall } from './stats.mjs';
import { CORES, tf, useTfjs } from './setup.mjs';

// [label, transA, transB, m, n, k]: the reference MLP's forward and backward products, and squares.
const SHAPES = [
  ['x·W1 64x784 · 784x64', false, false, 64, 64, 784],
  ['xT·dZ1 (784x64)T · 64x64', true, false, 784, 64, 64],
  ['dZ2·W2T 64x10 · (64x10)T', false, true, 64, 64, 10],
  ['h·W2 64x64 · 64x10', false, false, 64, 10, 64],
  ['hT·dZ2 (64x64)T · 64x10', true, false, 64, 10, 64],
  ['256^2', false, false, 256, 256, 256],
  ['512^2', false, false, 512, 512, 512],
  ['1024^2', false, false, 1024, 1024, 1024],
  ['512^2 A·BT', false, true, 512, 512, 512],
  ['512^2 AT·B', true, false, 512, 512, 512],
];

const random = (n) => Float32Array.from({ length: n }, () => Math.random() - 0.5);

function kerasmGemm(core, [, transA, transB, m, n, k]) {
  const a = core.malloc(4 * m * k), b = core.malloc(4 * k * n), c = core.malloc(4 * m * n);
  core.f32().set(random(m * k), a / 4);
  core.f32().set(random(k * n), b / 4);
  const run = () => core.gemm(transA, transB, m, n, k, a, transA ? m : k, b, transB ? k : n, c, n, false);
  return { run, free: () => [a, b, c].forEach((p) => core.free(p)) };
}

function tfjsGemm([, transA, transB, m, n, k]) {
  const a = tf.tensor2d(random(m * k), transA ? [k, m] : [m, k]);
  const b = tf.tensor2d(random(k * n), transB ? [n, k] : [k, n]);
  const run = () => tf.matMul(a, b, transA, transB).dispose();
  return { run, free: () => tf.dispose([a, b]) };
}

export async function gemmSpeed({ repetitions, log }) {
  await useTfjs('wasm');
  const cores = { 'kerasm 1 thread': await loadCore({ threads: 1 }), [`kerasm ${CORES} threads`]: await loadCore({ threads: CORES }) };
  const medians = {};
  const ratios = {};
  for (const shape of SHAPES) {
    const flops = 2 * shape[3] * shape[4] * shape[5];
    const subjects = { ...Object.fromEntries(Object.entries(cores).map(([name, core]) => [name, kerasmGemm(core, shape)])), 'tfjs-wasm': tfjsGemm(shape) };
    const contenders = Object.fromEntries(Object.entries(subjects).map(([name, s]) => [name, () => flops / secondsPerCall(s.run, { minMs: 20, trials: 3 }) / 1e9]));
    const runs = await interleave(contenders, repetitions);
    Object.values(subjects).forEach((s) => s.free());
    const row = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
    medians[shape[0]] = row;
    ratios[shape[0]] = Object.fromEntries(Object.keys(cores).map((name) => [`${name} / tfjs-wasm`, row[name] / row['tfjs-wasm']]));
    log(`  ${shape[0].padEnd(28)} ${Object.entries(row).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')} GFLOP/s`);
  }
  Object.values(cores).forEach((core) => core.dispose());
  return { title: 'GEMM GFLOP/s (higher is better)', kernels: Object.values(cores)[0].flavor, medians, ratios };
}
