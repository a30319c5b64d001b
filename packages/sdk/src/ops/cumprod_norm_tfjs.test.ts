// cumprod and euclideanNorm against tfjs-core 4.22 (CPU backend): values and dtypes to the bit;
// euclideanNorm's gradients against tf.grads, cumprod's (tfjs has none) against a float64 naive loop.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmPublic from '../index.js';
import { tensor, type Tensor } from '../tensor.js';
import { expectSameAsTfjs, expectSameGradients, pairOf, pick, randomAxis, randomPair, randomShape, uniformPair, type Twin } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('cumprod matches tfjs-core 4.22', () => {
  it('values and dtypes over random shapes, axes, exclusive and reverse, float32 and int32', () => {
    const rng = new Random(71);
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 4), 5);
      const x = pick(rng, ['float32', 'int32'] as const) === 'int32' ? randomPair(rng, shape, 'int32', 3) : uniformPair(rng, shape, -2, 2);
      const axis = Math.floor(rng.next() * shape.length);
      const [exclusive, reverse] = [rng.next() < 0.5, rng.next() < 0.5];
      const ours = km.cumprod(x.km, axis, exclusive, reverse);
      expectSameAsTfjs(ours, tf.cumprod(x.tf, axis, exclusive, reverse), `cumprod ${x.km.dtype} [${shape.join(', ')}] axis ${axis} exclusive ${exclusive} reverse ${reverse}`);
      // tfjs mangles the shape for a negative axis; kerasm counts it from the end, as tfjs' docs say.
      expect(km.cumprod(x.km, axis - shape.length, exclusive, reverse).arraySync()).toEqual(ours.arraySync());
    }
    const special = pairOf(Float32Array.of(2, NaN, 0, Infinity, -0, 3), [6]);
    expectSameAsTfjs(km.cumprod(special.km), tf.cumprod(special.tf), 'cumprod NaN, 0 and Infinity');
    const big = pairOf(Int32Array.of(100000, 100000, 3), [3]);
    expectSameAsTfjs(km.cumprod(big.km), tf.cumprod(big.tf), 'int32 products wrap as in tfjs');
  });

  it('gradient: the float64 sum over j of dy_j times the product without x_k, zeros in x included (tfjs has none)', () => {
    const rng = new Random(72);
    for (let trial = 0; trial < 40; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 3), 5);
      const size = shape.reduce((a, b) => a * b, 1);
      const xv = Float32Array.from({ length: size }, () => (rng.next() < 0.2 ? 0 : Math.fround(rng.uniform(-2, 2))));
      const dyv = Float32Array.from({ length: size }, () => Math.fround(rng.uniform(-1, 1)));
      const axis = Math.floor(rng.next() * shape.length);
      const [exclusive, reverse] = [rng.next() < 0.5, rng.next() < 0.5];
      const { grads } = km.valueAndGrads((x: Tensor) => km.cumprod(x, axis, exclusive, reverse))([tensor(xv, shape)], tensor(dyv, shape));
      const expected = naiveCumprodGradient(xv, dyv, shape, axis, exclusive, reverse);
      const ours = grads[0].dataSync();
      expected.forEach((e, i) => expect(Math.abs(ours[i] - e), `[${shape.join(', ')}] axis ${axis} exclusive ${exclusive} reverse ${reverse} at ${i}: ${ours[i]} against ${e}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e))));
    }
    expect(() => tf.grads((x: tf.Tensor) => tf.cumprod(x))([tf.tensor([1, 2])])).toThrow(/gradient function not found for Cumprod/);
  });

  it('bad axes get clear errors; reachable as km.cumprod and x.cumprod()', () => {
    expect(() => km.cumprod(tensor([[1, 2]]), 2)).toThrow(/km\.cumprod\(\): axis 2 is out of range for shape \[1, 2\]/);
    expect(() => km.cumprod(tensor(3))).toThrow(/km\.cumprod\(\): a scalar has no axes/);
    expect(tensor([[1, 2], [3, 4]]).cumprod(1, true).arraySync()).toEqual([[1, 1], [1, 3]]);
    expect(kmPublic.cumprod).toBe(km.cumprod);
  });
});

describe('euclideanNorm matches tfjs-core 4.22', () => {
  it('values and gradients over random shapes, axes and keepDims', () => {
    const rng = new Random(73);
    for (let trial = 0; trial < 40; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 3), 5);
      const x = uniformPair(rng, shape, -3, 3);
      let axis = randomAxis(rng, shape.length);
      if (Array.isArray(axis) && axis.length > 2) axis = axis.slice(0, 2);
      const keepDims = rng.next() < 0.5;
      const what = `euclideanNorm [${shape.join(', ')}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`;
      expectSameAsTfjs(km.euclideanNorm(x.km, axis, keepDims), tf.euclideanNorm(x.tf, axis ?? undefined, keepDims), what);
      const twin: Twin = { km: (t) => km.euclideanNorm(t, axis, keepDims), tf: (t) => tf.euclideanNorm(t, axis ?? undefined, keepDims) };
      expectSameGradients(rng, twin, [x], what);
    }
    expect(() => km.euclideanNorm(tensor([1, 2], [2], 'int32'))).toThrow(/km\.euclideanNorm\(\) takes a float32 tensor.*km\.euclideanNorm\(km\.cast.*Received: x\.dtype='int32'/);
    expect(Array.from(tensor([[3, 4], [6, 8]]).euclideanNorm(-1).dataSync())).toEqual([5, 10]);
    expect(kmPublic.euclideanNorm).toBe(km.euclideanNorm);
  });
});

/** dx_k = Σ_j dy_j ∂y_j/∂x_k, each partial a product over the row's other members of y_j's window, in float64. */
function naiveCumprodGradient(x: Float32Array, dy: Float32Array, shape: readonly number[], axis: number, exclusive: boolean, reverse: boolean): Float64Array {
  const out = new Float64Array(x.length);
  const width = shape[axis];
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  for (let base = 0; base < x.length; base++) {
    if (Math.floor(base / stride) % width !== 0) continue; // the first member of each row along the axis
    const at = (j: number): number => base + (reverse ? width - 1 - j : j) * stride;
    for (let j = 0; j < width; j++) {
      const members = Array.from({ length: exclusive ? j : j + 1 }, (_, i) => i);
      for (const k of members) {
        let product = dy[at(j)];
        for (const i of members) if (i !== k) product *= x[at(i)];
        out[at(k)] += product;
      }
    }
  }
  return out;
}
