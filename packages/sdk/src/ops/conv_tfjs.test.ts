// conv1d, conv2d, depthwiseConv2d, separableConv2d and conv2dTranspose against tfjs-core 4.22 (CPU
// backend): shapes and values within float32 rounding (the sums run in another order), gradients
// against tf.grads where tfjs has them, and against float64 finite differences of a naive loop
// where it has none (dilations) or to make sure; and each bad input's error.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmRoot from '../index.js';
import { tensor, type Tensor } from '../tensor.js';
import { expectCloseToTfjs, expectSameGradients, pick, randomPair, type Pair } from '../testing/tfjs_op_parity.js';
import * as ref from '../testing/reference_ops.js';
import { Random } from '../utils/random.js';
import type { ConvPad } from './conv_geometry.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const int = (rng: Random, low: number, high: number) => low + Math.floor(rng.next() * (high - low + 1));
/** A pad as tfjs' typings take it (its ExplicitPadding is not readonly). */
const tfPad = (pad: ConvPad) => pad as unknown as 'same';
const nhwcToNchw = (p: Pair): Pair => ({ km: km.transpose(p.km, [0, 3, 1, 2]), tf: tf.transpose(p.tf, [0, 3, 1, 2]) });

/** A random 2-D window: sizes, strides 1-3 or dilations 1-3 (not both), and a pad tfjs computes right. */
function randomWindow(rng: Random) {
  const kernel: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
  const dilated = rng.next() < 0.35;
  const strides: [number, number] = dilated ? [1, 1] : [int(rng, 1, 3), int(rng, 1, 3)];
  const dilations: [number, number] = dilated ? [int(rng, 1, 3), int(rng, 1, 3)] : [1, 1];
  const span = kernel.map((k, a) => (k - 1) * dilations[a] + 1);
  const kind = pick(rng, ['valid', 'same', 'number', 'explicit'] as const);
  // tfjs' numeric pad sizes the width with the filter's height and the stride's height: square ones only.
  if (kind === 'number') [kernel[1], strides[1], dilations[1]] = [kernel[0], strides[0], dilations[0]];
  const pad: ConvPad = kind === 'number' ? int(rng, 0, 2) : kind === 'explicit' ? [[0, 0], [int(rng, 0, 2), int(rng, 0, 2)], [int(rng, 0, 2), int(rng, 0, 2)], [0, 0]] : kind;
  const fits = (size: number, a: number) => kind !== 'valid' || size >= span[a];
  let [h, w] = [int(rng, 1, 9), int(rng, 1, 9)];
  while (!fits(h, 0)) h++;
  while (!fits(w, 1)) w++;
  if (kind === 'number') [h, w] = [Math.max(h, span[0]), Math.max(w, span[0])];
  if (kind === 'explicit') [h, w] = [Math.max(h, span[0]), Math.max(w, span[1])];
  return { kernel, strides, dilations, pad, h, w, dilated: dilations.some((d) => d > 1) };
}

/** Σ dy·f(values) in float64, and its central differences with respect to each of `values`. */
function finiteDifferences(values: number[], f: (v: number[]) => number[], dy: ArrayLike<number>, h = 1e-3): number[] {
  const loss = (v: number[]) => f(v).reduce((s, y, i) => s + y * dy[i], 0);
  return values.map((_, i) => {
    const [up, down] = [[...values], [...values]];
    up[i] += h;
    down[i] -= h;
    return (loss(up) - loss(down)) / (2 * h);
  });
}

function expectCloseValues(ours: ArrayLike<number>, expected: readonly number[], what: string, tolerance = 1e-4): void {
  const scale = Math.max(1, ...expected.map(Math.abs));
  const worst = expected.findIndex((e, i) => !(Math.abs(ours[i] - e) <= tolerance * scale));
  expect(worst < 0 ? 'close' : `${ours[worst]} against ${expected[worst]} at ${worst}`, what).toBe('close');
}

/** A batch of NHWC images as the float64 reference's one-sample images. */
function images(values: ArrayLike<number>, [n, h, w, c]: readonly number[]): ref.Image[] {
  return Array.from({ length: n }, (_, b) => ({ h, w, c, data: Array.from(values).slice(b * h * w * c, (b + 1) * h * w * c) }));
}

describe('convolutions match tfjs-core 4.22', () => {
  it('conv2d: values on random shapes, strides, dilations and every kind of pad; gradients against tf.grads', () => {
    const rng = new Random(7);
    for (let trial = 0; trial < 60; trial++) {
      const win = randomWindow(rng);
      const [n, c, f] = [int(rng, 1, 2), int(rng, 1, 3), int(rng, 1, 3)];
      const x = randomPair(rng, [n, win.h, win.w, c], 'float32', 2);
      const filter = randomPair(rng, [...win.kernel, c, f], 'float32', 1);
      const what = `conv2d x [${x.km.shape}] filter [${filter.km.shape}] strides [${win.strides}] dilations [${win.dilations}] pad ${JSON.stringify(win.pad)}`;
      expectCloseToTfjs(km.conv2d(x.km, filter.km, win.strides, win.pad, 'NHWC', win.dilations), tf.conv2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, win.strides, tfPad(win.pad), 'NHWC', win.dilations), what);
      if (typeof win.pad !== 'string') {
        const mode = pick(rng, ['floor', 'round', 'ceil'] as const);
        expectCloseToTfjs(km.conv2d(x.km, filter.km, win.strides, win.pad, 'NHWC', win.dilations, mode), tf.conv2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, win.strides, tfPad(win.pad), 'NHWC', win.dilations, mode), `${what} ${mode}`);
      }
      if (win.dilated) continue; // tfjs' gradient refuses dilations; the finite differences below check those.
      const twin = { km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv2d(a, b, win.strides, win.pad, 'NHWC'), tf: (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, win.strides, tfPad(win.pad)) };
      expectSameGradients(rng, twin, [x, filter], `${what}: gradients`, expectCloseToTfjs);
    }
  });

  it('conv2d: NCHW and unbatched inputs, with gradients', () => {
    const rng = new Random(8);
    for (let trial = 0; trial < 12; trial++) {
      const win = randomWindow(rng);
      const x = randomPair(rng, [int(rng, 1, 2), win.h, win.w, int(rng, 1, 3)], 'float32', 2);
      const filter = randomPair(rng, [...win.kernel, x.km.shape[3], int(rng, 1, 3)], 'float32', 1);
      const nchw = nhwcToNchw(x);
      const nchwPad: ConvPad = typeof win.pad === 'object' ? [[0, 0], [0, 0], win.pad[1], win.pad[2]] : win.pad;
      const what = `NCHW x [${nchw.km.shape}] strides [${win.strides}] dilations [${win.dilations}] pad ${JSON.stringify(win.pad)}`;
      expectCloseToTfjs(km.conv2d(nchw.km, filter.km, win.strides, nchwPad, 'NCHW', win.dilations), tf.conv2d(nchw.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, win.strides, tfPad(nchwPad), 'NCHW', win.dilations), what);
      const image = { km: x.km.slice([0, 0, 0, 0], [1, -1, -1, -1]).reshape(x.km.shape.slice(1)), tf: tf.reshape(tf.slice(x.tf, [0, 0, 0, 0], [1, -1, -1, -1]), x.km.shape.slice(1)) };
      expectCloseToTfjs(km.conv2d(image.km, filter.km, win.strides, win.pad, 'NHWC', win.dilations), tf.conv2d(image.tf as tf.Tensor3D, filter.tf as tf.Tensor4D, win.strides, tfPad(win.pad), 'NHWC', win.dilations), `unbatched ${what}`);
      if (win.dilated) continue;
      const twin = { km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv2d(a, b, win.strides, nchwPad, 'NCHW'), tf: (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, win.strides, tfPad(nchwPad), 'NCHW') };
      expectSameGradients(rng, twin, [nchw, filter], `${what}: gradients`, expectCloseToTfjs);
    }
  });

  it('conv2d and depthwiseConv2d gradients equal float64 finite differences, dilated windows included', () => {
    const rng = new Random(9);
    for (let trial = 0; trial < 10; trial++) {
      const kernel: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
      const dilation: [number, number] = trial % 2 === 0 ? [int(rng, 2, 3), int(rng, 1, 3)] : [1, 1];
      const strides: [number, number] = trial % 2 === 0 ? [1, 1] : [int(rng, 1, 3), int(rng, 1, 3)];
      const padding = pick(rng, ['valid', 'same'] as const);
      const spec: ref.WindowSpec = { kernel, strides, dilation, padding };
      const shape = [int(rng, 1, 2), int(rng, 7, 9), int(rng, 7, 9), int(rng, 1, 3)];
      const [c, f] = [shape[3], int(rng, 1, 3)];
      const x = randomPair(rng, shape, 'float32', 1);
      const w = randomPair(rng, [...kernel, c, f], 'float32', 1);
      const [xv, wv] = [Array.from(x.km.dataSync()), Array.from(w.km.dataSync())];
      for (const depthwise of [false, true]) {
        const op = depthwise ? km.depthwiseConv2d : km.conv2d;
        const naive = (xs: number[], ws: number[]) => images(xs, shape).flatMap((im) => (depthwise ? ref.depthwiseConv2d(im, ws, new Array(c * f).fill(0), spec) : ref.conv2d(im, ws, new Array(f).fill(0), spec)).data);
        const y = op(x.km, w.km, strides, padding, 'NHWC', dilation);
        expectCloseValues(y.dataSync(), naive(xv, wv), `${depthwise ? 'depthwise' : 'conv2d'} values`);
        const dy = Float32Array.from(y.dataSync(), () => rng.normal());
        const grads = km.grads((a: Tensor<'float32'>, b: Tensor<'float32'>) => op(a, b, strides, padding, 'NHWC', dilation))([x.km, w.km], tensor(dy, y.shape));
        const what = `${depthwise ? 'depthwiseConv2d' : 'conv2d'} [${shape}] kernel [${kernel}] strides [${strides}] dilations [${dilation}] ${padding}`;
        expectCloseValues(grads[0].dataSync(), finiteDifferences(xv, (v) => naive(v, wv), dy), `${what}: dx`);
        expectCloseValues(grads[1].dataSync(), finiteDifferences(wv, (v) => naive(xv, v), dy), `${what}: dfilter`);
      }
    }
  });

  it('conv1d: values and gradients on NWC sequences; NCW and numeric pads as conv2d computes them', () => {
    const rng = new Random(10);
    for (let trial = 0; trial < 20; trial++) {
      const k = int(rng, 1, 3);
      const dilated = rng.next() < 0.3;
      const [stride, dilation] = dilated ? [1, int(rng, 2, 3)] : [int(rng, 1, 3), 1];
      const pad = pick(rng, ['valid', 'same'] as const);
      const width = Math.max(int(rng, 1, 11), (k - 1) * dilation + 1);
      const x = randomPair(rng, [int(rng, 1, 2), width, int(rng, 1, 3)], 'float32', 2);
      const filter = randomPair(rng, [k, x.km.shape[2], int(rng, 1, 3)], 'float32', 1);
      const what = `conv1d x [${x.km.shape}] filter [${filter.km.shape}] stride ${stride} dilation ${dilation} ${pad}`;
      expectCloseToTfjs(km.conv1d(x.km, filter.km, stride, pad, 'NWC', dilation), tf.conv1d(x.tf as tf.Tensor3D, filter.tf as tf.Tensor3D, stride, pad, 'NWC', dilation), what);
      expectCloseToTfjs(km.conv1d(x.km.slice([0, 0, 0], [1, -1, -1]).reshape(x.km.shape.slice(1)), filter.km, stride, pad, 'NWC', dilation), tf.conv1d(tf.reshape<tf.Rank>(tf.slice(x.tf, [0, 0, 0], [1, -1, -1]), [...x.km.shape.slice(1)]) as tf.Tensor2D, filter.tf as tf.Tensor3D, stride, pad, 'NWC', dilation), `unbatched ${what}`);
      // tfjs refuses NCW: the same convolution on transposed data.
      expectCloseToTfjs(km.conv1d(km.transpose(x.km, [0, 2, 1]), filter.km, stride, pad, 'NCW', dilation), tf.transpose(tf.conv1d(x.tf as tf.Tensor3D, filter.tf as tf.Tensor3D, stride, pad, 'NWC', dilation), [0, 2, 1]), `NCW ${what}`);
      // tfjs' conv1d pads the height of 1 too with a numeric pad, and fails: conv2d with the width padded.
      const p = int(rng, 0, 2);
      const image = (t: tf.Tensor) => tf.reshape(t, [t.shape[0] ?? 0, 1, t.shape[1] ?? 0, t.shape[2] ?? 0]) as tf.Tensor4D;
      const wide = tf.conv2d(image(x.tf), tf.reshape<tf.Rank>(filter.tf, [1, ...filter.km.shape]) as tf.Tensor4D, [1, stride], [[0, 0], [0, 0], [p, p], [0, 0]], 'NHWC', [1, dilation]);
      expectCloseToTfjs(km.conv1d(x.km, filter.km, stride, p, 'NWC', dilation), tf.reshape(wide, [wide.shape[0], wide.shape[2], wide.shape[3]]), `${what} pad ${p}`);
      const explicit: ConvPad = [[0, 0], [0, 0], [int(rng, 0, 2), int(rng, 0, 2)], [0, 0]];
      expectCloseToTfjs(km.conv1d(x.km, filter.km, stride, explicit, 'NWC', dilation), tf.conv1d(x.tf as tf.Tensor3D, filter.tf as tf.Tensor3D, stride, tfPad(explicit), 'NWC', dilation), `${what} pad ${JSON.stringify(explicit)}`);
      if (dilated) continue;
      const twin = { km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv1d(a, b, stride, pad), tf: (a: tf.Tensor, b: tf.Tensor) => tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, stride, pad) };
      expectSameGradients(rng, twin, [x, filter], `${what}: gradients`, expectCloseToTfjs);
    }
  });

  it('depthwiseConv2d and separableConv2d: values and gradients; NCHW computed as NHWC transposed', () => {
    const rng = new Random(11);
    for (let trial = 0; trial < 30; trial++) {
      const win = randomWindow(rng);
      const [c, m, out] = [int(rng, 1, 3), int(rng, 1, 2), int(rng, 1, 3)];
      const x = randomPair(rng, [int(rng, 1, 2), win.h, win.w, c], 'float32', 2);
      const depthwise = randomPair(rng, [...win.kernel, c, m], 'float32', 1);
      const pointwise = randomPair(rng, [1, 1, c * m, out], 'float32', 1);
      const what = `x [${x.km.shape}] filter [${depthwise.km.shape}] strides [${win.strides}] dilations [${win.dilations}] pad ${JSON.stringify(win.pad)}`;
      expectCloseToTfjs(km.depthwiseConv2d(x.km, depthwise.km, win.strides, win.pad, 'NHWC', win.dilations), tf.depthwiseConv2d(x.tf as tf.Tensor4D, depthwise.tf as tf.Tensor4D, win.strides, tfPad(win.pad), 'NHWC', win.dilations), `depthwise ${what}`);
      const nchwPad: ConvPad = typeof win.pad === 'object' ? [[0, 0], [0, 0], win.pad[1], win.pad[2]] : win.pad;
      expectCloseToTfjs(km.depthwiseConv2d(nhwcToNchw(x).km, depthwise.km, win.strides, nchwPad, 'NCHW', win.dilations), tf.transpose(tf.depthwiseConv2d(x.tf as tf.Tensor4D, depthwise.tf as tf.Tensor4D, win.strides, tfPad(win.pad), 'NHWC', win.dilations), [0, 3, 1, 2]), `depthwise NCHW ${what}`);
      const pad = typeof win.pad === 'string' ? win.pad : 'same';
      expectCloseToTfjs(km.separableConv2d(x.km, depthwise.km, pointwise.km, win.strides, pad, win.dilations), tf.separableConv2d(x.tf as tf.Tensor4D, depthwise.tf as tf.Tensor4D, pointwise.tf as tf.Tensor4D, win.strides, pad, win.dilations), `separable ${what}`);
      expectCloseToTfjs(km.separableConv2d(nhwcToNchw(x).km, depthwise.km, pointwise.km, win.strides, pad, win.dilations, 'NCHW'), tf.transpose(tf.separableConv2d(x.tf as tf.Tensor4D, depthwise.tf as tf.Tensor4D, pointwise.tf as tf.Tensor4D, win.strides, pad, win.dilations), [0, 3, 1, 2]), `separable NCHW ${what}`);
      if (win.dilated) continue;
      const twin = { km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.depthwiseConv2d(a, b, win.strides, win.pad), tf: (a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, win.strides, tfPad(win.pad)) };
      expectSameGradients(rng, twin, [x, depthwise], `depthwise ${what}: gradients`, expectCloseToTfjs);
      const separable = {
        km: (a: Tensor<'float32'>, b: Tensor<'float32'>, p: Tensor<'float32'>) => km.separableConv2d(a, b, p, win.strides, pad),
        tf: (a: tf.Tensor, b: tf.Tensor, p: tf.Tensor) => tf.separableConv2d(a as tf.Tensor4D, b as tf.Tensor4D, p as tf.Tensor4D, win.strides, pad),
      };
      expectSameGradients(rng, separable, [x, depthwise, pointwise], `separable ${what}: gradients`, expectCloseToTfjs);
    }
  });

  it('conv2dTranspose: values and gradients against tfjs, and float64 finite differences', () => {
    const rng = new Random(12);
    for (let trial = 0; trial < 30; trial++) {
      const kernel: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
      const strides: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
      const padding = pick(rng, ['valid', 'same'] as const);
      const [n, h, w, c, f] = [int(rng, 1, 2), int(rng, 1, 5), int(rng, 1, 5), int(rng, 1, 3), int(rng, 1, 3)];
      // Keras' deconv output size, which the convolution maps back to [h, w].
      const size = (len: number, k: number, s: number) => (padding === 'same' ? len * s : len * s + Math.max(k - s, 0));
      const outputShape = [n, size(h, kernel[0], strides[0]), size(w, kernel[1], strides[1]), f];
      const x = randomPair(rng, [n, h, w, c], 'float32', 2);
      const filter = randomPair(rng, [...kernel, f, c], 'float32', 1);
      const what = `conv2dTranspose x [${x.km.shape}] filter [${filter.km.shape}] into [${outputShape}] strides [${strides}] ${padding}`;
      const y = km.conv2dTranspose(x.km, filter.km, outputShape, strides, padding);
      expectCloseToTfjs(y, tf.conv2dTranspose(x.tf as tf.Tensor4D, filter.tf as tf.Tensor4D, outputShape as [number, number, number, number], strides, padding), what);
      const twin = { km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv2dTranspose(a, b, outputShape, strides, padding), tf: (a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, outputShape as [number, number, number, number], strides, padding) };
      expectSameGradients(rng, twin, [x, filter], `${what}: gradients`, expectCloseToTfjs);
      const image = { km: x.km.reshape([n * h, w, c]).slice([0, 0, 0], [h, -1, -1]), tf: tf.slice(tf.reshape(x.tf, [n * h, w, c]), [0, 0, 0], [h, -1, -1]) };
      expectCloseToTfjs(km.conv2dTranspose(image.km, filter.km, outputShape.slice(1), strides, padding), tf.conv2dTranspose(image.tf as tf.Tensor3D, filter.tf as tf.Tensor4D, outputShape.slice(1) as [number, number, number], strides, padding), `unbatched ${what}`);
      // A numeric pad (square windows, which tfjs sizes right), into the size conv2d maps back to [h, w] exactly.
      const p = kernel[0] === 3 ? int(rng, 0, 1) : 0;
      const [k, s] = [kernel[0], strides[0]];
      const padded = [n, (h - 1) * s + k - 2 * p, (w - 1) * s + k - 2 * p, f];
      const squareFilter = randomPair(rng, [k, k, f, c], 'float32', 1);
      const numeric = {
        km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv2dTranspose(a, b, padded, s, p),
        tf: (a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, padded as [number, number, number, number], s, p),
      };
      expectSameGradients(rng, numeric, [x, squareFilter], `${what} into [${padded}] pad ${p}: values and gradients`, expectCloseToTfjs);
      if (trial >= 8) continue;
      const spec: ref.WindowSpec = { kernel, strides, dilation: [1, 1], padding };
      const [xv, wv] = [Array.from(x.km.dataSync()), Array.from(filter.km.dataSync())];
      const naive = (xs: number[], ws: number[]) => images(xs, x.km.shape).flatMap((im) => ref.conv2dTranspose(im, ws, new Array(f).fill(0), spec).data);
      expectCloseValues(y.dataSync(), naive(xv, wv), `${what}: float64 values`);
      const dy = Float32Array.from(y.dataSync(), () => rng.normal());
      const grads = km.grads(twin.km)([x.km, filter.km], tensor(dy, y.shape));
      expectCloseValues(grads[0].dataSync(), finiteDifferences(xv, (v) => naive(v, wv), dy), `${what}: dx`);
      expectCloseValues(grads[1].dataSync(), finiteDifferences(wv, (v) => naive(xv, v), dy), `${what}: dfilter`);
    }
  });

  it('refuses bad input with errors that name the problem and the fix', () => {
    const x = kmRoot.ones([1, 5, 5, 2]);
    const w = kmRoot.ones([3, 3, 2, 4]);
    const cases: [() => unknown, RegExp][] = [
      [() => km.conv2d(kmRoot.ones([5, 5]), w, 1, 'valid'), /x must be of rank 3 or 4 .*Received: x.shape=\[5, 5\]/],
      [() => km.conv2d(x, kmRoot.ones([3, 2, 4]), 1, 'valid'), /filter must be of rank 4 \(\[filterHeight, filterWidth, inDepth, outDepth\]\)/],
      [() => km.conv2d(x, kmRoot.ones([3, 3, 3, 4]), 1, 'valid'), /x's depth \(2\) must equal the filter's input depth \(filter.shape\[2\] = 3\)/],
      [() => km.conv2d(x, w, 2, 'valid', 'NHWC', 2), /strides and dilations cannot both be above 1.*Set one of them to 1/],
      [() => km.conv2d(x, kmRoot.zeros([0, 3, 2, 4]), 1, 'same'), /the filter's height and width must be at least 1. Received: \[0,3\]/],
      [() => km.conv2d(x, w, 0, 'valid'), /strides must be a positive integer or a list of 2.*Received: strides=0/],
      [() => km.conv2d(x, w, 1.5, 'valid'), /strides must be .*Received: strides=1.5/],
      [() => km.conv2d(x, w, [1, 1, 1] as unknown as [number, number], 'valid'), /strides must be .*Received: strides=\[1,1,1\]/],
      [() => km.conv2d(x, w, 1, 'valid', 'NHWC', [1, 0]), /dilations must be .*Received: dilations=\[1,0\]/],
      [() => km.conv2d(x, w, 1, 'full' as 'same'), /pad must be 'valid', 'same', a non-negative integer or explicit pairs.*Received: pad="full"/],
      [() => km.conv2d(x, w, 1, 1.5), /Received: pad=1.5/],
      [() => km.conv2d(x, w, 1, [[1, 0], [1, 1], [1, 1], [0, 0]]), /batch and channel pairs must be \[0, 0\]/],
      [() => km.conv2d(x, w, 1, 'same', 'NHWC', 1, 'ceil'), /dimRoundingMode applies to a numeric or explicit pad/],
      [() => km.conv2d(x, w, 1, 1, 'NHWC', 1, 'up' as 'ceil'), /dimRoundingMode must be 'floor', 'round' or 'ceil'/],
      [() => km.conv2d(x, w, 1, 'valid', 'NWHC' as 'NHWC'), /dataFormat must be 'NHWC' or 'NCHW'. Received: dataFormat="NWHC"/],
      [() => km.conv2d(kmRoot.ones([1, 2, 2, 2]), w, 1, 'valid'), /the input's spatial size \[2,2\] gives no output for a window of \[3,3\].*Use pad 'same'/],
      [() => km.conv2d(kmRoot.tensor([[[[1]]]], [1, 1, 1, 1], 'int32'), kmRoot.ones([1, 1, 1, 1]), 1, 'valid'), /float32 tensors.*km.cast\(x, 'float32'\). Received: x.dtype='int32'/],
      [() => km.conv1d(kmRoot.ones([1, 5, 2]), kmRoot.ones([3, 3, 4]), 1, 'valid'), /x's depth \(2\) must equal the filter's input depth \(filter.shape\[1\] = 3\)/],
      [() => km.conv1d(kmRoot.ones([1, 5, 2]), kmRoot.ones([3, 2, 4]), 2, 'valid', 'NWC', 2), /strides and dilations cannot both be above 1/],
      [() => km.conv1d(kmRoot.ones([1, 5, 2]), kmRoot.ones([3, 2, 4]), 0, 'valid'), /stride must be a positive integer. Received: stride=0/],
      [() => km.conv1d(kmRoot.ones([1, 5, 2]), kmRoot.ones([3, 2, 4]), 1, [[0, 0], [1, 1], [1, 1], [0, 0]]), /an explicit pad is conv2d's over rows of height 1, so it pads the width only: \[\[0, 0\], \[0, 0\], \[left, right\], \[0, 0\]\]/],
      [() => km.conv1d(kmRoot.ones([5]), kmRoot.ones([3, 2, 4]), 1, 'valid'), /x must be of rank 2 or 3/],
      [() => km.depthwiseConv2d(x, kmRoot.ones([3, 3, 3, 1]), 1, 'valid'), /x's depth \(2\) must equal the filter's input depth/],
      [() => km.depthwiseConv2d(x, kmRoot.ones([3, 3, 2, 1]), [2, 1], 'valid', 'NHWC', [1, 2]), /strides and dilations cannot both be above 1/],
      [() => km.separableConv2d(x, kmRoot.ones([3, 3, 2, 2]), kmRoot.ones([1, 1, 3, 4]), 1, 'valid'), /pointwiseFilter must be \[1, 1, inChannels · channelMultiplier = 4, outChannels\]/],
      [() => km.separableConv2d(x, kmRoot.ones([3, 3, 2]), kmRoot.ones([1, 1, 2, 4]), 1, 'valid'), /depthwiseFilter must be of rank 4/],
      [() => km.conv2dTranspose(kmRoot.ones([1, 3, 3, 4]), w, [1, 6, 6, 2], 1, 'valid'), /x's height and width must be those conv2d gives for outputShape .*\[4, 4\]/],
      [() => km.conv2dTranspose(kmRoot.ones([1, 3, 3, 4]), w, [1, 5, 5, 3], 1, 'valid'), /outputShape's depth must be the filter's outDepth \(filter.shape\[2\] = 2\)/],
      [() => km.conv2dTranspose(kmRoot.ones([1, 3, 3, 4]), w, [5, 5, 2], 1, 'valid'), /outputShape must list 4 positive integers/],
      [() => km.conv2dTranspose(kmRoot.ones([1, 3, 3, 3]), w, [1, 5, 5, 2], 1, 'valid'), /x's depth \(3\) must equal the filter's input depth \(filter.shape\[3\] = 4\)/],
    ];
    for (const [call, message] of cases) expect(call).toThrow(message);
  });

  it('is reachable as km.xxx and as tensor methods', () => {
    const x = kmRoot.ones([1, 4, 4, 2]);
    const w = kmRoot.ones([2, 2, 2, 3]);
    expect(kmRoot.conv2d(x, w, 1, 'valid').shape).toEqual([1, 3, 3, 3]);
    expect(x.conv2d(w, 1, 'same').shape).toEqual([1, 4, 4, 3]);
    expect(x.depthwiseConv2d(kmRoot.ones([2, 2, 2, 2]), 1, 'valid').shape).toEqual([1, 3, 3, 4]);
    expect(x.separableConv2d(kmRoot.ones([2, 2, 2, 1]), kmRoot.ones([1, 1, 2, 5]), 1, 'valid').shape).toEqual([1, 3, 3, 5]);
    expect(kmRoot.ones([1, 3, 3, 3]).conv2dTranspose(w, [1, 4, 4, 2], 1, 'valid').shape).toEqual([1, 4, 4, 2]);
    expect(kmRoot.ones([1, 6, 2]).conv1d(kmRoot.ones([3, 2, 1]), 1, 'valid').shape).toEqual([1, 4, 1]);
    expect([kmRoot.conv1d, kmRoot.depthwiseConv2d, kmRoot.separableConv2d, kmRoot.conv2dTranspose].every((f) => typeof f === 'function')).toBe(true);
  });
});
