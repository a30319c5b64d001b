// gather, tile, pad, split, unstack and reverse against tfjs-core 4.22 (CPU backend): values, shapes
// and dtypes over random shapes and (negative) axes, gradients against tf.grads to the bit, and the
// errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// tfjs' gather gradient with batchDims calls chained ops (x.split).
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../tensor.js';
import { expectSameAsTfjs, expectSameGradients, pairOf, pick, randomPair, randomShape } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const randomDtype = (rng: Random) => pick(rng, ['float32', 'int32'] as const);

/** int32 indices in [0, size) of `shape`, repeats likely (so the gradient adds several cotangents). */
function indicesPair(rng: Random, shape: readonly number[], size: number) {
  return pairOf(Int32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.floor(rng.next() * size)), shape);
}

describe('gather, tile, pad, split, unstack and reverse match tfjs-core 4.22', () => {
  it('gather: values and gradients over random axes, index shapes (repeats included) and batchDims 0 and 1', () => {
    const rng = new Random(61);
    for (let trial = 0; trial < 50; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 3));
      const rank = shape.length;
      const batchDims = rank >= 2 && rng.next() < 0.3 ? 1 : 0;
      const axis = batchDims + Math.floor(rng.next() * (rank - batchDims));
      const signedAxis = rng.next() < 0.5 ? axis - rank : axis;
      const indexShape = [...shape.slice(0, batchDims), ...randomShape(rng, Math.floor(rng.next() * 3), 3)];
      const indices = indicesPair(rng, indexShape, shape[axis]);
      const what = `[${shape.join(', ')}] axis ${signedAxis} batchDims ${batchDims} indices [${indexShape.join(', ')}]`;
      const x = randomPair(rng, shape, randomDtype(rng));
      expectSameAsTfjs(km.gather(x.km, indices.km, signedAxis, batchDims), tf.gather(x.tf, indices.tf, signedAxis, batchDims), `gather ${x.km.dtype} ${what}`);
      const f = randomPair(rng, shape, 'float32');
      expectSameGradients(rng, { km: (t) => t.gather(indices.km, signedAxis, batchDims), tf: (t) => tf.gather(t, indices.tf, axis, batchDims) }, [f], `gather ${what}`);
    }
    expect(km.gather(tensor([[1, 2], [3, 4]]), [1, 1, 0]).arraySync()).toEqual([[3, 4], [3, 4], [1, 2]]);
  });

  it('tile and pad: values of both dtypes and gradients, ranks 1 to 4', () => {
    const rng = new Random(62);
    for (let trial = 0; trial < 40; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 4), 3);
      const reps = shape.map(() => Math.floor(rng.next() * 3) + (rng.next() < 0.9 ? 1 : 0));
      const paddings = shape.map(() => [Math.floor(rng.next() * 3), Math.floor(rng.next() * 3)] as [number, number]);
      const constant = pick(rng, [0, 1.5, -2]);
      const x = randomPair(rng, shape, randomDtype(rng));
      const what = `[${shape.join(', ')}] reps ${JSON.stringify(reps)} paddings ${JSON.stringify(paddings)} constant ${constant}`;
      expectSameAsTfjs(km.tile(x.km, reps), tf.tile(x.tf, reps), `tile ${x.km.dtype} ${what}`);
      expectSameAsTfjs(km.pad(x.km, paddings, constant), tf.pad(x.tf, paddings, constant), `pad ${x.km.dtype} ${what}`);
      const f = randomPair(rng, shape, 'float32');
      expectSameGradients(rng, { km: (t) => t.tile(reps), tf: (t) => tf.tile(t, reps) }, [f], `tile ${what}`);
      expectSameGradients(rng, { km: (t) => t.pad(paddings, constant), tf: (t) => tf.pad(t, paddings, constant) }, [f], `pad ${what}`);
    }
  });

  it('split, unstack and reverse: values of both dtypes and gradients over random (negative) axes', () => {
    const rng = new Random(63);
    for (let trial = 0; trial < 40; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 3), 5);
      const rank = shape.length;
      const axis = Math.floor(rng.next() * rank) - (rng.next() < 0.5 ? rank : 0);
      const length = shape[(axis + rank) % rank];
      const first = Math.floor(rng.next() * (length + 1));
      // Two pieces: tfjs' gradient of a split into one piece throws.
      const sizes = pick(rng, [[first, length - first], [first, -1]]);
      const divisor = pick(rng, [1, length].filter((d) => length % d === 0));
      const reversed = rng.next() < 0.3 ? undefined : pick(rng, [axis, [axis], [...shape.keys()]]);
      const x = randomPair(rng, shape, randomDtype(rng));
      const what = `[${shape.join(', ')}] axis ${axis}`;
      km.split(x.km, [...sizes], axis).forEach((piece, i) => expectSameAsTfjs(piece, tf.split(x.tf, [...sizes], axis)[i], `split ${JSON.stringify(sizes)} ${what} piece ${i}`));
      km.split(x.km, [length], axis).forEach((piece, i) => expectSameAsTfjs(piece, tf.split(x.tf, [length], axis)[i], `split [${length}] ${what} piece ${i}`));
      km.split(x.km, divisor, axis).forEach((piece, i) => expectSameAsTfjs(piece, tf.split(x.tf, divisor, axis)[i], `split ${divisor} ${what} piece ${i}`));
      x.km.unstack(axis).forEach((piece, i) => expectSameAsTfjs(piece, tf.unstack(x.tf, axis)[i], `unstack ${what} piece ${i}`));
      expectSameAsTfjs(km.reverse(x.km, reversed), tf.reverse(x.tf, reversed), `reverse ${JSON.stringify(reversed)} ${what}`);
      // A weighted sum of the pieces (the last one left out) exercises each piece's cotangent, and none for an unused one.
      const f = randomPair(rng, shape, 'float32');
      const weigh = <T>(pieces: T[], mul: (p: T, w: number) => T, add: (a: T, b: T) => T) => pieces.slice(0, Math.max(pieces.length - 1, 1)).map((p, i) => mul(p, i + 1)).reduce(add);
      expectSameGradients(rng, {
        km: (t) => weigh<Tensor>(km.split(t, [...sizes], axis), (p, w) => p.mul(w), (a, b) => a.add(b)).sum(),
        tf: (t) => tf.sum(weigh(tf.split(t, [...sizes], axis), (p, w) => tf.mul(p, w), (a, b) => tf.add(a, b))),
      }, [f], `split ${JSON.stringify(sizes)} ${what}`);
      expectSameGradients(rng, {
        km: (t) => weigh<Tensor>(km.unstack(t, axis), (p, w) => p.mul(w), (a, b) => a.add(b)),
        // tfjs' unstack gradient throws for a single slice; that slice is x without the axis.
        tf: (t) => (length > 1 ? weigh(tf.unstack(t, axis), (p, w) => tf.mul(p, w), (a, b) => tf.add(a, b)) : tf.mul(tf.squeeze(t, [axis]), 1)),
      }, [f], `unstack ${what}`);
      expectSameGradients(rng, { km: (t) => t.reverse(reversed), tf: (t) => tf.reverse(t, reversed) }, [f], `reverse ${JSON.stringify(reversed)} ${what}`);
    }
  });

  it("gives the gradients tfjs' own fail on: tile at rank 5, a split into one piece", () => {
    const rng = new Random(64);
    // tfjs' tile gradient stops at rank 4; with a leading axis of 1 tiled once, rank 5 is rank 4 reshaped.
    const x = randomPair(rng, [1, 2, 3, 2, 2], 'float32');
    const reps = [1, 2, 1, 3, 2];
    expectSameGradients(rng, {
      km: (t) => t.tile(reps),
      tf: (t) => tf.reshape(tf.tile(tf.reshape(t, [2, 3, 2, 2]), reps.slice(1)), [1, 4, 3, 6, 4]),
    }, [x], 'tile rank 5');
    expectSameGradients(rng, { km: (t) => km.split(t, 1, 1)[0].mul(2), tf: (t) => tf.mul(t, 2) }, [x], 'split into one piece');
  });

  it('names out-of-range gather indices, float indices, bad batchDims, reps and paddings, and splits that do not fit', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => km.gather(x, [0, 3], 1)).toThrow('km.gather(): index 3 (indices position 1) is out of range for axis 1 of size 3 in x.shape [2, 3]: indices must be from 0 to 2.');
    expect(() => km.gather(x, [-1])).toThrow(/km\.gather\(\): index -1 \(indices position 0\) is out of range for axis 0 of size 2/);
    expect(() => km.gather(x, tensor([0.5]))).toThrow("km.gather(): indices must be an int32 tensor (or an array of integers), as tfjs takes them. Cast them first: km.cast(indices, 'int32'). Received: indices.dtype='float32'.");
    expect(() => km.gather(x, [0.5])).toThrow(/int32 tensors hold 32-bit integers, but value 0\.5/);
    expect(() => km.gather(x, tensor([[0], [1]], undefined, 'int32'), 0, 1)).toThrow('km.gather(): batchDims must be an integer from 0 to min(axis, rank of indices) = 0 (negative counts from the indices\' rank). Received: batchDims=1, axis=0, indices.shape=[2, 1].');
    expect(() => km.gather(x, tensor([[0], [1], [1]], undefined, 'int32'), 1, 1)).toThrow('km.gather(): with batchDims=1, x and indices need the same first 1 axes, but axis 0 has 2 and 3. Received: x.shape=[2, 3], indices.shape=[3, 1].');
    expect(() => km.gather(x, [0], 2)).toThrow(/km\.gather\(\): axis 2 is out of range for shape \[2, 3\]/);
    expect(() => km.tile(x, [2])).toThrow('km.tile(): reps must list one non-negative integer per axis of x (rank 2), e.g. [1, 1] for no repeat. Received: reps=[2], x.shape=[2, 3].');
    expect(() => km.tile(x, [1, -1])).toThrow(/km\.tile\(\): reps must list one non-negative integer per axis/);
    expect(() => km.pad(x, [[1, 1]])).toThrow('km.pad(): paddings must hold one [before, after] pair of non-negative integers per axis of x (rank 2), e.g. [[0, 0], [0, 0]]. Received: paddings=[[1,1]], x.shape=[2, 3].');
    expect(() => km.pad(x, [[1, 1], [0, -1]])).toThrow(/km\.pad\(\): paddings must hold one \[before, after\] pair/);
    expect(() => km.pad(tensor(1), [])).toThrow('km.pad() pads along axes, and a scalar has none. Reshape it first, e.g. t.reshape([1]).');
    expect(() => km.split(x, 2, 1)).toThrow('km.split(): 2 pieces do not evenly divide axis 1 of size 3 (x.shape [2, 3]). Pass a divisor of 3, or a list of sizes that add up to 3. Received: numOrSizeSplits=2.');
    expect(() => km.split(x, [1, 1], 1)).toThrow('km.split(): the sizes must be non-negative integers (one may be -1 for the rest) adding up to axis 1 of size 3 (x.shape [2, 3]). Received: numOrSizeSplits=[1,1].');
    expect(() => km.split(x, [-1, -1], 1)).toThrow(/km\.split\(\): the sizes must be non-negative integers/);
    expect(() => km.unstack(x, 2)).toThrow(/km\.unstack\(\): axis 2 is out of range for shape \[2, 3\]/);
    expect(() => km.reverse(x, [0, 0])).toThrow('km.reverse(): axis 0 is given twice in [0,0] (shape [2, 3]). List each axis once.');
  });
});
