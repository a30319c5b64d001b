// Large convolutions on the WASM core (the 'wasm' backend: im2col, the GEMM and col2im there) against
// tfjs-core 4.22 (CPU backend) and against kerasm's own host loops (on 'tfjs-cpu', where they
// always run): conv1d, conv2d, conv3d and the transposed convolutions, with odd sizes, strides,
// dilations, every kind of pad and channels-first layouts, their gradients, batches whose columns
// the core builds in several parts, NaN and ±Infinity, small work left on the host, and no buffer
// left behind on the core. Every shape here makes a product of at least CORE_PRODUCTS (65,536)
// multiply-adds, and each test counts the core's kernel calls.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { backend } from '../backend/registry.js';
import * as km from '../index.js';
import type { Tensor } from '../tensor.js';
import { expectCloseToTfjs, expectSameGradients, pairOf, pick, randomPair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import type { ConvPad } from './conv_geometry.js';
import { valueAndGrads } from './gradients.js';
import { hostAndCore, kernelCalls } from '../testing/core_calls.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.setBackend('wasm');
});

const int = (rng: Random, low: number, high: number) => low + Math.floor(rng.next() * (high - low + 1));
/** A pad as tfjs' typings take it (its ExplicitPadding is not readonly). */
const tfPad = (pad: ConvPad) => pad as unknown as 'same';

/** Expects `core` within float32 rounding of `host` (2e-5 of the largest magnitude), NaN where it is NaN. */
function expectCloseToHost(core: Float32Array, host: Float32Array, what: string): void {
  const scale = host.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 1e-30);
  const first = host.findIndex((v, i) => !(Object.is(core[i], v) || Math.abs(core[i] - v) <= 2e-5 * scale));
  expect(first < 0 ? 'close' : `${core[first]} against ${host[first]} at index ${first} (scale ${scale})`, what).toBe('close');
}

/** The values of f(x, w) and of the gradients of Σ dy·f(x, w) with a random dy, as one list (f runs once). */
function valueAndGradients(rng: Random, f: (a: Tensor<'float32'>, b: Tensor<'float32'>) => Tensor, x: Tensor, w: Tensor): Float32Array[] {
  let y: Tensor | undefined;
  const weighted = (a: Tensor<'float32'>, b: Tensor<'float32'>) => {
    y = km.keep(f(a, b));
    return km.sum(km.mul(y, randomPair(rng, y.shape, 'float32', 2).km));
  };
  const { grads } = valueAndGrads(weighted)([x, w]);
  return [y!, ...grads].map((t) => t.dataSync() as Float32Array);
}

/** A random 2-D window over an image of 23-27 pixels a side: sizes 2-3, strides or dilations 1-3 (not both), and a pad tfjs computes right. */
function randomWindow(rng: Random) {
  const kernel: [number, number] = [int(rng, 2, 3), int(rng, 2, 3)];
  const dilated = rng.next() < 0.35;
  const strides: [number, number] = dilated ? [1, 1] : [int(rng, 1, 3), int(rng, 1, 3)];
  const dilations: [number, number] = dilated ? [int(rng, 2, 3), int(rng, 2, 3)] : [1, 1];
  const kind = pick(rng, ['valid', 'same', 'number', 'explicit'] as const);
  // tfjs' numeric pad sizes the width with the filter's height and the stride's height: square ones only.
  if (kind === 'number') [kernel[1], strides[1], dilations[1]] = [kernel[0], strides[0], dilations[0]];
  const pad: ConvPad = kind === 'number' ? int(rng, 1, 2) : kind === 'explicit' ? [[0, 0], [int(rng, 0, 3), int(rng, 0, 3)], [int(rng, 0, 3), int(rng, 0, 3)], [0, 0]] : kind;
  return { kernel, strides, dilations, pad, h: int(rng, 23, 27), w: int(rng, 23, 27), dilated };
}

describe('convolutions on the WASM core', () => {
  it('conv2d: values on odd shapes, strides, dilations and every kind of pad, NHWC and NCHW; gradients against tf.grads', () => {
    const rng = new Random(41);
    for (let trial = 0; trial < 12; trial++) {
      const win = randomWindow(rng);
      // The fewest multiply-adds: 3·8·8 windows (23 pixels, a 2×2 filter, strides 3, 'valid') of 2·2·8 taps·channels to 12 filters, 73,728.
      const [n, c, f] = [3, int(rng, 8, 10), int(rng, 12, 14)];
      const x = randomPair(rng, [n, win.h, win.w, c], 'float32', 2);
      const filter = randomPair(rng, [...win.kernel, c, f], 'float32', 1);
      const what = `conv2d x [${x.km.shape}] filter [${filter.km.shape}] strides [${win.strides}] dilations [${win.dilations}] pad ${JSON.stringify(win.pad)}`;
      const [ours, calls] = kernelCalls(['im2col', 'matMul'], () => km.conv2d(x.km, filter.km, win.strides, win.pad, 'NHWC', win.dilations));
      expect(calls.map((c) => c > 0), what).toEqual([true, true]);
      expectCloseToTfjs(ours, tf.conv2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, win.strides, tfPad(win.pad), 'NHWC', win.dilations), what);
      const nchw = { km: km.transpose(x.km, [0, 3, 1, 2]), tf: tf.transpose(x.tf, [0, 3, 1, 2]) };
      const nchwPad: ConvPad = typeof win.pad === 'object' ? [[0, 0], [0, 0], win.pad[1], win.pad[2]] : win.pad;
      expectCloseToTfjs(km.conv2d(nchw.km, filter.km, win.strides, nchwPad, 'NCHW', win.dilations), tf.conv2d(nchw.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, win.strides, tfPad(nchwPad), 'NCHW', win.dilations), `NCHW ${what}`);
      if (typeof win.pad !== 'string') {
        const mode = pick(rng, ['floor', 'round', 'ceil'] as const);
        expectCloseToTfjs(km.conv2d(x.km, filter.km, win.strides, win.pad, 'NHWC', win.dilations, mode), tf.conv2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, win.strides, tfPad(win.pad), 'NHWC', win.dilations, mode), `${what} ${mode}`);
      }
      if (win.dilated) continue; // tfjs' gradient refuses dilations; the host comparison below checks those.
      const twin = { km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv2d(a, b, win.strides, win.pad), tf: (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, win.strides, tfPad(win.pad)) };
      const [, gradCalls] = kernelCalls(['im2col', 'col2im', 'matMul'], () => expectSameGradients(rng, twin, [x, filter], `${what}: gradients`, expectCloseToTfjs));
      expect(gradCalls.map((c) => c > 0), `${what}: forward, input and filter gradients on the core`).toEqual([true, true, true]);
    }
  });

  it('conv1d (NWC and NCW), conv3d and the transposed convolutions: values and gradients against tfjs', () => {
    const rng = new Random(42);
    for (let trial = 0; trial < 4; trial++) {
      // At least 3·100 windows of 3·8 taps·channels to 12 filters: 86,400 multiply-adds.
      const [k, stride] = [int(rng, 3, 5), int(rng, 1, 2)];
      const pad = pick(rng, ['valid', 'same'] as const);
      const x = randomPair(rng, [3, int(rng, 201, 241), int(rng, 8, 10)], 'float32', 2);
      const filter = randomPair(rng, [k, x.km.shape[2], int(rng, 12, 16)], 'float32', 1);
      const what = `conv1d x [${x.km.shape}] filter [${filter.km.shape}] stride ${stride} ${pad}`;
      const twin = { km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv1d(a, b, stride, pad), tf: (a: tf.Tensor, b: tf.Tensor) => tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, stride, pad) };
      const [, calls] = kernelCalls(['im2col', 'col2im'], () => expectSameGradients(rng, twin, [x, filter], what, expectCloseToTfjs));
      expect(calls.map((c) => c > 0), what).toEqual([true, true]);
      expectCloseToTfjs(km.conv1d(km.transpose(x.km, [0, 2, 1]), filter.km, stride, pad, 'NCW'), tf.transpose(tf.conv1d(x.tf as tf.Tensor3D, filter.tf as tf.Tensor3D, stride, pad), [0, 2, 1]), `NCW ${what}`);
    }
    for (let trial = 0; trial < 4; trial++) {
      const kernel: [number, number, number] = [int(rng, 2, 3), int(rng, 2, 3), int(rng, 2, 3)];
      // tfjs' 'same' pads by a negative amount where a stride exceeds the filter: strides up to the filter's.
      const strides: [number, number, number] = [int(rng, 1, 2), int(rng, 1, 2), int(rng, 1, 2)];
      // A numeric pad: in the host comparison below (tfjs' conv3dTranspose takes 'valid' and 'same' only).
      const pad = pick(rng, ['valid', 'same'] as const);
      // At least 3·4·5·5 windows of 2·2·2·4 taps·channels to 8 filters: 76,800 multiply-adds.
      const x = randomPair(rng, [3, int(rng, 9, 11), int(rng, 11, 13), int(rng, 11, 13), int(rng, 4, 6)], 'float32', 2);
      const filter = randomPair(rng, [...kernel, x.km.shape[4], int(rng, 8, 10)], 'float32', 1);
      const what = `conv3d x [${x.km.shape}] filter [${filter.km.shape}] strides [${strides}] pad ${pad}`;
      const twin = { km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv3d(a, b, strides, pad), tf: (a: tf.Tensor, b: tf.Tensor) => tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, strides, pad) };
      const [, calls] = kernelCalls(['im2col', 'col2im'], () => expectSameGradients(rng, twin, [x, filter], what, expectCloseToTfjs));
      expect(calls.map((c) => c > 0), what).toEqual([true, true]);
      // conv3dTranspose into the input's shape is the adjoint of this conv3d (tfjs has no gradient for it).
      const y = km.conv3d(x.km, filter.km, strides, pad);
      const dy = randomPair(rng, y.shape, 'float32', 2);
      const [ours, transposeCalls] = kernelCalls(['col2im'], () => km.conv3dTranspose(dy.km, filter.km, x.km.shape, strides, pad));
      expect(transposeCalls[0], `conv3dTranspose of ${what}`).toBeGreaterThan(0);
      expectCloseToTfjs(ours, tf.conv3dTranspose(dy.tf as tf.Tensor5D, filter.tf as tf.Tensor5D, x.km.shape as [number, number, number, number, number], strides, pad), `conv3dTranspose of ${what}`);
    }
    for (let trial = 0; trial < 4; trial++) {
      const kernel: [number, number] = [int(rng, 2, 4), int(rng, 2, 4)];
      const strides: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
      const padding = pick(rng, ['valid', 'same'] as const);
      // The convolution it transposes: at least 2·13·13 windows of 2·2·6 taps·channels to 10 filters, 81,120 multiply-adds.
      const [n, h, w, c, f] = [2, int(rng, 13, 17), int(rng, 13, 17), int(rng, 10, 13), int(rng, 6, 8)];
      const size = (len: number, k: number, s: number) => (padding === 'same' ? len * s : len * s + Math.max(k - s, 0));
      const outputShape: [number, number, number, number] = [n, size(h, kernel[0], strides[0]), size(w, kernel[1], strides[1]), f];
      const x = randomPair(rng, [n, h, w, c], 'float32', 2);
      const filter = randomPair(rng, [...kernel, f, c], 'float32', 1);
      const what = `conv2dTranspose x [${x.km.shape}] filter [${filter.km.shape}] into [${outputShape}] strides [${strides}] ${padding}`;
      const twin = { km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv2dTranspose(a, b, outputShape, strides, padding), tf: (a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, outputShape, strides, padding) };
      const [, calls] = kernelCalls(['im2col', 'col2im'], () => expectSameGradients(rng, twin, [x, filter], what, expectCloseToTfjs));
      expect(calls.map((c) => c > 0), what).toEqual([true, true]);
    }
  });

  it('depthwiseConv2d forward on the core: odd shapes, strides, dilations, pads, multipliers, batches in parts, against tfjs and the host loops', async () => {
    const rng = new Random(49);
    for (let trial = 0; trial < 8; trial++) {
      const win = randomWindow(rng);
      // The fewest multiply-adds: 3·8·8 windows of 2·2·16 taps·channels, multiplier 1: 12,288; so 24-30 channels and up to 3 per channel.
      const [n, c, m] = [3, int(rng, 24, 30), int(rng, 1, 3)];
      const x = randomPair(rng, [n, win.h, win.w, c], 'float32', 2);
      const filter = randomPair(rng, [...win.kernel, c, m], 'float32', 1);
      const what = `depthwiseConv2d x [${x.km.shape}] filter [${filter.km.shape}] strides [${win.strides}] dilations [${win.dilations}] pad ${JSON.stringify(win.pad)}`;
      const f = () => km.depthwiseConv2d(x.km, filter.km, win.strides, win.pad, 'NHWC', win.dilations);
      const windows = n * Math.ceil(win.h / 3) * Math.ceil(win.w / 3);
      const [ours, calls] = kernelCalls(['im2col', 'depthwiseForward'], f);
      expect(calls.map((k) => k > 0), `${what}: on the core (at least ${windows} windows)`).toEqual([true, true]);
      expectCloseToTfjs(ours, tf.depthwiseConv2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, win.strides, tfPad(win.pad), 'NHWC', win.dilations), what);
      const [host, core] = await hostAndCore(() => f().dataSync() as Float32Array);
      expectCloseToHost(core, host, what);
    }
    // 6 images of 40×40 windows of 3·3·32 taps·channels: 460,800 floats of columns each, one image a part.
    const x = randomPair(rng, [6, 40, 40, 32], 'float32', 2);
    const filter = randomPair(rng, [3, 3, 32, 1], 'float32', 1);
    const [ours, calls] = kernelCalls(['depthwiseForward'], () => km.depthwiseConv2d(x.km, filter.km, 1, 'same'));
    expect(calls[0], 'one part an image').toBe(6);
    expectCloseToTfjs(ours, tf.depthwiseConv2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, 1, 'same'), 'depthwiseConv2d of a batch in six parts');
    // Below CORE_PRODUCTS (1·6·6 windows of 9 taps of 4 channels, multiplier 2: 2,592), the host's double sums, to the bit.
    const small = { x: randomPair(rng, [1, 6, 6, 4], 'float32', 2).km, filter: randomPair(rng, [3, 3, 4, 2], 'float32', 1).km };
    const smallF = () => km.depthwiseConv2d(small.x, small.filter, 1, 'same');
    expect(kernelCalls(['depthwiseForward'], smallF)[1][0]).toBe(0);
    const [smallHost, smallCore] = await hostAndCore(() => Array.from(smallF().dataSync()));
    expect(smallCore).toEqual(smallHost);
  });

  it('agrees with the host loops (the tfjs-cpu backend), gradients and dilated windows included', async () => {
    const rng = new Random(43);
    const x2 = randomPair(rng, [3, 29, 27, 7], 'float32', 2).km;
    const w2 = randomPair(rng, [3, 2, 7, 11], 'float32', 1).km;
    const x3 = randomPair(rng, [2, 9, 11, 10, 3], 'float32', 2).km;
    const w3 = randomPair(rng, [3, 2, 3, 3, 7], 'float32', 1).km;
    const x1 = randomPair(rng, [3, 257, 5], 'float32', 2).km;
    const w1 = randomPair(rng, [4, 5, 13], 'float32', 1).km;
    // 5 images of 40×40 windows of 3·3·8 taps·channels: 115,200 floats of columns each, two images a
    // part (CORE_COLUMNS is 262,144), so three parts, the last of one image. The others fit one part.
    const x5 = randomPair(rng, [5, 40, 40, 8], 'float32', 2).km;
    const w5 = randomPair(rng, [3, 3, 8, 6], 'float32', 1).km;
    const cases: [string, (a: Tensor<'float32'>, b: Tensor<'float32'>) => Tensor, Tensor, Tensor, number][] = [
      ['conv2d dilated [2, 3], explicit pad', (a, b) => km.conv2d(a, b, 1, [[0, 0], [2, 1], [0, 3], [0, 0]], 'NHWC', [2, 3]), x2, w2, 1],
      ['conv2d strides [3, 2], same', (a, b) => km.conv2d(a, b, [3, 2], 'same'), x2, w2, 1],
      ['conv2d strides 3 over a 2×2 filter (above its size), same', (a, b) => km.conv2d(a, b, 3, 'same'), x2, randomPair(rng, [2, 2, 7, 11], 'float32', 1).km, 1],
      // 29·27 windows of 4·4·7 taps·channels: 87,696 floats of columns an image, two images a part.
      ['conv2d of an even 4×4 filter, same', (a, b) => km.conv2d(a, b, 1, 'same'), x2, randomPair(rng, [4, 4, 7, 11], 'float32', 1).km, 2],
      ['conv2d of a batch in three parts', (a, b) => km.conv2d(a, b, 1, 'same'), x5, w5, 3],
      ['conv3d dilated [2, 1, 2], same', (a, b) => km.conv3d(a, b, 1, 'same', 'NDHWC', [2, 1, 2]), x3, w3, 1],
      ['conv3d strides 2, pad 1', (a, b) => km.conv3d(a, b, 2, 1), x3, w3, 1],
      ['conv1d dilated 3, valid', (a, b) => km.conv1d(a, b, 1, 'valid', 'NWC', 3), x1, w1, 1],
      ['conv2dTranspose strides 2, same', (a, b) => km.conv2dTranspose(a, b, [3, 58, 54, 11], 2, 'same'), x2, km.transpose(w2, [0, 1, 3, 2]), 1],
      ['conv3dTranspose strides 2, pad 1', (a, b) => km.conv3dTranspose(a, b, [2, 9, 11, 10, 3], 2, 1), randomPair(rng, [2, 5, 6, 5, 7], 'float32', 2).km, w3, 1],
    ];
    for (const [name, f, x, w, parts] of cases) {
      const seed = Math.floor(rng.next() * 1e9);
      const [host, core] = await hostAndCore(() => valueAndGradients(new Random(seed), f, x, w));
      const [, calls] = kernelCalls(['im2col', 'col2im'], () => valueAndGradients(new Random(seed), f, x, w));
      expect(calls, `${name}: im2col twice (forward and filter gradient) and col2im once (input gradient) a part`).toEqual([2 * parts, parts]);
      ['value', 'dx', 'dfilter'].forEach((part, i) => expectCloseToHost(core[i], host[i], `${name}: ${part}`));
      // The core's float32 sums are not the host's double ones: some values differ, which shows the core ran.
      expect(core.some((v, i) => v.some((e, j) => e !== host[i][j])), name).toBe(true);
    }
  });

  it('propagates NaN and ±Infinity from x as tfjs', () => {
    const rng = new Random(44);
    const shape = [2, 24, 24, 9];
    const n = shape.reduce((a, b) => a * b);
    const filter = randomPair(rng, [3, 3, 9, 12], 'float32', 1);
    for (const value of [NaN, Infinity, -Infinity]) {
      const values = Float32Array.from({ length: n }, () => rng.uniform(-2, 2));
      for (let i = 0; i < 20; i++) values[int(rng, 0, n - 1)] = value;
      const x = pairOf(values, shape);
      const [ours, calls] = kernelCalls(['im2col'], () => km.conv2d(x.km, filter.km, 1, 'same'));
      expect(calls[0]).toBeGreaterThan(0);
      const theirs = tf.conv2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, 1, 'same');
      const nonFinite = (t: { dataSync(): ArrayLike<number> }) => Array.from(t.dataSync(), (v) => (Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? 'finite' : 'inf'));
      expect(nonFinite(ours), `conv2d with ${value}`).toEqual(nonFinite(theirs));
      expect(nonFinite(ours).filter((v) => v !== 'finite').length, `conv2d with ${value}`).toBeGreaterThan(20);
      expectCloseToTfjs(ours, theirs, `conv2d with ${value}`);
    }
  });

  it('leaves small convolutions to the host loops, their values to the bit', async () => {
    const rng = new Random(45);
    // 1·6·6 windows of 3·3·4 taps·channels to 5 filters: 6,480 multiply-adds, below CORE_PRODUCTS.
    const x = randomPair(rng, [1, 6, 6, 4], 'float32', 2).km;
    const filter = randomPair(rng, [3, 3, 4, 5], 'float32', 1).km;
    const f = (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv2d(a, b, 1, 'same');
    const [host, core] = await hostAndCore(() => valueAndGradients(new Random(1), f, x, filter));
    const [, calls] = kernelCalls(['im2col', 'col2im', 'matMul'], () => valueAndGradients(new Random(1), f, x, filter));
    expect(calls).toEqual([0, 0, 0]);
    expect(core.map((v) => Array.from(v))).toEqual(host.map((v) => Array.from(v)));
  });

  it('a single image whose columns outgrow a part, with one channel and one filter: values and gradients against tfjs', () => {
    const rng = new Random(47);
    // 600·500 windows of 3·3 taps: 2.7M floats of columns, ten times CORE_COLUMNS, in the one part a batch of one image makes.
    const x = randomPair(rng, [1, 600, 500, 1], 'float32', 2);
    const filter = randomPair(rng, [3, 3, 1, 1], 'float32', 1);
    const [ours, calls] = kernelCalls(['im2col', 'matMul'], () => km.conv2d(x.km, filter.km, 1, 'same'));
    expect(calls).toEqual([1, 1]);
    expectCloseToTfjs(ours, tf.conv2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, 1, 'same'), 'conv2d of [1, 600, 500, 1]');
    const twin = { km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv2d(a, b, 1, 'same'), tf: (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same') };
    // The filter's gradient sums 300,000 products in float32 on the core: within 1e-4 of the largest.
    const [, gradCalls] = kernelCalls(['col2im'], () => expectSameGradients(rng, twin, [x, filter], 'conv2d of [1, 600, 500, 1]: gradients', (o, t, what) => expectCloseToTfjs(o, t, what, 1e-4)));
    expect(gradCalls[0]).toBe(1);
  });

  it('frees its buffers on the core when a kernel throws, and runs again afterwards', () => {
    const rng = new Random(48);
    const x = randomPair(rng, [2, 30, 30, 8], 'float32', 2);
    const filter = randomPair(rng, [3, 3, 8, 8], 'float32', 1);
    km.conv2d(x.km, filter.km, 1, 'same'); // the first call may grow the core's memory
    const before = backend().memoryBytes();
    const spy = vi.spyOn(backend(), 'matMul').mockImplementation(() => {
      throw new Error('a kernel failed');
    });
    try {
      expect(() => km.conv2d(x.km, filter.km, 1, 'same')).toThrow('a kernel failed');
    } finally {
      spy.mockRestore();
    }
    expect(backend().memoryBytes()).toBe(before);
    expectCloseToTfjs(km.conv2d(x.km, filter.km, 1, 'same'), tf.conv2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, 1, 'same'), 'conv2d after a failed one');
  });

  it('frees every buffer it allocates on the core', () => {
    const rng = new Random(46);
    const x = randomPair(rng, [2, 20, 20, 6], 'float32', 2).km;
    const w = randomPair(rng, [3, 3, 6, 8], 'float32', 1).km;
    const v = randomPair(rng, [2, 8, 8, 8, 3], 'float32', 2).km;
    const w3 = randomPair(rng, [3, 3, 3, 3, 5], 'float32', 1).km;
    const run = () => {
      valueAndGradients(rng, (a, b) => km.conv2d(a, b, 1, 'same'), x, w);
      valueAndGradients(rng, (a, b) => km.conv3d(a, b, 1, 'valid'), v, w3);
      valueAndGradients(rng, (a, b) => km.conv2dTranspose(a, b, [2, 20, 20, 6], 1, 'same'), km.conv2d(x, w, 1, 'same'), w);
    };
    run(); // the first calls may grow the core's memory; later ones must not hold on to any of it
    const before = backend().memoryBytes();
    const [, calls] = kernelCalls(['im2col'], () => {
      for (let i = 0; i < 3; i++) run();
    });
    expect(calls[0], 'im2col 7 times a run or more (several parts of a batch)').toBeGreaterThanOrEqual(3 * 7);
    expect(backend().memoryBytes()).toBe(before);
  });
});
