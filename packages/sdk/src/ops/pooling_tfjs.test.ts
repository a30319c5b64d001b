// maxPool, avgPool and pool against tfjs-core 4.22 (CPU backend): values to the bit (ties, NaN,
// ±Infinity, int32 included), gradients against tf.grads (the first of tied maxima wins), and
// against float64 finite differences where tfjs' avgPool gradient is wrong (padded windows); and
// each bad input's error.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmRoot from '../index.js';
import { tensor, type Tensor } from '../tensor.js';
import { expectCloseToTfjs, expectSameAsTfjs, expectSameGradients, pairOf, pick, randomPair, uniformPair, type Pair } from '../testing/tfjs_op_parity.js';
import * as ref from '../testing/reference_ops.js';
import { Random } from '../utils/random.js';
import type { ConvPad } from './conv_geometry.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A pad as tfjs' typings take it (its ExplicitPadding is not readonly). */
const tfPad = (pad: ConvPad) => pad as unknown as 'same';
const int = (rng: Random, low: number, high: number) => low + Math.floor(rng.next() * (high - low + 1));

/** A random pool window and an input it fits, with a pad tfjs sizes right (numeric pads: square windows). */
function randomPool(rng: Random) {
  const filterSize: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
  const strides: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
  const kind = pick(rng, ['valid', 'same', 'number', 'explicit'] as const);
  if (kind === 'number') [filterSize[1], strides[1]] = [filterSize[0], strides[0]];
  // A pad at least as large as the window leaves windows with no pixel, which tfjs' CPU kernel gives as NaN / -Infinity.
  const padOf = (a: number) => int(rng, 0, filterSize[a] - 1);
  const pad: ConvPad = kind === 'number' ? padOf(0) : kind === 'explicit' ? [[0, 0], [padOf(0), padOf(0)], [padOf(1), padOf(1)], [0, 0]] : kind;
  const [h, w] = [Math.max(int(rng, 1, 9), filterSize[0]), Math.max(int(rng, 1, 9), filterSize[1])];
  return { filterSize, strides, pad, h, w };
}

/** Values with many ties: small integers, some repeated exactly. */
function tiedPair(rng: Random, shape: readonly number[]): Pair {
  const size = shape.reduce((a, b) => a * b, 1);
  return pairOf(Float32Array.from({ length: size }, () => Math.floor(rng.uniform(-2, 3))), shape);
}

describe('pooling matches tfjs-core 4.22', () => {
  it('maxPool and avgPool: values to the bit on random windows, pads and rounding modes', () => {
    const rng = new Random(21);
    for (let trial = 0; trial < 60; trial++) {
      const p = randomPool(rng);
      const shape = [int(rng, 1, 2), p.h, p.w, int(rng, 1, 3)];
      const x = rng.next() < 0.5 ? tiedPair(rng, shape) : uniformPair(rng, shape, -3, 3);
      const what = `x [${shape}] filterSize [${p.filterSize}] strides [${p.strides}] pad ${JSON.stringify(p.pad)}`;
      const mode = typeof p.pad === 'string' ? undefined : pick(rng, [undefined, 'floor', 'round', 'ceil'] as const);
      expectSameAsTfjs(km.maxPool(x.km, p.filterSize, p.strides, p.pad, mode), tf.maxPool(x.tf as tf.Tensor4D, p.filterSize, p.strides, tfPad(p.pad), mode), `maxPool ${what} ${mode}`);
      expectSameAsTfjs(km.avgPool(x.km, p.filterSize, p.strides, p.pad, mode), tf.avgPool(x.tf as tf.Tensor4D, p.filterSize, p.strides, tfPad(p.pad), mode), `avgPool ${what} ${mode}`);
      const int32 = randomPair(rng, shape, 'int32', 3);
      expectSameAsTfjs(km.maxPool(int32.km, p.filterSize, p.strides, p.pad), tf.maxPool(int32.tf as tf.Tensor4D, p.filterSize, p.strides, tfPad(p.pad)), `int32 maxPool ${what}`);
      const image = { km: x.km.slice([0, 0, 0, 0], [1, -1, -1, -1]).reshape(shape.slice(1)), tf: tf.reshape<tf.Rank>(tf.slice(x.tf, [0, 0, 0, 0], [1, -1, -1, -1]), [...shape.slice(1)]) as tf.Tensor3D };
      expectSameAsTfjs(km.maxPool(image.km, p.filterSize, p.strides, p.pad), tf.maxPool(image.tf, p.filterSize, p.strides, tfPad(p.pad)), `unbatched maxPool ${what}`);
      expectSameAsTfjs(km.avgPool(image.km, p.filterSize, p.strides, p.pad), tf.avgPool(image.tf, p.filterSize, p.strides, tfPad(p.pad)), `unbatched avgPool ${what}`);
    }
  });

  it('NaN, ±Infinity and windows of padding only, as tfjs CPU kernel', () => {
    const special = pairOf(Float32Array.of(NaN, -Infinity, NaN, NaN, 1, NaN, Infinity, -0, 0, -Infinity, -Infinity, -Infinity), [1, 3, 4, 1]);
    for (const pad of ['valid', 'same', 1] as const) {
      for (const size of [1, 2, 3]) {
        expectSameAsTfjs(km.maxPool(special.km, size, 1, pad), tf.maxPool(special.tf as tf.Tensor4D, size, 1, pad), `maxPool special ${size} ${pad}`);
        expectSameAsTfjs(km.avgPool(special.km, size, 1, pad), tf.avgPool(special.tf as tf.Tensor4D, size, 1, pad), `avgPool special ${size} ${pad}`);
      }
    }
    // 'ceil' rounding adds a window past the input and its padding: -Infinity and NaN (0 / 0), as tfjs.
    const ones = pairOf(new Float32Array(9).fill(1), [1, 3, 3, 1]);
    expectSameAsTfjs(km.avgPool(ones.km, 2, 2, 1, 'ceil'), tf.avgPool(ones.tf as tf.Tensor4D, 2, 2, 1, 'ceil'), 'avgPool ceil');
    expectSameAsTfjs(km.maxPool(ones.km, 2, 2, 1, 'ceil'), tf.maxPool(ones.tf as tf.Tensor4D, 2, 2, 1, 'ceil'), 'maxPool ceil');
  });

  it('maxPool gradient: the first of tied maxima gets the cotangent, as tf.grads', () => {
    const x = pairOf(Float32Array.of(5, 5, 5, 5), [1, 2, 2, 1]);
    const dx = kmRoot.grad((t: Tensor<'float32'>) => km.maxPool(t, 2, 1, 'valid'))(x.km);
    expect(Array.from(dx.dataSync())).toEqual([1, 0, 0, 0]);
    expectSameAsTfjs(dx, tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 1, 'valid'))(x.tf), 'tied maxPool gradient');
    const rng = new Random(22);
    for (let trial = 0; trial < 40; trial++) {
      const p = randomPool(rng);
      const x = tiedPair(rng, [int(rng, 1, 2), p.h, p.w, int(rng, 1, 3)]);
      const what = `maxPool x [${x.km.shape}] filterSize [${p.filterSize}] strides [${p.strides}] pad ${JSON.stringify(p.pad)}`;
      const twin = { km: (t: Tensor<'float32'>) => km.maxPool(t, p.filterSize, p.strides, p.pad), tf: (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, p.filterSize, p.strides, tfPad(p.pad)) };
      expectSameGradients(rng, twin, [x], what, expectCloseToTfjs);
    }
  });

  it("avgPool gradient: tf.grads' where every window lies inside x, float64 finite differences where padding is left out", () => {
    const rng = new Random(23);
    for (let trial = 0; trial < 30; trial++) {
      const p = randomPool(rng);
      const x = uniformPair(rng, [int(rng, 1, 2), p.h, p.w, int(rng, 1, 3)], -3, 3);
      const what = `avgPool x [${x.km.shape}] filterSize [${p.filterSize}] strides [${p.strides}]`;
      const valid = { km: (t: Tensor<'float32'>) => km.avgPool(t, p.filterSize, p.strides, 'valid'), tf: (t: tf.Tensor) => tf.avgPool(t as tf.Tensor4D, p.filterSize, p.strides, 'valid') };
      expectSameGradients(rng, valid, [x], `${what} valid`, expectCloseToTfjs);
      // tfjs' gradient divides by the whole window even where its forward pass left padding out: check 'same' against the float64 loop.
      const spec: ref.WindowSpec = { kernel: p.filterSize, strides: p.strides, dilation: [1, 1], padding: 'same' };
      const [n, h, w, c] = x.km.shape;
      const naive = (v: number[]) => Array.from({ length: n }, (_, b) => ref.pool({ h, w, c, data: v.slice(b * h * w * c, (b + 1) * h * w * c) }, spec, 'avg').data).flat();
      const y = km.avgPool(x.km, p.filterSize, p.strides, 'same');
      const dy = Float32Array.from(y.dataSync(), () => rng.normal());
      const loss = (v: number[]) => naive(v).reduce((s, yi, i) => s + yi * dy[i], 0);
      const xv = Array.from(x.km.dataSync());
      const expected = xv.map((_, i) => {
        const [up, down] = [[...xv], [...xv]];
        [up[i], down[i]] = [xv[i] + 1e-3, xv[i] - 1e-3];
        return (loss(up) - loss(down)) / 2e-3;
      });
      const dx = kmRoot.grad((t: Tensor<'float32'>) => km.avgPool(t, p.filterSize, p.strides, 'same'))(x.km, tensor(dy, y.shape));
      const worst = expected.findIndex((e, i) => !(Math.abs(dx.dataSync()[i] - e) <= 1e-4 * Math.max(1, Math.abs(e))));
      expect(worst, `${what} same: dx[${worst}]`).toBe(-1);
    }
  });

  it('pool: dilated windows (zero-padded for same, as tfjs) and strided ones, values and gradients', () => {
    const rng = new Random(24);
    for (let trial = 0; trial < 30; trial++) {
      const window: [number, number] = [int(rng, 1, 3), int(rng, 1, 3)];
      const dilated = rng.next() < 0.6;
      const dilations: [number, number] = dilated ? [int(rng, 1, 3), int(rng, 2, 3)] : [1, 1];
      const strides: [number, number] = dilated ? [1, 1] : [int(rng, 1, 3), int(rng, 1, 3)];
      const pad = pick(rng, ['valid', 'same'] as const);
      const type = pick(rng, ['max', 'avg'] as const);
      const span = window.map((k, a) => (k - 1) * dilations[a] + 1);
      const shape = [int(rng, 1, 2), Math.max(int(rng, 1, 9), span[0]), Math.max(int(rng, 1, 9), span[1]), int(rng, 1, 2)];
      const x = rng.next() < 0.5 ? tiedPair(rng, shape) : uniformPair(rng, shape, -3, 3);
      const what = `pool ${type} x [${shape}] window [${window}] dilations [${dilations}] strides [${strides}] ${pad}`;
      expectSameAsTfjs(km.pool(x.km, window, type, pad, dilations, strides), tf.pool(x.tf as tf.Tensor4D, window, type, pad, dilations, strides), what);
      const twin = { km: (t: Tensor<'float32'>) => km.pool(t, window, type, pad, dilations, strides), tf: (t: tf.Tensor) => tf.pool(t as tf.Tensor4D, window, type, pad, dilations, strides) };
      // tfjs' avgPool gradient is wrong at padded borders (see above), which undilated 'same' windows have.
      if (type === 'max' || dilated || pad === 'valid') expectSameGradients(rng, twin, [x], `${what}: gradient`, expectCloseToTfjs);
    }
  });

  it('refuses bad input with errors that name the problem and the fix', () => {
    const x = kmRoot.ones([1, 5, 5, 2]);
    const cases: [() => unknown, RegExp][] = [
      [() => km.maxPool(kmRoot.ones([5, 5]), 2, 1, 'valid'), /x must be of rank 3 or 4 .*Received: x.shape=\[5, 5\]/],
      [() => km.maxPool(x, 0, 1, 'valid'), /filterSize must be a positive integer or a list of 2 of them. Received: filterSize=0/],
      [() => km.avgPool(x, [2, 1.5], 1, 'valid'), /filterSize must be .*Received: filterSize=\[2,1.5\]/],
      [() => km.maxPool(x, 2, [1, -1], 'valid'), /strides must be .*Received: strides=\[1,-1\]/],
      [() => km.maxPool(x, 6, 1, 'valid'), /the input's spatial size \[5,5\] gives no output for a window of \[6,6\]/],
      [() => km.avgPool(kmRoot.tensor([[[[1]]]], [1, 1, 1, 1], 'int32'), 1, 1, 'valid'), /float32 tensors.*Received: x.dtype='int32'/],
      [() => km.maxPool(x, 2, 1, 'same', 'floor'), /dimRoundingMode applies to a numeric or explicit pad/],
      [() => km.pool(x, 2, 'max', 'valid', 2, 2), /strides and dilations cannot both be above 1/],
      [() => km.pool(x, 2, 'max', 1, 2), /with dilations above 1, pad must be 'valid' or 'same'.*Received: pad=1/],
      [() => km.pool(x, 2, 'min' as 'max', 'valid'), /poolingType must be 'avg' or 'max'. Received: poolingType="min"/],
    ];
    for (const [call, message] of cases) expect(call).toThrow(message);
  });

  it('is reachable as km.xxx and as tensor methods', () => {
    const x = kmRoot.ones([1, 4, 4, 2]);
    expect(kmRoot.maxPool(x, 2, 2, 'valid').shape).toEqual([1, 2, 2, 2]);
    expect(x.maxPool(2, 2, 'valid').shape).toEqual([1, 2, 2, 2]);
    expect(x.avgPool(3, 1, 'same').shape).toEqual([1, 4, 4, 2]);
    expect(x.pool([2, 2], 'avg', 'same', 2).shape).toEqual([1, 4, 4, 2]);
    expect([kmRoot.avgPool, kmRoot.pool].every((f) => typeof f === 'function')).toBe(true);
  });
});
