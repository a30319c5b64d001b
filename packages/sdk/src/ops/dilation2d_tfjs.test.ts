// dilation2d against tfjs-core 4.22 (CPU backend): values to the bit (int32, NaN and ±Infinity
// included) on random odd shapes, strides and dilations (both above 1 too, as tfjs allows), its
// gradients with respect to x and the filter against tf.grads, and each bad input's error.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmRoot from '../index.js';
import type { Tensor } from '../tensor.js';
import { expectCloseToTfjs, expectSameAsTfjs, expectSameGradients, pairOf, pick, randomPair, uniformPair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const int = (rng: Random, low: number, high: number) => low + Math.floor(rng.next() * (high - low + 1));

/** A random dilation2d window and an input it fits. */
function randomWindow(rng: Random) {
  const kernel: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
  const strides: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
  const dilations: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
  const pad = pick(rng, ['valid', 'same'] as const);
  const span = kernel.map((k, a) => (k - 1) * dilations[a] + 1);
  const [h, w] = span.map((s) => Math.max(int(rng, 1, 8), pad === 'valid' ? s : 1));
  return { kernel, strides, dilations, pad, h, w };
}

describe('dilation2d matches tfjs-core 4.22', () => {
  it('values to the bit on random shapes, strides and dilations; float32 and int32; batched or not', () => {
    const rng = new Random(51);
    for (let trial = 0; trial < 50; trial++) {
      const win = randomWindow(rng);
      const shape = [int(rng, 1, 2), win.h, win.w, int(rng, 1, 3)];
      const x = uniformPair(rng, shape, -3, 3);
      const filter = uniformPair(rng, [...win.kernel, shape[3]], -2, 2);
      const what = `dilation2d x [${shape}] filter [${filter.km.shape}] strides [${win.strides}] dilations [${win.dilations}] ${win.pad}`;
      expectSameAsTfjs(km.dilation2d(x.km, filter.km, win.strides, win.pad, win.dilations), tf.dilation2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor3D, win.strides, win.pad, win.dilations), what);
      const ints = randomPair(rng, shape, 'int32', 4);
      const intFilter = randomPair(rng, filter.km.shape, 'int32', 2);
      expectSameAsTfjs(km.dilation2d(ints.km, intFilter.km, win.strides, win.pad, win.dilations), tf.dilation2d(ints.tf as tf.Tensor4D, intFilter.tf as tf.Tensor3D, win.strides, win.pad, win.dilations), `int32 ${what}`);
      const one = { km: x.km.slice([0, 0, 0, 0], [1, -1, -1, -1]).reshape(shape.slice(1)), tf: tf.reshape<tf.Rank>(tf.slice(x.tf, [0, 0, 0, 0], [1, -1, -1, -1]), shape.slice(1)) as tf.Tensor3D };
      expectSameAsTfjs(km.dilation2d(one.km, filter.km, win.strides, win.pad, win.dilations), tf.dilation2d(one.tf, filter.tf as tf.Tensor3D, win.strides, win.pad, win.dilations), `unbatched ${what}`);
    }
  });

  it('NaN never wins and ±Infinity pass through, as tfjs', () => {
    const x = pairOf(Float32Array.of(NaN, -Infinity, NaN, NaN, 1, NaN, Infinity, -0, 0, -Infinity, -Infinity, 2), [1, 3, 4, 1]);
    const filter = pairOf(Float32Array.of(0, -0, 1, Infinity), [2, 2, 1]);
    for (const pad of ['valid', 'same'] as const) {
      expectSameAsTfjs(km.dilation2d(x.km, filter.km, 1, pad), tf.dilation2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor3D, 1, pad), `special ${pad}`);
    }
  });

  it('gradients with respect to x and the filter against tf.grads (the first maximum of each window, ties included)', () => {
    const rng = new Random(52);
    for (let trial = 0; trial < 40; trial++) {
      const win = randomWindow(rng);
      const shape = [int(rng, 1, 2), win.h, win.w, int(rng, 1, 3)];
      // Small integers tie often: both put the cotangent on the first maximum.
      const x = trial % 2 === 0 ? uniformPair(rng, shape, -3, 3) : pairOf(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => int(rng, -1, 1)), shape);
      const filter = pairOf(Float32Array.from({ length: win.kernel[0] * win.kernel[1] * shape[3] }, () => int(rng, -1, 1)), [...win.kernel, shape[3]]);
      const what = `dilation2d x [${shape}] filter [${filter.km.shape}] strides [${win.strides}] dilations [${win.dilations}] ${win.pad}`;
      const twin = {
        km: (a: Tensor<'float32'>, b: Tensor<'float32'>) => km.dilation2d(a, b, win.strides, win.pad, win.dilations),
        tf: (a: tf.Tensor, b: tf.Tensor) => tf.dilation2d(a as tf.Tensor4D, b as tf.Tensor3D, win.strides, win.pad, win.dilations),
      };
      // A window whose taps all fall outside x is the constant Number.MIN_SAFE_INTEGER (tested below).
      if (km.dilation2d(x.km, filter.km, win.strides, win.pad, win.dilations).dataSync().some((v) => v < -1e15)) continue;
      expectSameGradients(rng, twin, [x, filter], what, expectCloseToTfjs);
    }
  });

  it("a window with no tap inside x is a constant: no gradient, where tfjs' routes one to a pixel it never read", () => {
    // Width 1, a filter 2 wide spread by 3, 'same': the taps read columns -1 and 2.
    const x = pairOf(Float32Array.of(1, 2), [1, 2, 1, 1]);
    const filter = pairOf(Float32Array.of(0, 0), [1, 2, 1]);
    expectSameAsTfjs(km.dilation2d(x.km, filter.km, 1, 'same', [1, 3]), tf.dilation2d(x.tf as tf.Tensor4D, filter.tf as tf.Tensor3D, 1, 'same', [1, 3]), 'no tap inside');
    const dx = kmRoot.grad((t: Tensor<'float32'>) => km.dilation2d(t, filter.km, 1, 'same', [1, 3]))(x.km);
    expect(Array.from(dx.dataSync())).toEqual([0, 0]);
    expect(Array.from(tf.grad((t: tf.Tensor) => tf.dilation2d(t as tf.Tensor4D, filter.tf as tf.Tensor3D, 1, 'same', [1, 3]))(x.tf).dataSync())).toEqual([1, 1]);
  });

  it('refuses bad input with errors that name the problem and the fix', () => {
    const x = kmRoot.ones([1, 4, 4, 2]);
    const w = kmRoot.ones([2, 2, 2]);
    const cases: [() => unknown, RegExp][] = [
      [() => km.dilation2d(kmRoot.ones([4, 2]), w, 1, 'valid'), /x must be of rank 3 or 4 .*Received: x.shape=\[4, 2\]/],
      [() => km.dilation2d(x, kmRoot.ones([2, 2, 2, 1]), 1, 'valid'), /filter must be of rank 3 \(\[filterHeight, filterWidth, depth\]\)/],
      [() => km.dilation2d(x, kmRoot.ones([2, 2, 3]), 1, 'valid'), /x's depth \(2\) must equal the filter's input depth \(filter.shape\[2\] = 3\)/],
      [() => km.dilation2d(x, kmRoot.tensor([1, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2], 'int32'), 1, 'valid'), /x and filter must have the same dtype. Received: x.dtype='float32', filter.dtype='int32'/],
      [() => km.dilation2d(x, w, 1, 1 as unknown as 'same'), /pad must be 'valid' or 'same', as in tfjs. Received: pad=1/],
      [() => km.dilation2d(x, w, 1, 'valid', 1, 'NCHW' as 'NHWC'), /only dataFormat 'NHWC' is supported, as in tfjs.*km.transpose\(x, \[0, 2, 3, 1\]\)/],
      [() => km.dilation2d(x, w, 0, 'valid'), /strides must be a positive integer or a list of 2 of them. Received: strides=0/],
      [() => km.dilation2d(x, w, 1, 'valid', [1, 0]), /dilations must be .*Received: dilations=\[1,0\]/],
      [() => km.dilation2d(kmRoot.ones([1, 1, 4, 2]), w, 1, 'valid'), /the input's spatial size \[1,4\] gives no output for a window of \[2,2\]/],
    ];
    for (const [call, message] of cases) expect(call).toThrow(message);
  });

  it('is reachable as km.dilation2d and as a tensor method', () => {
    const x = kmRoot.ones([1, 4, 4, 2]);
    expect(kmRoot.dilation2d(x, kmRoot.zeros([2, 2, 2]), 1, 'valid').shape).toEqual([1, 3, 3, 2]);
    expect(Array.from(x.dilation2d(kmRoot.zeros([3, 3, 2]), 2, 'same', 1).dataSync())).toEqual(new Array(8).fill(1));
  });
});
