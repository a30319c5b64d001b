// prod, cumsum, moments and norm against tfjs-core 4.22 (CPU backend): values, shapes and dtypes
// over random shapes and axes, and gradients against tf.grads, to the bit.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// tfjs' prod gradient calls a chained op (x.reshape).
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../tensor.js';
import { expectSameAsTfjs, expectSameGradients, pairOf, pick, randomAxis, randomPair, randomShape, uniformPair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('prod, cumsum, moments and norm match tfjs-core 4.22', () => {
  it('prod: values of both dtypes and gradients over random axes (with zeros), keepDims or not', () => {
    const rng = new Random(51);
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(rng, Math.floor(rng.next() * 4));
      const axis = randomAxis(rng, shape.length);
      const keepDims = rng.next() < 0.5;
      // tfjs' prod gradient takes no negative axes (it transposes by them); its value does.
      const a = axis === null ? undefined : typeof axis === 'number' ? (axis + shape.length) % shape.length : axis.map((k) => (k + shape.length) % shape.length);
      const what = `[${shape.join(', ')}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`;
      const i = randomPair(rng, shape, 'int32', 3);
      expectSameAsTfjs(km.prod(i.km, axis, keepDims), tf.prod(i.tf, a, keepDims), `prod int32 ${what}`);
      // Whole numbers in [-2, 2] put zeros (one or more per run) in the product.
      const x = uniformPair(rng, shape, -2, 2);
      expectSameGradients(rng, { km: (t) => t.prod(axis, keepDims), tf: (t) => tf.prod(t, a, keepDims) }, [x], `prod ${what}`);
    }
  });

  it('cumsum: values of both dtypes for every exclusive/reverse and axis; gradients against tf.grads', () => {
    const rng = new Random(52);
    for (let trial = 0; trial < 40; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 3), 5);
      const rank = shape.length;
      const axis = Math.floor(rng.next() * rank) - (rng.next() < 0.5 ? rank : 0);
      const [exclusive, reverse] = [rng.next() < 0.5, rng.next() < 0.5];
      const what = `[${shape.join(', ')}] axis ${axis} exclusive ${exclusive} reverse ${reverse}`;
      // tfjs' cumsum takes no negative axis (it computes a shape with undefined axes); kerasm's does.
      const at = (axis + rank) % rank;
      const x = randomPair(rng, shape, pick(rng, ['float32', 'int32'] as const), 20);
      expectSameAsTfjs(km.cumsum(x.km, axis, exclusive, reverse), tf.cumsum(x.tf, at, exclusive, reverse), `cumsum ${x.km.dtype} ${what}`);
      // tfjs' gradient transposes its result for an axis other than the last (wrong there); the
      // same sums taken along the last axis of a transposed x are the reference.
      const perm = [...shape.keys()].filter((k) => k !== at).concat(at);
      const undo = perm.map((_, k) => perm.indexOf(k));
      const f = randomPair(rng, shape, 'float32', 3);
      expectSameGradients(rng, {
        km: (t) => km.cumsum(t, axis, exclusive, reverse),
        tf: (t) => tf.transpose(tf.cumsum(tf.transpose(t, perm), rank - 1, exclusive, reverse), undo),
      }, [f], `cumsum ${what}`);
    }
    const x = randomPair(rng, [3, 4], 'float32');
    expectSameGradients(rng, { km: (t) => t.cumsum(-1, true, true), tf: (t) => tf.cumsum(t, 1, true, true) }, [x], 'cumsum last axis, tfjs gradient itself');
  });

  it('moments: mean and variance of both dtypes over random axes, and the gradient of each', () => {
    const rng = new Random(53);
    for (let trial = 0; trial < 40; trial++) {
      const shape = randomShape(rng, Math.floor(rng.next() * 4));
      const axis = randomAxis(rng, shape.length);
      const keepDims = rng.next() < 0.5;
      const a = axis ?? undefined;
      const what = `[${shape.join(', ')}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`;
      const x = randomPair(rng, shape, pick(rng, ['float32', 'int32'] as const));
      const ours = km.moments(x.km, axis, keepDims);
      const theirs = tf.moments(x.tf, a, keepDims);
      expectSameAsTfjs(ours.mean, theirs.mean, `moments mean ${x.km.dtype} ${what}`);
      expectSameAsTfjs(ours.variance, theirs.variance, `moments variance ${x.km.dtype} ${what}`);
      const f = randomPair(rng, shape, 'float32');
      expectSameGradients(rng, { km: (t) => km.moments(t, axis, keepDims).variance, tf: (t) => tf.moments(t, a, keepDims).variance }, [f], `variance ${what}`);
      expectSameGradients(rng, { km: (t) => km.moments(t, axis, keepDims).mean, tf: (t) => tf.moments(t, a, keepDims).mean }, [f], `mean ${what}`);
    }
  });

  it('norm: euclidean, 2, 1, ±Infinity over all values or one axis, fro over two; values and gradients', () => {
    const rng = new Random(54);
    for (let trial = 0; trial < 30; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 3));
      const rank = shape.length;
      const oneAxis = Math.floor(rng.next() * rank) - (rng.next() < 0.5 ? rank : 0);
      const x = uniformPair(rng, shape, -3, 3);
      const keepDims = rng.next() < 0.5;
      for (const ord of ['euclidean', 2, 1, Infinity, -Infinity] as const) {
        for (const axis of [null, oneAxis, [oneAxis]]) {
          const what = `norm ${String(ord)} [${shape.join(', ')}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`;
          expectSameGradients(rng, { km: (t) => km.norm(t, ord, axis, keepDims), tf: (t) => tf.norm(t, ord, axis ?? undefined, keepDims) }, [x], what);
        }
      }
      if (rank >= 2) {
        const axes = [0, rank - 1];
        expectSameGradients(rng, { km: (t) => t.norm('fro', axes, keepDims), tf: (t) => tf.norm(t, 'fro', axes, keepDims) }, [x], `norm fro [${shape.join(', ')}] axes ${JSON.stringify(axes)}`);
      }
    }
    const s = pairOf(Float32Array.of(-3), []);
    expectSameGradients(rng, { km: (t) => km.norm(t), tf: (t) => tf.norm(t) }, [s], 'norm of a scalar');
  });

  it('names a bad axis, an unsupported ord, int32 norm input, and a scalar cumsum', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(() => km.prod(x, 2)).toThrow('km.prod(): axis 2 is out of range for shape [2, 2]: use an integer from -2 to 1 (negative counts from the last axis).');
    expect(() => km.cumsum(x, -3)).toThrow(/km\.cumsum\(\): axis -3 is out of range for shape \[2, 2\]/);
    expect(() => km.cumsum(tensor(1))).toThrow('km.cumsum(): a scalar has no axes, so axis 0 does not exist. Reshape it first, e.g. t.reshape([1]).');
    expect(() => km.moments(x, [0, 0])).toThrow('km.moments(): axis 0 is given twice in [0,0] (shape [2, 2]). List each axis once.');
    expect(() => km.norm(x, 3)).toThrow("km.norm(): ord 3 is not supported here; kerasm computes 'euclidean', 2, 1, Infinity or -Infinity for vectors. Received: ord=3, axis=null.");
    expect(() => km.norm(x, 1, [0, 1])).toThrow("km.norm(): ord 1 is not supported here; kerasm computes 'euclidean' or 'fro' over two axes. Received: ord=1, axis=[0, 1].");
    expect(() => km.norm(tensor([1, 2], undefined, 'int32'))).toThrow("km.norm() takes a float32 tensor (tfjs truncates an int32 norm). Cast it first: km.norm(km.cast(x, 'float32')). Received: x.dtype='int32'.");
  });
});
