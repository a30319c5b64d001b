// km.broadcastTo and km.mirrorPad against tfjs-core 4.22 (CPU backend): values, shapes and dtypes
// on random shapes, gradients (broadcastTo's against tf.grads; mirrorPad's against a float64
// reference, as tfjs' drops the mirrored copies' share), and their errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmIndex from '../index.js';
import { broadcastableShape, expectSameAsTfjs, expectSameGradients, pairOf, pick, randomPair, randomShape } from '../testing/tfjs_op_parity.js';
import { expectSelectionGradient } from '../testing/selection_gradient.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('km.broadcastTo matches tf.broadcastTo', () => {
  it('values, dtypes and gradients over random shapes up to rank 4 (tfjs stops there)', () => {
    const rng = new Random(11);
    for (let trial = 0; trial < 150; trial++) {
      const shape = randomShape(rng, Math.floor(rng.next() * 5), 5);
      const x = randomPair(rng, broadcastableShape(rng, shape), pick(rng, ['float32', 'int32'] as const));
      const what = `[${x.km.shape.join(', ')}] ${x.km.dtype} to [${shape.join(', ')}]`;
      expectSameAsTfjs(km.broadcastTo(x.km, shape), tf.broadcastTo(x.tf, shape), what);
      if (x.km.dtype === 'float32') expectSameGradients(rng, { km: (a) => km.broadcastTo(a, shape), tf: (a) => tf.broadcastTo(a, shape) }, [x], what);
    }
    const special = pairOf(Float32Array.of(0, -0, NaN, Infinity, -Infinity), [5, 1]);
    expectSameAsTfjs(km.broadcastTo(special.km, [2, 5, 3]), tf.broadcastTo(special.tf, [2, 5, 3]), 'special values');
    expectSameAsTfjs(km.broadcastTo(special.km, [0, 5, 3]), tf.broadcastTo(special.tf, [0, 5, 3]), 'to an empty shape');
  });

  it('at rank 5 (where tfjs has no gradient), each repeat\'s cotangent added in float32 in row-major order', () => {
    const rng = new Random(12);
    const x = randomPair(rng, [1, 3, 1, 2, 1], 'float32');
    const shape = [2, 3, 3, 2, 4];
    expectSameAsTfjs(km.broadcastTo(x.km, shape), tf.broadcastTo(x.tf, shape), 'rank 5');
    const from = tf.broadcastTo(tf.tensor(Float32Array.from({ length: 6 }, (_, i) => i), [1, 3, 1, 2, 1]), shape).dataSync();
    const dy = randomPair(rng, shape, 'float32', 2).km;
    const expected = new Float32Array(6);
    dy.dataSync().forEach((g, i) => {
      expected[from[i]] = Math.fround(expected[from[i]] + g);
    });
    expect(Array.from(km.grad((a) => km.broadcastTo(a, shape))(x.km, dy).dataSync())).toEqual(Array.from(expected));
  });

  it('is km.broadcastTo and a tensor method, and names bad shapes', () => {
    expect(kmIndex.broadcastTo([1, 2], [2, 2]).arraySync()).toEqual([[1, 2], [1, 2]]);
    expect(kmIndex.tensor([[1], [2]], undefined, 'int32').broadcastTo([2, 3]).arraySync()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(() => km.broadcastTo(kmIndex.zeros([2, 3]), [3])).toThrow(
      "km.broadcastTo(): shape [2, 3] cannot be broadcast to [3]: x's axes line up with the last ones of shape, and each must equal its target size or be 1. Reshape x first (e.g. with expandDims), or ask for a shape of at least its rank. Received: x.shape=[2, 3], shape=[3].",
    );
    expect(() => km.broadcastTo(kmIndex.zeros([2, 3]), [4, 3, 3])).toThrow('km.broadcastTo(): shape [2, 3] cannot be broadcast to [4, 3, 3]');
    expect(() => km.broadcastTo(kmIndex.zeros([2]), [2, -1])).toThrow('km.broadcastTo(): shape dimensions must be non-negative integers; received [2, -1].');
  });
});

function randomPaddings(rng: Random, shape: readonly number[], mode: 'reflect' | 'symmetric'): [number, number][] {
  const most = (d: number) => (mode === 'reflect' ? d - 1 : d);
  return shape.map((d) => [Math.floor(rng.next() * (most(d) + 1)), Math.floor(rng.next() * (most(d) + 1))]);
}

describe('km.mirrorPad matches tf.mirrorPad', () => {
  it('values and dtypes over random shapes with odd sizes, both modes, paddings up to the limit', () => {
    const rng = new Random(13);
    for (let trial = 0; trial < 200; trial++) {
      const mode = pick(rng, ['reflect', 'symmetric'] as const);
      const x = randomPair(rng, randomShape(rng, 1 + Math.floor(rng.next() * 4), 5), pick(rng, ['float32', 'int32'] as const));
      const paddings = randomPaddings(rng, x.km.shape, mode);
      expectSameAsTfjs(km.mirrorPad(x.km, paddings, mode), tf.mirrorPad(x.tf, paddings, mode), `[${x.km.shape.join(', ')}] ${x.km.dtype} ${mode} ${JSON.stringify(paddings)}`);
    }
    const special = pairOf(Float32Array.of(-0, NaN, Infinity, 2.5), [4]);
    expectSameAsTfjs(km.mirrorPad(special.km, [[3, 2]], 'reflect'), tf.mirrorPad(special.tf, [[3, 2]], 'reflect'), 'special values');
  });

  it('has the gradient that adds every copy\'s cotangent (tfjs\' keeps only the middle\'s)', () => {
    const rng = new Random(14);
    for (let trial = 0; trial < 60; trial++) {
      const mode = pick(rng, ['reflect', 'symmetric'] as const);
      const x = randomPair(rng, randomShape(rng, 1 + Math.floor(rng.next() * 3), 5), 'float32');
      const paddings = randomPaddings(rng, x.km.shape, mode);
      expectSelectionGradient(rng, (a) => km.mirrorPad(a, paddings, mode), (a) => tf.mirrorPad(a, paddings, mode), x, `${mode} ${JSON.stringify(paddings)} of [${x.km.shape.join(', ')}]`);
    }
    const x = pairOf(Float32Array.of(1, 2, 3), [3]);
    const ours = km.grad((a) => km.mirrorPad(a, [[2, 1]], 'reflect'))(x.km);
    expect(Array.from(ours.dataSync())).toEqual([1, 3, 2]);
    expect(Array.from(tf.grad((a: tf.Tensor) => tf.mirrorPad(a, [[2, 1]], 'reflect'))(x.tf).dataSync())).toEqual([1, 1, 1]);
  });

  it('is km.mirrorPad and a tensor method, and names each bad input', () => {
    expect(kmIndex.mirrorPad([1, 2, 3], [[2, 0]], 'symmetric').arraySync()).toEqual([2, 1, 1, 2, 3]);
    expect(kmIndex.tensor([1, 2, 3]).mirrorPad([[2, 0]], 'reflect').arraySync()).toEqual([3, 2, 1, 2, 3]);
    const x = kmIndex.zeros([2, 3]);
    expect(() => km.mirrorPad(x, [[1, 1], [3, 0]], 'reflect')).toThrow(
      "km.mirrorPad(): paddings[1] = [3, 0] reaches past the 3 entries of axis 1 to mirror: in 'reflect' mode each side may add at most 2. Pad less, use 'symmetric' (one more), or pad twice. Received: x.shape=[2, 3].",
    );
    expect(() => km.mirrorPad(x, [[0, 3], [0, 0]], 'symmetric')).toThrow("km.mirrorPad(): paddings[0] = [0, 3] reaches past the 2 entries of axis 0 to mirror: in 'symmetric' mode each side may add at most 2. Pad less, or pad twice.");
    expect(() => km.mirrorPad(x, [[1, 1]], 'reflect')).toThrow('km.mirrorPad(): paddings must hold one [before, after] pair of non-negative integers per axis of x (rank 2), e.g. [[1, 1], [1, 1]]. Received: paddings=[[1,1]], x.shape=[2, 3].');
    expect(() => km.mirrorPad(x, [[1, -1], [0, 0]], 'reflect')).toThrow('km.mirrorPad(): paddings must hold one [before, after] pair of non-negative integers');
    expect(() => km.mirrorPad(x, [[1, 1], [1, 1]], 'edge' as 'reflect')).toThrow("km.mirrorPad(): mode must be 'reflect' (mirror about the edge) or 'symmetric' (repeat the edge). Received: mode=\"edge\".");
    expect(() => km.mirrorPad(kmIndex.scalar(1), [], 'reflect')).toThrow('km.mirrorPad() pads along axes, and a scalar has none. Reshape it first, e.g. t.reshape([1]).');
  });
});
