// km's host ops written for tfjs code that calls tf.conv2d & co. in custom layers, losses and
// written-out loops, against the same ops in tfjs-core 4.22 on tfjs-wasm and tfjs-cpu (tfjs-wasm
// has no kernel for conv2d's filter gradient, so tfjs.grads of a conv2d fails there): a 3×3 convolution of a
// batch of 8 32×32×16 images to 32 channels ('same'), its gradients with respect to input and
// filter, a 2×2 max pool and its gradient, and a bilinear resize to 48×48 (tfjs' default grid, and
// half-pixel centres). kerasm on one thread; its products of 65,536 multiply-adds or more run on
// the WASM core's GEMM, its large pools and resizes on the core's kernels.
import { interleave, median, secondsPerCall } from './stats.mjs';
import { km, tf, useKerasm, useTfjs } from './setup.mjs';

const X_SHAPE = [8, 32, 32, 16];
const FILTER_SHAPE = [3, 3, 16, 32];

function values(n, seed) {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
}
const size = (shape) => shape.reduce((a, b) => a * b, 1);
const X = values(size(X_SHAPE), 1);
const FILTER = values(size(FILTER_SHAPE), 2);

/** Milliseconds per call of each op in kerasm. */
async function kerasmOps() {
  await useKerasm(1);
  const [x, w] = [km.tensor(X, X_SHAPE), km.tensor(FILTER, FILTER_SHAPE)];
  const convGrads = km.grads((a, b) => km.sum(km.conv2d(a, b, 1, 'same')));
  const poolGrad = km.grad((a) => km.sum(km.maxPool(a, 2, 2, 'valid')));
  return {
    conv2d: 1000 * secondsPerCall(() => km.conv2d(x, w, 1, 'same')),
    'conv2d gradients': 1000 * secondsPerCall(() => convGrads([x, w])),
    maxPool: 1000 * secondsPerCall(() => km.maxPool(x, 2, 2, 'valid')),
    'maxPool gradient': 1000 * secondsPerCall(() => poolGrad(x)),
    resizeBilinear: 1000 * secondsPerCall(() => km.image.resizeBilinear(x, [48, 48])),
    'resizeBilinear half-pixel': 1000 * secondsPerCall(() => km.image.resizeBilinear(x, [48, 48], false, true)),
  };
}

/** Milliseconds per call of `f` (its tensors disposed), or NaN where `backend` has no kernel for it. */
function tfjsTime(f) {
  try {
    return 1000 * secondsPerCall(() => tf.dispose(f()));
  } catch (e) {
    if (/not registered for backend/.test(e.message)) return NaN;
    throw e;
  }
}

/** The same ops in tfjs on `backend`. */
async function tfjsOps(backend) {
  await useTfjs(backend);
  const [x, w] = [tf.tensor4d(X, X_SHAPE), tf.tensor4d(FILTER, FILTER_SHAPE)];
  const convGrads = tf.grads((a, b) => tf.sum(tf.conv2d(a, b, 1, 'same')));
  const poolGrad = tf.grad((a) => tf.sum(tf.maxPool(a, 2, 2, 'valid')));
  const result = {
    conv2d: tfjsTime(() => tf.conv2d(x, w, 1, 'same')),
    'conv2d gradients': tfjsTime(() => convGrads([x, w])),
    maxPool: tfjsTime(() => tf.maxPool(x, 2, 2, 'valid')),
    'maxPool gradient': tfjsTime(() => poolGrad(x)),
    resizeBilinear: tfjsTime(() => tf.image.resizeBilinear(x, [48, 48])),
    'resizeBilinear half-pixel': tfjsTime(() => tf.image.resizeBilinear(x, [48, 48], false, true)),
  };
  tf.dispose([x, w]);
  return result;
}

export async function hostOpsSpeed({ repetitions, log }) {
  const contenders = { kerasm: kerasmOps, 'tfjs-wasm': () => tfjsOps('wasm'), 'tfjs-cpu': () => tfjsOps('cpu') };
  const runs = await interleave(contenders, repetitions, (r, res) =>
    log(`  rep ${r + 1}: ${Object.keys(res.kerasm[r]).map((op) => `${op} ${Object.keys(contenders).map((c) => res[c][r][op].toFixed(2)).join(' / ')} ms`).join(', ')} (kerasm / tfjs-wasm / tfjs-cpu)`),
  );
  const ops = Object.keys(runs.kerasm[0]);
  const medians = Object.fromEntries(ops.flatMap((op) => Object.keys(contenders).map((c) => [`${c} ${op}`, median(runs[c].map((r) => r[op]))])));
  // Against the faster tfjs backend that has the op's kernels.
  const fastestTfjs = (op) => Math.min(...['tfjs-wasm', 'tfjs-cpu'].map((c) => medians[`${c} ${op}`]).filter((v) => !Number.isNaN(v)));
  return {
    title: `Host ops as tfjs code calls them: conv2d of x [${X_SHAPE.join(', ')}] by [${FILTER_SHAPE.join(', ')}] ('same'), its gradients, maxPool 2×2 and its gradient, resizeBilinear to 48×48 (default grid, and half-pixel centres); ms per call, kerasm on one thread (NaN: no tfjs kernel on that backend)`,
    unit: 'ms', lowerIsBetter: true, runs, medians,
    ratios: Object.fromEntries(ops.map((op) => [`kerasm / fastest tfjs ${op}`, medians[`kerasm ${op}`] / fastestTfjs(op)])),
  };
}
