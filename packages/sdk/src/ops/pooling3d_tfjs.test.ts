// maxPool3d, avgPool3d and maxPoolWithArgmax against tfjs-core 4.22 (CPU backend): values and
// indexes to the bit (ties, NaN, ±Infinity, int32 included), gradients against tf.grads, and
// against float64 finite differences where tfjs' are wrong (maxPool3d's; avgPool3d's at padded
// borders) or missing (maxPoolWithArgmax); and each bad input's error.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmRoot from '../index.js';
import type { Tensor } from '../tensor.js';
import { expectClose } from '../testing/expect_close.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectCloseToTfjs, expectSameAsTfjs, expectSameGradients, pairOf, pick, randomPair, uniformPair, type Pair } from '../testing/tfjs_op_parity.js';
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

/**
 * A random 3-D pool window and an input it fits. tfjs' 'same' pads negatively where a stride
 * exceeds the window (tested against a naive loop below), so strides stay within it there; a
 * numeric pad stays below the window (windows of padding only are tested on their own).
 */
function randomPool(rng: Random) {
  const filterSize = triple(() => int(rng, 1, 3));
  const pad = pick(rng, ['valid', 'same', 'number'] as const);
  const strides = filterSize.map((k) => int(rng, 1, pad === 'same' ? k : 3)) as Triple;
  const numeric = pad === 'number' ? int(rng, 0, Math.min(...filterSize) - 1) : pad;
  const sizes = filterSize.map((k) => Math.max(int(rng, 1, 6), k)) as Triple;
  return { filterSize, strides, pad: numeric, sizes };
}

/** Values with many ties: small integers, some repeated exactly. */
function tiedPair(rng: Random, shape: readonly number[]): Pair {
  const size = shape.reduce((a, b) => a * b, 1);
  return pairOf(Float32Array.from({ length: size }, () => Math.floor(rng.uniform(-2, 3))), shape);
}

/** The first sample of an NDHWC batch as one volume, both sides. */
const firstOf = (x: Pair): Pair => ({
  km: x.km.slice([0, 0, 0, 0, 0], [1, -1, -1, -1, -1]).reshape(x.km.shape.slice(1)),
  tf: tf.reshape(tf.slice(x.tf, [0, 0, 0, 0, 0], [1, -1, -1, -1, -1]), x.km.shape.slice(1)),
});

describe('3-D pooling and maxPoolWithArgmax match tfjs-core 4.22', () => {
  it('maxPool3d and avgPool3d: values to the bit on random windows, pads and rounding modes', () => {
    const rng = new Random(41);
    for (let trial = 0; trial < 50; trial++) {
      const p = randomPool(rng);
      const shape = [int(rng, 1, 2), ...p.sizes, int(rng, 1, 3)];
      const x = rng.next() < 0.5 ? tiedPair(rng, shape) : uniformPair(rng, shape, -3, 3);
      const what = `x [${shape}] filterSize [${p.filterSize}] strides [${p.strides}] pad ${p.pad}`;
      const mode = typeof p.pad === 'string' ? undefined : pick(rng, [undefined, 'floor', 'round', 'ceil'] as const);
      const pad = p.pad as 'same';
      expectSameAsTfjs(km.maxPool3d(x.km, p.filterSize, p.strides, p.pad, mode), tf.maxPool3d(x.tf as tf.Tensor5D, p.filterSize, p.strides, pad, mode), `maxPool3d ${what} ${mode}`);
      expectSameAsTfjs(km.avgPool3d(x.km, p.filterSize, p.strides, p.pad, mode), tf.avgPool3d(x.tf as tf.Tensor5D, p.filterSize, p.strides, pad, mode), `avgPool3d ${what} ${mode}`);
      const int32 = randomPair(rng, shape, 'int32', 3);
      // tfjs' 3-D kernel gives float32 for int32 x; km keeps int32, as maxPool.
      const pooledInts = km.maxPool3d(int32.km, p.filterSize, p.strides, p.pad);
      expect(pooledInts.dtype).toBe('int32');
      expectSameAsTfjs(km.cast(pooledInts, 'float32'), tf.maxPool3d(int32.tf as tf.Tensor5D, p.filterSize, p.strides, pad), `int32 maxPool3d ${what}`);
      const one = firstOf(x);
      expectSameAsTfjs(km.maxPool3d(one.km, p.filterSize, p.strides, p.pad), tf.maxPool3d(one.tf as tf.Tensor4D, p.filterSize, p.strides, pad), `unbatched maxPool3d ${what}`);
      expectSameAsTfjs(km.avgPool3d(one.km, p.filterSize, p.strides, p.pad), tf.avgPool3d(one.tf as tf.Tensor4D, p.filterSize, p.strides, pad), `unbatched avgPool3d ${what}`);
    }
  });

  it("NaN, ±Infinity and windows of padding only as tfjs' kernel; 'same' with a stride above the window as TensorFlow", () => {
    const special = pairOf(Float32Array.of(NaN, -Infinity, NaN, NaN, 1, NaN, Infinity, -0, 0, -Infinity, -Infinity, -Infinity), [1, 1, 3, 4, 1]);
    for (const pad of ['valid', 'same', 1, 2] as const) {
      for (const size of [1, 2]) {
        const window: Triple = [1, size, size];
        expectSameAsTfjs(km.maxPool3d(special.km, window, 1, pad), tf.maxPool3d(special.tf as tf.Tensor5D, window, 1, pad), `maxPool3d special ${size} ${pad}`);
        expectSameAsTfjs(km.avgPool3d(special.km, window, 1, pad), tf.avgPool3d(special.tf as tf.Tensor5D, window, 1, pad), `avgPool3d special ${size} ${pad}`);
      }
    }
    const rng = new Random(42);
    const x = uniformPair(rng, [1, 5, 4, 7, 2], -3, 3);
    const spec: vol.VolumeSpec = { kernel: [1, 2, 2], strides: [3, 3, 3], dilation: [1, 1, 1], padding: 'same' };
    for (const kind of ['max', 'avg'] as const) {
      const ours = (kind === 'max' ? km.maxPool3d : km.avgPool3d)(x.km, spec.kernel, spec.strides, 'same');
      expectClose(ours.dataSync(), vol.pool3d({ d: 5, h: 4, w: 7, c: 2, data: Array.from(x.km.dataSync()) }, spec, kind).data);
    }
  });

  it("maxPool3d gradient: float64 finite differences (tfjs' misroutes it), the first of tied maxima getting the cotangent", () => {
    const tied = pairOf(Float32Array.of(5, 5, 5, 5), [1, 1, 2, 2, 1]);
    const dx = kmRoot.grad((t: Tensor<'float32'>) => km.maxPool3d(t, [1, 2, 2], 1, 'valid'))(tied.km);
    expect(Array.from(dx.dataSync())).toEqual([1, 0, 0, 0]);
    // tfjs 4.22's MaxPool3DGrad: windows [0, 2.1], [2.1, 4.2], [4.2, 1.3], [1.3, 3.4] give it [0, 0, 1, 0, 0], not [0, 1, 2, 0, 1].
    const row = pairOf(Float32Array.of(0, 2.1, 4.2, 1.3, 3.4), [1, 1, 5, 1, 1]);
    const f = { km: (t: Tensor<'float32'>) => km.maxPool3d(t, [1, 2, 1], 1, 'valid'), tf: (t: tf.Tensor) => tf.maxPool3d(t as tf.Tensor5D, [1, 2, 1], 1, 'valid') };
    expect(Array.from(kmRoot.grad(f.km)(row.km).dataSync())).toEqual([0, 1, 2, 0, 1]);
    expect(Array.from(tf.grad(f.tf)(row.tf).dataSync())).not.toEqual([0, 1, 2, 0, 1]);
    const rng = new Random(43);
    for (let trial = 0; trial < 15; trial++) {
      const p = randomPool(rng);
      const padding = pick(rng, ['valid', 'same'] as const);
      const strides = triple(() => int(rng, 1, 3));
      const x = randomPair(rng, [1, ...p.sizes, int(rng, 1, 2)], 'float32', 3);
      const y = km.maxPool3d(x.km, p.filterSize, strides, padding);
      const dy = randomPair(rng, y.shape, 'float32', 2).km;
      const { grads } = valueAndGrads((t: Tensor<'float32'>) => km.maxPool3d(t, p.filterSize, strides, padding))([x.km], dy);
      const xs = Array.from(x.km.dataSync());
      const dys = dy.dataSync();
      const [, d, h, w, c] = x.km.shape;
      const spec: vol.VolumeSpec = { kernel: p.filterSize, strides, dilation: [1, 1, 1], padding };
      const [expected] = finiteDifferences([xs], () => vol.pool3d({ d, h, w, c, data: xs }, spec, 'max').data.reduce((s, v, i) => s + v * dys[i], 0), 1e-4);
      expectClose(grads[0].dataSync(), expected, 1e-4);
    }
  });

  it("avgPool3d gradient: tf.grads' where every window lies inside x, float64 finite differences where padding is left out", () => {
    const rng = new Random(44);
    for (let trial = 0; trial < 15; trial++) {
      const p = randomPool(rng);
      const x = uniformPair(rng, [1, ...p.sizes, int(rng, 1, 2)], -3, 3);
      const what = `avgPool3d x [${x.km.shape}] filterSize [${p.filterSize}] strides [${p.strides}]`;
      const valid = { km: (t: Tensor<'float32'>) => km.avgPool3d(t, p.filterSize, p.strides, 'valid'), tf: (t: tf.Tensor) => tf.avgPool3d(t as tf.Tensor5D, p.filterSize, p.strides, 'valid') };
      expectSameGradients(rng, valid, [x], `${what} valid`, expectCloseToTfjs);
      const y = km.avgPool3d(x.km, p.filterSize, p.strides, 'same');
      const dy = randomPair(rng, y.shape, 'float32', 2).km;
      const { grads } = valueAndGrads((t: Tensor<'float32'>) => km.avgPool3d(t, p.filterSize, p.strides, 'same'))([x.km], dy);
      const xs = Array.from(x.km.dataSync());
      const dys = dy.dataSync();
      const [, d, h, w, c] = x.km.shape;
      const spec: vol.VolumeSpec = { kernel: p.filterSize, strides: p.strides, dilation: [1, 1, 1], padding: 'same' };
      const [dx] = finiteDifferences([xs], () => vol.pool3d({ d, h, w, c, data: xs }, spec, 'avg').data.reduce((s, v, i) => s + v * dys[i], 0), 1e-4);
      expectClose(grads[0].dataSync(), dx, 1e-4);
    }
  });

  it('maxPoolWithArgmax: results and indexes to the bit, with and without the batch; result gradient as maxPool', () => {
    const rng = new Random(45);
    for (let trial = 0; trial < 40; trial++) {
      const filterSize: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
      const strides: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
      const pad = pick(rng, ['valid', 'same'] as const);
      const shape = [int(rng, 1, 3), Math.max(int(rng, 1, 7), filterSize[0]), Math.max(int(rng, 1, 7), filterSize[1]), int(rng, 1, 3)];
      const x = rng.next() < 0.5 ? tiedPair(rng, shape) : uniformPair(rng, shape, -3, 3);
      const what = `maxPoolWithArgmax x [${shape}] filterSize [${filterSize}] strides [${strides}] ${pad}`;
      for (const includeBatch of [false, true]) {
        const ours = km.maxPoolWithArgmax(x.km, filterSize, strides, pad, includeBatch);
        const theirs = tf.maxPoolWithArgmax(x.tf as tf.Tensor4D, filterSize, strides, pad, includeBatch);
        expectSameAsTfjs(ours.result, theirs.result, `${what} result`);
        expectSameAsTfjs(ours.indexes, theirs.indexes, `${what} indexes, includeBatchInIndex ${includeBatch}`);
      }
      const int32 = randomPair(rng, shape, 'int32', 3);
      expectSameAsTfjs(km.maxPoolWithArgmax(int32.km, filterSize, strides, pad).result, tf.maxPoolWithArgmax(int32.tf as tf.Tensor4D, filterSize, strides, pad).result, `int32 ${what}`);
      // tfjs has no gradient for maxPoolWithArgmax: its result's is maxPool's.
      const twin = { km: (t: Tensor<'float32'>) => km.maxPoolWithArgmax(t, filterSize, strides, pad).result, tf: (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, filterSize, strides, pad) };
      expectSameGradients(rng, twin, [x], `${what} gradient`, expectCloseToTfjs);
    }
    const nan = pairOf(Float32Array.of(NaN, NaN, 1, NaN), [1, 2, 2, 1]);
    expectSameAsTfjs(km.maxPoolWithArgmax(nan.km, 1, 1, 'valid').indexes, tf.maxPoolWithArgmax(nan.tf as tf.Tensor4D, 1, 1, 'valid').indexes, 'NaN windows have index -1');
  });

  it('refuses bad input with errors that name the problem and the fix', () => {
    const x = kmRoot.ones([1, 4, 4, 4, 2]);
    const cases: [() => unknown, RegExp][] = [
      [() => km.maxPool3d(kmRoot.ones([4, 4, 2]), 2, 1, 'valid'), /x must be of rank 4 or 5 .*Received: x.shape=\[4, 4, 2\]/],
      [() => km.avgPool3d(kmRoot.ones([1, 1, 4, 4, 4, 2]), 2, 1, 'valid'), /x must be of rank 4 or 5/],
      [() => km.maxPool3d(x, [2, 2] as unknown as Triple, 1, 'valid'), /filterSize must be a positive integer or a list of 3 of them. Received: filterSize=\[2,2\]/],
      [() => km.avgPool3d(x, 2, 0, 'valid'), /strides must be a positive integer or a list of 3 of them. Received: strides=0/],
      [() => km.maxPool3d(x, 2, 1, 'same', 'floor'), /dimRoundingMode applies to a numeric or explicit pad/],
      [() => km.maxPool3d(x, 2, 1, 'valid', undefined, 'NCDHW'), /only dataFormat 'NDHWC' is supported, as in tfjs.*km.transpose\(x, \[0, 2, 3, 4, 1\]\)/],
      [() => km.avgPool3d(x, 2, 1, 'valid', undefined, 'NHWC' as 'NDHWC'), /dataFormat must be 'NDHWC' or 'NCDHW'/],
      [() => km.avgPool3d(kmRoot.tensor([1, 2], [1, 1, 1, 1, 2], 'int32'), 1, 1, 'valid'), /float32 tensors.*Received: x.dtype='int32'/],
      [() => km.maxPool3d(kmRoot.ones([1, 1, 4, 4, 2]), 2, 1, 'valid'), /the input's spatial size \[1,4,4\] gives no output for a window of \[2,2,2\]/],
      [() => km.maxPoolWithArgmax(kmRoot.ones([4, 4, 2]), 2, 1, 'valid'), /x must be of rank 4 \(\[batch, height, width, channels\]\)/],
      [() => km.maxPoolWithArgmax(kmRoot.ones([1, 4, 4, 2]), 2, [1, 1, 1] as unknown as number, 'valid'), /strides must be a positive integer or a list of 2 of them/],
    ];
    for (const [call, message] of cases) expect(call).toThrow(message);
  });

  it('is reachable as km.xxx', () => {
    const x = kmRoot.ones([1, 4, 4, 4, 2]);
    expect(kmRoot.maxPool3d(x, 2, 2, 'valid').shape).toEqual([1, 2, 2, 2, 2]);
    expect(kmRoot.avgPool3d(x, 3, 1, 'same').shape).toEqual([1, 4, 4, 4, 2]);
    expect(kmRoot.maxPoolWithArgmax(kmRoot.ones([1, 4, 4, 2]), 2, 2, 'valid').indexes.dtype).toBe('int32');
  });
});
