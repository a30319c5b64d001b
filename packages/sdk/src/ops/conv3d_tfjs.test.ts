// conv3d and conv3dTranspose against tfjs-core 4.22 (CPU backend): shapes and values within float32
// rounding (the sums run in another order), gradients against tf.grads where tfjs has them, and
// against float64 finite differences of naive loops where it has none (dilations, the transposed
// convolution) or computes another thing ('same' with a stride above the filter); and each bad
// input's error.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmRoot from '../index.js';
import type { Tensor } from '../tensor.js';
import { expectClose } from '../testing/expect_close.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectCloseToTfjs, expectSameGradients, pick, randomPair, type Pair } from '../testing/tfjs_op_parity.js';
import * as vol from '../testing/volume_reference.js';
import { Random } from '../utils/random.js';
import { valueAndGrads } from './gradients.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Triple = [number, number, number];
const int = (rng: Random, low: number, high: number) => low + Math.floor(rng.next() * (high - low + 1));
const triple = (f: () => number): Triple => [f(), f(), f()];

/** A random 3-D window (strides 1-3 or dilations 1-3, not both) and an input it fits. */
function randomWindow(rng: Random, pads: readonly ('valid' | 'same' | 'number')[]) {
  const kernel = triple(() => int(rng, 1, 3));
  const dilated = rng.next() < 0.3;
  const strides = dilated ? ([1, 1, 1] as Triple) : triple(() => int(rng, 1, 3));
  const dilations = dilated ? triple(() => int(rng, 1, 3)) : ([1, 1, 1] as Triple);
  const kind = pick(rng, pads);
  const pad = kind === 'number' ? int(rng, 0, 2) : kind;
  const span = kernel.map((k, a) => (k - 1) * dilations[a] + 1);
  const sizes = span.map((s) => Math.max(int(rng, 1, 6), kind === 'same' ? 1 : s)) as Triple;
  return { kernel, strides, dilations, pad, sizes, dilated };
}

/** One sample of an NDHWC batch as the float64 reference's volume. */
function volume(values: ArrayLike<number>, [d, h, w, c]: readonly number[], b = 0): vol.Volume {
  const size = d * h * w * c;
  return { d, h, w, c, data: Array.from(values).slice(b * size, (b + 1) * size) };
}

describe('conv3d and conv3dTranspose match tfjs-core 4.22', () => {
  it('conv3d: values on random odd shapes, strides, dilations and pads; gradients against tf.grads', () => {
    const rng = new Random(31);
    for (let trial = 0; trial < 40; trial++) {
      const win = randomWindow(rng, ['valid', 'same', 'number']);
      // tfjs' 'same' pads by a negative amount where a stride exceeds the filter (tested below against a naive loop).
      if (win.pad === 'same') win.strides.forEach((s, a) => (win.strides[a] = Math.min(s, win.kernel[a])));
      const [n, c, f] = [int(rng, 1, 2), int(rng, 1, 3), int(rng, 1, 3)];
      const x = randomPair(rng, [n, ...win.sizes, c], 'float32', 2);
      const filter = randomPair(rng, [...win.kernel, c, f], 'float32', 1);
      const what = `conv3d x [${x.km.shape}] filter [${filter.km.shape}] strides [${win.strides}] dilations [${win.dilations}] pad ${win.pad}`;
      const pad = win.pad as 'same';
      expectCloseToTfjs(km.conv3d(x.km, filter.km, win.strides, win.pad, 'NDHWC', win.dilations), tf.conv3d(x.tf as tf.Tensor5D, filter.tf as tf.Tensor5D, win.strides, pad, 'NDHWC', win.dilations), what);
      const one = { km: x.km.slice([0, 0, 0, 0, 0], [1, -1, -1, -1, -1]).reshape(x.km.shape.slice(1)), tf: tf.reshape<tf.Rank>(tf.slice(x.tf, [0, 0, 0, 0, 0], [1, -1, -1, -1, -1]), x.km.shape.slice(1)) as tf.Tensor4D };
      expectCloseToTfjs(km.conv3d(one.km, filter.km, win.strides, win.pad, 'NDHWC', win.dilations), tf.conv3d(one.tf, filter.tf as tf.Tensor5D, win.strides, pad, 'NDHWC', win.dilations), `unbatched ${what}`);
      // tfjs refuses NCDHW: the same convolution on transposed data.
      expectCloseToTfjs(km.conv3d(km.transpose(x.km, [0, 4, 1, 2, 3]), filter.km, win.strides, win.pad, 'NCDHW', win.dilations), tf.transpose(tf.conv3d(x.tf as tf.Tensor5D, filter.tf as tf.Tensor5D, win.strides, pad, 'NDHWC', win.dilations), [0, 4, 1, 2, 3]), `NCDHW ${what}`);
      if (win.dilated) continue;
      const twin = { km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv3d(a, b, win.strides, win.pad), tf: (a: tf.Tensor, b: tf.Tensor) => tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, win.strides, pad) };
      expectSameGradients(rng, twin, [x, filter], `${what}: gradients`, expectCloseToTfjs);
    }
  });

  it("conv3d 'same' with a stride above the filter pads as TensorFlow (never negatively), where tfjs shifts the windows", () => {
    const rng = new Random(32);
    const x = randomPair(rng, [1, 5, 4, 5, 2], 'float32', 2);
    const filter = randomPair(rng, [1, 2, 1, 2, 3], 'float32', 1);
    const strides: Triple = [3, 3, 2];
    const ours = km.conv3d(x.km, filter.km, strides, 'same');
    const spec: vol.VolumeSpec = { kernel: [1, 2, 1], strides, dilation: [1, 1, 1], padding: 'same' };
    expectClose(ours.dataSync(), vol.conv3d(volume(x.km.dataSync(), [5, 4, 5, 2]), Array.from(filter.km.dataSync()), [0, 0, 0], spec).data);
    const theirs = tf.conv3d(x.tf as tf.Tensor5D, filter.tf as tf.Tensor5D, strides, 'same');
    expect(theirs.shape).toEqual(ours.shape);
    expect(Array.from(theirs.dataSync()).some((v, i) => Math.abs(v - ours.dataSync()[i]) > 1e-3)).toBe(true);
  });

  it('conv3d gradients equal float64 finite differences, dilated and strided windows included', () => {
    const rng = new Random(33);
    for (let trial = 0; trial < 8; trial++) {
      const win = randomWindow(rng, ['valid', 'same']);
      const padding = win.pad as 'valid' | 'same';
      const [c, f] = [int(rng, 1, 2), int(rng, 1, 2)];
      const x = randomPair(rng, [1, ...win.sizes, c], 'float32', 2);
      const filter = randomPair(rng, [...win.kernel, c, f], 'float32', 1);
      const y = km.conv3d(x.km, filter.km, win.strides, padding, 'NDHWC', win.dilations);
      const dy = randomPair(rng, y.shape, 'float32', 2).km;
      const { grads } = valueAndGrads((a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv3d(a, b, win.strides, padding, 'NDHWC', win.dilations))([x.km, filter.km], dy);
      const xs = Array.from(x.km.dataSync());
      const ws = Array.from(filter.km.dataSync());
      const dys = dy.dataSync();
      const spec: vol.VolumeSpec = { kernel: win.kernel, strides: win.strides, dilation: win.dilations, padding };
      const zeros = new Array<number>(f).fill(0);
      const loss = () => vol.conv3d(volume(xs, x.km.shape.slice(1)), ws, zeros, spec).data.reduce((s, v, i) => s + v * dys[i], 0);
      const [dx, dw] = finiteDifferences([xs, ws], loss, 1e-4);
      expectClose(grads[0].dataSync(), dx, 1e-4);
      expectClose(grads[1].dataSync(), dw, 1e-4);
    }
  });

  it('conv3dTranspose: values against tfjs, gradients against float64 finite differences (tfjs has none)', () => {
    const rng = new Random(34);
    for (let trial = 0; trial < 20; trial++) {
      const kernel = triple(() => int(rng, 1, 3));
      const strides = triple(() => int(rng, 1, 3));
      const padding = pick(rng, ['valid', 'same'] as const);
      const [n, c, f] = [int(rng, 1, 2), int(rng, 1, 3), int(rng, 1, 3)];
      const sizes = triple(() => int(rng, 1, 4));
      // Keras' deconv output size, which the convolution maps back to x's.
      const out = sizes.map((len, a) => (padding === 'same' ? len * strides[a] : len * strides[a] + Math.max(kernel[a] - strides[a], 0)));
      const x = randomPair(rng, [n, ...sizes, c], 'float32', 2);
      const filter = randomPair(rng, [...kernel, f, c], 'float32', 1);
      const what = `conv3dTranspose x [${x.km.shape}] filter [${filter.km.shape}] into [${out}] strides [${strides}] ${padding}`;
      const spec: vol.TransposeSpec = { kernel, strides, dilation: [1, 1, 1], padding, outputPadding: null };
      const zeros = new Array<number>(f).fill(0);
      if (padding === 'same' && strides.some((s, a) => s > kernel[a])) {
        // tfjs' 'same' pads negatively there (see above): the float64 loop instead.
        const ours = km.conv3dTranspose(x.km, filter.km, [n, ...out, f], strides, padding);
        const volumes = Array.from({ length: n }, (_, b) => vol.conv3dTranspose(volume(x.km.dataSync(), sizes.concat(c), b), Array.from(filter.km.dataSync()), zeros, spec).data);
        expectClose(ours.dataSync(), volumes.flat());
        continue;
      }
      expectCloseToTfjs(km.conv3dTranspose(x.km, filter.km, [n, ...out, f], strides, padding), tf.conv3dTranspose(x.tf as tf.Tensor5D, filter.tf as tf.Tensor5D, [n, out[0], out[1], out[2], f], strides, padding), what);
      const one = x.km.slice([0, 0, 0, 0, 0], [1, -1, -1, -1, -1]);
      expectCloseToTfjs(km.conv3dTranspose(one.reshape(one.shape.slice(1)), filter.km, [...out, f], strides, padding), tf.conv3dTranspose(tf.reshape<tf.Rank>(tf.slice(x.tf, [0, 0, 0, 0, 0], [1, -1, -1, -1, -1]), one.shape.slice(1)) as tf.Tensor4D, filter.tf as tf.Tensor5D, [out[0], out[1], out[2], f], strides, padding), `unbatched ${what}`);
      if (trial % 2 !== 0) continue;
      const dy = randomPair(rng, [1, ...out, f], 'float32', 2).km;
      const { grads } = valueAndGrads((a: Tensor<'float32'>, b: Tensor<'float32'>) => km.conv3dTranspose(a, b, [1, ...out, f], strides, padding))([one, filter.km], dy);
      const xs = Array.from(one.dataSync());
      const ws = Array.from(filter.km.dataSync());
      const dys = dy.dataSync();
      const loss = () => vol.conv3dTranspose(volume(xs, one.shape.slice(1)), ws, zeros, spec).data.reduce((s, v, i) => s + v * dys[i], 0);
      const [dx, dw] = finiteDifferences([xs, ws], loss, 1e-4);
      expectClose(grads[0].dataSync(), dx, 1e-4);
      expectClose(grads[1].dataSync(), dw, 1e-4);
    }
  });

  it('refuses bad input with errors that name the problem and the fix', () => {
    const x = kmRoot.ones([1, 4, 4, 4, 2]);
    const w = kmRoot.ones([2, 2, 2, 2, 3]);
    const cases: [() => unknown, RegExp][] = [
      [() => km.conv3d(kmRoot.ones([4, 4, 2]), w, 1, 'valid'), /x must be of rank 4 or 5 .*Received: x.shape=\[4, 4, 2\]/],
      [() => km.conv3d(x, kmRoot.ones([2, 2, 2, 3]), 1, 'valid'), /filter must be of rank 5 \(\[filterDepth, filterHeight, filterWidth, inChannels, outChannels\]\)/],
      [() => km.conv3d(x, kmRoot.ones([2, 2, 2, 3, 3]), 1, 'valid'), /x's depth \(2\) must equal the filter's input depth \(filter.shape\[3\] = 3\)/],
      [() => km.conv3d(x, w, [1, 2, 1], 'valid', 'NDHWC', [2, 1, 1]), /strides and dilations cannot both be above 1.*Set one of them to 1/],
      [() => km.conv3d(x, w, [1, 1] as unknown as Triple, 'valid'), /strides must be a positive integer or a list of 3 of them. Received: strides=\[1,1\]/],
      [() => km.conv3d(x, w, 1, 'valid', 'NDHWC', [1, 0, 1]), /dilations must be .*Received: dilations=\[1,0,1\]/],
      [() => km.conv3d(x, w, 1, [[0, 0], [1, 1], [1, 1], [0, 0]] as unknown as 'same'), /pad must be 'valid', 'same' or a non-negative integer \(tfjs' 3-D ops take no explicit pairs\)/],
      [() => km.conv3d(x, w, 1, 'valid', 'NHWC' as 'NDHWC'), /dataFormat must be 'NDHWC' or 'NCDHW'. Received: dataFormat="NHWC"/],
      [() => km.conv3d(kmRoot.ones([1, 1, 4, 4, 2]), w, 1, 'valid'), /the input's spatial size \[1,4,4\] gives no output for a window of \[2,2,2\].*Use pad 'same'/],
      [() => km.conv3d(kmRoot.tensor([1, 2], [1, 1, 1, 1, 2], 'int32'), w, 1, 'same'), /float32 tensors.*Received: x.dtype='int32'/],
      [() => km.conv3dTranspose(kmRoot.ones([1, 3, 3, 3, 3]), w, [1, 5, 5, 5, 2], 1, 'valid'), /x's depth, height and width must be those conv3d gives for outputShape .*\[4, 4, 4\]/],
      [() => km.conv3dTranspose(kmRoot.ones([1, 3, 3, 3, 3]), w, [1, 4, 4, 4, 3], 1, 'valid'), /outputShape's depth must be the filter's outDepth \(filter.shape\[3\] = 2\)/],
      [() => km.conv3dTranspose(kmRoot.ones([1, 3, 3, 3, 3]), w, [4, 4, 4, 2], 1, 'valid'), /outputShape must list 5 positive integers, as x's rank \(\[batch, depth, height, width, outDepth\]\)/],
      [() => km.conv3dTranspose(kmRoot.ones([1, 3, 3, 3, 2]), w, [1, 4, 4, 4, 2], 1, 'valid'), /x's depth \(2\) must equal the filter's input depth \(filter.shape\[4\] = 3\)/],
      [() => km.conv3dTranspose(kmRoot.ones([3, 3, 3]), w, [4, 4, 2], 1, 'valid'), /x must be of rank 4 or 5/],
    ];
    for (const [call, message] of cases) expect(call).toThrow(message);
  });

  it('is reachable as km.xxx', () => {
    expect(kmRoot.conv3d(kmRoot.ones([1, 3, 4, 4, 2]), kmRoot.ones([2, 2, 2, 2, 3]), 1, 'valid').shape).toEqual([1, 2, 3, 3, 3]);
    expect(kmRoot.conv3dTranspose(kmRoot.ones([1, 2, 3, 3, 3]), kmRoot.ones([2, 2, 2, 2, 3]), [1, 3, 4, 4, 2], 1, 'valid').shape).toEqual([1, 3, 4, 4, 2]);
  });
});
