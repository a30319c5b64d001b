// Keras 3's later activations, the kernels alone on one thread: kerasm's core-wasm forward and
// backward (with the fused bias gradient where a layer uses it) against the same forward pass as
// tfjs-core 4.22 ops on tfjs-backend-wasm (Keras 3's formulas; tfjs has none of these built in).
// 128×256 values (a Dense 256 layer's batch of 128); glu reads 128×512. Microseconds per call,
// mean of 200 calls after 200 warm-up calls.
//
//   node bench/keras3_activation_kernels.mjs
import { Activation, InputActivation, loadCore } from '@kerasm/core-wasm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';

const [ROWS, COLS] = [128, 256];
const n = ROWS * COLS;
const core = await loadCore({ flavor: 'simd' });
const [x, y, dy, dx, dBias] = [2 * n, 2 * n, n, 2 * n, COLS].map((floats) => core.malloc(4 * floats));
const heap = core.f32();
const values = Float32Array.from({ length: 2 * n }, (_, i) => Math.sin(i) * 3);
heap.set(values, x / 4);
for (let i = 0; i < n; i++) heap[dy / 4 + i] = Math.cos(i);

await tf.setBackend('wasm');
const tx = tf.tensor2d(values.subarray(0, n), [ROWS, COLS]);
const tx2 = tf.tensor2d(values, [ROWS, 2 * COLS]);

function microseconds(fn) {
  for (let i = 0; i < 200; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) fn();
  return ((performance.now() - t0) / 200) * 1000;
}

/** A tfjs forward pass, its result disposed each call (tfjs-wasm runs synchronously). */
const tfjs = (f, input = tx) => microseconds(() => tf.tidy(() => f(input)).dispose());

function sparsemax(z) {
  const cols = z.shape[1];
  const sorted = tf.topk(z, cols).values;
  const cumulative = tf.cumsum(sorted, 1);
  const inSupport = tf.cast(tf.greater(tf.add(1, tf.mul(tf.range(1, cols + 1), sorted)), cumulative), 'float32');
  const tau = tf.div(tf.sub(tf.sum(tf.mul(sorted, inSupport), 1, true), 1), tf.sum(inSupport, 1, true));
  return tf.relu(tf.sub(z, tau));
}

const FROM_OUTPUT = [
  ['squareplus', Activation.Squareplus, (z) => tf.div(tf.add(z, tf.sqrt(tf.add(tf.square(z), 4))), 2)],
  ['soft_shrink', Activation.SoftShrink, (z) => tf.sub(z, tf.clipByValue(z, -0.5, 0.5))],
  ['hard_shrink', Activation.HardShrink, (z) => tf.mul(z, tf.cast(tf.greater(tf.abs(z), 0.5), 'float32'))],
  ['sparse_plus', Activation.SparsePlus, (z) => tf.where(tf.greaterEqual(z, 1), z, tf.mul(tf.square(tf.add(tf.clipByValue(z, -1, 1), 1)), 0.25))],
  ['sparsemax', Activation.Sparsemax, sparsemax],
  ['(relu, for scale)', Activation.Relu, (z) => tf.relu(z)],
];

const row = (name, forward, backward, tfjsForward) =>
  console.log(`| ${name} | ${forward.toFixed(0)} | ${backward.toFixed(0)} | ${tfjsForward.toFixed(0)} | ${(forward / tfjsForward).toFixed(2)} |`);
console.log('| kind | kerasm forward | kerasm backward | tfjs-wasm forward | forward kerasm / tfjs |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, kind, f] of FROM_OUTPUT) {
  const forward = microseconds(() => core.activationForward(kind, x, y, ROWS, COLS));
  const backward = microseconds(() => core.activationBackwardBias(kind, y, dy, dx, dBias, ROWS, COLS, false));
  row(name, forward, backward, tfjs(f));
}
row('tanh_shrink (from z)',
  microseconds(() => core.inputActivationForward(InputActivation.TanhShrink, x, y, n)),
  microseconds(() => core.inputActivationBackward(InputActivation.TanhShrink, x, dy, dx, dBias, ROWS, COLS)),
  tfjs((z) => tf.sub(z, tf.tanh(z))));
row('glu (128×512 → 128×256)',
  microseconds(() => core.gluForward(x, y, ROWS, COLS)),
  microseconds(() => core.gluBackward(x, dy, dx, ROWS, COLS)),
  tfjs((z) => { const [a, b] = tf.split(z, 2, 1); return tf.mul(a, tf.sigmoid(b)); }, tx2));
