// The augmentation layers' projective transform kernel on one thread next to tfjs 4.22's own
// tf.image.transform on tfjs-wasm (XNNPACK build; its Transform kernel is single-threaded C++):
// a batch of 32 images rotated by a different angle each, bilinear, fill mode 'nearest' (the mode
// where tfjs-wasm agrees with TensorFlow). Milliseconds per call, median of 5 rounds of 20 calls
// after 5 warm-up calls; kerasm's backward (the transposed sampling) has no tfjs counterpart.
//
//   node bench/image_transform.mjs
import { loadCore } from '@kerasm/core-wasm';

const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-wasm');
await tf.setBackend('wasm');
const core = await loadCore({ flavor: 'simd' });

function rotations(batch, h, w) {
  return Float32Array.from({ length: 8 * batch }, (_, i) => {
    const angle = 0.02 * Math.floor(i / 8) - 0.3;
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    return [cos, -sin, ((w - 1) - (cos * (w - 1) - sin * (h - 1))) / 2, sin, cos, ((h - 1) - (sin * (w - 1) + cos * (h - 1))) / 2, 0, 0][i % 8];
  });
}

function milliseconds(fn) {
  for (let i = 0; i < 5; i++) fn();
  const rounds = Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) fn();
    return (performance.now() - t0) / 20;
  });
  return rounds.sort((a, b) => a - b)[2];
}

for (const [batch, h, w, c] of [[32, 28, 28, 1], [32, 32, 32, 3], [32, 64, 64, 3]]) {
  const n = batch * h * w * c;
  const transforms = rotations(batch, h, w);
  const t = { batch, height: h, width: w, channels: c, interpolation: 'bilinear', fillMode: 'nearest', fillValue: 0 };
  const [x, y, pt] = [core.malloc(4 * n), core.malloc(4 * n), core.malloc(4 * transforms.length)];
  const heap = core.f32();
  for (let i = 0; i < n; i++) heap[x / 4 + i] = Math.sin(i);
  heap.set(transforms, pt / 4);
  const forward = milliseconds(() => core.transformImages(x, y, pt, t));
  const backward = milliseconds(() => core.transformImagesBackward(y, x, pt, t));
  const images = tf.tensor4d(core.f32().slice(x / 4, x / 4 + n), [batch, h, w, c]);
  const matrices = tf.tensor2d(transforms, [batch, 8]);
  // Disposed by hand: inside tf.tidy this op ran about 40x slower on tfjs-wasm here.
  const tfjs = milliseconds(() => {
    const out = tf.image.transform(images, matrices, 'bilinear', 'nearest');
    out.dataSync();
    out.dispose();
  });
  console.log(`${batch}x${h}x${w}x${c}: kerasm forward ${forward.toFixed(3)} ms, backward ${backward.toFixed(3)} ms; tfjs-wasm tf.image.transform ${tfjs.toFixed(3)} ms (kerasm / tfjs ${(forward / tfjs).toFixed(2)})`);
  for (const p of [x, y, pt]) core.free(p);
  tf.dispose([images, matrices]);
}
