import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../tensor.js';
import { expectSameAsTfjs, pairOf, pick, randomAxis, randomPair, randomShape } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import { argMax, argMin, max, mean, min, sum } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('reductions match tfjs-core 4.22', () => {
  it('max, min, sum and mean: values, shapes and dtypes over random shapes, axes and keepDims', () => {
    const rng = new Random(7);
    for (let trial = 0; trial < 150; trial++) {
      const dtype = pick(rng, ['float32', 'int32'] as const);
      const x = randomPair(rng, randomShape(rng, Math.floor(rng.next() * 5)), dtype);
      const axis = randomAxis(rng, x.km.rank);
      const keepDims = rng.next() < 0.5;
      const what = `${dtype} [${x.km.shape.join(', ')}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`;
      expectSameAsTfjs(max(x.km, axis, keepDims), tf.max(x.tf, axis ?? undefined, keepDims), `max ${what}`);
      expectSameAsTfjs(min(x.km, axis, keepDims), tf.min(x.tf, axis ?? undefined, keepDims), `min ${what}`);
      expectSameAsTfjs(sum(x.km, axis, keepDims), tf.sum(x.tf, axis ?? undefined, keepDims), `sum ${what}`);
      expectSameAsTfjs(mean(x.km, axis, keepDims), tf.mean(x.tf, axis ?? undefined, keepDims), `mean ${what}`);
      expectSameAsTfjs(x.km.sum(axis, keepDims), tf.sum(x.tf, axis ?? undefined, keepDims), `t.sum ${what}`);
    }
  });

  it('argMax and argMin: int32 indices, first on ties, axis 0 by default, negative axes', () => {
    const rng = new Random(11);
    for (let trial = 0; trial < 100; trial++) {
      const dtype = pick(rng, ['float32', 'int32'] as const);
      const x = randomPair(rng, randomShape(rng, 1 + Math.floor(rng.next() * 4)), dtype, 2);
      const axis = Math.floor(rng.next() * x.km.rank) - (rng.next() < 0.5 ? x.km.rank : 0);
      const what = `${dtype} [${x.km.shape.join(', ')}] axis ${axis}`;
      expectSameAsTfjs(argMax(x.km, axis), tf.argMax(x.tf, axis), `argMax ${what}`);
      expectSameAsTfjs(argMin(x.km, axis), tf.argMin(x.tf, axis), `argMin ${what}`);
      expectSameAsTfjs(x.km.argMax(), tf.argMax(x.tf), `t.argMax() ${what}`);
    }
  });

  it('treats NaN as tfjs does: max and min propagate it, argMax skips it unless first', () => {
    const x = pairOf(Float32Array.of(1, NaN, 3, NaN, 2, 0), [2, 3]);
    for (const axis of [0, 1]) {
      expectSameAsTfjs(max(x.km, axis), tf.max(x.tf, axis), `max ${axis}`);
      expectSameAsTfjs(min(x.km, axis), tf.min(x.tf, axis), `min ${axis}`);
      expectSameAsTfjs(argMax(x.km, axis), tf.argMax(x.tf, axis), `argMax ${axis}`);
    }
  });

  it('takes arrays, as tfjs ops do, and a scalar reduces to itself', () => {
    expect(argMax([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]], -1).arraySync()).toEqual([1, 0]);
    expect(tensor(3).max().arraySync()).toBe(3);
    expect(tensor(3).mean().shape).toEqual([]);
  });

  it('names a wrong axis, a repeated one, and a scalar argMax, with the fix', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(() => x.sum(2)).toThrow('km.sum(): axis 2 is out of range for shape [2, 2]: use an integer from -2 to 1 (negative counts from the last axis).');
    expect(() => x.max([-3])).toThrow(/km\.max\(\): axis -3 is out of range/);
    expect(() => x.mean([1, -1])).toThrow('km.mean(): axis 1 is given twice in [1,-1] (shape [2, 2]). List each axis once.');
    expect(() => x.argMax(0.5)).toThrow(/km\.argMax\(\): axis 0\.5 is out of range/);
    expect(() => tensor(1).argMax()).toThrow('km.argMax(): a scalar has no axes, so axis 0 does not exist. Reshape it first, e.g. t.reshape([1]).');
  });
});
