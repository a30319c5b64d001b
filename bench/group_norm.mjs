// Group normalization alone on one thread: kerasm's wasm kernels (forward, then backward with dx,
// dGamma, dBeta) against the same layer written in tfjs ops (tfjs-layers 4.22 has no
// GroupNormalization: reshape to groups, tf.moments, scale and shift; its gradient by tf.grads) on
// tfjs-backend-wasm and tfjs-backend-cpu. Shapes of a small diffusion U-Net block, NHWC, batch
// GN_BATCH (default 8). Milliseconds per forward + backward, median of GN_REPS (default 30) calls
// after 5 warm-up calls.
//
//   node bench/group_norm.mjs
import { loadCore } from '@kerasm/core-wasm';
import { tf } from './suite/setup.mjs';

const batch = Number(process.env.GN_BATCH ?? 8);
const reps = Number(process.env.GN_REPS ?? 30);
const CASES = [
  { name: '32×32×64, 32 groups', spatial: 32 * 32, channels: 64, groups: 32 },
  { name: '16×16×128, 32 groups', spatial: 16 * 16, channels: 128, groups: 32 },
  { name: '32×32×64, 64 groups (instance)', spatial: 32 * 32, channels: 64, groups: 64 },
];

function median(fn) {
  for (let i = 0; i < 5; i++) fn();
  const times = Array.from({ length: reps }, () => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  });
  return times.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

const core = await loadCore({ flavor: 'simd' });

function kerasmMs({ spatial, channels, groups }) {
  const n = batch * spatial * channels;
  const stats = batch * groups;
  const [x, y, dy, dx, gamma, beta, mean, invStd, dGamma, dBeta] = [n, n, n, n, channels, channels, stats, stats, channels, channels].map((f) => core.malloc(4 * f));
  const heap = core.f32();
  for (let i = 0; i < n; i++) [heap[x / 4 + i], heap[dy / 4 + i]] = [Math.sin(i) * 3, Math.cos(i)];
  for (let c = 0; c < channels; c++) [heap[gamma / 4 + c], heap[beta / 4 + c]] = [1 + c / channels, c / channels];
  return median(() => {
    core.groupNormForward(x, y, gamma, beta, mean, invStd, batch, spatial, channels, groups, 1e-3);
    core.groupNormBackward(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, batch, spatial, channels, groups);
  });
}

async function tfjsMs(backend, { spatial, channels, groups }) {
  await tf.setBackend(backend);
  await tf.ready();
  const n = batch * spatial * channels;
  const x = tf.tensor(Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3), [batch, spatial, channels]);
  const dy = tf.tensor(Float32Array.from({ length: n }, (_, i) => Math.cos(i)), [batch, spatial, channels]);
  const gamma = tf.tensor(Float32Array.from({ length: channels }, (_, c) => 1 + c / channels));
  const beta = tf.tensor(Float32Array.from({ length: channels }, (_, c) => c / channels));
  const groupNorm = (xs, g, b) => {
    const grouped = tf.reshape(xs, [batch, spatial, groups, channels / groups]);
    const { mean, variance } = tf.moments(grouped, [1, 3], true);
    const normalized = tf.reshape(tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, 1e-3))), [batch, spatial, channels]);
    return tf.add(tf.mul(normalized, g), b);
  };
  const gradients = tf.grads(groupNorm);
  return median(() => tf.tidy(() => gradients([x, gamma, beta], dy).forEach((t) => t.dataSync())));
}

for (const c of CASES) {
  const [wasm, tfWasm, tfCpu] = [kerasmMs(c), await tfjsMs('wasm', c), await tfjsMs('cpu', c)];
  console.log(`${c.name}, batch ${batch}: kerasm wasm ${wasm.toFixed(2)} ms, tfjs-wasm ${tfWasm.toFixed(2)} ms (${(tfWasm / wasm).toFixed(1)}×), tfjs-cpu ${tfCpu.toFixed(2)} ms (${(tfCpu / wasm).toFixed(1)}×)`);
}
