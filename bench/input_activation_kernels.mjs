// The input-needing activation kernels alone on one thread: forward, and backward with the fused
// bias gradient, over 128×256 values (a Dense 256 layer's batch of 128), next to the f32 sigmoid
// and tanh forward passes for scale. Microseconds per call, mean of 200 calls after 20 warm-up calls.
//
//   node bench/input_activation_kernels.mjs
import { Activation, InputActivation, loadCore } from '@kerasm/core-wasm';

const [ROWS, COLS] = [128, 256];
const n = ROWS * COLS;
const core = await loadCore({ flavor: 'simd' });
const [x, y, dy, dBias] = [n, n, n, COLS].map((floats) => core.malloc(4 * floats));
const heap = core.f32();
for (let i = 0; i < n; i++) [heap[x / 4 + i], heap[dy / 4 + i]] = [Math.sin(i) * 3, Math.cos(i)];

function microseconds(fn) {
  for (let i = 0; i < 20; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) fn();
  return ((performance.now() - t0) / 200) * 1000;
}

for (const kind of [InputActivation.Swish, InputActivation.Gelu, InputActivation.GeluTanh, InputActivation.Mish, InputActivation.HardSilu, InputActivation.TanhShrink]) {
  const forward = microseconds(() => core.inputActivationForward(kind, x, y, n));
  const backward = microseconds(() => core.inputActivationBackward(kind, x, dy, y, dBias, ROWS, COLS));
  console.log(`${InputActivation[kind]}: forward ${forward.toFixed(0)} µs, backward with bias gradient ${backward.toFixed(0)} µs`);
}
for (const kind of [Activation.Sigmoid, Activation.Tanh]) {
  console.log(`${Activation[kind]} forward (f32, from y): ${microseconds(() => core.activationForward(kind, x, y, ROWS, COLS)).toFixed(0)} µs`);
}
